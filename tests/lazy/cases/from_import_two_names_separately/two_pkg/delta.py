VALUE = "delta"
