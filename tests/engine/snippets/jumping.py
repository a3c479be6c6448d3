# Debugger jumps (frame.f_lineno = N from a trace function).  3.8-3.10 check
# them by scanning the bytecode: handler entries, GET_ITER and the first
# instruction of the target line are read as the compiler laid them out.
import asyncio, sys

def listcomp(out):
    out.append(1)
    x = [i for i in range(3)]
    out.append(3)

def into_except(out):
    try:
        out.append(2)
        raise ValueError
    except ValueError:
        out.append(5)
    out.append(6)

def nested_finally(out):
    try:
        out.append(2)
        1 / 0
        return
    finally:
        out.append(6)
        try:
            out.append(8)
        finally:
            out.append(10)
        out.append(11)
    out.append(12)

class CM:
    def __init__(self, out):
        self.out = out
    def __enter__(self):
        self.out.append('enter')
    def __exit__(self, *exc):
        self.out.append('exit')

def with_in_finally(out):
    try:
        out.append(2)
    finally:
        with CM(out):
            out.append(5)
        out.append(6)
    out.append(7)

class ACM:
    def __init__(self, out):
        self.out = out
    async def __aenter__(self):
        self.out.append('enter')
    async def __aexit__(self, *exc):
        self.out.append('exit')

async def async_with_in_finally(out):
    try:
        out.append(2)
    finally:
        async with ACM(out):
            out.append(5)
        out.append(6)
    out.append(7)

def run(fn, jump_from, jump_to):
    out = []
    code = fn.__code__
    first = code.co_firstlineno
    done = []

    def tracer(frame, event, arg):
        if frame.f_code is code and event == 'line' and not done:
            if frame.f_lineno == first + jump_from:
                done.append(1)
                try:
                    frame.f_lineno = first + jump_to
                    out.append('jumped')
                except ValueError as e:
                    out.append('refused: %s' % e)
        return tracer

    sys.settrace(tracer)
    try:
        r = fn(out)
        if asyncio.iscoroutine(r):
            try:
                r.send(None)
            except StopIteration:
                pass
    except Exception as e:
        out.append(type(e).__name__)
    finally:
        sys.settrace(None)
    print(fn.__name__, jump_from, jump_to, out)

run(listcomp, 3, 1)
run(into_except, 2, 5)
run(into_except, 6, 2)
run(nested_finally, 6, 11)
run(nested_finally, 2, 8)
run(with_in_finally, 5, 6)
run(async_with_in_finally, 5, 6)
