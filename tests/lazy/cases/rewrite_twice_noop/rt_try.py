VALUE = "try"
