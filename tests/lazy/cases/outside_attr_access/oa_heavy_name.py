NAME_VALUE = "name value"
