import dot_top.mid.leaf        # expect: lazy


def get_leaf():
    return dot_top.mid.leaf.LEAF


def get_top():
    return dot_top.TOP


def get_mid():
    return dot_top.mid.MID
