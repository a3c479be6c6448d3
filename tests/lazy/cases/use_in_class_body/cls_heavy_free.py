PREFIX = "fr"
