#!/usr/bin/env python3
"""Generate rewriter/tables/opcodes_3XX.c from the real CPython interpreters.

    tools/gen_opcodes.py [--check] [--outdir DIR] [--dump-json DIR] [--only 3.X ...]

The driver runs under any python3 (3.8+).  For every "VERSION PATH" line
printed by tools/pythons.sh it runs PROBE (below) inside that interpreter; the
probe dumps, as JSON, what the interpreter's own `opcode`, `dis` and
`importlib.util` modules say: magic number, on-disk opcode map, argument and
jump/name/const/local/free/compare lists, inline cache counts,
dis.stack_effect() over many opargs, and "observations" made by compiling
sample code (jump targets and name indexes as `dis` decodes them).

The driver then
  * fits every opcode's stack effect to struct lz_effect (linear in the low
    and high oparg bytes, or a 256-entry table over the low byte plus a
    linear high part) and re-checks the model on every sampled oparg;
  * derives the flags (rules in flags_for() and in the comment block of
    rewriter/tables/opcodes.c) and checks them against the observations: every jump
    target dis computes is recomputed from our flags, v_jump_unit and cache
    counts; every co_names index is recomputed with oi_nameshift; every
    LZ_OPF_LOCAL2 oparg is split into its two local indexes; every co_names
    operand of the namespace samples (NS_SAMPLES, names spelling their role)
    must carry exactly the LZ_OPF_GLOBAL_* / LZ_OPF_IMPORT* class its name
    says, every classed opcode must occur there, and every opcode.hasname
    opcode must be classified (NAMESPACE_OPS or ATTRIBUTE_NAME_OPS);
  * writes one C file per version (sorted, no timestamps).

Anything that does not fit the model aborts with a message naming the
interpreter, the opcode and the oparg.  --check regenerates into memory and
compares with the committed files: exit 0 if equal, 1 on a difference or an
error, 77 (meson's "skipped") when interpreters are missing, unless the
environment has CI=true, where a missing interpreter is a failure.
"""

import argparse
import difflib
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
VERSIONS = ["3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14", "3.15"]
SKIP_EXIT = 77

