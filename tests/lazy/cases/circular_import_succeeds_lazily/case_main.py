# lazyc: --policy all
"""Two modules that from-import each other's names: eagerly the cycle fails with
ImportError ("partially initialized module"); with lazy imports (--policy all) both
modules finish importing and each sees the other's value at first use.
"""
import os
import sys

LAZY = os.environ.get("LAZYC_EXPECT") == "lazy"


def main():
    if LAZY:
        import circ_a
        assert "circ_b" not in sys.modules
        assert circ_a.A_VALUE == "a"
        assert circ_a.get_b() == "b"
        import circ_b
        assert circ_b.get_a() == "a"
        assert circ_a.get_b() == "b"
    else:
        try:
            import circ_a   # noqa: F401
        except ImportError as e:
            assert "circ_a" in str(e) and "A_VALUE" in str(e), str(e)
            assert "circ_a" not in sys.modules
        else:
            raise AssertionError("the eager circular import did not fail")
    print("OK")


if __name__ == "__main__":
    main()
