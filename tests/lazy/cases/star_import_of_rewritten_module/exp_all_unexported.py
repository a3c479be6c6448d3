VALUE = "unexported"