# --------------------------------------------------------------------------
# The probe: runs inside each target interpreter (3.8 .. 3.15), so it must be
# plain 3.8-compatible Python.  It prints one JSON object on stdout.
# --------------------------------------------------------------------------
PROBE = r'''
import dis, importlib.util, json, opcode, platform, sys

MINOR = sys.version_info[1]
out = {}
out["version"] = platform.python_version()
out["minor"] = MINOR
out["magic"] = int.from_bytes(importlib.util.MAGIC_NUMBER[:2], "little")
out["magic_tail"] = list(importlib.util.MAGIC_NUMBER[2:])
out["have_argument"] = opcode.HAVE_ARGUMENT

# Opcodes the interpreter only creates at run time (instrumentation, the JIT
# entry) or reserves, never written by the compiler nor accepted from a pyc
# by a sane tool.  Reported in the generated file's header.
def runtime_only(name):
    return name.startswith("INSTRUMENTED_") or name in ("ENTER_EXECUTOR", "RESERVED")

opmap = {}
excluded = {}
for name, op in opcode.opmap.items():
    if op >= 256:
        continue            # compiler pseudo-ops, never on disk
    if runtime_only(name):
        excluded[name] = op
    else:
        opmap[name] = op
out["opmap"] = opmap
out["excluded"] = excluded

def ops(lst):
    return sorted(set(o for o in lst if o < 256))

if hasattr(opcode, "hasarg"):
    out["hasarg"] = ops(opcode.hasarg)
else:
    out["hasarg"] = [o for o in sorted(opmap.values()) if o >= opcode.HAVE_ARGUMENT]
for lst in ("hasjrel", "hasjabs", "hasname", "hasconst", "haslocal", "hasfree",
            "hascompare", "hasjump", "hasexc"):
    if hasattr(opcode, lst):
        out[lst] = ops(getattr(opcode, lst))

ice = getattr(opcode, "_inline_cache_entries", None)
caches = {}
if isinstance(ice, list):                 # 3.11, 3.12: indexed by opcode
    for op, n in enumerate(ice):
        if n and op < 256 and opcode.opname[op] in opmap:
            caches[opcode.opname[op]] = n
elif ice is not None:                     # 3.13: dict, 3.15: frozendict, by name
    for name, n in dict(ice).items():
        if n and name in opmap:
            caches[name] = n
out["caches"] = caches

code_attrs = {}
co = compile("x = 1", "<probe>", "exec")
for attr in ("co_lnotab", "co_linetable", "co_exceptiontable", "co_positions"):
    code_attrs[attr] = hasattr(co, attr)
out["code_attrs"] = code_attrs

# dis.stack_effect over many opargs; None where it raises.
ARGS = list(range(301))
# The interpreter computes effects in a C int, so opargs stay below 2**29
# (BUILD_MAP pops 2*n); the model extends linearly beyond.
for k in (2, 3, 7, 100, 255, 256, 4097, 65535, 65536, 1 << 20):
    for j in (0, 1, 2, 3, 4, 5, 7, 8, 15, 16, 31, 32, 127, 128, 254, 255):
        ARGS.append(256 * k + j)
out["effect_args"] = ARGS
hasarg = set(out["hasarg"])
effects = {}
for name, op in opmap.items():
    rows = []
    for jump in (False, True):
        vals = []
        for a in (ARGS if op in hasarg else [None]):
            try:
                vals.append(dis.stack_effect(op, a, jump=jump))
            except (ValueError, TypeError):
                vals.append(None)
        rows.append(vals)
    effects[name] = rows
out["effects"] = effects

# ---- observations on compiled code ------------------------------------------
# "@PAD@" lines load 40 names first, so the names the sample is about get
# co_names indexes >= 40 and exactly one shift maps oparg to index.
PAD = "(" + ", ".join("pad%d" % i for i in range(40)) + ",)"
def padded(body):
    return body.replace("@PAD@", PAD)

SAMPLES = [
    # module level names, imports, attributes
    padded("""@PAD@
import os.path
import os as q1
from os import path as p1, sep
from . import rel1
from .. import rel2 as rel3
from os.path import *
del q1
glob1 = 1
x1.attr1 = 2
del x1.attr1
x1.meth1(1)
x1.attr2
def f1(a, b):
    @PAD@
    global glob2
    glob2 = a
    del glob2
    import json.decoder
    from json import loads as ld
    ga.attr3.meth2(b)
    ga.attr4
    c, d = a, b
    a, b = b, a
    e = a + b
    return len(a), e, c, d, ld, ga.attr5
class C1(B1):
    clsattr = gb
    def m1(self):
        @PAD@
        return super().m1(), super().attr6, super(C1, self).attr7, super(C1, self).m2()
async def af(a):
    async for x in a:
        pass
    async with a as b:
        pass
    await a
def gen1():
    yield 1
    yield from gen1()
def loops(a, b):
    while a:
        a -= 1
        if b:
            continue
        if b is None:
            break
    for i in a:
        if i is not None:
            b = i
    while a is not None or b:
        a = b
    try:
        a = 1
    except ValueError as e:
        a = e
    finally:
        b = 2
    with a as c, b:
        a = c
    return a and b or c
def cls():
    x = 1
    def inner():
        nonlocal x
        x = 2
        return x
    return inner
"""),
    # 3.12+ class scopes with type parameters: LOAD_FROM_DICT_OR_* ops
    "class C2[T]:\n    x = T\n    def m(self) -> T:\n        return T\n",
    "def tp[T](a: T) -> T:\n    return a\n",
    "class C3:\n    x = 1\n    def f():\n        return x\n",
    padded("class C4:\n    type A = @PAD@\n    type B = (C4, @PAD@)\n"),
]

# Namespace-class samples: every name is spelled by what the statement does
# with it (gload_ read from the module namespace or builtins, gstore_ bound
# there, gdel_ deleted there, imod_ the module of an import, ifrom_ the name
# imported from it, attr_ an attribute), so the driver can check the
# LZ_OPF_GLOBAL_* / LZ_OPF_IMPORT* class of every co_names operand against
# what the source says.  Unprefixed names (__name__, super, locals) are not
# checked.  Samples a version cannot compile are skipped; a class no sample
# produces fails the generation.
NS_SAMPLES = [
    # module level: LOAD_NAME, STORE_NAME, DELETE_NAME, imports, attributes
    """
gstore_a = gload_a
gstore_b, gstore_c = gload_b, gload_c
for gstore_d in gload_d:
    pass
with gload_e as gstore_e:
    pass
del gdel_a
del gdel_b, gdel_c
import imod_a as gstore_f
import imod_b.ifrom_a as gstore_g
from imod_c import ifrom_b as gstore_h, ifrom_c as gstore_i
from .imod_d import ifrom_d as gstore_j
from ..imod_e.imod_f import ifrom_e as gstore_k
from imod_g import *
gload_f.attr_a = gload_g.attr_b
del gload_h.attr_c
gload_i.attr_d(gload_j.attr_e)
gstore_l = [gload_k for lc in gload_ka]
def gstore_fn(a, b):
    global gstore_m, gdel_d
    gstore_m = gload_l
    del gdel_d
    import imod_h as loc1
    from imod_i import ifrom_f as loc2
    import imod_j.ifrom_g as loc3
    gload_m.attr_f = a
    return gload_n(a), gload_o.attr_g, loc1, loc2, loc3
class gstore_cls(gload_p, metaclass=gload_q):
    gstore_n = gload_r
    del gdel_e
    import imod_k as gstore_o
    def gstore_meth(self):
        return super().attr_h, super().attr_i(), gload_s
class gstore_cls2:
    global gstore_p, gload_t, gdel_f
    gstore_p = gload_t
    del gdel_f
""",
    # 3.12+ annotation scopes: LOAD_FROM_DICT_OR_GLOBALS in class bodies
    """
class gstore_c2:
    type gstore_alias = gload_u
    def gstore_gm[T](self, a: gload_v) -> T:
        pass
    gstore_ann: gload_w
class gstore_c3[T](gload_x):
    gstore_q = gload_y
    def gstore_m(self) -> gload_z:
        return T
type gstore_ta[T] = gload_aa
def gstore_gf[T](a: gload_ab) -> T:
    pass
""",
    # 3.15 lazy imports (PEP 810): IMPORT_NAME oparg flag bits
    "lazy import imod_l as gstore_r\nlazy from imod_m import ifrom_h as gstore_s\n",
]

def walk(code):
    yield code
    for c in code.co_consts:
        if hasattr(c, "co_code"):
            for sub in walk(c):
                yield sub

STDLIB = ["contextlib", "dis", "inspect", "argparse", "asyncio.tasks", "json.decoder",
          "tokenize", "tarfile", "typing", "enum", "functools", "subprocess"]
codes = []
for i, src in enumerate(SAMPLES):
    try:
        codes.append(compile(src, "<sample%d>" % i, "exec"))
    except SyntaxError:
        pass
ns_codes = []
for i, src in enumerate(NS_SAMPLES):
    try:
        ns_codes.append(compile(src, "<ns_sample%d>" % i, "exec"))
    except SyntaxError:
        pass
codes += ns_codes
for mod in STDLIB:
    try:
        spec = importlib.util.find_spec(mod)
        with open(spec.origin, "rb") as f:
            codes.append(compile(f.read(), spec.origin, "exec"))
    except Exception:
        pass

jumprel = set(out["hasjrel"]) | set(out["hasjabs"])
names_seen = []      # [opname, arg, index of argval in co_names or -1]
jumps_seen = []      # [opname, offset, arg, target]
local2_seen = []     # [opname, arg, [i1, i2]] with i = index in the locals
nameops = set(out["hasname"])
for top in codes:
    for co in walk(top):
        localnames = list(co.co_varnames) + list(co.co_cellvars) + list(co.co_freevars)
        for ins in dis.get_instructions(co):
            op = ins.opcode
            if ins.opname not in opmap:
                continue
            if op in nameops and ins.arg is not None:
                argval = ins.argval
                idx = co.co_names.index(argval) if argval in co.co_names else -1
                names_seen.append([ins.opname, ins.arg, idx])
            if op in jumprel and ins.arg is not None:
                jumps_seen.append([ins.opname, ins.offset, ins.arg, ins.argval])
            if isinstance(ins.argval, tuple) and len(ins.argval) == 2 and op in set(out["haslocal"]):
                local2_seen.append([ins.opname, ins.arg,
                                    [localnames.index(n) if n in localnames else -1
                                     for n in ins.argval]])
out["names_seen"] = names_seen
out["jumps_seen"] = jumps_seen
out["local2_seen"] = local2_seen
# [opname, argval] of every co_names operand in the namespace samples.
ns_seen = []
for top in ns_codes:
    for co in walk(top):
        for ins in dis.get_instructions(co):
            if ins.opname in opmap and ins.opcode in nameops and isinstance(ins.argval, str):
                ns_seen.append([ins.opname, ins.argval])
out["ns_seen"] = ns_seen
out["ns_samples"] = len(ns_codes)
out["samples"] = len(codes)
json.dump(out, sys.stdout, sort_keys=True)
'''


