VALUE = "rebound_in_fn"
