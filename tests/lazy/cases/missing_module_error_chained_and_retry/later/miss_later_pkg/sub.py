LATER_VALUE = "later value"
