_before = set(globals())
from exp_noall import *                    # expect: eager
GOT = sorted(set(globals()) - _before - {"_before"})
