VALUE = "d"
