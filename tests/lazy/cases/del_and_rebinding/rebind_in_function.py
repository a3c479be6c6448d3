VALUE = "rebind_in_function"
