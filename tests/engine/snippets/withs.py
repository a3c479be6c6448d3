# with / async with: normal exit, exception suppressed, exception passing
# through, return and break inside, nested managers.
import asyncio
from contextlib import contextmanager, suppress

log = []

class CM:
    def __init__(self, name, swallow=False):
        self.name, self.swallow = name, swallow
    def __enter__(self):
        log.append('enter ' + self.name)
        return self
    def __exit__(self, t, v, tb):
        log.append('exit %s %s' % (self.name, t.__name__ if t else None))
        return self.swallow

@contextmanager
def gen_cm(tag):
    log.append('gen enter ' + tag)
    try:
        yield tag.upper()
    finally:
        log.append('gen exit ' + tag)

def uses(n):
    with CM('a') as a, CM('b', swallow=True):
        if n == 1:
            return 'early'
        if n == 2:
            raise KeyError(n)
    with suppress(ZeroDivisionError):
        1 / (n - 3)
    for i in range(3):
        with gen_cm('loop%d' % i) as t:
            if i == n:
                break
            log.append(t)
    try:
        with CM('c'):
            raise ValueError('through')
    except ValueError as e:
        log.append('caught ' + str(e))
    return 'end'

class ACM:
    async def __aenter__(self):
        log.append('aenter')
        return 7
    async def __aexit__(self, t, v, tb):
        log.append('aexit %s' % (t.__name__ if t else None))
        return t is KeyError

async def auses(k):
    async with ACM() as v:
        await asyncio.sleep(0)
        if k:
            raise KeyError(k)
        log.append(v)
    return 'aend'

class BadEnter:
    async def __aenter__(self):
        return self
    def __aexit__(self, *exc):
        return 444

class BadExit:
    def __aenter__(self):
        return 1
    async def __aexit__(self, *exc):
        return False

async def bad(cm, fail):
    async with cm:
        if fail:
            1 / 0

# 3.8-3.10 word these errors by looking at the instructions before GET_AWAITABLE.
for cm, fail in ((BadEnter(), False), (BadEnter(), True), (BadExit(), False)):
    try:
        bad(cm, fail).send(None)
    except TypeError as e:
        print('TypeError:', e)

# 3.15 holds back an interrupt that __enter__ leaves pending until the with
# block has started, so __exit__ runs (only testable with CPython's own
# test helper).
try:
    from _testinternalcapi import SelfInterruptingContextManager
except ImportError:
    SelfInterruptingContextManager = None
if SelfInterruptingContextManager is not None:
    sicm = SelfInterruptingContextManager()
    try:
        with sicm:
            pass
    except KeyboardInterrupt:
        print('interrupted; __exit__ ran:', not sicm.within())

for n in range(5):
    log.clear()
    print(n, uses(n), log)
log.clear()
print(asyncio.run(auses(0)), asyncio.run(auses(1)), log)
