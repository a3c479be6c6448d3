class FThing:
    pass