class GenError(Exception):
    pass


def find_pythons():
    """Run tools/pythons.sh; return {version: path} and the missing versions."""
    res = subprocess.run(["sh", os.path.join(HERE, "pythons.sh")], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, universal_newlines=True, check=False)
    found = {}
    for line in res.stdout.splitlines():
        parts = line.split(None, 1)
        if len(parts) == 2 and parts[0] in VERSIONS:
            found[parts[0]] = parts[1].strip()
    missing = [v for v in VERSIONS if v not in found]
    return found, missing


def run_probe(version, path):
    res = subprocess.run([path, "-I", "-c", PROBE], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, universal_newlines=True, check=False)
    if res.returncode != 0:
        raise GenError("%s (%s): probe failed:\n%s" % (version, path, res.stderr))
    data = json.loads(res.stdout)
    got = "3.%d" % data["minor"]
    if got != version:
        raise GenError("%s: %s is really %s" % (version, path, got))
    return data


# --------------------------------------------------------------------------
# Flags
# --------------------------------------------------------------------------
RETURNS_OR_RAISES = {"RETURN_VALUE", "RETURN_CONST", "RAISE_VARARGS", "RERAISE"}
UNCOND_JUMPS = {"JUMP_FORWARD", "JUMP_ABSOLUTE", "JUMP_BACKWARD", "JUMP_BACKWARD_NO_INTERRUPT"}
# Push a block on the 3.8-3.10 dynamic block stack, handler = jump target.
# 3.8 CALL_FINALLY is NOT one: it pushes a return address on the value stack
# and jumps into the finally body; no block is pushed (see opcodes.c).
SETUP_OPS = {"SETUP_FINALLY", "SETUP_WITH", "SETUP_ASYNC_WITH"}
# 3.13+: oparg = first_local << 4 | second_local.
LOCAL2_OPS = {"LOAD_FAST_LOAD_FAST", "STORE_FAST_LOAD_FAST", "STORE_FAST_STORE_FAST",
              "LOAD_FAST_BORROW_LOAD_FAST_BORROW"}


