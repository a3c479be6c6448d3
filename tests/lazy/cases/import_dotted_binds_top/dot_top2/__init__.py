TOP = "top2"
