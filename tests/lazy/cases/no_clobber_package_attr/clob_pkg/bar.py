class Bar:
    pass
