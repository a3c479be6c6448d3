VALUE = "getattr"
