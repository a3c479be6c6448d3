"""An exception raised while the imported module runs propagates with its own type and
message: eagerly from the import statement, rewritten from the first use.  A cause set
by the module itself (`raise X from Y`) is kept; a missing name of a from-import is an
ImportError "cannot import name"; the traceback ends at the module's own raise line;
a failed module is not left in sys.modules and the next use retries it (it runs again).
"""
import importlib
import os
import sys
import traceback

LAZY = os.environ.get("LAZYC_EXPECT") == "lazy"


def trigger(user_module):
    """Eager: importing the user module raises.  Lazy: importing works, use() raises."""
    if LAZY:
        mod = importlib.import_module(user_module)
        return mod.use
    return lambda: importlib.import_module(user_module).use()


def catch(fn, typ):
    try:
        fn()
    except typ as e:
        return e
    raise AssertionError("no %s" % typ.__name__)


def main():
    # A module that raises ValueError until it is "fixed".
    e = catch(trigger("boom_user_a"), ValueError)
    assert type(e) is ValueError and str(e) == "boom: value error", repr(e)
    last = traceback.extract_tb(e.__traceback__)[-1]
    assert os.path.basename(last.filename) == "boom_value_error.py", last
    assert last.line == 'raise ValueError("boom: value error")', last
    if LAZY:
        assert e.__cause__ is None or isinstance(e.__cause__, ImportError), repr(e.__cause__)
        e2 = catch(trigger("boom_user_a"), ValueError)            # retried: the module runs again
        assert str(e2) == "boom: value error"
    assert "boom_value_error" not in sys.modules
    runs = len(sys._lazyc_case_boom_runs)
    assert runs == (2 if LAZY else 1), sys._lazyc_case_boom_runs
    sys._lazyc_case_boom_fixed = True
    if LAZY:
        import boom_user_a
        assert boom_user_a.use() == "fixed"
    else:
        assert importlib.import_module("boom_user_a").use() == "fixed"
    assert len(sys._lazyc_case_boom_runs) == runs + 1

    # A module whose exception has its own cause.
    e = catch(trigger("boom_user_b"), RuntimeError)
    assert str(e) == "boom: with cause"
    assert type(e.__cause__) is KeyError, repr(e.__cause__)

    # A from-import of a name the module does not define.
    e = catch(trigger("boom_user_c"), ImportError)
    assert type(e) is ImportError, repr(e)
    assert "cannot import name" in str(e) and "not_defined_here" in str(e), str(e)
    assert "boom_names" in sys.modules           # the module itself imported fine
    print("OK")


if __name__ == "__main__":
    main()
