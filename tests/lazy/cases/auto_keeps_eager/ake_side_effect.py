VALUE = "side_effect"
