EXP_FROM = "exp from"
