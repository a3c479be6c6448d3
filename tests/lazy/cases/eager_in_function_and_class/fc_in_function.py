VALUE = "in_function"
