dir_name = "from value"
