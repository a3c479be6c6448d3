from circ_b import B_VALUE            # expect: lazy

A_VALUE = "a"


def get_b():
    return B_VALUE