# Namespace classes of the co_names opcodes (documented in opcodes.c).  Every
# opcode in opcode.hasname must be in exactly one of NAMESPACE_OPS and
# ATTRIBUTE_NAME_OPS, so a name opcode a new version adds stops the generator
# until someone classifies it.  verify_namespace() checks the classes against
# the compiled NS_SAMPLES of the probe.
NAMESPACE_OPS = {
    "LOAD_NAME": "LZ_OPF_GLOBAL_LOAD",
    "LOAD_GLOBAL": "LZ_OPF_GLOBAL_LOAD",
    "LOAD_FROM_DICT_OR_GLOBALS": "LZ_OPF_GLOBAL_LOAD",      # 3.12+
    "STORE_NAME": "LZ_OPF_GLOBAL_STORE",
    "STORE_GLOBAL": "LZ_OPF_GLOBAL_STORE",
    "DELETE_NAME": "LZ_OPF_GLOBAL_DELETE",
    "DELETE_GLOBAL": "LZ_OPF_GLOBAL_DELETE",
    "IMPORT_NAME": "LZ_OPF_IMPORT",
    "IMPORT_FROM": "LZ_OPF_IMPORT_FROM",
}
# co_names operands that are attribute names, not namespace bindings.
ATTRIBUTE_NAME_OPS = {"LOAD_ATTR", "STORE_ATTR", "DELETE_ATTR", "LOAD_METHOD", "LOAD_SUPER_ATTR"}
NAMESPACE_FLAGS = ["LZ_OPF_GLOBAL_LOAD", "LZ_OPF_GLOBAL_STORE", "LZ_OPF_GLOBAL_DELETE",
                   "LZ_OPF_IMPORT", "LZ_OPF_IMPORT_FROM"]
# The spelling convention of the probe's NS_SAMPLES: name prefix -> class
# (None: an attribute name, which must have no namespace class).
NS_PREFIXES = [("gload_", "LZ_OPF_GLOBAL_LOAD"), ("gstore_", "LZ_OPF_GLOBAL_STORE"),
               ("gdel_", "LZ_OPF_GLOBAL_DELETE"), ("imod_", "LZ_OPF_IMPORT"),
               ("ifrom_", "LZ_OPF_IMPORT_FROM"), ("attr_", None)]


def is_backward(minor, name):
    # 3.11+: the direction is fixed by the opcode.  3.14+ END_ASYNC_FOR counts
    # back to the END_SEND of its loop (dis prints "from"); checked below
    # against dis on an `async for`.
    return minor >= 11 and ("BACKWARD" in name or name == "END_ASYNC_FOR")


def flags_for(d, name, op):
    minor = d["minor"]
    f = ["LZ_OPF_EXISTS"]
    if op in d["hasarg"]:
        f.append("LZ_OPF_ARG")
    if op in d["hasjrel"]:
        f.append("LZ_OPF_JBACK" if is_backward(minor, name) else "LZ_OPF_JREL")
    if op in d["hasjabs"]:
        f.append("LZ_OPF_JABS")
    for lst, flag in (("hasname", "LZ_OPF_NAME"), ("hasconst", "LZ_OPF_CONST"),
                      ("haslocal", "LZ_OPF_LOCAL"), ("hasfree", "LZ_OPF_FREE"),
                      ("hascompare", "LZ_OPF_COMPARE")):
        if op in d[lst]:
            f.append(flag)
    if name in RETURNS_OR_RAISES or name in UNCOND_JUMPS:
        f.append("LZ_OPF_NOFALL")
    if name in UNCOND_JUMPS:
        f.append("LZ_OPF_UNCOND")
    if name in SETUP_OPS:
        f.append("LZ_OPF_SETUP")
    if name in LOCAL2_OPS:
        f.append("LZ_OPF_LOCAL2")
    if op in d["hasname"]:
        if name in NAMESPACE_OPS:
            f.append(NAMESPACE_OPS[name])
        elif name not in ATTRIBUTE_NAME_OPS:
            raise GenError("3.%d %s: a co_names opcode in neither NAMESPACE_OPS nor "
                           "ATTRIBUTE_NAME_OPS; classify it (rewriter/tables/opcodes.c)" % (minor, name))
    elif name in NAMESPACE_OPS or name in ATTRIBUTE_NAME_OPS:
        raise GenError("3.%d %s: classified as a name opcode but not in opcode.hasname" % (minor, name))
    return f


