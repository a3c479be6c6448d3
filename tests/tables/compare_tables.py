#!/usr/bin/env python3
"""Cross-check the compiled instruction tables against live interpreters.

    compare_tables.py --dump BUILD/tests/tables/dump_tables --root SRCDIR [--only 3.X]

For every interpreter tools/pythons.sh finds, a probe running inside it
reports its magic, opcode lists, inline caches, dis.stack_effect() over many
opargs, and the jumps and name operands of real code (stdlib modules plus a
sample) as `dis` decodes them.  dump_tables prints what the C tables say for
the same magic.  Compared, per version:
  * every opcode 0..255: existence, name, has-arg, jump kind, name/const/
    local/free/compare lists, cache count; every struct lz_wellknown field;
  * lz_stack_effect == dis.stack_effect for every opcode, both edges, on
    ~700 opargs (0..511, EXTENDED_ARG-sized values up to 2**28);
  * every jump target dis computes == the rule of rewriter/opcodes.c applied
    to the C flags, oi_ncache and v_jump_unit; every jump opcode must occur;
  * namespace classes (LZ_OPF_GLOBAL_*, LZ_OPF_IMPORT*): the documented
    opcode list, and every co_names operand of a sample whose names spell
    their role (rd_ read, wr_ bound, rm_ deleted, mod_/frm_ imported);
  * every co_names operand: co_names[arg >> oi_nameshift] == dis argval;
    every two-local operand: (arg >> 4, arg & 15) == dis argval.
This is independent of tools/gen_opcodes.py: it shares no code with it.
Exit 0 on agreement, 1 on a difference, 77 when interpreters are missing
(1 when the environment has CI=true).
"""

import argparse
import json
import os
import subprocess
import sys

VERSIONS = ["3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14", "3.15"]

PROBE = r'''
import dis, importlib.util, json, opcode, platform, sys

def args_list():
    a = list(range(512))
    x = 12345
    for _ in range(150):                    # fixed LCG: deterministic
        x = (x * 1103515245 + 12345) % (1 << 31)
        a.append(x % (1 << 28))
    a += [0xFFFF, 0x10000, 0x10003, 0xFFFFFF, 0x1000000, (1 << 28) - 1]
    return a

ARGS = args_list()
out = {"version": platform.python_version(), "minor": sys.version_info[1],
       "magic": int.from_bytes(importlib.util.MAGIC_NUMBER[:2], "little"),
       "args": ARGS, "opmap": {}, "lists": {}}
for n, o in opcode.opmap.items():
    if o < 256:
        out["opmap"][n] = o
hasarg = set(getattr(opcode, "hasarg", [o for o in range(opcode.HAVE_ARGUMENT, 256)]))
out["lists"]["hasarg"] = sorted(o for o in hasarg if o < 256)
for l in ("hasjrel", "hasjabs", "hasname", "hasconst", "haslocal", "hasfree", "hascompare"):
    out["lists"][l] = sorted(o for o in getattr(opcode, l) if o < 256)
ice = getattr(opcode, "_inline_cache_entries", None)
caches = {}
if isinstance(ice, list):
    caches = {opcode.opname[o]: n for o, n in enumerate(ice) if n}
elif ice is not None:
    caches = {n: c for n, c in dict(ice).items() if c}
out["caches"] = caches
out["min_instrumented"] = getattr(opcode, "MIN_INSTRUMENTED_OPCODE", 256)

eff = {}
for n, o in out["opmap"].items():
    rows = []
    for jump in (False, True):
        row = []
        for a in (ARGS if o in hasarg else [None]):
            try:
                row.append(dis.stack_effect(o, a, jump=jump))
            except (ValueError, TypeError):
                row.append(None)
        rows.append(row)
    eff[n] = rows
out["effects"] = eff

SAMPLE = """
def loops(a, b):
    while a:
        try:
            if b:
                break
            if a is None:
                continue
            return b
        finally:
            b = 0
    while a is not None and b:
        a -= 1
    while a is not None:
        a = a.parent
    while a is None:
        a = b
    for i in a:
        if i is None:
            pass
    x, y = a, b
    y, x = x, y
    return x and y or a
async def af(a):
    async for x in a:
        pass
    async with a as b:
        pass
    return [z async for z in a]
def gen():
    yield from gen()
class K(object):
    def m(self):
        return super().m(), super().attr, super(K, self).m()
"""
def walk(c):
    yield c
    for k in c.co_consts:
        if hasattr(k, "co_code"):
            for s in walk(k):
                yield s
codes = [compile(SAMPLE, "<sample>", "exec")]
for mod in ("ast", "collections", "email.message", "http.client", "unittest.case", "logging",
            "shutil", "asyncio.base_events", "pdb", "pickle", "difflib", "datetime"):
    try:
        spec = importlib.util.find_spec(mod)
        with open(spec.origin, "rb") as f:
            codes.append(compile(f.read(), spec.origin, "exec"))
    except Exception:
        pass
jumps, names, local2 = [], [], []
jops = set(out["lists"]["hasjrel"]) | set(out["lists"]["hasjabs"])
nops = set(out["lists"]["hasname"])
for top in codes:
    for co in walk(top):
        locs = list(co.co_varnames) + list(co.co_cellvars) + list(co.co_freevars)
        for i in dis.get_instructions(co):
            if i.arg is None:
                continue
            if i.opcode in jops:
                jumps.append([i.opcode, i.offset, i.arg, i.argval])
            if i.opcode in nops:
                names.append([i.opcode, i.arg, co.co_names.index(i.argval)
                              if i.argval in co.co_names else -1])
            if (isinstance(i.argval, tuple) and len(i.argval) == 2
                    and all(isinstance(x, str) and x in locs for x in i.argval)
                    and i.opcode in set(out["lists"]["haslocal"])):
                local2.append([i.opcode, i.arg, [locs.index(x) for x in i.argval]])
out["jumps"], out["names"], out["local2"] = jumps, names, local2
# Namespace roles: rd_ read from globals/builtins, wr_ bound, rm_ deleted,
# mod_ imported module, frm_ name imported from it, at_ attribute.
NS = ["""
wr_a = rd_a
del rm_a
import mod_a as wr_b
import mod_b.frm_a as wr_c
from mod_c import frm_b as wr_d
rd_b.at_a = rd_c.at_b
def wr_f():
    global wr_e, rm_b
    wr_e = rd_d
    del rm_b
    return rd_e.at_c
class wr_g:
    wr_h = rd_f
    del rm_c
""", "class wr_i:\n    type wr_j = rd_g\n"]
ns = []
for src in NS:
    try:
        top = compile(src, "<ns>", "exec")
    except SyntaxError:
        continue
    for co in walk(top):
        for i in dis.get_instructions(co):
            if i.opcode in nops and isinstance(i.argval, str):
                ns.append([i.opcode, i.argval])
out["ns"] = ns
out["ncodes"] = len(codes)
json.dump(out, sys.stdout)
'''

