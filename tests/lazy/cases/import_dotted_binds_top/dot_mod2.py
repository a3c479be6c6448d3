import dot_top2.mid.leaf        # expect: lazy


def get_leaf():
    return dot_top2.mid.leaf.LEAF


def get_top():
    return dot_top2.TOP


def get_mid():
    return dot_top2.mid.MID
