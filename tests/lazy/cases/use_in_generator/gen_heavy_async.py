VALUE = "async"
