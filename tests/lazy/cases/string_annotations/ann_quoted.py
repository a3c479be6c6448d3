import typing
import ann_q_heavy                        # expect: eager
from ann_q_from import QThing             # expect: eager
import ann_q_control                      # expect: lazy

MODULE_VAR: "QThing" = None


def f(x: "ann_q_heavy.Thing") -> "QThing":
    return x


class C:
    attr: "ann_q_heavy.Thing"
    other: "typing.List[QThing]"


def control():
    return ann_q_control.VALUE
