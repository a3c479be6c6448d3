#!/usr/bin/env python3
"""Check that `lazyc rewrite --debug-nops` kept every pyc's behaviour.

    python3.X check_nops.py [-j N] [--allow-missing] [--expect-nops] ORIG_DIR NEW_DIR
    python3.X check_nops.py --self-test

Run it with the interpreter whose pycs are compared (3.8 ... 3.15): only pycs
whose magic is that interpreter's are checked.  For every .pyc under ORIG_DIR
with a counterpart (same relative path) under NEW_DIR the two code-object
trees are walked in parallel and compared:

* the 16-byte header is byte-identical;
* every code attribute except code / line table / exception table /
  stacksize is equal (constants compared type-strictly, nested code objects
  compared recursively instead);
* the new instruction stream is the original one with NOPs inserted, and
  nothing else: same opcodes and opargs for non-jumps (EXTENDED_ARG folded,
  CACHE entries skipped); a jump (or a 3.11+ exception handler) must land on
  the same original instruction, where landing on a run of NOPs counts as
  landing on the first non-NOP instruction after it, and the instruction it
  lands on must carry the same location as the original target;
* every original instruction keeps its line (3.8/3.9 lnotab, 3.10 co_lines)
  or its full position (3.11+ co_positions), and every inserted NOP carries
  the location of the instruction it precedes (otherwise line tracing and
  coverage would see different events);
* 3.11+: every original instruction keeps its exception handler (target,
  depth, lasti), or keeps having none;
* instruction sequences the interpreter reads as a unit stay contiguous
  (3.8-3.10 GET_AWAITABLE after BEFORE_ASYNC_WITH / WITH_CLEANUP_START /
  WITH_EXCEPT_START / DUP_TOP+CALL_FUNCTION, whose error message depends on
  them; 3.11 PRECALL/CALL and SEND/YIELD_VALUE; 3.11+ YIELD_VALUE/RESUME;
  3.14+ conditional jump/NOT_TAKEN), 3.8-3.10 get no NOP right before
  SETUP_FINALLY / SETUP_WITH / BEFORE_ASYNC_WITH (the eval loop defers
  signals while one of them is next), and a 3.12+ FOR_ITER still lands
  exactly on its END_FOR (the interpreter skips a fixed number of units);
* co_stacksize does not shrink.

Prints "N files, N code objects, N instructions, N NOPs inserted,
N mismatches", up to 50 mismatch lines (examples of every kind) and a count
per kind of mismatch; exits 1 on any mismatch, on a missing counterpart
(unless --allow-missing), with --expect-nops on a pyc without any inserted
NOP, and when nothing was compared.
`--self-test` fabricates broken rewrites of a small module and checks that
each one is detected (and that a correct rewrite passes).
"""

import argparse
import dis
import importlib.util
import marshal
import opcode
import os
import re
import sys

V = sys.version_info[:2]
MAGIC = importlib.util.MAGIC_NUMBER
HEADER_SIZE = 16
MAX_LINES = 50          # mismatch lines printed
MAX_PER_CODE = 5        # mismatch records kept per code object
MAX_DEPTH = 200         # nesting limit for code objects and constants

OPNAME = list(opcode.opname[:256]) + ['<%d>' % i for i in range(len(opcode.opname), 256)]
OP = opcode.opmap
EXTENDED_ARG = opcode.EXTENDED_ARG
NOP = OP['NOP']


def _cache_counts():
    n = [0] * 256
    ice = getattr(opcode, '_inline_cache_entries', None)
    if ice is None:
        return n
    if hasattr(ice, 'items'):           # 3.13+: name -> count
        for name, count in ice.items():
            op = OP.get(name)
            if op is not None and op < 256:
                n[op] = count
    else:                               # 3.11 / 3.12: list indexed by opcode
        for op, count in enumerate(list(ice)[:256]):
            n[op] = count
    return n


CACHES = _cache_counts()

