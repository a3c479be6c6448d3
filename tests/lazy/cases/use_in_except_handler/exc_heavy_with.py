VALUE = "with"
