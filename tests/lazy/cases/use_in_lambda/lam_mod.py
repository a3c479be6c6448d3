import lam_heavy_a                    # expect: lazy
from lam_heavy_b import scale         # expect: lazy
import lam_heavy_d                    # expect: eager

get_a = lambda: lam_heavy_a.VALUE                      # noqa: E731
scaled = lambda x: scale(x)                            # noqa: E731
sorter_key = lambda item: lam_heavy_c.KEYS[item]       # noqa: E731
with_default = lambda x=lam_heavy_d.D: x               # noqa: E731
nested = lambda: (lambda: lam_heavy_a.VALUE)           # noqa: E731

import lam_heavy_c                    # expect: lazy
