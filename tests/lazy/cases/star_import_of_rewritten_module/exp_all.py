__all__ = ["exp_all_heavy", "EXP_FROM", "helper", "PLAIN_ALL"]

import exp_all_heavy                       # expect: lazy
import exp_all_unexported                  # expect: lazy
from exp_all_from import EXP_FROM          # expect: lazy

PLAIN_ALL = 1


def helper():
    return exp_all_heavy.VALUE, exp_all_unexported.VALUE
