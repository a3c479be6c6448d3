class PThing:
    pass
