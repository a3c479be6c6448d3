import oa_heavy_attr                      # expect: lazy
import oa_heavy_getattr                   # expect: lazy
import oa_heavy_hasattr                   # expect: lazy
import oa_heavy_fromimp                   # expect: lazy
from oa_heavy_name import NAME_VALUE      # expect: lazy
import oa_heavy_infunc                    # expect: lazy
import oa_heavy_untouched                 # expect: lazy

PLAIN = "plain"


def _uses():
    # Reads every name, so auto does not take the imports for side-effect imports.
    return (oa_heavy_attr, oa_heavy_getattr, oa_heavy_hasattr, oa_heavy_fromimp, NAME_VALUE,
            oa_heavy_infunc, oa_heavy_untouched)
