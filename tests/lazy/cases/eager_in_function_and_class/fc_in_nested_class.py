VALUE = "in_nested_class"
