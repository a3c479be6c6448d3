from two_pkg import alpha, beta, PKG_CONST      # expect: lazy


def use_alpha():
    return alpha.VALUE


def use_beta():
    return beta.VALUE


def use_const():
    return PKG_CONST
