import del_never_used                      # expect: lazy
del del_never_used

import rebind_plain                        # expect: lazy
rebind_plain = "rebound at top level"

import rebind_in_function                  # expect: lazy

from rebind_from import FROM_NAME          # expect: lazy
FROM_NAME = "shadowed"

import del_in_function                     # expect: lazy

import reimport_after_del                  # expect: lazy
del reimport_after_del
import reimport_after_del                  # expect: lazy


def read_del_never_used():
    return del_never_used


def rebind():
    global rebind_in_function
    rebind_in_function = "rebound in function"


def read_rebind_in_function():
    return rebind_in_function


def delete():
    global del_in_function
    del del_in_function


def read_del_in_function():
    return del_in_function


def get_reimported():
    return reimport_after_del
