MID = "mid2"
