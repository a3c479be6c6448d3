"""Runtime controls.  A filter installed before the modules are imported decides per
statement: it is called as (importer, resolved_name, fromlist_or_None) and a False
result keeps that import eager.  3.8-3.14: _lazyc_runtime.set_filter / get_filter /
lazy_modules / pending / resolve_all / set_eager; 3.15: sys.set_lazy_imports_filter,
sys.get_lazy_imports_filter, sys.lazy_modules (pending/resolve_all/set_eager have
no 3.15 equivalent and are not checked there).  Eagerly: everything is loaded.
"""
import os
import sys

LAZY = os.environ.get("LAZYC_EXPECT") == "lazy"
NATIVE = sys.version_info >= (3, 15)
CALLS = []


def lazy_filter(importer, name, fromlist):
    if importer.startswith("flt_"):
        CALLS.append((importer, name, None if fromlist is None else tuple(fromlist)))
    return name != "flt_heavy_b"


def main():
    if not LAZY:
        import flt_mod
        for n in ("flt_heavy_a", "flt_heavy_b", "flt_heavy_c"):
            assert n in sys.modules, n
        assert flt_mod.uses() == ("a", "b", "c")
        print("OK")
        return

    if NATIVE:
        sys.set_lazy_imports_filter(lazy_filter)
        assert sys.get_lazy_imports_filter() is lazy_filter
        rt = None
    else:
        import _lazyc_runtime as rt
        rt.set_filter(lazy_filter)
        assert rt.get_filter() is lazy_filter

    import flt_mod
    assert "flt_heavy_a" not in sys.modules
    assert "flt_heavy_b" in sys.modules, "the filter returned False: eager"
    assert "flt_heavy_c" not in sys.modules
    assert CALLS == [("flt_mod", "flt_heavy_a", None), ("flt_mod", "flt_heavy_b", None),
                     ("flt_mod", "flt_heavy_c", ("C",))], CALLS
    names = set(sys.lazy_modules) if NATIVE else set(rt.lazy_modules())
    assert {"flt_heavy_a", "flt_heavy_c"} <= names, names
    assert "flt_heavy_b" not in names, names

    assert flt_mod.use_a() == "a"
    assert "flt_heavy_a" in sys.modules and "flt_heavy_c" not in sys.modules

    if NATIVE:
        assert flt_mod.use_c() == "c"
    else:
        assert rt.pending(), "flt_heavy_c is pending"
        rt.resolve_all()
        assert "flt_heavy_c" in sys.modules, "resolve_all() resolves every pending import"
        assert not rt.pending(), rt.pending()

        rt.set_eager(True)
        import flt_mod2
        assert "flt_heavy_d" in sys.modules, "set_eager(True): new imports are eager"
        rt.set_eager(False)
        import flt_mod3
        assert "flt_heavy_e" not in sys.modules, "set_eager(False): lazy again"
        assert ("flt_mod3", "flt_heavy_e", None) in CALLS, CALLS
        assert flt_mod2.use() == "d" and flt_mod3.use() == "e"

    if NATIVE:
        sys.set_lazy_imports_filter(None)
        assert sys.get_lazy_imports_filter() is None
    else:
        rt.set_filter(None)
        assert rt.get_filter() is None
    import flt_mod4
    assert "flt_heavy_f" not in sys.modules, "no filter: lazy"
    assert flt_mod4.use() == "f"
    assert flt_mod.uses() == ("a", "b", "c")
    print("OK")


if __name__ == "__main__":
    main()
