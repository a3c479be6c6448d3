VALUE = "del_in_function"
