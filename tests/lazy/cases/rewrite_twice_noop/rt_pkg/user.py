from .rel import REL_VALUE               # expect: lazy

REL = REL_VALUE
