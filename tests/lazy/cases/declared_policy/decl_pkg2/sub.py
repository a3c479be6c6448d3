VALUE = "sub2"
