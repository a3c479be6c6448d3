class QThing:
    pass
