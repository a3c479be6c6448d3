import flt_heavy_a                  # expect: lazy
import flt_heavy_b                  # expect: lazy
from flt_heavy_c import C           # expect: lazy


def use_a():
    return flt_heavy_a.VALUE


def use_c():
    return C


def uses():
    return flt_heavy_a.VALUE, flt_heavy_b.VALUE, C
