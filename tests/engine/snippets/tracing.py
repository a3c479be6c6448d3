# Line events under sys.settrace: the NOPs carry the line of the
# instruction they precede, so the reported line sequence must not change.
# An async for loop ends through its exception handler (END_ASYNC_FOR).
# Closing a suspended generator must not run it (3.13+ checks that the
# instruction after its YIELD_VALUE is a RESUME to take the fast path).
import sys

def traced(n):
    total = 0
    for i in range(n):
        if i % 2:
            total += i
        else:
            total -= 1
    try:
        1 / (n - n)
    except ZeroDivisionError:
        total = -total
    while total > 0:
        total //= 3
    return total

class AsyncRange:
    def __init__(self, n):
        self.i, self.n = 0, n
    def __aiter__(self):
        return self
    async def __anext__(self):
        if self.i == self.n:
            raise StopAsyncIteration
        self.i += 1
        return self.i

async def async_loop():
    total = 0
    async for v in AsyncRange(3):
        total += v
    return total

def reraise_in_handler():
    # 3.8/3.9 trace a line event at a handler when the raising instruction
    # was not the first of its line (co_lnotab): NOPs must not take line starts.
    try:
        try:
            raise Exception
        except Exception as e:
            raise
            x = "Something"
    except Exception:
        pass

def one():
    yield 1

def for_over_generator():
    # 3.13+: if FOR_ITER does not start its line it gets specialised while
    # tracing, and the exhausted generator shows up as an 'exception' event.
    for _ in (
        one()
    ):
        pass

def closing_gen():
    yield 1
    yield 2

events = []

def tracer(frame, event, arg):
    name = frame.f_code.co_name
    if name in ('traced', 'closing_gen', 'async_loop', 'reraise_in_handler',
                'for_over_generator', 'one'):
        events.append((name, event, frame.f_lineno - frame.f_code.co_firstlineno))
    return tracer

g = closing_gen()
next(g)
sys.settrace(tracer)
traced(5)
reraise_in_handler()
for _ in range(3):
    for_over_generator()
g.close()
try:
    async_loop().send(None)
except StopIteration as e:
    events.append(('async_loop result', e.value))
sys.settrace(None)
print(events)
