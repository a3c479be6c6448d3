import sys
import rl_heavy                              # expect: lazy
from rl_heavy_from import FROM_VALUE         # expect: lazy

sys.__dict__.setdefault("_lazyc_reload_runs", []).append(__name__)


def get():
    return rl_heavy


def get_from():
    return FROM_VALUE
