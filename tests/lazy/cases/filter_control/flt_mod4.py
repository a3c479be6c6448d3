import flt_heavy_f                  # expect: lazy


def use():
    return flt_heavy_f.VALUE
