# Line events under sys.settrace: the NOPs carry the line of the
# instruction they precede, so the reported line sequence must not change.
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

events = []

def tracer(frame, event, arg):
    if frame.f_code.co_name == 'traced':
        events.append((event, frame.f_lineno - traced.__code__.co_firstlineno))
    return tracer

sys.settrace(tracer)
traced(5)
sys.settrace(None)
print(events)
