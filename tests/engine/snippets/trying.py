# Exception handling: handlers, finally on every exit path, nesting,
# re-raise, chained exceptions, tracebacks (line numbers must not move).
import sys, traceback

def tb_lines(exc):
    return [(fs.name, fs.lineno) for fs in traceback.extract_tb(exc.__traceback__)]

def fails(k):
    if k == 0:
        raise ValueError('zero')
    if k == 1:
        return {}['missing']
    return 1 / (k - 2)

def handlers(k):
    try:
        r = fails(k)
    except ValueError as e:
        r = ('value', str(e), tb_lines(e))
    except (KeyError, ZeroDivisionError) as e:
        r = ('other', type(e).__name__, tb_lines(e))
    else:
        r = ('else', r)
    finally:
        print('finally', k)
    return r

def finally_paths(n):
    out = []
    for i in range(n):
        try:
            if i == 1:
                continue
            if i == 3:
                break
            out.append(i)
        finally:
            out.append('f%d' % i)
    try:
        return out
    finally:
        out.append('ret')

def nested(k):
    try:
        try:
            fails(k)
        except ValueError:
            raise RuntimeError('wrapped')
        finally:
            print('inner finally')
    except RuntimeError as e:
        return ('outer', repr(e), repr(e.__context__), tb_lines(e))
    except Exception as e:
        return ('generic', type(e).__name__)

def reraise():
    try:
        fails(0)
    except ValueError:
        try:
            raise
        except ValueError as e:
            return tb_lines(e)

def raise_from():
    try:
        try:
            fails(1)
        except KeyError as e:
            raise TypeError('t') from e
    except TypeError as e:
        return repr(e.__cause__), e.__suppress_context__

def in_handler():
    try:
        fails(0)
    except ValueError:
        x = 0
        for i in range(3):
            x += i
        try:
            fails(2)
        except ZeroDivisionError as e:
            x += 100
        return x

for k in range(4):
    print(handlers(k))
print(finally_paths(5))
print(nested(0), nested(1))
print(reraise())
print(raise_from())
print(in_handler())
try:
    fails(1)
except KeyError as e:
    print('module', tb_lines(e))
