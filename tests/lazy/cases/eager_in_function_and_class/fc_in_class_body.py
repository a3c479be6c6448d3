VALUE = "in_class_body"
