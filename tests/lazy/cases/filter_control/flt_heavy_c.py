C = "c"
