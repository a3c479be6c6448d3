"""Runtime for modules rewritten by lazyc on CPython 3.8-3.14.

A rewritten module starts with `__lazyc__ = attach(flags)`; each lazy import
statement becomes `__lazyc__[lineno] = (module, level, fromlist, bindings)`,
which records the names it binds as pending instead of importing.  A read of a
pending name raises NameError at a guarded instruction, whose handler asks the
handle (`__lazyc__.name`); `del name` becomes `del __lazyc__.name`.  Access from
outside goes through the PEP 562 `__getattr__` that attach() installs.

The controls mirror PEP 810 (set_filter, lazy_modules, resolve_all, ...).  This
file must run unchanged on 3.8-3.14 and import only built-in modules: a
rewritten stdlib module may need it before `os` or `importlib` exist.
"""
import sys
import _thread
import builtins

__all__ = ['attach', 'set_filter', 'get_filter', 'set_eager', 'get_eager',
           'lazy_modules', 'pending', 'resolve_all']

# 3.8-3.10 run the guard's handler inside an exception block (3.11+ use an
# exception-table entry that drops the NameError first).
_IN_HANDLER = sys.version_info < (3, 11)
_NAME_KW = sys.version_info >= (3, 10)     # NameError/AttributeError(name=...)
_MISSING = object()
_get_ident = _thread.get_ident
_ModuleType = type(sys)


def _eager_from_env():
    os = sys.modules.get('os')              # sees os.environ changes made since startup
    if os is not None:
        value = os.environ.get('LAZYC_EAGER', '')
    else:
        try:
            import posix
            value = posix.environ.get(b'LAZYC_EAGER', b'').decode('latin-1')
        except ImportError:
            import nt
            value = nt.environ.get('LAZYC_EAGER', '')
    return value not in ('', '0')


def _shared_state():
    # Every rewritten tree vendors its own copy of this file; the copies must
    # agree on one filter, one eager switch and one registry.  Copies meet only
    # here and through _Importer.resolve_all()/rows() of the registered objects
    # (each runs its own copy's code): keep those names stable across versions.
    state = sys.modules.get('_lazyc_state')
    if state is None:
        fresh = _ModuleType('_lazyc_state', 'State shared by every copy of _lazyc_runtime.')
        # Reentrant: a finalizer run by the garbage collector inside a locked
        # region may execute a lazy import statement of its own.
        fresh.lock = _thread.RLock()
        fresh.eager = _eager_from_env()
        fresh.filter = None
        fresh.attached = {}     # id(globals) -> _Importer, only while it has pending names
        fresh.submodules = {}   # package name -> names of submodules a pending import loads
        state = sys.modules.setdefault('_lazyc_state', fresh)
    if not hasattr(state, 'submodules'):     # made by an older copy of this file
        state.submodules = {}
    return state


_state = _shared_state()


# ---- controls (PEP 810's sys.set_lazy_imports_filter & co.) ----------------

def set_filter(filter):
    """filter(importer, module, fromlist) -> bool runs when a lazy statement
    executes; a false result imports that statement eagerly.  None clears it."""
    _state.filter = filter


def get_filter():
    return _state.filter


def set_eager(eager):
    """Make every lazy statement executed from now on import eagerly."""
    _state.eager = bool(eager)


def get_eager():
    return _state.eager


def lazy_modules():
    """The absolute names of the modules that pending lazy imports would load."""
    return {row[5] for row in _rows()}


def pending():
    """(importer, name, target, file, lineno) for every pending binding; target is
    the module for `import`, 'module.name' for `from module import name`."""
    return [row[:5] for row in _rows()]


def _rows():
    rows = []
    for importer in list(_state.attached.values()):
        rows.extend(importer.rows())
    return rows


def resolve_all():
    """Resolve every pending name of every attached module, including those that
    appear while resolving (warm-up, tests).  The first error propagates."""
    while True:
        progress = False
        for importer in list(_state.attached.values()):
            progress |= importer.resolve_all()
        if not progress:
            return


