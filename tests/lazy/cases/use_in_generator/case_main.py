"""First use inside a generator, generator expression, coroutine and `yield from` loads the module.

Creating the generator/coroutine object loads nothing; the module loads when
the frame first executes the read.
"""
import os
import sys

LAZY = os.environ.get("LAZYC_EXPECT") == "lazy"
LAZY_ONES = ["gen_heavy_body", "gen_heavy_expr", "gen_heavy_coro", "gen_heavy_yf", "gen_heavy_async"]


def expect_only(loaded, when):
    for n in LAZY_ONES:
        want = (n in loaded) or not LAZY
        assert (n in sys.modules) == want, "%s: %s should%s be loaded" % (when, n, "" if want else " NOT")


def run_coro(c):
    try:
        c.send(None)
    except StopIteration as e:
        return e.value
    raise AssertionError("coroutine did not finish")


def main():
    import gen_mod as m
    expect_only([], "after import gen_mod")

    g = m.gen()
    assert next(g) == 1
    expect_only([], "after the first next()")
    assert next(g) == "body"
    expect_only(["gen_heavy_body"], "after the second next()")
    assert list(g) == [3]

    ge = m.gen_expr()
    expect_only(["gen_heavy_body"], "after creating the genexp")
    assert list(ge) == [0, 2, 4]
    expect_only(["gen_heavy_body", "gen_heavy_expr"], "after consuming the genexp")

    c = m.coro()
    expect_only(["gen_heavy_body", "gen_heavy_expr"], "after creating the coroutine")
    assert run_coro(c) == "coro"
    expect_only(["gen_heavy_body", "gen_heavy_expr", "gen_heavy_coro"], "after running the coroutine")

    d = m.delegating()
    expect_only(["gen_heavy_body", "gen_heavy_expr", "gen_heavy_coro"], "after creating the delegator")
    assert list(d) == ["y1", "y2"]
    expect_only(["gen_heavy_body", "gen_heavy_expr", "gen_heavy_coro", "gen_heavy_yf"], "after yield from")

    ag = m.agen().__aiter__()
    assert run_coro(ag.__anext__()) == "async"
    expect_only(LAZY_ONES, "after the async generator")
    print("OK")


if __name__ == "__main__":
    main()
