from two_pkg import gamma, delta                # expect: lazy


def use_gamma():
    return gamma.VALUE


def use_delta():
    return delta.VALUE
