VALUE = "infunc"
