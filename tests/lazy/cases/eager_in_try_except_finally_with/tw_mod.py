import tw_control                         # expect: lazy

try:
    import tw_in_try                      # expect: eager
except ImportError:
    tw_in_try = None

try:
    import tw_missing_optional            # expect: eager
except ImportError:
    tw_missing_optional = None

try:
    raise ImportError("forced")
except ImportError:
    import tw_in_except                   # expect: eager

try:
    pass
finally:
    import tw_in_finally                  # expect: eager


class _Ctx:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


SUPPRESSED = []


class _Suppress:
    def __enter__(self):
        return self

    def __exit__(self, typ, value, tb):
        if typ is not None and issubclass(typ, ImportError):
            SUPPRESSED.append(typ.__name__)
            return True
        return False


with _Ctx():
    import tw_in_with                     # expect: eager

with _Ctx():
    from tw_in_with_from import WITH_FROM     # expect: eager

with _Suppress():
    import tw_missing_in_with             # expect: eager

try:
    if True:
        import tw_nested_in_try           # expect: eager
except ImportError:
    pass

if True:
    try:
        import tw_in_if_try               # expect: eager
    except ImportError:
        pass


def uses():
    return (tw_control.VALUE, tw_in_try.VALUE, tw_in_except.VALUE, tw_in_finally.VALUE,
            tw_in_with.VALUE, tw_nested_in_try.VALUE, tw_in_if_try.VALUE)
