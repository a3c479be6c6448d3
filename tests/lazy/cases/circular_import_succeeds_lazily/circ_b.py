from circ_a import A_VALUE            # expect: lazy

B_VALUE = "b"


def get_a():
    return A_VALUE
