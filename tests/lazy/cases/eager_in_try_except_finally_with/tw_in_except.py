VALUE = "except"
