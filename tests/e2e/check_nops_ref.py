#!/usr/bin/env python3
"""Reference NOP inserter in Python, and check_nops.py's self-test.

    python3.X check_nops_ref.py rewrite SRC_DIR OUT_DIR   # stub of `lazyc rewrite --debug-nops`
    python3.X check_nops_ref.py rewrite-broken SRC_DIR OUT_DIR   # same, every line + 1
    python3.X check_nops_ref.py self-test                 # same as check_nops.py --self-test

The reference decodes a code object into an instruction list (symbolic jump
targets, per-instruction location and exception handler), edits it, and
assembles it back (EXTENDED_ARG fixpoint, caches, lnotab / linetable /
location table, exception table) with the running interpreter's rules.  It
exists to test the checkers: a correct NOP insertion must pass check_nops.py,
and deliberately broken edits (wrong jump, line, handler, a lost
instruction ...) must fail it.  It is not lazyc and is not used by lazyc.
"""

import marshal
import os
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import check_nops as cn  # noqa: E402

V = cn.V
OP = cn.OP
OPNAME = cn.OPNAME
NOP = cn.NOP
CACHES = cn.CACHES
JUMP = cn.JUMP


class Item(object):
    __slots__ = ('op', 'arg', 'tgt', 'loc', 'hand', 'orig')

    def __init__(self, op, arg, tgt, loc, hand, orig):
        self.op = op
        self.arg = arg
        self.tgt = tgt      # index of the target item (jumps) or None
        self.loc = loc      # line (<= 3.10) or position tuple (3.11+)
        self.hand = hand    # (target item index, depth, lasti) or None
        self.orig = orig    # index in the original code, None for inserted items


