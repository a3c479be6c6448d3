VALUE = "private"