RUNTIME_ONLY = ("ENTER_EXECUTOR", "RESERVED")

# The namespace class of each co_names opcode, as rewriter/tables/opcodes.c
# documents it; every other opcode has none.
NS_CLASS = {"LOAD_NAME": "GLOBAL_LOAD", "LOAD_GLOBAL": "GLOBAL_LOAD",
            "LOAD_FROM_DICT_OR_GLOBALS": "GLOBAL_LOAD", "STORE_NAME": "GLOBAL_STORE",
            "STORE_GLOBAL": "GLOBAL_STORE", "DELETE_NAME": "GLOBAL_DELETE",
            "DELETE_GLOBAL": "GLOBAL_DELETE", "IMPORT_NAME": "IMPORT", "IMPORT_FROM": "IMPORT_FROM"}
NS_FLAGS = {"GLOBAL_LOAD", "GLOBAL_STORE", "GLOBAL_DELETE", "IMPORT", "IMPORT_FROM"}
NS_ROLES = [("rd_", "GLOBAL_LOAD"), ("wr_", "GLOBAL_STORE"), ("rm_", "GLOBAL_DELETE"),
            ("mod_", "IMPORT"), ("frm_", "IMPORT_FROM"), ("at_", None)]


def find_pythons(root):
    res = subprocess.run(["sh", os.path.join(root, "tools", "pythons.sh")], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, universal_newlines=True, check=False)
    found = {}
    for line in res.stdout.splitlines():
        p = line.split(None, 1)
        if len(p) == 2:
            found[p[0]] = p[1].strip()
    return found


