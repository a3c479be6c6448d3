"""Imports whose names are only read by code that never runs."""
import unused_heavy_fn                 # expect: lazy
from unused_heavy_from import THING    # expect: lazy
import unused_heavy_exported           # expect: lazy
import unused_side_effect              # expect: eager

__all__ = ["unused_heavy_exported", "never_called"]

PLAIN = "plain"


def never_called():
    return unused_heavy_fn.VALUE, THING
