import flt_heavy_d                  # expect: lazy


def use():
    return flt_heavy_d.VALUE
