from __future__ import annotations           # expect: eager
from typing import TYPE_CHECKING
import ex_lazy_plain                         # expect: lazy
from ex_lazy_from import FROM_VALUE          # expect: lazy
import ex_side_effect                        # expect: eager
import ex_top_level                          # expect: eager
from ex_star import *                        # expect: eager

try:
    import ex_in_try                         # expect: eager
except ImportError:
    pass

if TYPE_CHECKING:
    import ex_type_checking                  # expect: eager

TOP = ex_top_level.VALUE


def uses():
    import ex_in_function                    # expect: eager
    return ex_lazy_plain.VALUE, FROM_VALUE, ex_in_function.VALUE
