VALUE = "untouched"
