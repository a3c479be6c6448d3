VALUE = "all heavy"
