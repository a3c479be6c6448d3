VALUE = "e"
