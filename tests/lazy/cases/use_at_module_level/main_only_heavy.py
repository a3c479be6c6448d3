VALUE = "main only"
