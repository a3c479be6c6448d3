# Comprehensions (inlined from 3.12), lambdas, closures, class bodies,
# keyword calls, star arguments, f-strings, walrus, global/nonlocal, del.
import functools

G = 3

def comps(n):
    a = [i * G for i in range(n) if i % 2]
    b = {i: [j for j in range(i)] for i in range(n)}
    c = {x % 3 for x in a}
    d = [[y for y in range(x) if y] for x in range(4)]
    try:
        e = [1 / (x - 2) for x in range(4)]
    except ZeroDivisionError as err:
        e = repr(err)
    return a, b, c, d, e

class K:
    base = 10
    vals = [base for _ in range(2)] if False else [1, 2]
    sq = [v * v for v in vals]
    def method(self, *args, key=None, **kw):
        return (args, key, sorted(kw.items()), super().__repr__()[:2])
    @property
    def prop(self):
        return self.base + 1
    @classmethod
    def cm(cls):
        return cls.__name__

def closures():
    count = 0
    def inc(by=1):
        nonlocal count
        count += by
        return count
    fs = [lambda x, i=i: x + i for i in range(3)]
    return inc(), inc(by=5), [f(10) for f in fs]

def globals_and_del():
    global G
    G += 1
    x = [1, 2, 3]
    del x[0]
    y = 5
    del y
    try:
        y
    except UnboundLocalError:
        return G, x, 'unbound'

def walrus(data):
    if (n := len(data)) > 2:
        return [y for x in data if (y := x * 2) > 2], n
    return n

@functools.lru_cache(maxsize=None)
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)

# 3.10+ compilers merge equal code and line tables of different code
# objects; the rewrite keeps them merged.
f1 = lambda x: x.y.z
f2 = lambda a: a.b.c
print([getattr(f1.__code__, n, None) is getattr(f2.__code__, n, None)
       for n in ('co_code', 'co_linetable', 'co_exceptiontable')])
print(comps(5))
k = K()
print(K.sq, k.method(1, 2, key='k', z=1, a=2), k.prop, K.cm())
print(closures())
print(globals_and_del())
print(walrus([1, 2, 3]), walrus([1]))
print(fib(30), f'{fib(10):>5}|{G!r}|{k.prop=}')
args = (1, 2)
kw = {'key': 3}
print(k.method(*args, **kw), max(*args, key=lambda v: -v))
assert G == 4, 'G changed'
