DEFAULT = "default"
