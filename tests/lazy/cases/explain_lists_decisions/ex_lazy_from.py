FROM_VALUE = "from"
