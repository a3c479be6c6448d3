# Structural pattern matching (3.10+).
def m(x):
    match x:
        case [1, *rest]:
            return 'list1', rest
        case {'k': v, **kw}:
            return 'dict', v, kw
        case (int() | float()) as num if num > 5:
            return 'big', num
        case str(s):
            return 'str', s
        case _:
            return 'other'

print([m(v) for v in ([1, 2, 3], {'k': 1, 'z': 2}, 9, 2.0, 'a', None)])
