import lazydep


def wrapped(text):
    return lazydep.wrap(text)
