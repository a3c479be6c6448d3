FROM_NAME = "from name"
