import rt_plain                          # expect: lazy
import rt_pkg.sub.leaf                   # expect: lazy
import rt_as as as_alias                 # expect: lazy
from rt_from import F1, F2               # expect: lazy
from rt_pkg.user import REL              # expect: lazy
from rt_star import *                    # expect: eager

try:
    import rt_try                        # expect: eager
except ImportError:
    rt_try = None


class K:
    import rt_cls                        # expect: eager


def uses():
    import rt_fn                         # expect: eager
    return (rt_plain.VALUE, rt_pkg.sub.leaf.VALUE, as_alias.VALUE, (F1, F2), REL, rt_try.VALUE,
            STAR, rt_fn.VALUE, K.rt_cls.VALUE)