# ---- the prologue -------------------------------------------------------------

def attach(flags=0, names=()):
    """Attach the calling module; it keeps the returned handle as `__lazyc__`.

    flags bit 0 (1): the module defines __getattr__, renamed __lazyc_getattr__;
    bit 1 (2): the same for __dir__ -> __lazyc_dir__.
    names: every name the module binds lazily (the ones its guards ask for).
    """
    g = sys._getframe(1).f_globals
    importer = _Importer(g, flags, frozenset(names) if names else None)
    with _state.lock:
        # Attaching again means importlib.reload() runs the body once more: the
        # old table describes statements that will run again.
        old = _state.attached.pop(id(g), None)
        if old is not None:
            old.pending.clear()
        g['__getattr__'], g['__dir__'] = importer.hooks
    return _Handle(importer)


class _Handle:
    """The module's `__lazyc__`.  It has no attributes but dunders, so every
    lazily bound name reaches __getattr__/__delattr__."""
    __slots__ = ('__importer__',)

    def __init__(self, importer):
        self.__importer__ = importer

    def __setitem__(self, lineno, spec):
        self.__importer__.declare(lineno, spec)

    def __getattr__(self, name):
        if not self.__importer__.guards(name):
            # Not a guard asking: introspection (dir() lists __lazyc__,
            # mock specs, copy, pickle) probing the handle.
            raise AttributeError(name)
        exc = _original_error()
        if exc is None or isinstance(exc, NameError):
            value = self.__importer__.load(name)
            if value is not _MISSING:
                return value
        if exc is not None:
            raise exc
        raise _name_error(name)

    def __delattr__(self, name):
        # PEP 810: `del name` before use imports nothing.
        if not self.__importer__.guards(name):
            raise AttributeError(name)
        exc = _original_error()
        if exc is None or isinstance(exc, NameError):
            if self.__importer__.forget(name):
                return
        if exc is not None:
            raise exc
        raise _name_error(name)

    def __repr__(self):
        importer = self.__importer__
        return '<lazyc handle of %r, %d pending>' % (importer.g.get('__name__'),
                                                    len(importer.pending))


def _original_error():
    # On 3.8-3.10 sys.exc_info() is what the guarded instruction raised.  Only
    # a NameError means "maybe a pending name"; anything else (a
    # KeyboardInterrupt that landed there) must propagate untouched.
    return sys.exc_info()[1] if _IN_HANDLER else None


def _name_error(name):
    msg = 'name %r is not defined' % name
    return NameError(msg, name=name) if _NAME_KW else NameError(msg)


class _Pending:
    """What one lazily bound name stands for."""
    __slots__ = ('imports', 'level', 'fromlist', 'path')

    def __init__(self, imports, level, fromlist, path):
        self.imports = imports      # ((module, absolute, lineno), ...) in statement order;
                                    # several only for merged `import a.x` statements
        self.level = level
        self.fromlist = fromlist    # None, or (name,) for `from module import name`
        self.path = path            # attributes to walk after the import ('' = none)

    def target(self, absolute):
        return absolute if self.fromlist is None else absolute + '.' + self.path


