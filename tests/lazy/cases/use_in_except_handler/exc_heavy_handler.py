VALUE = "handler"
