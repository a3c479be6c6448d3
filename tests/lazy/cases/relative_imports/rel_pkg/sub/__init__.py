from .initdep import INIT_VALUE        # expect: eager


def get_init_value():
    return INIT_VALUE
