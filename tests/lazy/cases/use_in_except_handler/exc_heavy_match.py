class SpecialError(Exception):
    pass
