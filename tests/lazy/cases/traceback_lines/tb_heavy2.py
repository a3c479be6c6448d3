def explode():
    raise KeyError("explode")                # L:explode-raise
