VALUE = "now there"
