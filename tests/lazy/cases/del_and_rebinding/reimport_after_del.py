VALUE = "reimport_after_del"
