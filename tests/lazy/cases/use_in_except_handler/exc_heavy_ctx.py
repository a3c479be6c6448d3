MESSAGE = "ctx message"
