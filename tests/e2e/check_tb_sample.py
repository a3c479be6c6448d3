"""Sample module for check_tracebacks.py: every SCENARIO raises at a known place.

Keep it valid Python 3.8.  Each scenario is a function taking no argument; the
runner calls it, catches what it raises and records the formatted traceback,
the frames (file, line, name, columns) and a line trace.  Edit freely: the
check compares the original pyc with the rewritten one, not fixed text.
"""

import sys


def _divide(x):
    return 10 / x


def _middle(x):
    y = x - 1
    return _divide(y) + 1


def nested_calls():
    return _middle(1)


def reraise():
    try:
        int('not a number')
    except ValueError:
        raise


def raise_from():
    data = {}
    try:
        return data['missing']
    except KeyError as e:
        raise RuntimeError('wrapped') from e


def implicit_context():
    try:
        [].pop()
    except IndexError:
        {}['k']


class _Ctx(object):
    def __init__(self):
        self.entered = False

    def __enter__(self):
        self.entered = True
        return self

    def __exit__(self, typ, val, tb):
        self.entered = False
        return False


def in_with():
    with _Ctx() as c:
        if c.entered:
            raise LookupError('inside with')


def exit_raises():
    class Bad(_Ctx):
        def __exit__(self, typ, val, tb):
            raise OSError('from __exit__')
    with Bad():
        pass


def _gen(n):
    for i in range(n):
        if i == 2:
            raise ValueError('gen at %d' % i)
        yield i


def generator():
    return list(_gen(5))


def _inner_gen():
    yield 1
    yield 2


def _delegating():
    yield 0
    yield from _inner_gen()


def generator_throw():
    g = _delegating()
    next(g)
    next(g)
    g.throw(KeyError('thrown'))


def comprehension():
    return [1 // (i - 2) for i in range(5)]


def dict_comprehension():
    return {k: v.upper() for k, v in [('a', 'x'), ('b', None)]}


def genexpr():
    return sum(1 / (3 - x) for x in range(5))


def _compute(v):
    return v * 2


def multi_line():
    total = (_compute(1) +
             _compute(2) +
             _compute(None) - 1 +
             _compute(3))
    return total


class _Node(object):
    def __init__(self, nxt):
        self.nxt = nxt


def attribute_chain():
    n = _Node(_Node(None))
    return n.nxt.nxt.nxt


def subscript_chain():
    data = {'a': {'b': [1, 2]}}
    return data['a']['b'][5]


def binary_op():
    a, b = 'text', 3
    return a + b


def finally_reraise():
    log = []
    try:
        raise ValueError('in try')
    finally:
        log.append('cleanup')


def else_raises():
    try:
        x = 1
    except ValueError:
        x = 2
    else:
        x = x + undefined_name  # noqa: F821
    return x


def class_body():
    class C(object):
        a = 1
        b = a + None
    return C


def lambda_key():
    return sorted([3, 1, 'x'], key=lambda v: v + 0)


def loop_break_continue():
    out = 0
    for i in range(10):
        if i % 2:
            continue
        while True:
            out += 1
            if out > 3:
                break
        if i == 6:
            out = out / (i - 6)
    return out


def _deco(fn):
    def wrapper(*a, **k):
        return fn(*a, **k) * 2
    return wrapper


@_deco
def _decorated(x):
    return x[1]


def decorated():
    return _decorated([1])


def assertion():
    value = 3
    assert value == 4, 'value was %d' % value


async def _coro(x):
    if x:
        raise ConnectionError('coro')
    return x


async def _await_it():
    return await _coro(1)


def coroutine():
    c = _await_it()
    c.send(None)


class _BadAsyncEnter(object):
    def __aenter__(self):
        return 1            # not awaitable

    def __aexit__(self, *exc):
        return 2


class _BadAsyncExit(object):
    async def __aenter__(self):
        return self

    def __aexit__(self, *exc):
        return 2            # not awaitable


async def _bad_enter():
    async with _BadAsyncEnter():
        pass


async def _bad_exit():
    async with _BadAsyncExit():
        pass


async def _bad_exit_after_error():
    async with _BadAsyncExit():
        raise KeyError('body')


def async_with_bad_enter():
    # 3.8-3.10 word this TypeError after the instruction before GET_AWAITABLE
    _bad_enter().send(None)


def async_with_bad_exit():
    _bad_exit().send(None)


def async_with_bad_exit_after_error():
    _bad_exit_after_error().send(None)


def closure_cell():
    def outer():
        v = []

        def inner():
            return v[0]
        return inner
    return outer()()


def kwargs_call():
    def f(a, *, b):
        return a + b
    return f(1, b='2')


def recursion(n=5):
    if n == 0:
        raise ArithmeticError('bottom')
    return recursion(n - 1) + 1


def unpacking():
    a, b = [1, 2, 3]
    return a + b


def match_like():
    value = ('x', 1)
    if isinstance(value, tuple) and len(value) == 2 and value[0] == 'x':
        kind, num = value
        return {'x': lambda: num.missing}[kind]()
    return None


def frame_lines():
    """Not an error: the line numbers a running and a suspended frame report."""
    lines = [sys._getframe().f_lineno]
    g = _gen(2)
    next(g)
    lines.append(g.gi_frame.f_lineno)
    next(g)
    lines.append(g.gi_frame.f_lineno)
    raise SystemError(repr(lines))


SCENARIOS = [nested_calls, reraise, raise_from, implicit_context, in_with, exit_raises,
             generator, generator_throw, comprehension, dict_comprehension, genexpr,
             multi_line, attribute_chain, subscript_chain, binary_op, finally_reraise,
             else_raises, class_body, lambda_key, loop_break_continue, decorated,
             assertion, coroutine, async_with_bad_enter, async_with_bad_exit,
             async_with_bad_exit_after_error, closure_cell, kwargs_call, recursion, unpacking,
             match_like, frame_lines]