def read_dump(dump, magic, args):
    res = subprocess.run([dump, str(magic)], input=" ".join(map(str, args)), stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, universal_newlines=True, check=False)
    if res.returncode != 0:
        raise RuntimeError("dump_tables %d failed: %s" % (magic, res.stderr.strip()))
    t = {"wk": {}, "ops": {}, "eff": {}}
    for line in res.stdout.splitlines():
        f = line.split()
        if f[0] == "version":
            t["version"] = {"magic": int(f[1]), "minor": int(f[2]), "name": f[3], "interp": f[4],
                            "have_argument": int(f[5]), "jump_unit": int(f[6])}
        elif f[0] == "wk":
            t["wk"][f[1]] = int(f[2])
        elif f[0] == "op":
            t["ops"][int(f[1])] = {"name": f[2], "flags": set(f[3].split("|")),
                                   "ncache": int(f[4]), "shift": int(f[5]), "valid": f[6] == "1"}
        elif f[0] == "e":
            t["eff"][(int(f[1]), int(f[2]))] = (int(f[3]), int(f[4]))
    return t


class Checker:
    def __init__(self, ver):
        self.ver = ver
        self.errors = []
        self.counts = {}

    def fail(self, msg):
        if len(self.errors) < 40:
            self.errors.append("%s: %s" % (self.ver, msg))
        elif len(self.errors) == 40:
            self.errors.append(None)        # printed as "... more differences"

    def count(self, what, n=1):
        self.counts[what] = self.counts.get(what, 0) + n


def check_version(ver, d, t):
    c = Checker(ver)
    v = t["version"]
    if v["minor"] != d["minor"] or v["magic"] != d["magic"]:
        c.fail("table is 3.%d/%d, interpreter 3.%d/%d" % (v["minor"], v["magic"], d["minor"], d["magic"]))
    if v["interp"] != d["version"]:
        print("compare_tables: note: %s table generated from %s, interpreter is %s"
              % (ver, v["interp"], d["version"]))
    ops = t["ops"]
    L = {k: set(x) for k, x in d["lists"].items()}
    byop = {o: n for n, o in d["opmap"].items()}
    # Opcodes and flags.
    for op in range(256):
        name = byop.get(op)
        on_disk = name is not None and not (name.startswith("INSTRUMENTED_") or name in RUNTIME_ONLY)
        if name is not None and not on_disk and op < d["min_instrumented"] and name not in RUNTIME_ONLY:
            c.fail("%s %d is run-time only below MIN_INSTRUMENTED_OPCODE" % (name, op))
        if not on_disk:
            if op in ops:
                c.fail("opcode %d (%s) in the table but not on disk" % (op, name))
            continue
        if op not in ops:
            c.fail("%s %d missing from the table" % (name, op))
            continue
        c.count("opcodes")
        o = ops[op]
        fl = o["flags"]
        if o["name"] != name:
            c.fail("opcode %d: table %s, interpreter %s" % (op, o["name"], name))
        expect = {"EXISTS": True, "ARG": op in L["hasarg"],
                  "JABS": op in L["hasjabs"], "NAME": op in L["hasname"],
                  "CONST": op in L["hasconst"], "LOCAL": op in L["haslocal"],
                  "FREE": op in L["hasfree"], "COMPARE": op in L["hascompare"]}
        for flag, want in sorted(expect.items()):
            if (flag in fl) != want:
                c.fail("%s: flag %s is %s, interpreter says %s" % (name, flag, flag in fl, want))
        if (("JREL" in fl) or ("JBACK" in fl)) != (op in L["hasjrel"]):
            c.fail("%s: relative-jump flags %s vs hasjrel" % (name, fl))
        want_ns = {NS_CLASS[name]} if name in NS_CLASS else set()
        if fl & NS_FLAGS != want_ns:
            c.fail("%s: namespace class %s, documented %s" % (name, sorted(fl & NS_FLAGS), sorted(want_ns)))
        if fl & NS_FLAGS and op not in L["hasname"]:
            c.fail("%s: namespace class without co_names operand" % name)
        if (op >= v["have_argument"]) != (op in L["hasarg"]):
            c.fail("%s: v_have_argument %d disagrees with hasarg" % (name, v["have_argument"]))
        if o["ncache"] != d["caches"].get(name, 0):
            c.fail("%s: %d caches, interpreter %d" % (name, o["ncache"], d["caches"].get(name, 0)))
        # Stack effects.
        rows = d["effects"][name]
        axis = d["args"] if op in L["hasarg"] else [None]
        defined = any(x is not None for x in rows[0] + rows[1])
        if o["valid"] != defined:
            c.fail("%s: effect valid %s, dis defined %s" % (name, o["valid"], defined))
            continue
        for j in (0, 1):
            for a, want in zip(axis, rows[j]):
                got = t["eff"][(op, 0 if a is None else a)][j]
                c.count("effects")
                if want is None:
                    if got != 0:
                        c.fail("%s arg %s jump=%d: dis refuses, table says %d" % (name, a, j, got))
                elif got != want:
                    c.fail("%s arg %s jump=%d: table %d, dis %d" % (name, a, j, got, want))
    # Well-known numbers.
    for field, val in t["wk"].items():
        want = d["opmap"].get(field, -1)
        if val != want:
            c.fail("v_op.%s = %d, opmap says %d" % (field, val, want))
        c.count("wellknown")
    # Jumps: the documented rule on the C flags.
    seen = set()
    unit = v["jump_unit"]
    for op, off, arg, target in d["jumps"]:
        o = ops[op]
        end = off + 2 + 2 * o["ncache"]
        if "JABS" in o["flags"]:
            got = arg * unit
        elif "JBACK" in o["flags"]:
            got = end - arg * unit
        elif "JREL" in o["flags"]:
            got = end + arg * unit
        else:
            c.fail("%s at %d: dis decodes a jump, table has no jump flag" % (o["name"], off))
            continue
        seen.add(op)
        c.count("jumps")
        if got != target:
            c.fail("%s at %d arg %d: dis target %d, rule %d" % (o["name"], off, arg, target, got))
    for op, o in ops.items():
        if o["flags"] & {"JREL", "JBACK", "JABS"} and op not in seen:
            c.fail("jump %s never occurs in the sample code" % o["name"])
    # Names and two-local operands.
    for op, arg, idx in d["names"]:
        if idx < 0:
            continue
        c.count("names")
        if arg >> ops[op]["shift"] != idx:
            c.fail("%s arg %d: co_names index %d, shift %d gives %d"
                   % (ops[op]["name"], arg, idx, ops[op]["shift"], arg >> ops[op]["shift"]))
    # Namespace classes on compiled code whose names spell their role.
    ns_seen = set()
    for op, argval in d["ns"]:
        role = [r for p, r in NS_ROLES if argval.startswith(p)]
        if not role:
            continue
        want = set() if role[0] is None else {role[0]}
        c.count("namespace")
        got = ops[op]["flags"] & NS_FLAGS
        if got != want:
            c.fail("%s %r: namespace class %s, the sample says %s"
                   % (ops[op]["name"], argval, sorted(got), sorted(want)))
        ns_seen |= got
    if ns_seen != NS_FLAGS:
        c.fail("namespace classes %s never occur in the sample" % sorted(NS_FLAGS - ns_seen))
    for op, arg, idx in d["local2"]:
        c.count("local2")
        if "LOCAL2" not in ops[op]["flags"] or [arg >> 4, arg & 15] != idx:
            c.fail("%s arg %d: dis locals %s" % (ops[op]["name"], arg, idx))
    return c


