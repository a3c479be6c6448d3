import ga_heavy                         # expect: lazy
from ga_heavy_from import FROM_VAL      # expect: lazy

CALLS = []


def __getattr__(name):
    CALLS.append(name)
    if name == "dynamic":
        return "dynamic value"
    raise AttributeError("custom: no %s" % name)


def __dir__():
    return ["zeta_custom", "alpha_custom"]


def use():
    return ga_heavy.VALUE, FROM_VAL
