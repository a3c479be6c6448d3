FROM_VALUE = "from value"
