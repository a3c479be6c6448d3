VALUE_C = "C"
