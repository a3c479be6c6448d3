NAME = "asp"
shadow = "package attribute"
