NAME = "shadow submodule"
