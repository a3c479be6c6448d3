"""First use inside exception handling: `except` body, `except X:` clause expression,
`finally`, `else`, a `with` body, and a handler that raises.

Besides loading at first use, the exception state must be exactly the eager
one: the exception seen by a handler has no spurious __context__, and an
exception raised in a handler chains to the handled one (never to a NameError
from the lazy machinery).
"""
import os
import sys

LAZY = os.environ.get("LAZYC_EXPECT") == "lazy"
LAZY_ONES = ["exc_heavy_handler", "exc_heavy_match", "exc_heavy_ctx", "exc_heavy_finally",
             "exc_heavy_else", "exc_heavy_with"]


def expect_only(loaded, when):
    for n in LAZY_ONES:
        want = (n in loaded) or not LAZY
        assert (n in sys.modules) == want, "%s: %s should%s be loaded" % (when, n, "" if want else " NOT")


def main():
    import exc_mod as m
    expect_only([], "after import exc_mod")
    done = []

    assert m.in_handler() == ("handler", "KeyError", None)
    done.append("exc_heavy_handler")
    expect_only(done, "after in_handler()")

    kind, exc = m.match_clause()
    assert kind == "value", kind
    assert type(exc) is ValueError and exc.__context__ is None, repr(exc.__context__)
    done.append("exc_heavy_match")
    expect_only(done, "after match_clause()")
    assert m.match_clause()[0] == "value"
    assert m.match_special()[0] == "special"

    try:
        m.raise_in_handler()
    except RuntimeError as e:
        assert str(e) == "ctx message"
        assert type(e.__context__) is KeyError, repr(e.__context__)
        assert e.__context__.__context__ is None, repr(e.__context__.__context__)
        assert e.__cause__ is None
    else:
        raise AssertionError("raise_in_handler() did not raise")
    done.append("exc_heavy_ctx")
    expect_only(done, "after raise_in_handler()")

    assert m.in_finally() == 1 and m.RECORD == ["finally"]
    done.append("exc_heavy_finally")
    expect_only(done, "after in_finally()")

    assert m.in_else() == "else"
    done.append("exc_heavy_else")
    expect_only(done, "after in_else()")

    assert m.in_with() == "with"
    assert m.Ctx.log == ["enter", "exit"]
    done.append("exc_heavy_with")
    expect_only(done, "after in_with()")
    assert sys.exc_info()[0] is None
    print("OK")


if __name__ == "__main__":
    main()
