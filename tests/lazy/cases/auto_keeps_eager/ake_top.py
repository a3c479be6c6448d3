VALUE = "top"
