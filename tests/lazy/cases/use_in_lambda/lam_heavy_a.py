VALUE = "A"