# jump kind per opcode: 0 none, 1 relative forward, 2 absolute, 3 relative backward
JUMP = [0] * 256
for _op in dis.hasjrel:
    if _op < 256:
        _name = OPNAME[_op]
        _back = V >= (3, 11) and ('BACKWARD' in _name or _name == 'END_ASYNC_FOR')
        JUMP[_op] = 3 if _back else 1
for _op in dis.hasjabs:
    if _op < 256:
        JUMP[_op] = 2

# (first, second): if adjacent in the original they must stay adjacent.
if V >= (3, 13):
    HASARG = [op in opcode.hasarg for op in range(256)]
else:
    HASARG = [op >= opcode.HAVE_ARGUMENT for op in range(256)]

# Instruction sequences the interpreter reads as a unit: where the original
# has them contiguous, no NOP may be inserted between them.
#  - 3.8-3.10 GET_AWAITABLE words its TypeError after the opcode(s) before it
#    (__aenter__ / __aexit__ of 'async with');
#  - 3.11 a specialised PRECALL skips the CALL after it; gen.throw() reads
#    the SEND right before the suspended YIELD_VALUE;
#  - 3.11+ gi_yieldfrom / throw() / close() read the RESUME right after YIELD_VALUE;
#  - 3.14+ branch monitoring pairs a conditional jump with its NOT_TAKEN.
_SEQ = []
if V == (3, 8):
    _SEQ += [('BEFORE_ASYNC_WITH', 'GET_AWAITABLE'), ('WITH_CLEANUP_START', 'GET_AWAITABLE')]
if (3, 9) <= V <= (3, 10):
    _SEQ += [('BEFORE_ASYNC_WITH', 'GET_AWAITABLE'), ('WITH_EXCEPT_START', 'GET_AWAITABLE'),
             ('DUP_TOP', 'CALL_FUNCTION', 'GET_AWAITABLE')]
if V == (3, 11):
    _SEQ += [('PRECALL', 'CALL'), ('SEND', 'YIELD_VALUE')]
if V >= (3, 11):
    _SEQ.append(('YIELD_VALUE', 'RESUME'))
if V >= (3, 14):
    _SEQ += [(_n, 'NOT_TAKEN') for _n in OP if _n.startswith('POP_JUMP_IF_')]
SEQUENCES = {}      # opcode of the last element -> [opcode tuples]
for _s in _SEQ:
    if all(x in OP for x in _s):
        SEQUENCES.setdefault(OP[_s[-1]], []).append(tuple(OP[x] for x in _s))
# 3.8-3.10 defer signal handlers and thread switches while the *next*
# instruction is one of these (so `with open(p) as f:` cannot be interrupted
# between open() and SETUP_WITH); a NOP before them opens that window.
NO_NOP_BEFORE = set()
if V <= (3, 10):
    NO_NOP_BEFORE = {OP[x] for x in ('SETUP_FINALLY', 'SETUP_WITH', 'BEFORE_ASYNC_WITH')}
# 3.12+: FOR_ITER's exhausted path jumps to target + this many instructions.
FOR_ITER_SKIP = {(3, 12): 1, (3, 13): 2}.get(V, 1 if V >= (3, 14) else 0)


# ---------------------------------------------------------------- decoding

class Insn(object):
    """One instruction: its EXTENDED_ARG prefixes, opcode and caches."""
    __slots__ = ('start', 'off', 'op', 'arg', 'end', 'target')

    def __init__(self, start, off, op, arg, end, target):
        self.start = start      # offset of the first EXTENDED_ARG prefix, else off
        self.off = off          # offset of the opcode unit
        self.op = op
        self.arg = arg          # full oparg, prefixes folded in
        self.end = end          # offset after the caches
        self.target = target    # jump target offset or None


def jump_target(op, off, arg, end):
    kind = JUMP[op]
    if not kind:
        return None
    if V < (3, 10):
        return off + 2 + arg if kind == 1 else arg
    if V == (3, 10):
        return off + 2 + 2 * arg if kind == 1 else 2 * arg
    return end - 2 * arg if kind == 3 else end + 2 * arg


