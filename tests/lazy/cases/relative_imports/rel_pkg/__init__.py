ROOT = "root"
