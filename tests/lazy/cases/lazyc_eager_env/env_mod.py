import env_heavy_a                  # expect: lazy
from env_heavy_b import B           # expect: lazy
import env_heavy_c as c             # expect: lazy


def uses():
    return env_heavy_a.VALUE, B, c.VALUE
