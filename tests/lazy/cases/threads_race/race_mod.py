import race_heavy                       # expect: lazy
from race_heavy_from import SHARED      # expect: lazy
import race_heavy_attr                  # expect: lazy


def get_module():
    return race_heavy


def get_shared():
    return SHARED


def _uses():
    return race_heavy_attr
