import tb_heavy                              # expect: lazy
import tb_heavy2                             # expect: lazy


def fail(x):
    y = tb_heavy.VALUE + x                   # L:fail-use
    raise ValueError(y)                      # L:fail-raise


def deep():
    return tb_heavy2.explode()               # L:deep-call


def traced(n):
    a = tb_heavy.VALUE                       # L:t1
    b = a + n                                # L:t2
    if b > 0:                                # L:t3
        b -= 1                               # L:t4
    return b                                 # L:t5
