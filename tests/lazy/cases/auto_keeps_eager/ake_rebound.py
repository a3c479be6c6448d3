VALUE = "rebound"
