VALUE = "tc"
