from holder_mod import oa_heavy_fromimp, NAME_VALUE      # expect: eager

COPIED = (oa_heavy_fromimp.VALUE, NAME_VALUE)
