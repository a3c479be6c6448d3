VALUE = "fn"
