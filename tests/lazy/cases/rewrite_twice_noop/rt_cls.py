VALUE = "cls"
