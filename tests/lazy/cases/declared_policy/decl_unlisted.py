VALUE = "unlisted"
