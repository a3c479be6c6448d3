FROM_VALUE = "from in function"