def items_of(code):
    insns = cn.decode(code.co_code)
    units = len(code.co_code) // 2
    at = {ins.start: k for k, ins in enumerate(insns)}
    locs = cn.locations(code, units)
    hands = cn.handlers(code, units)
    out = []
    for k, ins in enumerate(insns):
        tgt = at[ins.target] if ins.target is not None else None
        h = hands[ins.off // 2]
        hand = (at[h[0]], h[1], h[2]) if h is not None else None
        out.append(Item(ins.op, ins.arg, tgt, locs[ins.off // 2], hand, k))
    return out


# ---------------------------------------------------------------- assembling

def _jump_arg(op, opoff, end, t):
    kind = JUMP[op]
    if V < (3, 10):
        return t - (opoff + 2) if kind == 1 else t
    if V == (3, 10):
        return (t - (opoff + 2)) // 2 if kind == 1 else t // 2
    return (end - t) // 2 if kind == 3 else (t - end) // 2


def _prefixes(arg):
    if arg < 0:
        raise ValueError('negative oparg %d' % arg)
    return 0 if arg < 1 << 8 else 1 if arg < 1 << 16 else 2 if arg < 1 << 24 else 3


def assemble(items):
    """-> (code bytes, per-item start offsets, per-item prefix counts)."""
    ext = [0] * len(items)
    while True:
        offs = []
        o = 0
        for k, it in enumerate(items):
            offs.append(o)
            o += 2 * (ext[k] + 1 + CACHES[it.op])
        offs.append(o)
        args = []
        changed = False
        for k, it in enumerate(items):
            arg = it.arg
            if it.tgt is not None:
                opoff = offs[k] + 2 * ext[k]
                arg = _jump_arg(it.op, opoff, opoff + 2 + 2 * CACHES[it.op], offs[it.tgt])
            need = _prefixes(arg)
            if need > ext[k]:
                ext[k] = need
                changed = True
            args.append(arg)
        if not changed:
            break
    out = bytearray()
    for k, it in enumerate(items):
        arg = args[k]
        for e in range(ext[k], 0, -1):
            out += bytes((cn.EXTENDED_ARG, (arg >> (8 * e)) & 255))
        out += bytes((it.op, arg & 255))
        out += b'\0\0' * CACHES[it.op]
    return bytes(out), offs, ext


def _lnotab(items, offs, firstlineno):
    out = bytearray()
    addr, line = 0, firstlineno
    prev = None
    for k, it in enumerate(items):
        if it.loc == prev or it.loc is None:
            continue
        prev = it.loc
        if it.loc == line:
            continue
        da, dl = offs[k] - addr, it.loc - line
        while da > 255:
            out += bytes((255, 0))
            da -= 255
        while dl > 127:
            out += bytes((da, 127))
            da, dl = 0, dl - 127
        while dl < -128:
            out += bytes((da, 256 - 128))
            da, dl = 0, dl + 128
        out += bytes((da, dl & 255))
        addr, line = offs[k], it.loc
    return bytes(out)


def _linetable310(items, offs, firstlineno):
    ranges = []
    for k, it in enumerate(items):
        size = offs[k + 1] - offs[k]
        if ranges and ranges[-1][1] == it.loc:
            ranges[-1][0] += size
        else:
            ranges.append([size, it.loc])
    out = bytearray()
    prev = firstlineno
    for size, line in ranges:
        if line is None:
            ld = -128
        else:
            ld = line - prev
            prev = line
            while ld > 127:
                out += bytes((0, 127))
                ld -= 127
            while ld < -127:
                out += bytes((0, 256 - 127))
                ld += 127
        while size > 254:
            out += bytes((254, ld & 255))
            ld = -128 if line is None else 0
            size -= 254
        out += bytes((size, ld & 255))
    return bytes(out)


def _varint(out, v):
    while v >= 64:
        out.append(0x40 | (v & 63))
        v >>= 6
    out.append(v)


def _svarint(out, v):
    _varint(out, ((-v) << 1) | 1 if v < 0 else v << 1)


def _locationtable(items, offs, firstlineno):
    runs = []       # [units, position]
    for k, it in enumerate(items):
        n = (offs[k + 1] - offs[k]) // 2
        pos = it.loc if it.loc is not None else (None, None, None, None)
        if V >= (3, 12) and runs and runs[-1][1] == pos:
            runs[-1][0] += n
        else:
            runs.append([n, pos])
    out = bytearray()
    prev = firstlineno
    for n, pos in runs:
        line, end_line, col, end_col = pos
        while n > 0:
            m = min(n, 8)
            n -= m
            if line is None:
                out.append(0x80 | (15 << 3) | (m - 1))
                continue
            dl = line - prev
            if end_line is None:
                end_line = line
            if col is None and end_col is None and end_line == line:
                out.append(0x80 | (13 << 3) | (m - 1))
                _svarint(out, dl)
            elif (end_line == line and dl == 0 and col is not None and end_col is not None
                  and col < 80 and 0 <= end_col - col < 16):
                out.append(0x80 | ((col // 8) << 3) | (m - 1))
                out.append(((col % 8) << 4) | (end_col - col))
            elif (end_line == line and 0 <= dl < 3 and col is not None and end_col is not None
                  and col < 128 and end_col < 128):
                out.append(0x80 | ((10 + dl) << 3) | (m - 1))
                out += bytes((col, end_col))
            else:
                out.append(0x80 | (14 << 3) | (m - 1))
                _svarint(out, dl)
                _varint(out, end_line - line)
                _varint(out, 0 if col is None else col + 1)
                _varint(out, 0 if end_col is None else end_col + 1)
            prev = line
    return bytes(out)


def _exc_varint(out, v, mark):
    groups = [v & 63]
    v >>= 6
    while v:
        groups.append(v & 63)
        v >>= 6
    groups.reverse()
    for k, g in enumerate(groups):
        b = g | (0x40 if k < len(groups) - 1 else 0)
        if mark and k == 0:
            b |= 0x80
        out.append(b)


def _exceptiontable(items, offs):
    units = []
    for k, it in enumerate(items):
        h = None
        if it.hand is not None:
            h = (offs[it.hand[0]] // 2, it.hand[1], it.hand[2])
        units += [h] * ((offs[k + 1] - offs[k]) // 2)
    out = bytearray()
    u = 0
    while u < len(units):
        h = units[u]
        s = u
        while u < len(units) and units[u] == h:
            u += 1
        if h is not None:
            _exc_varint(out, s, True)
            _exc_varint(out, u - s, False)
            _exc_varint(out, h[0], False)
            _exc_varint(out, h[1] << 1 | h[2], False)
    return bytes(out)


def build(code, items, consts=None, **extra):
    """A new code object from items (and optionally new co_consts)."""
    raw, offs, _ = assemble(items)
    kw = {'co_code': raw}
    if V < (3, 10):
        kw['co_lnotab'] = _lnotab(items, offs, code.co_firstlineno)
    elif V == (3, 10):
        kw['co_linetable'] = _linetable310(items, offs, code.co_firstlineno)
    else:
        kw['co_linetable'] = _locationtable(items, offs, code.co_firstlineno)
        kw['co_exceptiontable'] = _exceptiontable(items, offs)
    if consts is not None:
        kw['co_consts'] = tuple(consts)
    kw.update(extra)
    return code.replace(**kw)


# ---------------------------------------------------------------- editing

def _no_nop_before(items, k, first_resume, for_targets):
    cur = items[k]
    name = OPNAME[cur.op]
    prev = OPNAME[items[k - 1].op] if k > 0 else None
    if V >= (3, 11) and k <= first_resume:
        return True
    if cur.op in cn.NO_NOP_BEFORE:
        return True
    for seq in cn.SEQUENCES.get(cur.op, ()) if k > 0 else ():
        # cur ends a protected sequence, or is an inner element of one
        n = len(seq) - 1
        if k >= n and tuple(x.op for x in items[k - n:k + 1]) == seq:
            return True
    for seqs in cn.SEQUENCES.values():
        for seq in seqs:
            for p in range(1, len(seq) - 1):
                if (seq[p] == cur.op and k >= p and k - p + len(seq) <= len(items)
                        and tuple(x.op for x in items[k - p:k - p + len(seq)]) == seq):
                    return True
    if prev == 'KW_NAMES' or k in for_targets:
        return True
    return name in ('END_SEND', 'CLEANUP_THROW', 'END_ASYNC_FOR', 'NOT_TAKEN',
                    'RESUME', 'END_FOR')


def insert_nops(items):
    """The original items with a NOP before each one where that is allowed."""
    first_resume = -1
    if V >= (3, 11):
        for k, it in enumerate(items):
            if OPNAME[it.op] == 'RESUME':
                first_resume = k
                break
    for_targets = set()
    for it in items:
        if cn.FOR_ITER_SKIP and OPNAME[it.op] == 'FOR_ITER':
            for s in range(cn.FOR_ITER_SKIP):
                for_targets.add(it.tgt + s)
    out = []
    new_index = []
    for k, it in enumerate(items):
        new_index.append(len(out))
        if not _no_nop_before(items, k, first_resume, for_targets):
            out.append(Item(NOP, 0, None, it.loc, it.hand, None))
        out.append(Item(it.op, it.arg, it.tgt, it.loc, it.hand, it.orig))
    for it in out:
        if it.tgt is not None:
            it.tgt = new_index[it.tgt]
        if it.hand is not None:
            it.hand = (new_index[it.hand[0]],) + it.hand[1:]
    return out


def map_tree(code, fn, path=()):
    """Rebuild code bottom-up; fn(code, consts, path) -> new code."""
    consts = []
    k = 0
    for c in code.co_consts:
        if isinstance(c, type(code)):
            c = map_tree(c, fn, path + (k,))
            k += 1
        consts.append(c)
    return fn(code, consts, path)


def _shift(loc):
    if loc is None:
        return None
    if V < (3, 11):
        return loc + 1
    if loc[0] is None:
        return loc
    return (loc[0] + 1, None if loc[1] is None else loc[1] + 1) + tuple(loc[2:])


def nop_tree(code, broken=False):
    def fn(c, consts, p):
        items = insert_nops(items_of(c))
        if broken:      # a deliberately wrong rewrite: every line one further down
            for it in items:
                it.loc = _shift(it.loc)
        return build(c, items, consts)
    return map_tree(code, fn)


def rewrite_dir(src, dst, broken=False):
    """Stub of `lazyc rewrite --debug-nops SRC -o DST` for the running version."""
    n = 0
    for root, dirs, files in os.walk(src):
        for name in files:
            if not name.endswith('.pyc'):
                continue
            p = os.path.join(root, name)
            q = os.path.join(dst, os.path.relpath(p, src))
            os.makedirs(os.path.dirname(q), exist_ok=True)
            with open(p, 'rb') as f:
                data = f.read()
            if data[:4] == cn.MAGIC:
                try:
                    data = data[:16] + marshal.dumps(nop_tree(marshal.loads(data[16:]), broken))
                    n += 1
                except (ValueError, EOFError, TypeError):
                    pass
            if os.path.abspath(p) != os.path.abspath(q):
                with open(q, 'wb') as f:
                    f.write(data)
            else:
                with open(q + '.tmp', 'wb') as f:
                    f.write(data)
                os.replace(q + '.tmp', q)
            shutil.copystat(p, q)
    return n


# ---------------------------------------------------------------- self-test

SAMPLE = '''\
import sys

def loops(n):
    total = 0
    for i in range(n):
        if i % 3 == 0:
            continue
        while total < i:
            total += 1
    return total

def handlers(x):
    y = 0
    try:
        y = 10 // x
    except ZeroDivisionError as e:
        y = -1
    except (TypeError, ValueError):
        raise
    else:
        y += 1
    finally:
        y *= 2
    return y

class Ctx:
    def __enter__(self):
        return self
    def __exit__(self, *a):
        return True

def withs():
    with Ctx() as c:
        raise KeyError(c)
    return 'swallowed'

def gen(n):
    for i in range(n):
        yield i
    yield from range(2)
    return 5

def comp(xs):
    return [x * 2 for x in xs if x], {k: k for k in xs}

def closure():
    a = 1
    def inner(b, *, c=2):
        nonlocal a
        a += b + c
        return a
    return inner

def deep(x):
    return inner_call(x) + 1

def inner_call(x):
    return 1 / x

async def coro(x):
    return x

class ACtx:
    async def __aenter__(self):
        return 1
    async def __aexit__(self, *a):
        return False

async def awith():
    async with ACtx() as v:
        return v

def run():
    out = [loops(10), handlers(0), handlers(2), withs(), list(gen(3)), comp([0, 1, 2]),
           closure()(1)]
    try:
        handlers('x')
    except TypeError:
        out.append('te')
    try:
        deep(0)
    except ZeroDivisionError:
        out.append('zde')
    c = awith()
    try:
        c.send(None)
    except StopIteration as s:
        out.append(s.value)
    c = coro(4)
    try:
        c.send(None)
    except StopIteration as s:
        out.append(s.value)
    g = gen(2)
    next(g); next(g); next(g)
    try:
        g.throw(ValueError)
    except ValueError:
        out.append('thrown')
    return out

RESULT = run()
'''


class SelfTest(object):
    def __init__(self):
        self.failures = 0
        self.cases = 0

    def expect(self, label, ok, detail=''):
        self.cases += 1
        if not ok:
            self.failures += 1
            print('FAIL %s %s' % (label, detail))

    def compare(self, old, new):
        stats = cn.Stats()
        cn.compare_trees(stats, 'sample', old, new)
        return stats


def _find(code, pred):
    """(path, item index) of the first original item for which pred(items, k) holds."""
    todo = [(code, ())]
    while todo:
        c, path = todo.pop(0)
        items = items_of(c)
        for k in range(len(items)):
            if pred(items, k):
                return path, k
        k = 0
        for x in c.co_consts:
            if isinstance(x, type(code)):
                todo.append((x, path + (k,)))
                k += 1
    return None


def _edit_at(code, path, edit):
    """Apply edit(items) -> items to the NOP'd version of the code object at path."""
    def fn(c, consts, p):
        items = insert_nops(items_of(c))
        if p == path:
            items = edit(items)
        return build(c, items, consts)
    return map_tree(code, fn)


def _nop_before(items, orig_k):
    """Insert a NOP right before original item orig_k (jumps keep their targets)."""
    j = _new_index(items, orig_k)
    items.insert(j, Item(NOP, 0, None, items[j].loc, items[j].hand, None))
    for it in items:
        if it.tgt is not None and it.tgt >= j:
            it.tgt += 1
        if it.hand is not None and it.hand[0] >= j:
            it.hand = (it.hand[0] + 1,) + it.hand[1:]
    return items


def _new_index(items, orig_k):
    for j, it in enumerate(items):
        if it.orig == orig_k:
            return j
    raise LookupError(orig_k)


def _check_decoder(t, code):
    import dis
    todo = [code]
    n = 0
    while todo:
        c = todo.pop()
        todo += [x for x in c.co_consts if isinstance(x, type(c))]
        mine = [(i.off, OPNAME[i.op], i.arg if cn.HASARG[i.op] else 0, i.target) for i in cn.decode(c.co_code)]
        kw = {}
        theirs = []
        for i in dis.get_instructions(c, **kw):
            if i.opname in ('EXTENDED_ARG', 'CACHE'):
                continue
            tgt = i.argval if (i.opcode < 256 and JUMP[i.opcode]) else None
            theirs.append((i.offset, i.opname, i.arg if i.arg is not None else 0, tgt))
        # dis reports args of argless opcodes as None; ours are the raw byte (0).
        n += len(mine)
        t.expect('decoder agrees with dis on %s' % c.co_name, mine == theirs,
                 '\n  mine:   %s\n  theirs: %s' % (mine[:20], theirs[:20]))
    return n


def selftest():
    t = SelfTest()
    top = compile(SAMPLE, '<check_nops sample>', 'exec')
    ns_old = {'__name__': 'sample'}
    exec(top, ns_old)

    # 0. our decoder agrees with dis (offsets, names, args, jump targets)
    _check_decoder(t, top)
    for mod in ('dis', 'inspect', 'argparse', 'asyncio.tasks', 'json.decoder'):
        try:
            m = __import__(mod, fromlist=['x'])
            src = open(m.__file__, encoding='utf-8').read()
            _check_decoder(t, compile(src, m.__file__, 'exec'))
        except (ImportError, OSError):
            pass

    # 1. identity and a plain reassembly pass; a correct NOP insertion passes and runs
    s = t.compare(top, top)
    t.expect('identity', not s.mismatches and s.nops == 0, s.mismatches[:3])
    same = map_tree(top, lambda c, consts, p: build(c, items_of(c), consts))
    t.expect('reassembly reproduces co_code', same.co_code == top.co_code)
    s = t.compare(top, same)
    t.expect('reassembly passes', not s.mismatches, s.mismatches[:3])
    good = nop_tree(top)
    s = t.compare(top, good)
    t.expect('correct NOP insertion passes', not s.mismatches and s.nops > 50,
             (s.nops, s.mismatches[:5]))
    ns_new = {'__name__': 'sample'}
    exec(good, ns_new)
    t.expect('NOP-inserted sample runs the same', ns_old['RESULT'] == ns_new['RESULT'],
             (ns_old['RESULT'], ns_new['RESULT']))

    # 2. broken rewrites, each must be detected
    def detected(label, code, needle):
        s = t.compare(top, code)
        hit = [m for m in s.mismatches if needle in m[2]]
        t.expect('detects %s' % label, hit, 'mismatches: %s' % (s.mismatches[:5],))

    def is_jump(items, k):
        it = items[k]
        return (it.tgt is not None and JUMP[it.op] in (1, 2) and it.tgt + 2 < len(items)
                and OPNAME[it.op] not in ('FOR_ITER', 'SEND'))

    path, k = _find(top, is_jump)

    def wrong_jump(items):
        it = items[_new_index(items, k)]
        c = it.tgt
        while items[c].orig is None:
            c += 1
        c += 1
        while items[c].orig is None:
            c += 1
        it.tgt = c
        return items
    detected('a wrong jump target', _edit_at(top, path, wrong_jump), 'jump lands')

    path, k = _find(top, lambda items, k: OPNAME[items[k].op] in ('BINARY_OP', 'BINARY_TRUE_DIVIDE',
                                                                  'BINARY_ADD', 'RETURN_VALUE')
                    and items[k].loc is not None)

    def wrong_line(items):
        it = items[_new_index(items, k)]
        if V >= (3, 11):
            it.loc = (it.loc[0] + 1, it.loc[1] + 1) + tuple(it.loc[2:])
        else:
            it.loc = it.loc + 1
        return items
    detected('a wrong line', _edit_at(top, path, wrong_line), 'location')

    if V >= (3, 11):
        def wrong_col(items):
            it = items[_new_index(items, k)]
            it.loc = it.loc[:3] + (it.loc[3] + 1,)
            return items
        detected('a wrong end column', _edit_at(top, path, wrong_col), 'location')

    def nop_wrong_line(items):
        j = _new_index(items, k)
        assert items[j - 1].orig is None
        items[j - 1].loc = _shift(_shift(items[j].loc))   # neither neighbour's location
        return items
    detected('a NOP with another location', _edit_at(top, path, nop_wrong_line), 'NOP')

    def nop_prev_line(items):
        j = _new_index(items, k)
        items[j - 1].loc = items[j - 2].loc   # continues the previous line: allowed
        return items
    s = t.compare(top, _edit_at(top, path, nop_prev_line))
    t.expect('a NOP that continues the previous location passes', not s.mismatches,
             s.mismatches[:3])

    path, k = _find(top, lambda items, k: OPNAME[items[k].op] in ('POP_TOP', 'STORE_FAST')
                    and k > 3)

    def missing(items):
        j = _new_index(items, k)
        del items[j]
        for it in items:
            if it.tgt is not None and it.tgt > j:
                it.tgt -= 1
            if it.hand is not None and it.hand[0] > j:
                it.hand = (it.hand[0] - 1,) + it.hand[1:]
        return items
    detected('a missing instruction', _edit_at(top, path, missing), 'missing or replaced')

    path, k = _find(top, lambda items, k: OPNAME[items[k].op] == 'LOAD_CONST')

    def wrong_arg(items):
        it = items[_new_index(items, k)]
        it.arg = it.arg + 1 if it.arg == 0 else it.arg - 1
        return items
    detected('a changed oparg', _edit_at(top, path, wrong_arg), 'oparg')

    if V >= (3, 11):
        path, k = _find(top, lambda items, k: items[k].hand is not None and
                        OPNAME[items[k].op] == 'BINARY_OP')

        def wrong_depth(items):
            it = items[_new_index(items, k)]
            it.hand = (it.hand[0], it.hand[1] + 1, it.hand[2])
            return items
        detected('a changed handler depth', _edit_at(top, path, wrong_depth), 'exception handler')

        def wrong_handler(items):
            it = items[_new_index(items, k)]
            h = it.hand[0]
            h2 = h + 1
            while items[h2].orig is None:
                h2 += 1
            it.hand = (h2 + 1,) + it.hand[1:]
            return items
        detected('a changed handler target', _edit_at(top, path, wrong_handler),
                 'exception handler')

        def no_handler(items):
            items[_new_index(items, k)].hand = None
            return items
        detected('a dropped handler', _edit_at(top, path, no_handler), 'exception handler')

        path, k = _find(top, lambda items, k: k > 0 and OPNAME[items[k].op] == 'RESUME' and
                        OPNAME[items[k - 1].op] == 'YIELD_VALUE')

        detected('a NOP between YIELD_VALUE and RESUME',
                 _edit_at(top, path, lambda items: _nop_before(items, k)),
                 'must stay directly after')
    else:
        path, k = _find(top, lambda items, k: OPNAME[items[k].op] == 'SETUP_FINALLY')

        def wrong_setup(items):
            it = items[_new_index(items, k)]
            it.tgt += 2
            while items[it.tgt].orig is None:
                it.tgt += 1
            return items
        detected('a changed SETUP_FINALLY target', _edit_at(top, path, wrong_setup),
                 'jump lands')

    # every protected sequence that occurs in the sample, split before its last element
    kinds = 0
    for seqs in cn.SEQUENCES.values():
        for seq in seqs:
            n = len(seq) - 1
            found = _find(top, lambda items, k: k >= n and
                          tuple(x.op for x in items[k - n:k + 1]) == seq)
            if found is None:
                continue
            kinds += 1
            path, k = found
            detected('a NOP inside %s' % '/'.join(OPNAME[x] for x in seq),
                     _edit_at(top, path, lambda items: _nop_before(items, k)),
                     'must stay directly after')
    t.expect('the sample has protected sequences', kinds >= (2 if V < (3, 12) else 1), kinds)
    for op in cn.NO_NOP_BEFORE:
        found = _find(top, lambda items, k: k > 0 and items[k].op == op)
        t.expect('the sample has %s' % OPNAME[op], found is not None or
                 OPNAME[op] == 'BEFORE_ASYNC_WITH' and V == (3, 8))
        if found is None:
            continue
        path, k = found
        detected('a NOP right before %s' % OPNAME[op],
                 _edit_at(top, path, lambda items: _nop_before(items, k)),
                 'NOP inserted directly before it')

    if cn.FOR_ITER_SKIP:
        path, k = _find(top, lambda items, k: OPNAME[items[k].op] == 'FOR_ITER')

        def for_to_nop(items):
            it = items[_new_index(items, k)]
            tj = it.tgt
            items.insert(tj, Item(NOP, 0, None, items[tj].loc, items[tj].hand, None))
            for x in items:
                if x.tgt is not None and x.tgt >= tj and x is not it:
                    x.tgt += 1
                if x.hand is not None and x.hand[0] >= tj:
                    x.hand = (x.hand[0] + 1,) + x.hand[1:]
            return items
        detected('FOR_ITER landing on a NOP before END_FOR', _edit_at(top, path, for_to_nop),
                 'FOR_ITER target must be exactly')

    detected('a smaller co_stacksize',
             map_tree(top, lambda c, consts, p: build(c, insert_nops(items_of(c)), consts,
                                                      co_stacksize=max(0, c.co_stacksize - 1))),
             'co_stacksize shrank')
    def rename_locals(c, consts, p):
        extra = {}
        if c.co_name == 'loops':
            extra['co_varnames'] = tuple(v + '_' for v in c.co_varnames)
        return build(c, insert_nops(items_of(c)), consts, **extra)
    detected('a renamed local', map_tree(top, rename_locals), 'co_varnames')
    detected('a changed constant',
             map_tree(top, lambda c, consts, p: build(c, insert_nops(items_of(c)),
                                                      [1.0 if x == 1 and type(x) is int else x
                                                       for x in consts])),
             'co_consts')

    # 3. whole-file checks: header, missing counterpart, empty comparison
    tmp = tempfile.mkdtemp(prefix='check_nops_')
    try:
        a, b = os.path.join(tmp, 'a'), os.path.join(tmp, 'b')
        os.makedirs(a)
        os.makedirs(b)
        hdr = cn.MAGIC + b'\0' * 12
        with open(os.path.join(a, 'm.pyc'), 'wb') as f:
            f.write(hdr + marshal.dumps(top))
        with open(os.path.join(b, 'm.pyc'), 'wb') as f:
            f.write(hdr + marshal.dumps(good))
        import io
        out = io.StringIO()
        t.expect('file pair passes', cn.run(a, b, 1, False, out) == 0, out.getvalue())
        with open(os.path.join(b, 'm.pyc'), 'wb') as f:
            f.write(cn.MAGIC + b'\0' * 4 + b'\1' + b'\0' * 7 + marshal.dumps(good))
        out = io.StringIO()
        t.expect('detects a changed header', cn.run(a, b, 1, False, out) == 1 and
                 'header' in out.getvalue(), out.getvalue())
        os.unlink(os.path.join(b, 'm.pyc'))
        out = io.StringIO()
        t.expect('detects a missing counterpart', cn.run(a, b, 1, False, out) == 1,
                 out.getvalue())
        out = io.StringIO()
        t.expect('fails when nothing is compared', cn.run(b, a, 1, False, out) == 1,
                 out.getvalue())
    finally:
        shutil.rmtree(tmp)

    print('check_nops self-test (python %d.%d): %d passed, %d failed'
          % (V + (t.cases - t.failures, t.failures)))
    return 1 if t.failures else 0


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in ('rewrite', 'rewrite-broken') and len(argv) == 3:
        n = rewrite_dir(argv[1], argv[2], argv[0] == 'rewrite-broken')
        print('rewrote %d pycs' % n)
        return 0
    if argv == ['self-test'] or not argv:
        return selftest()
    sys.stderr.write(__doc__)
    return 2


if __name__ == '__main__':
    sys.exit(main())
