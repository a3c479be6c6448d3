VALUE = "fromimp"
