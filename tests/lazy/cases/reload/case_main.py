"""importlib.reload of a rewritten module: the body runs again, its imports are pending
again (nothing new is loaded), a use after the reload resolves to the module object
already in sys.modules (the imported module's body does not run again), and outside
attribute access works after every reload.
"""
import importlib
import os
import sys

LAZY = os.environ.get("LAZYC_EXPECT") == "lazy"


def main():
    import rl_mod
    assert sys._lazyc_reload_runs == ["rl_mod"]
    assert ("rl_heavy" in sys.modules) == (not LAZY)
    again = importlib.reload(rl_mod)
    assert again is rl_mod
    assert sys._lazyc_reload_runs == ["rl_mod"] * 2
    assert ("rl_heavy" in sys.modules) == (not LAZY)

    heavy = rl_mod.get()
    assert heavy is sys.modules["rl_heavy"]
    assert rl_mod.get_from() == "from value"
    importlib.reload(rl_mod)
    assert sys._lazyc_reload_runs == ["rl_mod"] * 3
    assert rl_mod.get() is heavy
    assert rl_mod.rl_heavy is heavy
    importlib.reload(rl_mod)
    assert rl_mod.rl_heavy is heavy                 # outside access first this time
    assert rl_mod.get_from() == "from value"
    assert sys._lazyc_heavy_runs == ["rl_heavy"], sys._lazyc_heavy_runs

    importlib.reload(heavy)                         # the imported module itself
    assert sys._lazyc_heavy_runs == ["rl_heavy"] * 2
    assert rl_mod.get() is heavy
    print("OK")


if __name__ == "__main__":
    main()
