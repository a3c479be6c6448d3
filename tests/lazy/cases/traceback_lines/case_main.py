"""Tracebacks and line events of code that uses a lazy name equal the eager ones.

Expected line numbers come from `# L:` markers in the sources, so both modes
compare against the same in-process expectation.  Checked: the frames
(file, function, line number, source text) of an exception raised in a function
that uses a lazy name, on the first call (which resolves the name) and later;
an exception raised inside the lazily imported module, from a function whose
first line is that first use; the 'line' events and the 'return' line that
sys.settrace sees for a function after its first use.
"""
import os
import sys
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))


def markers(filename):
    out = {}
    with open(os.path.join(HERE, filename)) as f:
        for i, line in enumerate(f, 1):
            if "# L:" in line:
                out[line.split("# L:")[1].strip()] = (i, line.strip())
    return out


TB = markers("tb_mod.py")
HEAVY = markers("tb_heavy2.py")
ME = markers("case_main.py")


def frames_of(exc):
    return [(os.path.basename(f.filename), f.name, f.lineno, f.line)
            for f in traceback.extract_tb(exc.__traceback__)]


def call_fail():
    try:
        import tb_mod
        tb_mod.fail(1)                                        # L:call-fail
    except ValueError as e:
        return e
    raise AssertionError("no ValueError")


def call_deep():
    try:
        import tb_mod
        tb_mod.deep()                                         # L:call-deep
    except KeyError as e:
        return e
    raise AssertionError("no KeyError")


def main():
    import tb_mod
    for n in ("tb_heavy", "tb_heavy2"):
        assert (n in sys.modules) == (os.environ.get("LAZYC_EXPECT") != "lazy"), n
    want_fail = [("case_main.py", "call_fail") + ME["call-fail"],
                 ("tb_mod.py", "fail") + TB["fail-raise"]]
    for attempt in (1, 2, 3):
        e = call_fail()
        assert e.args == (43,), e.args
        got = frames_of(e)
        assert got == want_fail, "call %d:\n got %s\nwant %s" % (attempt, got, want_fail)

    want_deep = [("case_main.py", "call_deep") + ME["call-deep"],
                 ("tb_mod.py", "deep") + TB["deep-call"],
                 ("tb_heavy2.py", "explode") + HEAVY["explode-raise"]]
    for attempt in (1, 2):
        got = frames_of(call_deep())
        assert got == want_deep, "deep call %d:\n got %s\nwant %s" % (attempt, got, want_deep)

    assert tb_mod.traced(5) == 46                             # first use happens here
    events = []
    code = tb_mod.traced.__code__

    def tracer(frame, event, arg):
        if frame.f_code is code:
            if event in ("line", "return"):
                events.append((event, frame.f_lineno))
            return tracer
        return None

    sys.settrace(tracer)
    try:
        result = tb_mod.traced(5)
    finally:
        sys.settrace(None)
    assert result == 46
    want = [("line", TB[k][0]) for k in ("t1", "t2", "t3", "t4", "t5")] + [("return", TB["t5"][0])]
    assert events == want, "\n got %s\nwant %s" % (events, want)
    print("OK")


if __name__ == "__main__":
    main()