# --------------------------------------------------------------------------
# Stack-effect model
# --------------------------------------------------------------------------
def model_value(m, arg):
    """struct lz_effect evaluated as in lz_stack_effect()."""
    linear = m["base"] + m["lo"] * (arg & 0xFF) + m["hi"] * (arg >> 8)
    if m["lut"] is None:
        return linear
    if m["exact"]:
        return m["lut"][arg] if arg < 256 else linear
    return m["lut"][arg & 0xFF] + m["hi"] * (arg >> 8)


def fit_effect(ver, name, args, vals):
    """Fit one row of dis.stack_effect values; None if undefined everywhere.

    Tried in order: linear in the two oparg bytes; a table over the low byte
    plus linear high part; a table for opargs < 256 and linear above."""
    known = [v for v in vals if v is not None]
    if not known:
        return None
    if len(known) != len(vals):
        bad = [a for a, v in zip(args, vals) if v is None][:5]
        raise GenError("%s %s: dis.stack_effect is defined for some opargs but not %s"
                       % (ver, name, bad))
    table = dict(zip(args, vals))
    if args == [None]:
        return {"base": vals[0], "lo": 0, "hi": 0, "lut": None, "exact": False}
    for a in list(range(256)) + [256, 257, 512]:
        if a not in table:
            raise GenError("%s %s: oparg %d not sampled" % (ver, name, a))

    def linear_from(a0):        # a0 a multiple of 256
        hi = table[a0 + 256] - table[a0]
        return table[a0] - hi * (a0 >> 8), table[a0 + 1] - table[a0], hi

    base, lo, hi = linear_from(0)
    lut = [table[j] for j in range(256)]
    base2, lo2, hi2 = linear_from(256)
    candidates = [
        {"base": base, "lo": lo, "hi": hi, "lut": None, "exact": False},
        {"base": 0, "lo": 0, "hi": hi, "lut": lut, "exact": False},
        {"base": base2, "lo": lo2, "hi": hi2, "lut": lut, "exact": True},
    ]
    m = None
    for c in candidates:
        if all(model_value(c, a) == v for a, v in table.items()):
            m = c
            break
    if m is None:
        c = candidates[1]
        a, v = next((a, v) for a, v in table.items() if model_value(c, a) != v)
        raise GenError("%s %s: stack effect fits no struct lz_effect model; e.g. arg %d: "
                       "dis says %d, low-byte table model %d" % (ver, name, a, v, model_value(c, a)))
    # Field ranges of struct lz_effect.
    lim = [("base", m["base"], -32768, 32767), ("lo", m["lo"], -128, 127),
           ("hi", m["hi"], -32768, 32767)]
    if m["lut"] is not None:
        lim += [("lut", min(m["lut"]), -128, 127), ("lut", max(m["lut"]), -128, 127)]
    for field, v, a, b in lim:
        if not a <= v <= b:
            raise GenError("%s %s: effect %s = %d does not fit struct lz_effect" % (ver, name, field, v))
    return m


# --------------------------------------------------------------------------
# Verification against observations
# --------------------------------------------------------------------------
def jump_target(minor, unit, flags, ncache, offset, arg):
    """The rule documented in rewriter/tables/opcodes.c."""
    if "LZ_OPF_JABS" in flags:
        return arg * unit
    end = offset + 2 + 2 * ncache
    if "LZ_OPF_JBACK" in flags:
        return end - arg * unit
    return end + arg * unit


