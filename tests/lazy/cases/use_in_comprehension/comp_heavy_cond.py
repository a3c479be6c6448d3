MOD = 3