def main(argv):
    ap = argparse.ArgumentParser()
    ap.add_argument("--dump", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--only", action="append", choices=VERSIONS)
    opts = ap.parse_args(argv)
    found = find_pythons(opts.root)
    versions = [v for v in VERSIONS if not opts.only or v in opts.only]
    missing = [v for v in versions if v not in found]
    bad = False
    for ver in versions:
        if ver not in found:
            continue
        res = subprocess.run([found[ver], "-I", "-c", PROBE], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, universal_newlines=True, check=False)
        if res.returncode != 0:
            print("compare_tables: %s probe failed:\n%s" % (ver, res.stderr), file=sys.stderr)
            bad = True
            continue
        d = json.loads(res.stdout)
        try:
            t = read_dump(opts.dump, d["magic"], d["args"])
        except RuntimeError as e:
            print("compare_tables: %s: %s" % (ver, e), file=sys.stderr)
            bad = True
            continue
        c = check_version(ver, d, t)
        summary = ", ".join("%d %s" % (n, k) for k, n in sorted(c.counts.items()))
        if c.errors:
            bad = True
            for e in c.errors:
                print("compare_tables: " + (e or "... more differences"), file=sys.stderr)
            print("compare_tables: %s (CPython %s): FAILED (%s)" % (ver, d["version"], summary))
        else:
            print("compare_tables: %s (CPython %s): ok (%s)" % (ver, d["version"], summary))
    if bad:
        return 1
    if missing:
        msg = "compare_tables: MISSING interpreters: %s (tools/pythons.sh --provision)" % " ".join(missing)
        print("*" * 72 + "\n" + msg + "\n" + "*" * 72, file=sys.stderr)
        return 1 if os.environ.get("CI") == "true" else 77
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
