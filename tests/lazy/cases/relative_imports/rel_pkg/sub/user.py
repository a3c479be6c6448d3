from . import sibling                    # expect: lazy
from .other import OTHER                 # expect: lazy
from ..top_helper import HELPER          # expect: lazy
from .. import top_helper as th          # expect: lazy
from .deeper.leaf import LEAF            # expect: lazy


def get_sibling():
    return sibling.SIB


def get_other():
    return OTHER


def get_helper():
    return HELPER


def get_th():
    return th


def get_leaf():
    return LEAF
