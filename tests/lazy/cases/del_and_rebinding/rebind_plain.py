VALUE = "rebind_plain"
