LF = "lf"