class _Importer:
    """The lazy imports of one execution of one module's body."""
    __slots__ = ('g', 'flags', 'guarded', 'pending', 'busy', 'hooks')

    def __init__(self, g, flags, guarded):
        self.g = g
        self.flags = flags
        self.guarded = guarded      # names whose loads are guarded (None: not told)
        self.pending = {}           # bound name -> _Pending
        self.busy = set()           # (thread id, name) being resolved
        self.hooks = (self.module_getattr, self.module_dir)

    def guards(self, name):
        if name[:2] == '__' == name[-2:]:
            return False            # lazily bound names are never dunders
        return self.guarded is None or name in self.guarded

    # -- import site --

    def declare(self, lineno, spec):
        module, level, fromlist, bindings = spec
        g = self.g
        try:
            absolute = _absolute_name(module, level, g)
        except Exception:
            absolute = None         # the eager import raises the real error
        lazy = absolute is not None and not _state.eager
        filter = _state.filter
        if lazy and filter is not None:
            lazy = filter(g.get('__name__'), absolute, fromlist)
        if lazy and _loaded(absolute, fromlist):
            # Nothing left to defer: binding now is cheaper than any record.
            # A pending `a` from `import a.b` still needs its merge, though.
            lazy = any(name in self.pending for name, _ in bindings)
        if not lazy:
            self.run_now(module, level, fromlist, bindings, absolute)
            return
        with _state.lock:
            for name, path in bindings:
                imports = ((module, absolute, lineno),)
                old = self.pending.get(name)
                if (fromlist is None and not path and old is not None
                        and old.fromlist is None and not old.path):
                    imports = old.imports + imports   # `import a.b` + `import a.c`
                self.pending[name] = _Pending(imports, level, fromlist and (path,), path)
                g.pop(name, None)
            g['__getattr__'], g['__dir__'] = self.hooks
            _state.attached[id(g)] = self
            _expect_submodules(absolute, fromlist)

    def run_now(self, module, level, fromlist, bindings, absolute):
        """Import and bind as the original statement would."""
        g = self.g
        __import__ = _import_func(g)
        if fromlist is None:
            for name, path in bindings:
                old = self.pending.get(name)
                if not path and old is not None and old.fromlist is None and not old.path:
                    # An earlier `import a.b` was deferred; eagerly it ran first.
                    for earlier, _, _ in old.imports:
                        __import__(earlier, g, None, None, 0)
        top = __import__(module, g, None, fromlist, level)
        for name, path in bindings:
            value = _walk(top, path)
            with _state.lock:
                g[name] = value
                self.pending.pop(name, None)
                if not self.pending:
                    self.settle()

    # -- resolution --

    def load(self, name):
        """Resolve pending `name`, bind it in g and return its value, or
        _MISSING if `name` is not pending."""
        if (_get_ident(), name) in self.busy:
            # importlib asking hasattr(pkg, name) while we import pkg.name for
            # `from . import name`: answer as if unbound, as eagerly.
            return _MISSING
        g, pending = self.g, self.pending
        rec, value = None, _MISSING
        while True:
            with _state.lock:
                now = pending.get(name)
                if now is None:             # another thread bound it (or del dropped it)
                    return g.get(name, value)
                if now is rec or (rec is None and name in g):
                    # Our import is still wanted, or plain code rebound the
                    # name before first use (PEP 810: then nothing is imported).
                    if now is rec:
                        g[name] = value
                    del pending[name]
                    if not pending:
                        self.settle()
                    return g[name]
            # Import without the lock: import locks are taken inside, and every
            # thread gets the object that the first one to finish stored.
            rec = now
            value = self.run_pending(name, rec)

    def run_pending(self, name, rec):
        g = self.g
        context = sys.exc_info()[1]
        me = (_get_ident(), name)
        self.busy.add(me)
        where = rec.imports[0]
        try:
            for where in rec.imports:
                top = _import_keeping(g, where[0], rec.fromlist, rec.level, where[1])
            return _walk(top, rec.path)
        except Exception as e:
            _explain(e, context, rec.target(where[1]), self.file(), where[2])
            raise
        finally:
            self.busy.discard(me)

    def resolve_all(self):
        """Resolve every pending name (but those this thread is resolving);
        True if anything was bound."""
        done = False
        for name in list(self.pending):
            done |= self.load(name) is not _MISSING
        return done

    def forget(self, name):
        with _state.lock:
            if self.pending.pop(name, None) is None:
                return False
            if not self.pending:
                self.settle()
            return True

    def settle(self):
        """Nothing is pending: step aside so attribute access specialises again."""
        g = self.g
        with _state.lock:
            for bit, hook, ours in ((1, '__getattr__', self.hooks[0]),
                                    (2, '__dir__', self.hooks[1])):
                if g.get(hook) is not ours:
                    continue
                own = g.get('__lazyc' + hook[1:])
                if own is not None:
                    g[hook] = own
                elif not self.flags & bit:
                    del g[hook]
                # else the module defines its own further down; ours forwards to it
            if _state.attached.get(id(g)) is self:
                del _state.attached[id(g)]

    # -- the module's PEP 562 hooks --

    def module_getattr(self, name):
        g = self.g
        if name in self.pending:
            value = self.load(name)
            if value is not _MISSING:
                return value
        elif name == '__all__' and '__all__' not in g:
            # `from m import *` falls back to m.__dict__; give it every name
            # an eager module would have.
            self.resolve_all()
        own = g.get('__lazyc_getattr__')
        if not self.pending:
            self.settle()
        if own is not None:
            return own(name)
        value = _pending_submodule(g.get('__name__'), name)
        if value is not _MISSING:
            return value
        msg = 'module %r has no attribute %r' % (g.get('__name__'), name)
        if not _NAME_KW:
            raise AttributeError(msg)
        module = sys.modules.get(g.get('__name__'))
        if getattr(module, '__dict__', None) is not g:
            module = None
        raise AttributeError(msg, name=name, obj=module)

    def module_dir(self):
        """dir(module) as it would be eagerly; loads nothing."""
        g = self.g
        own = g.get('__lazyc_dir__')
        names = set(own() if own is not None else g)
        names.update(self.pending)
        names.discard('__lazyc__')
        for hook, ours in zip(('__getattr__', '__dir__'), self.hooks):
            if g.get(hook) is ours:
                names.discard(hook)
            renamed = '__lazyc' + hook[1:]
            if renamed in names:
                names.discard(renamed)
                names.add(hook)
        return sorted(names)

    # -- introspection --

    def file(self):
        return self.g.get('__file__') or self.g.get('__name__')

    def rows(self):
        g, file = self.g, self.file()
        importer = g.get('__name__')
        return [(importer, name, rec.target(absolute), file, lineno, absolute)
                for name, rec in list(self.pending.items()) if name not in g
                for _, absolute, lineno in rec.imports]


