import exp_noall_heavy                                     # expect: lazy
import exp_noall_private as _private                       # expect: lazy
from exp_noall_from import NOALL_FROM, _NOALL_HIDDEN       # expect: lazy
import exp_noall_pkg.sub                                   # expect: lazy

PLAIN_NOALL = 2


def noall_helper():
    return exp_noall_heavy.VALUE, _private.VALUE, NOALL_FROM, _NOALL_HIDDEN
