VALUE = "attr"
