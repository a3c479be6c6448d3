import ake_side_effect                 # expect: eager
import ake_top                         # expect: eager
import ake_class_body                  # expect: eager
import ake_decorator                   # expect: eager
import ake_default                     # expect: eager
import ake_rebound                     # expect: eager
import ake_deleted                     # expect: eager
import ake_rebound_in_fn               # expect: eager
import ake_control                     # expect: lazy

TOP = ake_top.VALUE


class C:
    attr = ake_class_body.VALUE


@ake_decorator.tag
def decorated():
    pass


def with_default(x=ake_default.VALUE):
    return x


ake_rebound = "rebound"
del ake_deleted


def rebind_in_fn():
    global ake_rebound_in_fn
    ake_rebound_in_fn = "rebound in fn"


def get_rebound_in_fn():
    return ake_rebound_in_fn


def control():
    return ake_control.VALUE
