VALUE = "se"
