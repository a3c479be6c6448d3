VALUE = "plain"
