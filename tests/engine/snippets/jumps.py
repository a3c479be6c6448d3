# Jumps of every kind; loop bodies long enough that NOP insertion pushes
# jump distances past 255 units (new EXTENDED_ARG prefixes), backward jumps
# crossing inserted code, conditional expressions and boolean operators.
def long_body(n):
    total = 0
    i = 0
    while i < n:
        a = i * 3 + 1; b = a ^ 5; c = (a + b) % 7; d = c * c - a
        e = d + a + b + c; f = e // 3; g = f - e; h = g * 2 + 1
        a = i * 3 + 1; b = a ^ 5; c = (a + b) % 7; d = c * c - a
        e = d + a + b + c; f = e // 3; g = f - e; h = g * 2 + 1
        a = i * 3 + 1; b = a ^ 5; c = (a + b) % 7; d = c * c - a
        e = d + a + b + c; f = e // 3; g = f - e; h = g * 2 + 1
        a = i * 3 + 1; b = a ^ 5; c = (a + b) % 7; d = c * c - a
        e = d + a + b + c; f = e // 3; g = f - e; h = g * 2 + 1
        if h % 3 == 0:
            total += h
        elif h % 3 == 1 and not (a > b or c < d):
            total -= 1
        else:
            total ^= a if b > c else d
        i += 1
        if i == 7:
            continue
        if total > 10 ** 9:
            break
    return total

def nested_loops():
    out = []
    for x in range(5):
        for y in range(5):
            if (x + y) % 2:
                continue
            if x * y > 6:
                break
            out.append((x, y))
        else:
            out.append('no-break')
    return out

def shortcircuit(vals):
    return [v and v * 2 or -1 for v in vals], [(v or 'z') for v in vals]

def chained(x):
    return 0 < x < 10 != x, 1 <= x <= 3

def none_jumps(x):
    if x is None:
        return 'none'
    if x is not None and x:
        return 'truthy'
    return 'falsy'

print(long_body(50))
print(nested_loops())
print(shortcircuit([0, 1, 2, None, '']))
print([chained(x) for x in (-1, 0, 2, 10, 11)])
print([none_jumps(x) for x in (None, 0, 5)])
x = 0
while True:
    x += 1
    if x > 20:
        break
print('module loop', x)
