R = "rel"
