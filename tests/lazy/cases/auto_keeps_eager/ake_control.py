VALUE = "control"
