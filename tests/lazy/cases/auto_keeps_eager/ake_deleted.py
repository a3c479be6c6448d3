VALUE = "deleted"
