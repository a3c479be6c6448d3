VALUE = "exported"