def verify(ver, d, table):
    ops = table["ops"]
    # Jump unit: the one unit under which every jump dis decoded agrees.
    units = []
    for unit in (1, 2):
        if all(jump_target(d["minor"], unit, ops[n]["flags"], ops[n]["ncache"], off, arg) == tgt
               for n, off, arg, tgt in d["jumps_seen"]):
            units.append(unit)
    if len(units) != 1:
        # Show the first disagreement under the unit we would expect.
        unit = 1 if d["minor"] < 10 else 2
        for n, off, arg, tgt in d["jumps_seen"]:
            got = jump_target(d["minor"], unit, ops[n]["flags"], ops[n]["ncache"], off, arg)
            if got != tgt:
                raise GenError("%s: jump %s at %d arg %d: dis says target %d, our rule %d"
                               % (ver, n, off, arg, tgt, got))
        raise GenError("%s: jump unit ambiguous (%s)" % (ver, units))
    table["jump_unit"] = units[0]
    seen = sorted(set(j[0] for j in d["jumps_seen"]))
    table["jumps_verified"] = seen
    table["jumps_unverified"] = sorted(n for n, o in ops.items() if
                                       ("LZ_OPF_JREL" in o["flags"] or "LZ_OPF_JBACK" in o["flags"]
                                        or "LZ_OPF_JABS" in o["flags"]) and n not in seen)
    table["njumps"] = len(d["jumps_seen"])

    # Name shifts: the one shift s with co_names[arg >> s] == dis argval.
    # An observation with arg 0 fits every shift and tells nothing.
    shifts = {}
    for n, arg, idx in d["names_seen"]:
        ok = set(s for s in (0, 1, 2, 3) if idx >= 0 and arg >> s == idx)
        if len(ok) < 4:
            shifts[n] = shifts.get(n, ok) & ok
    table["names_unverified"] = []
    for n, o in sorted(ops.items()):
        if "LZ_OPF_NAME" not in o["flags"]:
            continue
        if n not in shifts:
            table["names_unverified"].append(n)
            continue
        s = shifts[n]
        if len(s) != 1:
            raise GenError("%s %s: no unique name shift fits dis (candidates %s)" % (ver, n, sorted(s)))
        o["nameshift"] = s.pop()
    table["nnames"] = len(d["names_seen"])

    # LOCAL2: dis splits the oparg into two locals, arg >> 4 and arg & 15.
    l2 = set()
    for n, arg, idx in d["local2_seen"]:
        if "LZ_OPF_LOCAL2" not in ops[n]["flags"]:
            raise GenError("%s %s: dis shows two locals but the op is not LOCAL2" % (ver, n))
        if idx != [arg >> 4, arg & 15]:
            raise GenError("%s %s arg %d: dis locals %s, rule gives %s"
                           % (ver, n, arg, idx, [arg >> 4, arg & 15]))
        l2.add(n)
    table["local2_unverified"] = sorted(n for n, o in ops.items()
                                        if "LZ_OPF_LOCAL2" in o["flags"] and n not in l2)

    verify_namespace(ver, d, table)

    # hasjump (3.13+) must be exactly our jumps.
    if "hasjump" in d:
        ours = set(o["op"] for o in ops.values()
                   if set(o["flags"]) & {"LZ_OPF_JREL", "LZ_OPF_JBACK", "LZ_OPF_JABS"})
        theirs = set(x for x in d["hasjump"] if x in set(d["opmap"].values()))
        if ours != theirs:
            raise GenError("%s: opcode.hasjump %s != our jumps %s" % (ver, sorted(theirs), sorted(ours)))

    # v_have_argument: op >= it <=> LZ_OPF_ARG, for every on-disk opcode.
    ha = table["have_argument"]
    for n, o in ops.items():
        if (o["op"] >= ha) != ("LZ_OPF_ARG" in o["flags"]):
            raise GenError("%s %s (%d): has-argument disagrees with v_have_argument %d"
                           % (ver, n, o["op"], ha))


def verify_namespace(ver, d, table):
    """Each co_names operand of the namespace samples has exactly the class its
    name spells (NS_PREFIXES), and every opcode with a class was seen doing it."""
    ops = table["ops"]
    seen = {}
    checked = 0
    for n, argval in d["ns_seen"]:
        want = [cls for pre, cls in NS_PREFIXES if argval.startswith(pre)]
        if not want:
            continue            # __name__, super, ...: nothing to check
        want = [] if want[0] is None else want
        got = [f for f in ops[n]["flags"] if f in NAMESPACE_FLAGS]
        if got != want:
            raise GenError("%s %s %r: the sample says %s, the table has %s"
                           % (ver, n, argval, want or "no namespace class", got or "none"))
        checked += 1
        for f in want:
            seen.setdefault(f, set()).add(n)
    verified = set()
    for n, o in ops.items():
        for f in o["flags"]:
            if f in NAMESPACE_FLAGS:
                if n not in seen.get(f, set()):
                    raise GenError("%s %s has %s but no namespace sample produced it; "
                                   "add one to NS_SAMPLES" % (ver, n, f))
                verified.add(n)
    table["ns_verified"] = sorted(verified)
    table["nns"] = checked


# --------------------------------------------------------------------------
# Building one table
# --------------------------------------------------------------------------
def wellknown_fields():
    """Field names of struct lz_wellknown, read from the header."""
    with open(os.path.join(ROOT, "rewriter", "tables", "lz_opcodes.h")) as f:
        text = f.read()
    m = re.search(r"struct lz_wellknown \{(.*?)\};", text, re.S)
    if not m:
        raise GenError("struct lz_wellknown not found in rewriter/tables/lz_opcodes.h")
    body = re.sub(r"/\*.*?\*/", "", m.group(1), flags=re.S)
    names = []
    for decl in body.split(";"):
        decl = decl.strip()
        if not decl:
            continue
        if not decl.startswith("int16_t"):
            raise GenError("unexpected lz_wellknown member: %r" % decl)
        names += [x.strip() for x in decl[len("int16_t"):].split(",")]
    return names


