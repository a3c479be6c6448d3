REL_VALUE = "rel"
