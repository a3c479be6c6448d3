VALUE = "listed"
