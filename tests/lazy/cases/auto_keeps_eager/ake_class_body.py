VALUE = "class body"
