"""Tests of rewriter/runtime/_lazyc_runtime.py, the module rewritten 3.8-3.14 code calls.

Run with any CPython 3.8-3.14: `python tests/runtime/test_runtime.py` (run_all.sh runs
every version).  The modules under test are real .py files written to a temporary
directory; their source spells out what the rewriter emits: the prologue
`__lazyc__ = attach(flags)`, `__lazyc__[lineno] = spec` per lazy statement, and for
each use the guard's behaviour (`try: name` / `except NameError: __lazyc__.name`).

What this proves: the runtime's side of the contract (recording, resolution,
errors, controls, thread safety) on each interpreter.  What it does not: that the
C pass emits these calls, nor the guard's 3.11+ exception-table form, where the
NameError is dropped before the handle is asked (sys.exc_info() is then empty,
which the runtime ignores on 3.11+ anyway).
"""
import builtins
import importlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import unittest

sys.dont_write_bytecode = True      # keep __pycache__ out of the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
RUNTIME_DIR = os.path.normpath(os.path.join(HERE, '..', '..', 'rewriter', 'runtime'))
sys.path.insert(0, RUNTIME_DIR)
import _lazyc_runtime as rt         # noqa: E402

PRE311 = sys.version_info < (3, 11)


def prologue(flags=0, source='_lazyc_runtime'):
    """Lines 1-3 of every test module, as the rewriter's prologue would run."""
    return 'from %s import attach as _a\n__lazyc__ = _a(%d)\ndel _a\n' % (source, flags)


def guard(name):
    """A function reading `name` the way a guarded LOAD_GLOBAL does."""
    return ('def use_%s():\n    try:\n        return %s\n'
            '    except NameError:\n        return __lazyc__.%s\n' % (name, name, name))


def guard_del(name):
    """A function doing `del name` the way a guarded DELETE_GLOBAL does."""
    return ('def drop_%s():\n    global %s\n    try:\n        del %s\n'
            '    except NameError:\n        del __lazyc__.%s\n' % (name, name, name, name))


LOG = 'events = []\n'
RECORDED = 'import {p}_log\n{p}_log.events.append(__name__)\n'


