_before = set(globals())
from exp_all import *                      # expect: eager
GOT = sorted(set(globals()) - _before - {"_before"})
