VALUE = "heavy2"
