VALUE = "f"
