"""Process-wide lazy imports with importlib.util.LazyLoader: the baseline
that tools/bench measures lazyc against.

Put this folder first on PYTHONPATH; `site` imports this module at start-up
and every import after that is lazy where LazyLoader allows it.  This is the
approach of Mercurial's Python 3 demandimport (hgdemandimport/
demandimportpy3.py), written here from its description, not copied: every
finder on sys.meta_path is wrapped, and a spec whose loader executes Python
code (source or sourceless file loaders) gets that loader wrapped in a
LazyLoader.  The module object is created and put in sys.modules at once
(the spec is found eagerly, so a missing module still fails at the import
statement); its body runs on the first attribute access.

What LazyLoader cannot defer, by design: built-in, frozen and extension
modules; `from m import name` (the fromlist reads an attribute of m);
packages whose submodule is imported (the import system reads
`package.__path__`); modules already imported before this file ran (os,
site, codecs, ... everything start-up needs).

Controls:
  LAZYLOADER_DISABLE=1    do nothing (kill switch, like HGDEMANDIMPORT=disable)
  LAZYLOADER_REPORT=FILE  at exit, append "<modules in sys.modules> <still lazy>"
                          to FILE (tools/bench counts executed modules with it)
"""
import os
import sys

IGNORE = frozenset((
    # Mercurial's ignore list (modules that must load eagerly), the entries
    # that apply to Python 3 and are Python code.
    "__future__", "__main__", "builtins", "_hashlib", "_ssl", "_sre", "_ast",
    "_winreg", "fcntl", "grp", "nt", "pwd", "resource", "lzma", "gtk",
    "distutils.msvc9compiler", "win32com.shell", "sqlalchemy.events",
    "sqlalchemy.dialects", "urwid.command_map",
    # Import hooks and start-up helpers that must run when imported.
    "sitecustomize", "usercustomize", "_distutils_hack", "pkg_resources",
    "setuptools", "readline", "rlcompleter", "pyximport",
))


def _install():
    import importlib.machinery
    import importlib.util
    # LazyLoader itself imports threading on first use (3.12+: a lock per lazy
    # module); loaded lazily through this hook, it would need itself.
    import threading  # noqa: F401

    lazy_loaders = (importlib.machinery.SourceFileLoader,
                    importlib.machinery.SourcelessFileLoader)

    class _Loader(importlib.util.LazyLoader):
        def exec_module(self, module):
            if module.__name__ in IGNORE:
                self.loader.exec_module(module)
            else:
                super().exec_module(module)

        def __getattr__(self, name):
            # get_code (runpy, -m), get_data/get_resource_reader (resources),
            # get_source (linecache, tracebacks), is_package ...
            return getattr(self.loader, name)

    class _Finder:
        __slots__ = ("_finder",)

        def __init__(self, finder):
            self._finder = finder

        def find_spec(self, fullname, path=None, target=None):
            find = getattr(self._finder, "find_spec", None)
            if find is None:
                return None
            spec = find(fullname, path, target)
            if (spec is not None and type(spec.loader) in lazy_loaders
                    and fullname not in IGNORE):
                spec.loader = _Loader(spec.loader)
            return spec

        def __getattr__(self, name):
            return getattr(self._finder, name)

        def invalidate_caches(self):
            f = getattr(self._finder, "invalidate_caches", None)
            if f is not None:
                f()

    sys.meta_path[:] = [f if isinstance(f, _Finder) else _Finder(f) for f in sys.meta_path]


def _report(path):
    import atexit

    def write():
        n = lazy = 0
        for mod in list(sys.modules.values()):
            n += 1
            if type(mod).__name__ == "_LazyModule":
                lazy += 1
        with open(path, "a") as f:
            f.write("%d %d\n" % (n, lazy))

    atexit.register(write)


if os.environ.get("LAZYLOADER_DISABLE") != "1":
    _install()
    if os.environ.get("LAZYLOADER_REPORT"):
        _report(os.environ["LAZYLOADER_REPORT"])