# ---- pending submodules are global (PEP 810) ---------------------------------
#
# Eagerly, `import a.b` in one module makes `a.b` an attribute of package `a`
# for every other module, and code relies on it (`import botocore` and then
# `botocore.client.Config`, counting on someone having imported
# botocore.client).  So while a lazy statement that would import `a.b` is
# pending, reading the attribute `b` of the real package `a` imports it: the
# package gets a PEP 562 __getattr__ (ours, if the package is a rewritten
# module; a small one otherwise, never replacing one of the package's own).

def _expect_submodules(absolute, fromlist):
    names = [absolute] if fromlist is None else [absolute + '.' + n for n in fromlist]
    for full in names:
        parent, _, child = full.rpartition('.')
        while parent:
            _state.submodules.setdefault(parent, set()).add(child)
            package = sys.modules.get(parent)
            d = getattr(package, '__dict__', None)
            if isinstance(d, dict) and '__getattr__' not in d and '__path__' in d:
                d['__getattr__'] = _package_getattr(parent)
            parent, _, child = parent.rpartition('.')


def _pending_submodule(package, name):
    """Import package.name if a pending lazy import would have; else _MISSING."""
    children = _state.submodules.get(package)
    if not children or name not in children or name[:2] == '__':
        return _MISSING
    full = package + '.' + name
    key = (_get_ident(), full)
    if key in _busy_submodules:
        return _MISSING
    _busy_submodules.add(key)
    try:
        builtins.__import__(full)
    except ImportError:
        return _MISSING             # an attribute after all, not a submodule
    finally:
        _busy_submodules.discard(key)
    children.discard(name)
    return sys.modules.get(full, _MISSING)


_busy_submodules = set()


def _package_getattr(package):
    def __getattr__(name):
        value = _pending_submodule(package, name)
        if value is not _MISSING:
            return value
        raise AttributeError('module %r has no attribute %r' % (package, name))
    return __getattr__


