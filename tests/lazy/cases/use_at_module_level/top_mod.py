import top_heavy                          # expect: eager
from top_heavy_from import FROM_VALUE     # expect: eager
import top_heavy_cond                     # expect: eager

X = top_heavy.VALUE * 2
Y = FROM_VALUE + 1
if top_heavy_cond.FLAG:
    Z = "cond"
else:
    Z = "other"
