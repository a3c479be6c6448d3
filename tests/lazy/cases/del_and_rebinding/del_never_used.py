VALUE = "del_never_used"
