VALUE = "finally"
