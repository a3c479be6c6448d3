VALUE = "heavy"
