from __future__ import annotations

import dataclasses
import typing
from typing import ClassVar               # expect: eager
from ann_f_heavy import FThing            # expect: eager
import ann_f_mod                          # expect: eager


def g(x: FThing) -> ann_f_mod.Other:
    return x


@dataclasses.dataclass
class D:
    x: int
    thing: FThing = None
    counter: ClassVar[int] = 3
    total: typing.ClassVar[int] = 4
    other: ann_f_mod.Other = None


class K:
    k: FThing
