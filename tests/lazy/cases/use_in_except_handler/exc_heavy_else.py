VALUE = "else"