# ---- import machinery, as ceval and importlib._bootstrap do it ----------------

def _absolute_name(module, level, g):
    # importlib._bootstrap._calc___package__ + _resolve_name, without warnings.
    if not level:
        return module
    package = g.get('__package__')
    if package is None:
        spec = g.get('__spec__')
        if spec is not None:
            package = spec.parent
        else:
            package = g['__name__']
            if '__path__' not in g:
                package = package.rpartition('.')[0]
    if not isinstance(package, str) or not package:
        raise ImportError('attempted relative import with no known parent package')
    bits = package.rsplit('.', level - 1)
    if len(bits) < level:
        raise ImportError('attempted relative import beyond top-level package')
    return bits[0] + '.' + module if module else bits[0]


def _loaded(absolute, fromlist):
    module = sys.modules.get(absolute)
    if module is None or getattr(getattr(module, '__spec__', None), '_initializing', False):
        return False
    if fromlist is None:
        return True
    # Not hasattr(): that would resolve the names if `module` is lazy itself.
    d = getattr(module, '__dict__', None)
    return isinstance(d, dict) and all(name in d for name in fromlist)


def _import_func(g):
    b = g.get('__builtins__')
    f = b.get('__import__') if isinstance(b, dict) else getattr(b, '__import__', None)
    return f if f is not None else builtins.__import__


def _import_keeping(g, module, fromlist, level, absolute):
    """__import__ as the statement would, but if g is a package and the import
    loads its submodule `child`, keep the value the package bound to `child`
    meanwhile (importlib sets it to the submodule; eagerly, the package's own
    assignment would have come later)."""
    child = None
    package = g.get('__name__')
    if '__path__' in g and isinstance(package, str) and absolute.startswith(package + '.'):
        child = absolute[len(package) + 1:].partition('.')[0]
        before = g.get(child, _MISSING)
    try:
        return _import_func(g)(module, g, None, fromlist, level)
    finally:
        if child is not None and before is not _MISSING and g.get(child, _MISSING) is not before:
            g[child] = before


def _walk(obj, path):
    if path:
        for name in path.split('.'):
            obj = _import_from(obj, name)
    return obj


def _import_from(module, name):
    # ceval's import_from(): the attribute, else the submodule in sys.modules.
    try:
        return getattr(module, name)
    except AttributeError:
        pass
    pkgname = getattr(module, '__name__', None)
    if isinstance(pkgname, str):
        try:
            return sys.modules['%s.%s' % (pkgname, name)]
        except KeyError:
            pass
    else:
        pkgname = None
    shown = '<unknown module name>' if pkgname is None else pkgname
    d = getattr(module, '__dict__', None) if isinstance(module, _ModuleType) else None
    path = d.get('__file__') if isinstance(d, dict) else None
    if not isinstance(path, str):
        raise ImportError('cannot import name %r from %r (unknown location)' % (name, shown),
                          name=pkgname)
    if getattr(getattr(module, '__spec__', None), '_initializing', False):
        msg = ('cannot import name %r from partially initialized module %r '
               '(most likely due to a circular import) (%s)')
    else:
        msg = 'cannot import name %r from %r (%s)'
    raise ImportError(msg % (name, shown, path), name=pkgname, path=path)


def _explain(exc, context, target, file, lineno):
    # Point at the lazy statement, as PEP 810 does: chain from a synthetic
    # ImportError unless the exception already tells its own story (a cause, a
    # context, `from None`).  The exception that was being handled when
    # resolution began (the guard's NameError on 3.8-3.10) is not part of it.
    if (exc.__cause__ is None and not exc.__suppress_context__
            and (exc.__context__ is None or exc.__context__ is context)):
        exc.__cause__ = ImportError(
            'lazy import of %r raised an exception during resolution (%s:%d)'
            % (target, file, lineno))
        exc.__suppress_context__ = True
    elif hasattr(exc, 'add_note'):
        exc.add_note('lazy import of %r declared at %s:%d' % (target, file, lineno))
