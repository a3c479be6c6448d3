VALUE = "c"
