LEAF = "leaf2"
