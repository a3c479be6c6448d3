VALUE = "default"