def decode(code_bytes):
    """Instructions of co_code (EXTENDED_ARG folded, caches skipped)."""
    b = code_bytes
    n = len(b) - len(b) % 2
    out = []
    i = 0
    ext = 0
    start = -1
    while i < n:
        op = b[i]
        arg = b[i + 1] | ext
        if start < 0:
            start = i
        if op == EXTENDED_ARG:
            ext = arg << 8
            i += 2
            continue
        end = i + 2 + 2 * CACHES[op]
        out.append(Insn(start, i, op, arg, end, jump_target(op, i, arg, end)))
        ext = 0
        start = -1
        i = end
    return out


def locations(code, units):
    """Per code unit: line (3.8-3.10) or position 4-tuple (3.11+)."""
    if V >= (3, 11):
        pos = list(code.co_positions())
        if len(pos) < units:
            pos += [None] * (units - len(pos))
        return pos
    loc = [None] * units
    if V == (3, 10):
        for s, e, line in code.co_lines():
            for u in range(s // 2, min(e // 2, units)):
                loc[u] = line
        return loc
    starts = list(dis.findlinestarts(code))
    for k, (s, line) in enumerate(starts):
        e = starts[k + 1][0] if k + 1 < len(starts) else 2 * units
        for u in range(s // 2, min(e // 2, units)):
            loc[u] = line
    return loc


def parse_exception_table(raw):
    """3.11+ co_exceptiontable -> [(start, end, target, depth, lasti)] in bytes."""
    out = []
    i = 0
    n = len(raw)

    def varint():
        nonlocal i
        if i >= n:
            raise ValueError('exception table truncated at byte %d' % i)
        v = raw[i] & 63
        while raw[i] & 64:
            i += 1
            if i >= n:
                raise ValueError('exception table truncated at byte %d' % i)
            v = (v << 6) | (raw[i] & 63)
        i += 1
        return v

    while i < n:
        if not raw[i] & 128:
            raise ValueError('exception table entry without start mark at byte %d' % i)
        start = varint()
        size = varint()
        target = varint()
        dl = varint()
        out.append((2 * start, 2 * (start + size), 2 * target, dl >> 1, dl & 1))
    return out


def handlers(code, units):
    """Per code unit: (target offset, depth, lasti) or None."""
    h = [None] * units
    if V < (3, 11):
        return h
    for s, e, t, d, l in parse_exception_table(code.co_exceptiontable):
        for u in range(s // 2, min(e // 2, units)):
            h[u] = (t, d, l)
    return h


# ---------------------------------------------------------------- comparing

CODE_ATTRS = ('co_argcount', 'co_posonlyargcount', 'co_kwonlyargcount',
              'co_nlocals', 'co_flags', 'co_names', 'co_varnames',
              'co_freevars', 'co_cellvars', 'co_filename', 'co_name',
              'co_qualname', 'co_firstlineno')


def const_key(c, codes, depth=0):
    """A type-strict comparison key; code objects are appended to codes."""
    if depth > MAX_DEPTH:
        raise ValueError('constants nested too deeply')
    t = type(c)
    if t is type(const_key.__code__):
        codes.append(c)
        return ('<code>',)
    if t is tuple:
        return ('tuple',) + tuple(const_key(x, codes, depth + 1) for x in c)
    if t is frozenset:
        keys = [const_key(x, codes, depth + 1) for x in c]
        return ('frozenset',) + tuple(sorted(keys, key=repr))
    if t is slice:
        return ('slice', const_key(c.start, codes, depth + 1),
                const_key(c.stop, codes, depth + 1), const_key(c.step, codes, depth + 1))
    return (t.__name__, repr(c))


class Stats(object):
    def __init__(self):
        self.files = 0
        self.codes = 0
        self.insns = 0
        self.nops = 0
        self.missing = 0
        self.skipped = 0
        self.mismatches = []        # (file, qualname, text)
        self.unrecorded = {}        # kind -> mismatches past MAX_PER_CODE (counted only)
        self.no_nop_before = {}     # opname -> count of originals with no NOP inserted before

    def add(self, other):
        self.files += other.files
        self.codes += other.codes
        self.insns += other.insns
        self.nops += other.nops
        self.missing += other.missing
        self.skipped += other.skipped
        self.mismatches += other.mismatches
        for k, v in other.unrecorded.items():
            self.unrecorded[k] = self.unrecorded.get(k, 0) + v
        for k, v in other.no_nop_before.items():
            self.no_nop_before[k] = self.no_nop_before.get(k, 0) + v


def fmt_loc(loc):
    return 'line None' if loc is None else ('line %s' % (loc,) if V < (3, 11) else
                                              'pos %s' % (loc,))


class CodePair(object):
    """Compares one original code object with its rewritten counterpart."""

    def __init__(self, stats, fname, qualname, old, new):
        self.stats = stats
        self.fname = fname
        self.qualname = qualname
        self.old = old
        self.new = new
        self.count = 0

    def bad(self, text):
        self.count += 1
        if self.count <= MAX_PER_CODE:
            self.stats.mismatches.append((self.fname, self.qualname, text))
        else:
            kind = mismatch_kind(text)
            self.stats.unrecorded[kind] = self.stats.unrecorded.get(kind, 0) + 1

    def compare(self):
        """Returns the list of (old, new) nested code objects to compare next."""
        old, new = self.old, self.new
        for a in CODE_ATTRS:
            x, y = getattr(old, a, None), getattr(new, a, None)
            if x != y:
                self.bad('%s differs: %r -> %r' % (a, x, y))
        old_codes, new_codes = [], []
        try:
            ok, nk = const_key(old.co_consts, old_codes), const_key(new.co_consts, new_codes)
        except ValueError as e:
            self.bad(str(e))
            return []
        if ok != nk or len(old_codes) != len(new_codes):
            self.bad('co_consts differ: %.200r -> %.200r' % (old.co_consts, new.co_consts))
            return []
        if new.co_stacksize < old.co_stacksize:
            self.bad('co_stacksize shrank: %d -> %d' % (old.co_stacksize, new.co_stacksize))
        self.compare_code()
        return list(zip(old_codes, new_codes))

    def compare_code(self):
        old, new = self.old, self.new
        oi, ni = decode(old.co_code), decode(new.co_code)
        self.stats.insns += len(oi)
        ou, nu = len(old.co_code) // 2, len(new.co_code) // 2
        # The non-NOP instructions must correspond one to one; NOPs come in
        # runs before each of them (and after the last one).
        oreal = [k for k, ins in enumerate(oi) if ins.op != NOP]
        nreal = [k for k, ins in enumerate(ni) if ins.op != NOP]
        for i, j in zip(oreal, nreal):
            if oi[i].op != ni[j].op:
                self.bad('insn %d (%s at %d): missing or replaced, new code has %s at %d'
                         % (i, OPNAME[oi[i].op], oi[i].off, OPNAME[ni[j].op], ni[j].off))
                return
        if len(oreal) != len(nreal):
            if len(oreal) > len(nreal):
                i = oreal[len(nreal)]
                self.bad('insn %d (%s at %d): missing or replaced, new code has end of code'
                         % (i, OPNAME[oi[i].op], oi[i].off))
            else:
                j = nreal[len(oreal)]
                self.bad('extra instruction %s at %d' % (OPNAME[ni[j].op], ni[j].off))
            return
        self.stats.nops += len(ni) - len(oi)
        old_of_new = dict(zip(nreal, oreal))
        old_canon = self.canon(oi)
        new_canon = self.canon(ni)
        old_at = {ins.start: k for k, ins in enumerate(oi)}
        new_at = {ins.start: k for k, ins in enumerate(ni)}
        oloc = locations(old, ou)
        nloc = locations(new, nu)
        try:
            ohand = handlers(old, ou)
            nhand = handlers(new, nu)
        except (ValueError, IndexError) as e:
            self.bad('exception table unreadable: %s' % e)
            ohand = nhand = None

        def mapped(k_new):
            """Original non-NOP index a new instruction index stands for."""
            c = new_canon[k_new]
            return old_of_new[c] if c is not None else None

        no_nop = self.stats.no_nop_before
        prev_i = prev_j = prev_i0 = -1
        for i, j in list(zip(oreal, nreal)) + [(len(oi), len(ni))]:
            # the NOP runs before this instruction (or at the very end)
            orun = range(prev_i + 1, i)
            nrun = range(prev_j + 1, j)
            prev_i, prev_j = i, j
            last = i >= len(oi)
            name = 'end of code' if last else OPNAME[oi[i].op]
            head = 'insn %d (%s at %d)' % (i, name, len(old.co_code) if last else oi[i].off)
            if len(nrun) < len(orun):
                self.bad('%s: %d original NOPs before it, only %d left'
                         % (head, len(orun), len(nrun)))
            elif len(nrun) == len(orun) and not last:
                no_nop[name] = no_nop.get(name, 0) + 1
            lo = None if last else oloc[oi[i].off // 2]
            ln = None if last else nloc[ni[j].off // 2]
            # Executed in order, the previous instruction, the NOPs (original
            # and inserted) and this instruction must pass through the same
            # locations as the original: an inserted NOP takes the location
            # of the instruction after it or continues the one before it.
            # (Jumps landing on a NOP are checked on their own below.)
            before = ('start',) if prev_i0 < 0 else (oloc[oi[prev_i0].off // 2],)
            ol = self.fold(list(before) + [oloc[oi[k].off // 2] for k in orun] + [lo])
            nl = self.fold(list(before) + [nloc[ni[k].off // 2] for k in nrun] + [ln])
            if ol != nl:
                self.bad('%s: NOPs before it add locations: %s -> %s'
                         % (head, ' / '.join(fmt_loc(x) for x in ol[len(before):]),
                            ' / '.join(fmt_loc(x) for x in nl[len(before):])))
            prev_i0 = i
            if last:
                break
            ins, nins = oi[i], ni[j]
            if lo != ln:
                self.bad('%s: location %s -> %s' % (head, fmt_loc(lo), fmt_loc(ln)))
            if HASARG[ins.op] and not JUMP[ins.op] and nins.arg != ins.arg:
                self.bad('%s: oparg %d -> %d' % (head, ins.arg, nins.arg))
            # jump target
            if JUMP[ins.op]:
                okk = old_at.get(ins.target)
                nkk = new_at.get(nins.target)
                if okk is None:
                    self.bad('%s: original jump target %d is not an instruction'
                             % (head, ins.target))
                elif nkk is None:
                    self.bad('%s: jump target %d is not an instruction start'
                             % (head, nins.target))
                else:
                    oc, nc = old_canon[okk], mapped(nkk)
                    if oc != nc:
                        self.bad('%s: jump lands on original insn %s, expected %s'
                                 % (head, nc, oc))
                    elif oloc[oi[okk].off // 2] != nloc[ni[nkk].off // 2]:
                        self.bad('%s: jump target location %s -> %s'
                                 % (head, fmt_loc(oloc[oi[okk].off // 2]),
                                    fmt_loc(nloc[ni[nkk].off // 2])))
                    if FOR_ITER_SKIP and name == 'FOR_ITER':
                        want = [x.op for x in oi[okk:okk + FOR_ITER_SKIP]]
                        got = [x.op for x in ni[nkk:nkk + FOR_ITER_SKIP]]
                        if want != got:
                            self.bad('%s: FOR_ITER target must be exactly %s (the interpreter '
                                     'skips %d instruction(s) there), new code has %s'
                                     % (head, '/'.join(OPNAME[x] for x in want),
                                        FOR_ITER_SKIP, '/'.join(OPNAME[x] for x in got)))
            # sequences that must stay contiguous
            for seq in SEQUENCES.get(ins.op, ()):
                k = len(seq) - 1
                if i >= k and tuple(x.op for x in oi[i - k:i + 1]) == seq:
                    if j < k or tuple(x.op for x in ni[j - k:j + 1]) != seq:
                        self.bad('%s: must stay directly after %s, NOP inserted between'
                                 % (head, '/'.join(OPNAME[x] for x in seq[:-1])))
            if ins.op in NO_NOP_BEFORE and nrun and not orun:
                self.bad('%s: NOP inserted directly before it (3.8-3.10 defer signals and '
                         'thread switches only while it is the next instruction)' % head)
            # exception handler
            if ohand is not None:
                ho, hn = ohand[ins.off // 2], nhand[nins.off // 2]
                if (ho is None) != (hn is None):
                    self.bad('%s: exception handler %s -> %s' % (head, ho, hn))
                elif ho is not None:
                    okk = old_at.get(ho[0])
                    nkk = new_at.get(hn[0])
                    oc = old_canon[okk] if okk is not None else ('bad', ho[0])
                    nc = mapped(nkk) if nkk is not None else ('bad', hn[0])
                    if oc != nc or ho[1:] != hn[1:]:
                        self.bad('%s: exception handler (insn, depth, lasti) %s -> %s'
                                 % (head, (oc,) + ho[1:], (nc,) + hn[1:]))

    @staticmethod
    def fold(seq):
        out = []
        for x in seq:
            if not out or out[-1] != x:
                out.append(x)
        return out

    @staticmethod
    def canon(insns):
        """Per index: first index at or after it that is not a NOP (None past the end)."""
        out = [None] * len(insns)
        nxt = None
        for k in range(len(insns) - 1, -1, -1):
            if insns[k].op != NOP:
                nxt = k
            out[k] = nxt
        return out


def compare_trees(stats, fname, old, new):
    stack = [(old, new, old.co_name if V < (3, 11) else old.co_qualname, 0)]
    while stack:
        o, n, qual, depth = stack.pop()
        if depth > MAX_DEPTH:
            stats.mismatches.append((fname, qual, 'code objects nested too deeply'))
            continue
        stats.codes += 1
        pair = CodePair(stats, fname, '%s@%d' % (qual, o.co_firstlineno), o, n)
        nested = pair.compare()
        for co, cn in reversed(nested):
            q = co.co_qualname if V >= (3, 11) else '%s.%s' % (qual, co.co_name)
            stack.append((co, cn, q, depth + 1))


EXPECT_NOPS = [False]     # set by --expect-nops (inherited by forked workers)


def check_file(args):
    rel, orig_path, new_path = args
    stats = Stats()
    with open(orig_path, 'rb') as f:
        od = f.read()
    if od[:4] != MAGIC:
        stats.skipped += 1
        return stats
    if not os.path.exists(new_path):
        stats.missing += 1
        stats.mismatches.append((rel, '-', 'no rewritten counterpart'))
        return stats
    with open(new_path, 'rb') as f:
        nd = f.read()
    stats.files += 1
    if od[:HEADER_SIZE] != nd[:HEADER_SIZE]:
        stats.mismatches.append((rel, '-', 'header %s -> %s'
                                 % (od[:HEADER_SIZE].hex(), nd[:HEADER_SIZE].hex())))
        return stats
    try:
        oc = marshal.loads(od[HEADER_SIZE:])
    except Exception:           # the original itself is unreadable: not our business
        stats.files -= 1
        stats.skipped += 1
        return stats
    try:
        nc = marshal.loads(nd[HEADER_SIZE:])
    except Exception as e:
        stats.mismatches.append((rel, '-', 'rewritten pyc does not load: %r' % e))
        return stats
    try:
        compare_trees(stats, rel, oc, nc)
    except Exception as e:      # a checker crash on odd input is a finding, not a pass
        stats.mismatches.append((rel, '-', 'checker error: %r' % e))
    if EXPECT_NOPS[0] and stats.nops == 0 and stats.insns > 0:
        stats.mismatches.append((rel, '-', 'no NOP inserted anywhere: not rewritten?'))
    return stats


def find_pairs(orig_dir, new_dir):
    out = []
    for root, dirs, files in os.walk(orig_dir):
        dirs.sort()
        for name in sorted(files):
            if name.endswith('.pyc'):
                p = os.path.join(root, name)
                rel = os.path.relpath(p, orig_dir)
                out.append((rel, p, os.path.join(new_dir, rel)))
    return out


def mismatch_kind(text):
    """'insn 12 (SETUP_WITH at 24): NOP inserted ...' -> 'SETUP_WITH: NOP inserted ...'."""
    m = re.match(r'insn \d+ \((\w+) at \d+\): (.*)$', text)
    if m:
        return '%s: %s' % (m.group(1), re.sub(r'\s*[-\d(\[{].*$', '', m.group(2)))
    return re.sub(r'\s*[-\d(\[{<].*$', '', text)


def run(orig_dir, new_dir, jobs, allow_missing, out=sys.stdout):
    pairs = find_pairs(orig_dir, new_dir)
    stats = Stats()
    if jobs > 1 and len(pairs) > 1:
        import multiprocessing
        with multiprocessing.Pool(jobs) as pool:
            for s in pool.imap_unordered(check_file, pairs, chunksize=8):
                stats.add(s)
    else:
        for p in pairs:
            stats.add(check_file(p))
    stats.mismatches.sort()
    real = [m for m in stats.mismatches if allow_missing is False or m[2] != 'no rewritten counterpart']
    # group by kind, print examples of every kind round-robin
    kinds = {}
    for m in real:
        kinds.setdefault(mismatch_kind(m[2]), []).append(m)
    for k in stats.unrecorded:
        kinds.setdefault(k, [])
    total = len(real) + sum(stats.unrecorded.values())
    count = {k: len(v) + stats.unrecorded.get(k, 0) for k, v in kinds.items()}
    order = sorted(kinds, key=lambda k: -count[k])
    shown = 0
    for r in range(max([len(v) for v in kinds.values()] + [0])):
        for k in order:
            if r < len(kinds[k]) and shown < MAX_LINES:
                fname, qual, text = kinds[k][r]
                out.write('MISMATCH %s: %s: %s\n' % (fname, qual, text))
                shown += 1
    if total > shown:
        out.write('... %d more mismatch lines\n' % (total - shown))
    for k in order[:20]:
        out.write('mismatch kind: %6d  %s\n' % (count[k], k))
    top = sorted(stats.no_nop_before.items(), key=lambda kv: -kv[1])[:12]
    if top:
        out.write('no NOP inserted before: %s\n' % ', '.join('%s %d' % kv for kv in top))
    if stats.skipped:
        out.write('skipped %d pycs of other versions or unreadable originals\n' % stats.skipped)
    if stats.missing:
        out.write('%d pycs have no rewritten counterpart\n' % stats.missing)
    out.write('python %d.%d: %d files, %d code objects, %d instructions, %d NOPs inserted, '
              '%d mismatches\n' % (V + (stats.files, stats.codes, stats.insns, stats.nops,
                                        total)))
    if stats.files == 0:
        out.write('nothing compared\n')
        return 1
    return 1 if total else 0


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('orig', nargs='?')
    ap.add_argument('new', nargs='?')
    ap.add_argument('-j', '--jobs', type=int, default=1)
    ap.add_argument('--allow-missing', action='store_true',
                    help='do not count pycs without a rewritten counterpart as mismatches')
    ap.add_argument('--expect-nops', action='store_true',
                    help='a pyc in which no NOP was inserted at all is a mismatch')
    ap.add_argument('--self-test', action='store_true')
    a = ap.parse_args(argv)
    if a.self_test:
        here = os.path.dirname(os.path.abspath(__file__))
        sys.path.insert(0, here)
        import check_nops_ref
        return check_nops_ref.selftest()
    if not a.orig or not a.new:
        ap.error('ORIG_DIR and NEW_DIR are required')
    EXPECT_NOPS[0] = a.expect_nops
    return run(a.orig, a.new, a.jobs, a.allow_missing)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
