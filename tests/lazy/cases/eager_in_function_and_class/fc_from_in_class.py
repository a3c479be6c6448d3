CLASS_FROM = "class from"
