"""Module with pending imports for dir()."""
import dir_heavy_mod                          # expect: lazy
from dir_heavy_from import dir_name           # expect: lazy
import dir_heavy_pkg.sub                      # expect: lazy

PLAIN = 1
_private = 2


def helper():
    return dir_heavy_mod.VALUE, dir_heavy_pkg.sub.VALUE + dir_name[:0]
