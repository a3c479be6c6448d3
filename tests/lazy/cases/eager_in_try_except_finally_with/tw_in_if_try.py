VALUE = "if try"
