VALUE_D = "D"
