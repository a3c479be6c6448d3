INIT_VALUE = "init dep"
