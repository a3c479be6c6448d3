D = "D"
