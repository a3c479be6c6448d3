VALUE = "body"
