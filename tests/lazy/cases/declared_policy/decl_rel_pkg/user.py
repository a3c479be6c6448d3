__lazy_modules__ = ("decl_rel_pkg.rel",)

from .rel import R                          # expect: lazy
from .rel_unlisted import RU                # expect: eager


def uses():
    return R, RU
