from __future__ import annotations           # expect: eager
from typing import TYPE_CHECKING
from sf_star_all import *                    # expect: eager
from sf_star_plain import *                  # expect: eager
import sf_control                            # expect: lazy

if TYPE_CHECKING:
    import sf_typing_only                    # expect: eager


def annotated(x: sf_typing_only.T) -> sf_typing_only.T:
    return x


def control():
    return sf_control.VALUE
