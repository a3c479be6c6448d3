import asp.inner as c              # expect: lazy
import asp.inner.deep as d         # expect: lazy
import asp.shadow as s             # expect: lazy


def get_c():
    return c


def get_d():
    return d


def get_s():
    return s
