import flt_heavy_e                  # expect: lazy


def use():
    return flt_heavy_e.VALUE
