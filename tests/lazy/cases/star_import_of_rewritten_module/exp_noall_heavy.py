VALUE = "noall heavy"
