from .bar import Bar                  # expect: eager
bar = "package value"

quux = "early value"
from .quux import Quux                # expect: eager

from .baz import Baz                  # expect: lazy


def uses():
    return Bar.__name__, Quux.__name__, Baz.__name__
