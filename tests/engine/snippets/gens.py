# Generators and coroutines: yield, yield from with send/throw/close,
# gi_yieldfrom, generator expressions, async generators, await chains.
import asyncio, types

def inner():
    try:
        x = yield 1
        while True:
            x = yield x * 2
    except GeneratorExit:
        print('inner closed')
        raise
    except KeyError as e:
        yield 'inner caught %r' % (e,)
        return 'inner done'

def outer():
    r = yield from inner()
    yield 'outer got %r' % (r,)
    return 'outer done'

g = outer()
print(next(g), g.send(5), g.send(6))
print(g.gi_yieldfrom is not None, g.gi_running)
print(g.throw(KeyError('k')))
print(next(g))
try:
    next(g)
except StopIteration as e:
    print('stop', e.value)

g = outer()
next(g)
g.close()
print('closed', g.gi_frame is None)

def finished_sub():
    yield 1
    return 2

def delegate():
    v = yield from finished_sub()
    yield v

g = delegate()
next(g)
try:
    print('throw', g.throw(ValueError('v')))
except ValueError as e:
    print('throw propagated', e)

def catches_and_returns():
    try:
        yield 1
    except ValueError:
        return 'sub returned'

def delegate_returning():
    r = yield from catches_and_returns()
    yield r

g = delegate_returning()
next(g)
print('throw into returning sub', g.throw(ValueError('v')))

print(sum(x * x for x in range(10) if x % 3), list(x for x in 'abc'))

async def leaf(i):
    await asyncio.sleep(0)
    return i * 10

async def agen(n):
    for i in range(n):
        yield await leaf(i)
        await asyncio.sleep(0)

async def main():
    out = [v async for v in agen(4)]
    async for v in agen(2):
        out.append(-v)
    out.append(await asyncio.gather(leaf(1), leaf(2)))
    try:
        await asyncio.wait_for(asyncio.sleep(1), 0.001)
    except asyncio.TimeoutError:
        out.append('timeout')
    return out

print(asyncio.run(main()))

@types.coroutine
def raw():
    v = yield 'raw'
    return v

async def use_raw():
    return await raw()

c = use_raw()
print(c.send(None))
try:
    c.send('sent')
except StopIteration as e:
    print('coro result', e.value)
c = use_raw()
c.send(None)
try:
    c.throw(OSError('o'))
except OSError as e:
    print('coro throw', e)
