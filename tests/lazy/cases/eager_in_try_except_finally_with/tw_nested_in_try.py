VALUE = "nested"
