VALUE = "closure"
