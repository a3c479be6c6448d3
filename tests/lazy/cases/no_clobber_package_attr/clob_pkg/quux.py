class Quux:
    pass
