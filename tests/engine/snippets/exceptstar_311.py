# except* and exception groups (3.11+).
def f(k):
    try:
        raise ExceptionGroup('eg', [ValueError(k), TypeError(k), KeyError(k)])
    except* ValueError as e:
        print('value', [str(x) for x in e.exceptions])
    except* (TypeError, KeyError) as e:
        print('type/key', sorted(type(x).__name__ for x in e.exceptions))

f(1)
try:
    try:
        raise ExceptionGroup('eg', [OSError(1)])
    except* ValueError:
        print('no')
except ExceptionGroup as e:
    print('passed through', e.exceptions)
