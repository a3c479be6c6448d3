ITEMS = (1, 2, 3)
