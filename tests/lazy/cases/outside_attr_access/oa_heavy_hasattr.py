VALUE = "hasattr"
