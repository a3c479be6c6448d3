import sys                                   # expect: any
import top_all_heavy                         # expect: lazy
from top_all_from import FROM_VALUE          # expect: lazy
import top_all_cond                          # expect: lazy
import top_all_iter                          # expect: lazy

_NAMES = ("top_all_heavy", "top_all_from", "top_all_cond", "top_all_iter")


def _state():
    return tuple(n in sys.modules for n in _NAMES)


BEFORE = _state()
X = top_all_heavy.VALUE * 2
top_all_heavy.COUNTER += 1
AFTER_X = _state()
Y = FROM_VALUE + 1
AFTER_Y = _state()
if top_all_cond.FLAG:
    Z = "cond"
else:
    Z = "other"
AFTER_COND = _state()
TOTAL = 0
for _i in top_all_iter.ITEMS:
    TOTAL += _i
AFTER_LOOP = _state()
