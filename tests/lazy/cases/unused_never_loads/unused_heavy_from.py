THING = "thing"