def build_table(d):
    minor = d["minor"]
    ver = "3.%d" % minor
    ops = {}
    args = d["effect_args"]
    for name, op in d["opmap"].items():
        flags = flags_for(d, name, op)
        arg_axis = args if "LZ_OPF_ARG" in flags else [None]
        rows = d["effects"][name]
        eff = [fit_effect(ver, name + (" (jump)" if j else ""), arg_axis, rows[j]) for j in (0, 1)]
        if (eff[0] is None) != (eff[1] is None):
            raise GenError("%s %s: stack effect defined on one edge only" % (ver, name))
        ops[name] = {"op": op, "flags": flags, "ncache": d["caches"].get(name, 0),
                     "nameshift": 0, "effect": eff}
    for name in d["caches"]:
        if name not in ops:
            raise GenError("%s: cache entry for unknown opcode %s" % (ver, name))

    if minor <= 12:
        have_argument = d["have_argument"]
    else:
        # 3.13+: opcodes *above* HAVE_ARGUMENT take an argument; store the
        # first one that does so "op >= v_have_argument" keeps its meaning.
        have_argument = min(d["hasarg"][i] for i in range(len(d["hasarg"]))
                            if d["hasarg"][i] in set(d["opmap"].values()))
    ca = d["code_attrs"]
    if ca["co_positions"]:
        lines = "LZ_LINES_LOCATIONS"
    elif ca["co_linetable"]:
        lines = "LZ_LINES_LINETABLE"
    else:
        lines = "LZ_LINES_LNOTAB"
    table = {
        "version": d["version"], "minor": minor, "magic": d["magic"], "ops": ops,
        "have_argument": have_argument, "lines": lines,
        "exception_table": bool(ca["co_exceptiontable"]),
        # bytecode-formats.md 5.3: from 3.12 the compiler merges adjacent
        # instructions with equal locations into one run.
        "merge_location_runs": minor >= 12,
        # bytecode-formats.md 7: 3.10-3.12 generators start with the sent
        # value on the stack (popped by GEN_START / the POP_TOP after
        # RETURN_GENERATOR); 3.13+ count RETURN_GENERATOR as +1 instead.
        "gen_start_depth": 1 if 10 <= minor <= 12 else 0,
        "excluded": d["excluded"],
        "effect_args": d["effect_args"],
    }
    if d["magic_tail"] != [13, 10]:
        raise GenError("%s: magic does not end in \\r\\n" % ver)
    verify(ver, d, table)
    wk = {}
    for field in wellknown_fields():
        wk[field] = ops[field]["op"] if field in ops else -1
    table["wellknown"] = wk
    return table


# --------------------------------------------------------------------------
# C output
# --------------------------------------------------------------------------
def c_effect(m, lutname):
    if m is None:
        return "{ 0, 0, 0, NULL, false }"
    if m["lut"] is not None:
        return "{ %d, %d, %d, %s, %s }" % (m["base"], m["lo"], m["hi"], lutname,
                                           "true" if m["exact"] else "false")
    return "{ %d, %d, %d, NULL, false }" % (m["base"], m["lo"], m["hi"])


def c_lut(name, vals):
    lines = ["static const int8_t %s[256] = {" % name]
    for i in range(0, 256, 16):
        lines.append("    " + ", ".join("%d" % v for v in vals[i:i + 16]) + ",")
    lines.append("};")
    return lines


def wrap_list(title, items, width=76):
    """A comment paragraph ' * title: a, b, c' wrapped at width."""
    out = []
    line = " * %s:" % title
    if not items:
        return [line + " none"]
    for i, it in enumerate(items):
        piece = " " + it + ("," if i + 1 < len(items) else "")
        if len(line) + len(piece) > width:
            out.append(line)
            line = " *  "
        line += piece
    out.append(line)
    return out


