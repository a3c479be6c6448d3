VALUE = "in_method"
