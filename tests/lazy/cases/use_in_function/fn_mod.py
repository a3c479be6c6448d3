import fn_heavy_a                          # expect: lazy
from fn_heavy_b import VALUE_B, make_b     # expect: lazy
import fn_heavy_c as c_alias               # expect: lazy
import fn_heavy_d                          # expect: lazy


def get_a():
    return fn_heavy_a.VALUE_A


def get_b():
    return VALUE_B, make_b()


def outer():
    def inner():
        return c_alias.VALUE_C
    return inner


class Holder:
    def method(self):
        return fn_heavy_a.VALUE_A * 3


def with_global():
    global fn_heavy_d
    return fn_heavy_d.VALUE_D


def twice():
    return get_a() + get_a()
