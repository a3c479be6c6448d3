VALUE_A = "A"
