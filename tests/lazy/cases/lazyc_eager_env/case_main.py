# lazyc-env: LAZYC_EAGER=1
# lazyc-skip-rewritten: 3.15 LAZYC_EAGER does not apply to PEP 810's native lazy imports
"""LAZYC_EAGER=1 makes every rewritten import eager (3.8-3.14): imports that are lazy by
policy are loaded right after the module is imported, in both modes.  When
rewritten, the runtime module is in use (so the imports really were rewritten).
"""
import os
import sys

LAZY = os.environ.get("LAZYC_EXPECT") == "lazy"


def main():
    assert os.environ.get("LAZYC_EAGER") == "1"
    import env_mod
    for n in ("env_heavy_a", "env_heavy_b", "env_heavy_c"):
        assert n in sys.modules, "%s: LAZYC_EAGER=1 must make it eager" % n
    if LAZY:
        assert "_lazyc_runtime" in sys.modules, "the rewritten module did not use the runtime"
    assert env_mod.uses() == ("a", "b", "c")
    print("OK")


if __name__ == "__main__":
    main()
