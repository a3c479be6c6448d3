RU = "rel unlisted"