def render(t):
    minor = t["minor"]
    sym = "lz_version_3%d" % minor
    L = []
    L.append("/* Generated by tools/gen_opcodes.py from CPython %s — do not edit." % t["version"])
    L.append(" *")
    L.append(" * Per-opcode facts of CPython 3.%d (magic %d) as its own `opcode` and" % (minor, t["magic"]))
    L.append(" * `dis` modules report them.  Regenerate with tools/gen_opcodes.py; the")
    L.append(" * tables test fails when this file and the interpreter disagree.")
    L.append(" * Verified at generation: %d jump targets and %d name indexes decoded by"
             % (t["njumps"], t["nnames"]))
    L.append(" * dis were recomputed from these flags, v_jump_unit, oi_ncache and")
    L.append(" * oi_nameshift; every stack effect matched dis.stack_effect on %d opargs."
             % len(t["effect_args"]))
    L.append(" * Namespace classes (LZ_OPF_GLOBAL_*, LZ_OPF_IMPORT*) checked on %d co_names"
             % t["nns"])
    L.append(" * operands of the namespace samples.")
    L += wrap_list("Jumps verified", t["jumps_verified"])
    L += wrap_list("Namespace classes verified", t["ns_verified"])
    L += wrap_list("Jumps not seen in the samples (flags from opcode.hasj*)", t["jumps_unverified"])
    L += wrap_list("Name ops not seen in the samples (oi_nameshift 0 assumed)", t["names_unverified"])
    if t["local2_unverified"]:
        L += wrap_list("LOCAL2 ops not seen in the samples", t["local2_unverified"])
    L += wrap_list("Left out (run-time only: instrumentation, executors, reserved)",
                   ["%s %d" % (n, o) for n, o in sorted(t["excluded"].items(), key=lambda x: x[1])])
    L.append(" */")
    L.append('#include "lz_opcodes.h"')
    L.append("")
    L.append("#include <stddef.h>")
    L.append("")
    byop = sorted(t["ops"].items(), key=lambda kv: kv[1]["op"])
    lutnames = {}       # (name, edge) -> array; the jump edge reuses an equal fall table
    for name, o in byop:
        for j, m in enumerate(o["effect"]):
            if m is None or m["lut"] is None:
                continue
            if j == 1 and o["effect"][0]["lut"] == m["lut"]:
                lutnames[(name, 1)] = lutnames[(name, 0)]
                continue
            lutnames[(name, j)] = "lut_%s_%s" % (name, ("fall", "jump")[j])
            L += c_lut(lutnames[(name, j)], m["lut"])
            L.append("")
    L.append("extern const struct lz_version %s;" % sym)
    L.append("")
    L.append("const struct lz_version %s = {" % sym)
    L.append("    .v_magic = %d," % t["magic"])
    L.append("    .v_minor = %d," % minor)
    L.append('    .v_name = "3.%d",' % minor)
    L.append('    .v_interpreter = "%s",' % t["version"])
    L.append("    .v_have_argument = %d," % t["have_argument"])
    L.append("    .v_jump_unit = %d," % t["jump_unit"])
    L.append("    .v_lines = %s," % t["lines"])
    L.append("    .v_exception_table = %s," % ("true" if t["exception_table"] else "false"))
    L.append("    .v_merge_location_runs = %s," % ("true" if t["merge_location_runs"] else "false"))
    L.append("    .v_gen_start_depth = %d," % t["gen_start_depth"])
    L.append("    .v_op = {")
    for field, v in t["wellknown"].items():
        L.append("        .%s = %d," % (field, v))
    L.append("    },")
    L.append("    .v_ops = {")
    for name, o in byop:
        parts = ['.oi_name = "%s"' % name, ".oi_flags = " + " | ".join(o["flags"])]
        if o["ncache"]:
            parts.append(".oi_ncache = %d" % o["ncache"])
        if o["nameshift"]:
            parts.append(".oi_nameshift = %d" % o["nameshift"])
        e0, e1 = o["effect"]
        if e0 is not None:
            parts.append(".oi_effect_valid = true")
            parts.append(".oi_effect = { %s, %s }" % (c_effect(e0, lutnames.get((name, 0))),
                                                     c_effect(e1, lutnames.get((name, 1)))))
        L.append("        [%d] = {" % o["op"])
        for p in parts:
            L.append("            %s," % p)
        L.append("        },")
    L.append("    },")
    L.append("};")
    return "\n".join(L) + "\n"


def out_name(version):
    return "opcodes_3%s.c" % version.split(".")[1]


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true",
                    help="compare with the committed files instead of writing")
    ap.add_argument("--outdir", default=os.path.join(ROOT, "rewriter", "tables"))
    ap.add_argument("--dump-json", metavar="DIR", help="also write each probe's JSON here")
    ap.add_argument("--only", action="append", choices=VERSIONS, help="limit to these versions")
    opts = ap.parse_args(argv)

    found, missing = find_pythons()
    versions = [v for v in VERSIONS if not opts.only or v in opts.only]
    missing = [v for v in missing if v in versions]
    failed = False
    for v in versions:
        if v not in found:
            continue
        try:
            d = run_probe(v, found[v])
            if opts.dump_json:
                os.makedirs(opts.dump_json, exist_ok=True)
                with open(os.path.join(opts.dump_json, "probe_%s.json" % v), "w") as f:
                    json.dump(d, f, sort_keys=True, indent=1)
            text = render(build_table(d))
        except GenError as e:
            print("gen_opcodes: error: %s" % e, file=sys.stderr)
            failed = True
            continue
        path = os.path.join(opts.outdir, out_name(v))
        if opts.check:
            try:
                with open(path, encoding="utf-8") as f:
                    old = f.read()
            except OSError:
                old = None
            if old != text:
                print("gen_opcodes: %s is out of date (regenerate with tools/gen_opcodes.py)"
                      % path, file=sys.stderr)
                diff = difflib.unified_diff((old or "").splitlines(), text.splitlines(),
                                            "committed", "regenerated", lineterm="")
                for i, line in enumerate(diff):
                    if i == 40:
                        print("...", file=sys.stderr)
                        break
                    print(line, file=sys.stderr)
                failed = True
            else:
                print("gen_opcodes: %s: up to date (CPython %s)" % (out_name(v), d["version"]))
        else:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            print("gen_opcodes: wrote %s (CPython %s)" % (path, d["version"]))
    if failed:
        return 1
    if missing:
        msg = "gen_opcodes: MISSING interpreters: %s (run tools/pythons.sh --provision)" % " ".join(missing)
        print("*" * 72 + "\n" + msg + "\n" + "*" * 72, file=sys.stderr)
        if os.environ.get("CI") == "true":
            return 1
        return SKIP_EXIT if opts.check else 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
