class Baz:
    pass
