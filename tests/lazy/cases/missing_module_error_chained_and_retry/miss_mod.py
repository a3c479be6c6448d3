"""The imports below are missing until case_main adds later/ to sys.path.

The import statements sit well below the top so that their line numbers are
not small numbers that could appear elsewhere in an error message.
"""

PLAIN = "plain"
#
#
#
#
#
#
#
#
#
#
#
#
#
#
import miss_not_yet_there                          # expect: lazy
from miss_later_pkg.sub import LATER_VALUE         # expect: lazy


def use():
    return miss_not_yet_there.VALUE


def use_from():
    return LATER_VALUE
