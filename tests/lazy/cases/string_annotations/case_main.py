"""Names used in string annotations keep working with typing.get_type_hints and dataclasses.

auto keeps an import eager when its name appears in a quoted annotation or in
any annotation of a `from __future__ import annotations` module: the imports
are loaded right after the module is imported (both modes), get_type_hints
resolves functions, classes and module annotations, and a dataclass still sees
`ClassVar[int]` (written via `from typing import ClassVar` and `typing.ClassVar`)
as a class variable, not a field.  ann_plain has an unquoted annotation
(evaluated at def time before 3.14, deferred by PEP 649 on 3.14+): only its
result is checked.  A plain import read only in a function is lazy (the control).
"""
import dataclasses
import os
import sys
import typing

LAZY = os.environ.get("LAZYC_EXPECT") == "lazy"


def main():
    import ann_quoted
    import ann_future
    import ann_plain
    for n in ("ann_q_heavy", "ann_q_from", "ann_f_heavy", "ann_f_mod"):
        assert n in sys.modules, "%s is used in a string annotation: must stay eager" % n
    assert ("ann_q_control" in sys.modules) == (not LAZY), "control import (not in annotations)"
    qh = sys.modules["ann_q_heavy"]
    qf = sys.modules["ann_q_from"]
    fh = sys.modules["ann_f_heavy"]
    fm = sys.modules["ann_f_mod"]

    assert typing.get_type_hints(ann_quoted.f) == {"x": qh.Thing, "return": qf.QThing}
    assert typing.get_type_hints(ann_quoted.C) == {"attr": qh.Thing, "other": typing.List[qf.QThing]}
    assert typing.get_type_hints(ann_quoted) == {"MODULE_VAR": qf.QThing}

    assert typing.get_type_hints(ann_future.g) == {"x": fh.FThing, "return": fm.Other}
    assert typing.get_type_hints(ann_future.K) == {"k": fh.FThing}
    names = [f.name for f in dataclasses.fields(ann_future.D)]
    assert names == ["x", "thing", "other"], names
    assert ann_future.D.counter == 3 and ann_future.D.total == 4
    d = ann_future.D(1)
    assert (d.x, d.thing, d.other) == (1, None, None)
    hints = typing.get_type_hints(ann_future.D)
    assert hints["counter"] == typing.ClassVar[int], hints
    assert hints["thing"] == fh.FThing

    assert ann_quoted.control() == "control"
    hints = typing.get_type_hints(ann_plain.h)
    assert hints == {"x": sys.modules["ann_p_heavy"].PThing, "return": type(None)}, hints
    print("OK")


if __name__ == "__main__":
    main()
