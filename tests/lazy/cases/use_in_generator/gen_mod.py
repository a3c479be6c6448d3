import gen_heavy_body          # expect: lazy
import gen_heavy_expr          # expect: lazy
import gen_heavy_coro          # expect: lazy
import gen_heavy_yf            # expect: lazy
import gen_heavy_async         # expect: lazy


def gen():
    yield 1
    yield gen_heavy_body.VALUE
    yield 3


def gen_expr():
    return (gen_heavy_expr.double(i) for i in range(3))


async def coro():
    return gen_heavy_coro.VALUE


def delegating():
    yield from gen_heavy_yf.items()


async def agen():
    yield gen_heavy_async.VALUE