class RuntimeTest(unittest.TestCase):
    counter = 0

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix='lazyc-runtime-')
        sys.path.insert(0, cls.tmp)

    @classmethod
    def tearDownClass(cls):
        sys.path.remove(cls.tmp)
        shutil.rmtree(cls.tmp)

    def setUp(self):
        RuntimeTest.counter += 1
        self.p = 'lzt%d' % RuntimeTest.counter     # every test gets fresh module names
        self.modules_before = set(sys.modules)
        self.path_before = list(sys.path)

    def tearDown(self):
        rt.set_filter(None)
        rt.set_eager(False)
        rt._state.attached.clear()      # tests leave pending names behind on purpose
        for name in set(sys.modules) - self.modules_before:
            del sys.modules[name]
        sys.path[:] = self.path_before

    def write(self, files, root=None):
        for rel, text in files.items():
            path = os.path.join(root or self.tmp, *rel.replace('{p}', self.p).split('/'))
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, 'w') as f:
                f.write(text.replace('{p}', self.p))
        importlib.invalidate_caches()

    def imp(self, name):
        return importlib.import_module(name.replace('{p}', self.p))

    def n(self, name):
        return name.replace('{p}', self.p)

    def loaded(self, name):
        return self.n(name) in sys.modules

    def events(self):
        return self.imp('{p}_log').events

    def simple(self, flags=0, extra=''):
        """{p}_m: `import {p}_target as target` (lazy), a use and a del function."""
        self.write({
            '{p}_log.py': LOG,
            '{p}_target.py': RECORDED + 'VALUE = 1\n',
            '{p}_m.py': prologue(flags)
            + "__lazyc__[4] = ('{p}_target', 0, None, (('target', ''),))\n"
            + guard('target') + guard_del('target') + extra,
        })
        return self.imp('{p}_m')

    # -- recording ------------------------------------------------------------

    def test_unused_pending_name_is_never_imported(self):
        m = self.simple()
        self.assertFalse(self.loaded('{p}_target'))
        self.assertNotIn('target', vars(m))
        self.assertIn(self.n('{p}_target'), rt.lazy_modules())
        self.assertIn((self.n('{p}_m'), 'target', self.n('{p}_target'), m.__file__, 4),
                      rt.pending())
        self.assertFalse(hasattr(m, '__path__'))    # importlib's probe loads nothing
        self.assertFalse(self.loaded('{p}_target'))

    def test_statement_removes_current_binding(self):
        self.write({'{p}_target.py': '', '{p}_m.py': prologue() + "target = 'old'\n"
                    "__lazyc__[5] = ('{p}_target', 0, None, (('target', ''),))\n"})
        m = self.imp('{p}_m')
        self.assertNotIn('target', vars(m))
        self.assertIs(m.target, sys.modules[self.n('{p}_target')])

    def test_already_loaded_binds_at_once(self):
        self.write({'{p}_m.py': prologue()
                    + "__lazyc__[4] = ('json', 0, None, (('json', ''),))\n"
                    + "__lazyc__[5] = ('json', 0, ('dumps',), (('dumps', 'dumps'),))\n"})
        m = self.imp('{p}_m')
        self.assertIs(vars(m)['json'], json)
        self.assertIs(vars(m)['dumps'], json.dumps)
        self.assertEqual(rt.pending(), [])
        self.assertNotIn('__getattr__', vars(m))

    # -- uses inside the module (the guard) ---------------------------------------

    def test_guard_resolves_binds_and_forgets(self):
        m = self.simple()
        target = m.use_target()
        self.assertIs(target, sys.modules[self.n('{p}_target')])
        self.assertIs(vars(m)['target'], target)
        self.assertEqual(rt.pending(), [])
        self.assertEqual(self.events(), [self.n('{p}_target')])
        self.assertIs(m.use_target(), target)   # now a plain global
        self.assertNotIn('__getattr__', vars(m))
        self.assertNotIn('__dir__', vars(m))

    def test_handle_is_opaque_to_introspection(self):
        # attach(flags, names): the handle answers only the module's lazy
        # names; probes such as getattr(handle, '_is_coroutine', None) from
        # mock specs and inspect get AttributeError (dir() lists __lazyc__).
        g = {'__name__': self.p + '_probe'}
        exec('from _lazyc_runtime import attach as _a\n'
             '__lazyc__ = _a(0, ("json",))\n', g)
        handle = g['__lazyc__']
        self.assertIsNone(getattr(handle, '_is_coroutine', None))
        self.assertFalse(hasattr(handle, 'anything'))
        with self.assertRaises(AttributeError):
            del handle.other
        with self.assertRaises(NameError):
            handle.json       # a lazy name that is not pending: NameError, as eagerly

    def test_name_not_pending_raises_name_error(self):
        m = self.simple()
        with self.assertRaises(NameError) as cm:
            m.__lazyc__.nope
        self.assertEqual(str(cm.exception), "name 'nope' is not defined")
        if sys.version_info >= (3, 10):
            self.assertEqual(cm.exception.name, 'nope')
        with self.assertRaises(NameError):
            del m.__lazyc__.nope
        with self.assertRaises(AttributeError):     # dunder probes are not lazy names
            m.__lazyc__.__deepcopy__
        self.assertFalse(self.loaded('{p}_target'))

    def test_del_before_use_imports_nothing(self):
        m = self.simple()
        m.drop_target()
        self.assertEqual(rt.pending(), [])
        self.assertFalse(self.loaded('{p}_target'))
        with self.assertRaises(NameError):
            m.use_target()
        with self.assertRaises(NameError):
            m.drop_target()
        self.assertNotIn('__getattr__', vars(m))

    @unittest.skipUnless(PRE311, 'the guard runs inside an exception block only on 3.8-3.10')
    def test_pre311_original_exception_is_reraised(self):
        m = self.simple()
        h = m.__lazyc__
        try:
            raise NameError("name 'nope' is not defined")
        except NameError as original:
            with self.assertRaises(NameError) as cm:
                h.nope
            self.assertIs(cm.exception, original)
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as original:
            with self.assertRaises(KeyboardInterrupt) as cm:
                h.target
            self.assertIs(cm.exception, original)
            with self.assertRaises(KeyboardInterrupt):
                del h.target
        self.assertFalse(self.loaded('{p}_target'))
        self.assertEqual(len(rt.pending()), 1)
        try:
            raise NameError("name 'target' is not defined")
        except NameError:
            self.assertIs(h.target, sys.modules[self.n('{p}_target')])

    @unittest.skipIf(PRE311, '3.8-3.10 honour the exception being handled')
    def test_311_ignores_exception_being_handled(self):
        m = self.simple()
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt:
            self.assertIs(m.__lazyc__.target, sys.modules[self.n('{p}_target')])

    # -- uses from outside ---------------------------------------------------------

    def test_outside_access(self):
        self.write({'{p}_log.py': LOG, '{p}_m.py': prologue() + ''.join(
            "__lazyc__[%d] = ('{p}_%s', 0, None, (('%s', ''),))\n" % (4 + i, n, n)
            for i, n in enumerate('abcd'))})
        for n in 'abcd':
            self.write({'{p}_%s.py' % n: RECORDED})
        m = self.imp('{p}_m')
        self.assertIs(m.a, sys.modules[self.n('{p}_a')])
        self.assertIs(getattr(m, 'b'), sys.modules[self.n('{p}_b')])
        self.assertTrue(hasattr(m, 'c'))
        ns = {}
        exec(self.n('from {p}_m import d'), ns)
        self.assertIs(ns['d'], sys.modules[self.n('{p}_d')])
        self.assertEqual(sorted(self.events()), [self.n('{p}_' + n) for n in 'abcd'])
        self.assertEqual({n: vars(m)[n].__name__ for n in 'abcd'},
                         {n: self.n('{p}_' + n) for n in 'abcd'})
        with self.assertRaises(AttributeError) as cm:
            m.missing
        self.assertEqual(str(cm.exception), "module %r has no attribute 'missing'" % m.__name__)

    def test_dir_lists_pending_without_loading(self):
        m = self.simple()
        names = dir(m)
        self.assertIn('target', names)
        self.assertIn('use_target', names)
        for hidden in ('__lazyc__', '__getattr__', '__dir__'):
            self.assertNotIn(hidden, names)
        self.assertEqual(names, sorted(names))
        self.assertFalse(self.loaded('{p}_target'))

    def test_own_getattr_and_dir_are_chained_then_restored(self):
        m = self.simple(flags=3, extra=(
            'def __lazyc_getattr__(name):\n'
            "    if name == 'magic':\n        return 42\n"
            '    raise AttributeError(name)\n'
            "def __lazyc_dir__():\n    return ['magic', 'explicit']\n"))
        self.assertEqual(m.magic, 42)
        self.assertFalse(self.loaded('{p}_target'))
        self.assertEqual(dir(m), ['explicit', 'magic', 'target'])
        self.assertIs(m.target, sys.modules[self.n('{p}_target')])
        self.assertIs(vars(m)['__getattr__'], m.__lazyc_getattr__)
        self.assertIs(vars(m)['__dir__'], m.__lazyc_dir__)
        self.assertEqual(m.magic, 42)
        self.assertEqual(dir(m), ['explicit', 'magic'])

    def test_own_getattr_defined_after_last_resolution(self):
        # flags say the module has its own __getattr__, but everything resolved
        # before its def ran: ours must stay and forward until then.
        m = self.simple(flags=1, extra=(
            'try:\n    early = target\nexcept NameError:\n    early = __lazyc__.target\n'
            "def __lazyc_getattr__(name):\n    return 'own:' + name\n"))
        self.assertIsNot(vars(m)['__getattr__'], m.__lazyc_getattr__)
        self.assertNotIn('__dir__', vars(m))
        self.assertEqual(m.anything, 'own:anything')
        self.assertIs(vars(m)['__getattr__'], m.__lazyc_getattr__)

    def test_star_import_without_all_sees_pending_names(self):
        m = self.simple(extra='_private = 1\nplain = 2\n')
        ns = {}
        exec(self.n('from {p}_m import *'), ns)
        self.assertIs(ns['target'], sys.modules[self.n('{p}_target')])
        self.assertEqual(ns['plain'], 2)
        self.assertNotIn('_private', ns)
        self.assertEqual(rt.pending(), [])
        self.assertNotIn('__getattr__', vars(m))

    def test_star_import_with_all(self):
        self.simple(extra="plain = 2\n__all__ = ['target']\n")
        ns = {}
        exec(self.n('from {p}_m import *'), ns)
        self.assertEqual(sorted(k for k in ns if k != '__builtins__'), ['target'])

    # -- what resolution imports ---------------------------------------------------

    def pkg(self):
        self.write({
            '{p}_log.py': LOG,
            '{p}pkg/__init__.py': RECORDED,
            '{p}pkg/b.py': RECORDED + 'X = "b"\n',
            '{p}pkg/c.py': RECORDED + 'X = "c"\n',
            '{p}pkg/sub/__init__.py': RECORDED,
            '{p}pkg/sub/leaf.py': RECORDED + 'X = "leaf"\n',
        })

    def test_merged_plain_imports(self):
        self.pkg()
        self.write({'{p}_m.py': prologue()
                    + "__lazyc__[4] = ('{p}pkg.b', 0, None, (('{p}pkg', ''),))\n"
                    + "__lazyc__[5] = ('{p}pkg.c', 0, None, (('{p}pkg', ''),))\n"
                    + guard('{p}pkg')})
        m = self.imp('{p}_m')
        self.assertEqual([r[2:] for r in rt.pending()],
                         [(self.n('{p}pkg.b'), m.__file__, 4),
                          (self.n('{p}pkg.c'), m.__file__, 5)])
        self.assertEqual(self.events(), [])
        pkg = getattr(m, 'use_' + self.p + 'pkg')()
        self.assertIs(pkg, sys.modules[self.n('{p}pkg')])
        self.assertEqual((pkg.b.X, pkg.c.X), ('b', 'c'))
        self.assertEqual(self.events(), [self.n(n) for n in ('{p}pkg', '{p}pkg.b', '{p}pkg.c')])

    def test_import_dotted_as(self):
        self.pkg()
        self.write({'{p}_m.py': prologue()
                    + "__lazyc__[4] = ('{p}pkg.sub.leaf', 0, None, (('d', 'sub.leaf'),))\n"})
        m = self.imp('{p}_m')
        self.assertIs(m.d, sys.modules[self.n('{p}pkg.sub.leaf')])
        self.assertEqual(m.d.X, 'leaf')

    def test_from_import_loads_only_its_own_submodule(self):
        self.pkg()
        self.write({'{p}_m.py': prologue()
                    + "__lazyc__[4] = ('{p}pkg', 0, ('b', 'c'), (('b', 'b'), ('cc', 'c')))\n"})
        m = self.imp('{p}_m')
        self.assertEqual(m.b.X, 'b')
        self.assertTrue(self.loaded('{p}pkg.b'))
        self.assertFalse(self.loaded('{p}pkg.c'))
        self.assertEqual([r[1:3] for r in rt.pending()], [('cc', self.n('{p}pkg.c'))])
        self.assertEqual(m.cc.X, 'c')

    def test_relative_imports(self):
        self.pkg()
        calls = []
        rt.set_filter(lambda *args: calls.append(args) or True)
        self.write({'{p}pkg/sub/rel.py': prologue()
                    + "__lazyc__[4] = ('', 1, ('leaf',), (('leaf', 'leaf'),))\n"
                    + "__lazyc__[5] = ('b', 2, ('X',), (('bx', 'X'),))\n"
                    + "__lazyc__[6] = ('', 2, ('c',), (('c', 'c'),))\n"})
        m = self.imp('{p}pkg.sub.rel')
        importer = self.n('{p}pkg.sub.rel')
        self.assertEqual(calls, [(importer, self.n('{p}pkg.sub'), ('leaf',)),
                                 (importer, self.n('{p}pkg.b'), ('X',)),
                                 (importer, self.n('{p}pkg'), ('c',))])
        self.assertEqual(rt.lazy_modules(),
                         {self.n('{p}pkg.sub'), self.n('{p}pkg.b'), self.n('{p}pkg')})
        self.assertEqual(m.leaf.X, 'leaf')
        self.assertEqual(m.bx, 'b')
        self.assertFalse(self.loaded('{p}pkg.c'))
        self.assertEqual(m.c.X, 'c')

    def test_relative_import_beyond_top_is_eager_error(self):
        self.write({'{p}_m.py': prologue() + "__lazyc__[4] = ('x', 3, ('y',), (('y', 'y'),))\n"})
        with self.assertRaises(ImportError):
            self.imp('{p}_m')

    def test_from_dot_import_in_package_init(self):
        # importlib asks hasattr(pkg, 'sub') while resolving pkg's own pending 'sub'
        self.write({'{p}re/__init__.py': prologue()
                    + "__lazyc__[4] = ('', 1, ('sub',), (('sub', 'sub'),))\n"
                    + "__lazyc__[5] = ('sub', 1, ('f',), (('f', 'f'),))\n" + guard('sub'),
                    '{p}re/sub.py': 'def f():\n    return 1\n'})
        pkg = self.imp('{p}re')
        self.assertFalse(self.loaded('{p}re.sub'))
        self.assertIs(pkg.use_sub(), sys.modules[self.n('{p}re.sub')])
        self.assertEqual(pkg.f(), 1)

    def test_package_attribute_is_not_clobbered(self):
        # eagerly `from .bar import Bar` ran first and `bar = "x"` then replaced
        # the submodule importlib had set; resolving later must keep "x"
        self.write({'{p}cl/__init__.py': prologue()
                    + "__lazyc__[4] = ('bar', 1, ('Bar',), (('Bar', 'Bar'),))\n"
                    + "bar = 'x'\n",
                    '{p}cl/bar.py': 'class Bar:\n    pass\n'})
        pkg = self.imp('{p}cl')
        self.assertEqual(pkg.Bar.__name__, 'Bar')
        self.assertEqual(pkg.bar, 'x')

    def test_module_builtins_import_is_used(self):
        self.write({'{p}_target.py': ''})
        seen = []

        def hook(name, *args):
            seen.append((name,) + args[2:])
            return builtins.__import__(name, *args)
        g = {'__name__': self.n('{p}_exec'),
             '__builtins__': dict(vars(builtins), __import__=hook)}
        exec(prologue() + self.n("__lazyc__[4] = ('{p}_target', 0, None, (('t', ''),))\n")
             + guard('t'), g)
        self.assertEqual(seen, [('_lazyc_runtime', ('attach',), 0)])
        self.assertIs(g['use_t'](), sys.modules[self.n('{p}_target')])
        self.assertEqual(seen[1:], [(self.n('{p}_target'), None, 0)])

    def test_rebinding_before_use_wins(self):
        m = self.simple(extra='target = 5\n')
        self.assertEqual(rt.pending(), [])
        rt.resolve_all()
        self.assertEqual(m.target, 5)
        self.assertFalse(self.loaded('{p}_target'))

    # -- errors ------------------------------------------------------------------

    def test_missing_module_fails_at_first_use_then_retries(self):
        self.write({'{p}_m.py': prologue()
                    + "__lazyc__[4] = ('{p}_later', 0, None, (('later', ''),))\n"
                    + guard('later')})
        m = self.imp('{p}_m')
        for _ in range(2):
            with self.assertRaises(ModuleNotFoundError) as cm:
                m.use_later()
            cause = cm.exception.__cause__
            self.assertIs(type(cause), ImportError)
            self.assertEqual(str(cause), "lazy import of %r raised an exception during "
                             "resolution (%s:4)" % (self.n('{p}_later'), m.__file__))
            self.assertTrue(cm.exception.__suppress_context__)
            self.assertEqual(len(rt.pending()), 1)
            self.assertNotIn('later', vars(m))
        with self.assertRaises(ModuleNotFoundError):
            m.later
        elsewhere = tempfile.mkdtemp(prefix='lazyc-runtime-later-')
        self.addCleanup(shutil.rmtree, elsewhere)
        self.write({'{p}_later.py': 'OK = 1\n'}, root=elsewhere)
        sys.path.append(elsewhere)
        self.assertEqual(m.use_later().OK, 1)
        self.assertEqual(rt.pending(), [])

    def test_missing_name_in_from_import(self):
        self.pkg()
        self.write({'{p}_m.py': prologue()
                    + "__lazyc__[6] = ('{p}pkg', 0, ('nothere',), (('nothere', 'nothere'),))\n"})
        m = self.imp('{p}_m')
        with self.assertRaises(ImportError) as cm:
            m.nothere
        pkg = sys.modules[self.n('{p}pkg')]
        self.assertEqual(str(cm.exception), "cannot import name 'nothere' from %r (%s)"
                         % (pkg.__name__, pkg.__file__))
        self.assertEqual(cm.exception.name, pkg.__name__)
        with self.assertRaises(ImportError) as eager:      # the interpreter's own words
            exec(self.n('from {p}pkg import nothere'), {})
        self.assertEqual(str(cm.exception), str(eager.exception))
        self.assertIn("lazy import of '%s.nothere'" % pkg.__name__, str(cm.exception.__cause__))
        self.assertIn('%s:6' % m.__file__, str(cm.exception.__cause__))

    def test_missing_name_in_partially_initialized_module(self):
        # c1 imports c2, whose module-level code uses `from c1 import X` before c1 set X
        self.write({'{p}_c1.py': 'import {p}_c2\nX = 1\n',
                    '{p}_c2.py': prologue()
                    + "__lazyc__[4] = ('{p}_c1', 0, ('X',), (('X', 'X'),))\n"
                    + 'try:\n    y = X\nexcept NameError:\n    y = __lazyc__.X\n'})
        with self.assertRaises(ImportError) as cm:
            self.imp('{p}_c1')
        c1 = os.path.join(self.tmp, self.n('{p}_c1.py'))
        self.assertEqual(str(cm.exception), "cannot import name 'X' from partially initialized "
                         "module %r (most likely due to a circular import) (%s)"
                         % (self.n('{p}_c1'), c1))
        self.assertIn("lazy import of '%s.X'" % self.n('{p}_c1'), str(cm.exception.__cause__))

    def test_error_inside_imported_module_keeps_its_type(self):
        self.write({'{p}_log.py': LOG, '{p}_bad.py': RECORDED + "raise ValueError('boom')\n",
                    '{p}_m.py': prologue()
                    + "__lazyc__[4] = ('{p}_bad', 0, None, (('bad', ''),))\n" + guard('bad')})
        m = self.imp('{p}_m')
        for attempt in (1, 2):
            with self.assertRaises(ValueError) as cm:
                m.use_bad()
            self.assertEqual(str(cm.exception), 'boom')
            self.assertIn(':4)', str(cm.exception.__cause__))
            self.assertEqual(len(self.events()), attempt)   # retried, not cached
        self.assertFalse(self.loaded('{p}_bad'))

    @unittest.skipIf(PRE311, 'add_note is 3.11+')
    def test_error_with_its_own_context_gets_a_note(self):
        self.write({'{p}_bad.py': 'try:\n    1 / 0\nexcept ZeroDivisionError:\n'
                                  "    raise ValueError('boom')\n",
                    '{p}_none.py': "raise ValueError('quiet') from None\n",
                    '{p}_m.py': prologue()
                    + "__lazyc__[4] = ('{p}_bad', 0, None, (('bad', ''),))\n"
                    + "__lazyc__[5] = ('{p}_none', 0, None, (('none', ''),))\n"})
        m = self.imp('{p}_m')
        with self.assertRaises(ValueError) as cm:
            m.bad
        self.assertIsNone(cm.exception.__cause__)
        self.assertIsInstance(cm.exception.__context__, ZeroDivisionError)
        self.assertEqual(cm.exception.__notes__,
                         ["lazy import of %r declared at %s:4" % (self.n('{p}_bad'), m.__file__)])
        with self.assertRaises(ValueError) as cm:
            m.none
        self.assertIsNone(cm.exception.__cause__)
        self.assertEqual(cm.exception.__notes__,
                         ["lazy import of %r declared at %s:5" % (self.n('{p}_none'), m.__file__)])

    def test_base_exception_is_untouched(self):
        self.write({'{p}_bad.py': 'raise KeyboardInterrupt\n',
                    '{p}_m.py': prologue()
                    + "__lazyc__[4] = ('{p}_bad', 0, None, (('bad', ''),))\n"})
        m = self.imp('{p}_m')
        with self.assertRaises(KeyboardInterrupt) as cm:
            m.bad
        self.assertIsNone(cm.exception.__cause__)

    # -- controls ----------------------------------------------------------------

    def test_filter_decides_per_statement(self):
        self.pkg()
        calls = []

        def only_c(importer, name, fromlist):
            calls.append((importer, name, fromlist))
            return not name.endswith('.b')
        rt.set_filter(only_c)
        self.assertIs(rt.get_filter(), only_c)
        self.write({'{p}_m.py': prologue()
                    + "__lazyc__[4] = ('{p}pkg', 0, ('b',), (('b', 'b'),))\n"
                    + "__lazyc__[5] = ('{p}pkg.b', 0, ('X',), (('X', 'X'),))\n"
                    + "__lazyc__[6] = ('{p}pkg.c', 0, None, (('cmod', 'c'),))\n"})
        m = self.imp('{p}_m')
        importer = self.n('{p}_m')
        self.assertEqual(calls, [(importer, self.n('{p}pkg'), ('b',)),
                                 (importer, self.n('{p}pkg.b'), ('X',)),
                                 (importer, self.n('{p}pkg.c'), None)])
        self.assertEqual(vars(m)['X'], 'b')              # eager: bound at once
        self.assertEqual([r[1] for r in rt.pending()], ['b', 'cmod'])
        self.assertFalse(self.loaded('{p}pkg.c'))

    def test_set_eager(self):
        rt.set_eager(True)
        self.assertTrue(rt.get_eager())
        m = self.simple()
        self.assertIs(vars(m)['target'], sys.modules[self.n('{p}_target')])
        self.assertEqual(rt.pending(), [])

    def test_eager_statement_runs_merged_imports_first(self):
        self.pkg()
        rt.set_filter(lambda i, name, f: not name.endswith('.c'))
        self.write({'{p}_m.py': prologue()
                    + "__lazyc__[4] = ('{p}pkg.b', 0, None, (('{p}pkg', ''),))\n"
                    + "__lazyc__[5] = ('{p}pkg.c', 0, None, (('{p}pkg', ''),))\n"})
        m = self.imp('{p}_m')
        self.assertEqual(self.events(), [self.n(n) for n in ('{p}pkg', '{p}pkg.b', '{p}pkg.c')])
        self.assertIs(vars(m)[self.p + 'pkg'], sys.modules[self.n('{p}pkg')])
        self.assertEqual(rt.pending(), [])

    def test_environment_switch(self):
        self.simple()
        code = self.n('import sys, {p}_m; print("{p}_target" in sys.modules)')
        for value, expected in (('1', 'True'), ('0', 'False'), (None, 'False')):
            env = dict(os.environ, PYTHONPATH=os.pathsep.join([self.tmp, RUNTIME_DIR]),
                       PYTHONDONTWRITEBYTECODE='1')
            env.pop('LAZYC_EAGER', None)
            if value is not None:
                env['LAZYC_EAGER'] = value
            out = subprocess.run([sys.executable, '-c', code], env=env, check=True,
                                 stdout=subprocess.PIPE, universal_newlines=True).stdout
            self.assertEqual(out.strip(), expected, 'LAZYC_EAGER=%s' % value)

    def test_resolve_all(self):
        self.pkg()
        self.simple()
        self.write({'{p}_n.py': prologue()
                    + "__lazyc__[4] = ('{p}pkg', 0, ('b', 'c'), (('b', 'b'), ('c', 'c')))\n"})
        n = self.imp('{p}_n')
        self.assertEqual(len(rt.pending()), 3)
        rt.resolve_all()
        self.assertEqual(rt.pending(), [])
        self.assertEqual(rt.lazy_modules(), set())
        self.assertEqual(vars(n)['c'].X, 'c')
        self.assertTrue(self.loaded('{p}_target'))

    def test_copies_share_one_state(self):
        self.write({'{p}vend/__init__.py': '', '{p}_target.py': '',
                    '{p}vend/m.py': prologue(source='._lazyc_runtime')
                    + "__lazyc__[4] = ('{p}_target', 0, None, (('target', ''),))\n"
                    + "__lazyc__[5] = ('{p}_nothing', 0, None, (('nothing', ''),))\n"})
        shutil.copy(os.path.join(RUNTIME_DIR, '_lazyc_runtime.py'),
                    os.path.join(self.tmp, self.p + 'vend'))
        vendored = self.imp('{p}vend._lazyc_runtime')
        self.assertIsNot(vendored, rt)
        self.assertIs(vendored._state, rt._state)
        self.assertIs(sys.modules['_lazyc_state'], rt._state)
        f = lambda *args: True      # noqa: E731
        rt.set_filter(f)
        self.assertIs(vendored.get_filter(), f)
        vendored.set_eager(True)
        self.assertTrue(rt.get_eager())
        vendored.set_eager(False)
        m = self.imp('{p}vend.m')
        self.assertIsInstance(m.__lazyc__, vendored._Handle)
        self.assertEqual([r[1] for r in rt.pending()], ['target', 'nothing'])
        del m.__lazyc__.nothing
        rt.resolve_all()            # the top-level copy resolves the vendored copy's names
        self.assertIs(vars(m)['target'], sys.modules[self.n('{p}_target')])

    def test_reload_starts_fresh(self):
        m = self.simple()
        first = m.__lazyc__
        importlib.reload(m)
        self.assertIsNot(m.__lazyc__, first)
        self.assertEqual(len(first.__importer__.pending), 0)
        self.assertEqual([r[1] for r in rt.pending()], ['target'])
        target = m.use_target()
        importlib.reload(m)         # now the target is loaded: bound at once
        self.assertIs(vars(m)['target'], target)
        self.assertEqual(rt.pending(), [])
        self.assertEqual(self.events(), [self.n('{p}_target')])

    def test_threads_racing_to_first_use(self):
        self.write({'{p}_log.py': LOG,
                    '{p}_slow.py': 'import time\n' + RECORDED + 'time.sleep(0.2)\n',
                    '{p}_m.py': prologue()
                    + "__lazyc__[4] = ('{p}_slow', 0, None, (('slow', ''),))\n" + guard('slow')})
        m = self.imp('{p}_m')
        barrier = threading.Barrier(8)
        results = []

        def run(i):
            barrier.wait()
            results.append(m.use_slow() if i % 2 else getattr(m, 'slow'))
        threads = [threading.Thread(target=run, args=(i,)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(len(results), 8)
        self.assertTrue(all(r is sys.modules[self.n('{p}_slow')] for r in results))
        self.assertEqual(self.events(), [self.n('{p}_slow')])
        self.assertIs(vars(m)['slow'], results[0])

    def test_handle_repr(self):
        m = self.simple()
        self.assertEqual(repr(m.__lazyc__), '<lazyc handle of %r, 1 pending>' % self.n('{p}_m'))


if __name__ == '__main__':
    unittest.main()
