VALUE = "as"
