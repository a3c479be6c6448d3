FROM_VAL = "from value"
