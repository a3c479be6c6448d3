"""Extract line/location and exception tables, with the interpreter's own
reading of them, for the lazyc line-table corpus test.

    python3.X extract.py OUTPUT [--limit N]

Run it with each interpreter (tools/pythons.sh lists them).  It compiles the
interpreter's standard library (every .py under sysconfig's stdlib path,
site-/dist-packages excluded; files that do not compile are skipped) plus a
synthetic module exercising edge cases, walks every code object and writes
one record per code object to OUTPUT (a text file; keep it outside the
repository):

    C <minor> <firstlineno> <nunits> <name>
    S <run starts: hex bitmap, bit u%8 of byte u/8 = unit u starts an instruction>
    T <raw line table, hex: co_lnotab (3.8/3.9) or co_linetable (3.10+)>
    X <raw co_exceptiontable, hex (empty before 3.11)>
    L <expected location per unit, run-length: COUNT*LINE,END_LINE,COL,END_COL ...>
    H <expected handler per unit, run-length: COUNT*TARGET,DEPTH,LASTI ...>

'-' stands for None.  The expected values come from the interpreter, not
from the tables: co_positions() (3.11+), co_lines() (3.10),
dis.findlinestarts() (3.8/3.9) and dis._parse_exception_table() (3.11+).
Instruction starts are found by scanning co_code with this interpreter's
EXTENDED_ARG number and inline cache counts (opcode module): an instruction
is its EXTENDED_ARG prefixes, the opcode and its caches.
The last line of OUTPUT is "V <minor> <files compiled> <files skipped> <code objects>".
"""
import dis
import opcode
import os
import sys
import sysconfig
import warnings

MINOR = sys.version_info[1]


def cache_table():
    """Inline cache units per opcode number (all zero before 3.11)."""
    caches = [0] * 256
    entries = getattr(opcode, "_inline_cache_entries", None)
    if entries is None:
        return caches
    if hasattr(entries, "items"):          # 3.13+: {name: count}
        for name, count in entries.items():
            if name in opcode.opmap and opcode.opmap[name] < 256:
                caches[opcode.opmap[name]] = count
    else:                                  # 3.11/3.12: list indexed by opcode
        for op, count in enumerate(entries[:256]):
            caches[op] = count
    return caches


CACHES = cache_table()
EXTENDED_ARG = opcode.opmap["EXTENDED_ARG"]


def run_starts(code):
    """One flag per code unit: does an instruction (with its prefixes) start here?"""
    raw = code.co_code
    n = len(raw) // 2
    starts = bytearray((n + 7) // 8)
    u = 0
    in_prefix = False
    while u < n:
        op = raw[2 * u]
        if not in_prefix:
            starts[u // 8] |= 1 << (u % 8)
        in_prefix = op == EXTENDED_ARG
        u += 1 + (0 if in_prefix else CACHES[op])
    return starts


def fmt(v):
    return "-" if v is None else str(v)


def rle(items):
    out = []
    prev = None
    count = 0
    for it in items:
        if it == prev:
            count += 1
            continue
        if count:
            out.append("%d*%s" % (count, ",".join(fmt(x) for x in prev)))
        prev = it
        count = 1
    if count:
        out.append("%d*%s" % (count, ",".join(fmt(x) for x in prev)))
    return " ".join(out)


def expected_locations(code, n):
    if MINOR >= 11:
        pos = list(code.co_positions())
        if len(pos) != n:
            raise SystemExit("co_positions gave %d entries for %d units" % (len(pos), n))
        return pos
    lines = [None] * n
    if MINOR == 10:
        for start, end, line in code.co_lines():
            for u in range(start // 2, min(end // 2, n)):
                lines[u] = line
    else:
        starts = list(dis.findlinestarts(code))
        k = -1
        for u in range(n):
            while k + 1 < len(starts) and starts[k + 1][0] <= 2 * u:
                k += 1
            lines[u] = starts[k][1] if k >= 0 else None
    return [(line, None, None, None) for line in lines]


def expected_handlers(code, n):
    handlers = [(-1, 0, 0)] * n
    if MINOR >= 11:
        for e in dis._parse_exception_table(code):
            for u in range(e.start // 2, e.end // 2):
                handlers[u] = (e.target // 2, e.depth, int(e.lasti))
    return handlers


def write_code(out, code):
    n = len(code.co_code) // 2
    table = code.co_lnotab if MINOR < 10 else code.co_linetable
    exc = getattr(code, "co_exceptiontable", b"")
    name = getattr(code, "co_qualname", code.co_name).replace(" ", "_") or "?"
    out.write("C %d %d %d %s\n" % (MINOR, code.co_firstlineno, n, name))
    out.write("S %s\n" % run_starts(code).hex())
    out.write("T %s\n" % bytes(table).hex())
    out.write("X %s\n" % bytes(exc).hex())
    out.write("L %s\n" % rle(expected_locations(code, n)))
    out.write("H %s\n" % rle(expected_handlers(code, n)))


def walk(out, code):
    count = 1
    write_code(out, code)
    for c in code.co_consts:
        if hasattr(c, "co_code"):
            count += walk(out, c)
    return count


def synthetic_source():
    """Edge cases the stdlib may not reach: big line jumps both ways, long
    single-line ranges, EXTENDED_ARG, wide columns, multi-line locations,
    code past 65535 units inside one try block, non-ASCII columns."""
    s = []
    add = s.append
    add("import os")
    for gap in (126, 127, 128, 129, 254, 255, 256, 300, 1000):
        add("def jump_%d(a, b):" % gap)
        add("    x = a")
        s.extend([""] * gap)
        add("    y = b")
        add("    return f(a,")
        s.extend([""] * gap)
        add("             b)")
    for gap in (127, 128, 129, 256, 301):
        add("def back_%d(it):" % gap)
        add("    for i in it:")
        s.extend([""] * gap)
        add("        g(i)")
        add("    while it:")
        add("        it = h(it,")
        s.extend([""] * gap)
        add("               it)")
        add("    return [k for k in it")
        s.extend([""] * gap)
        add("            if k]")
    add("def long_lines():")
    for k in (124, 125, 126, 127, 251, 252, 253, 254, 400):
        # k loads + BUILD_LIST + STORE_FAST: 2k + 4 bytes on one line (3.8-3.10)
        add("    x = [" + ", ".join("n%d" % i for i in range(k)) + "]")
    add("    return x")
    add("def many_consts():")
    add("    return (" + ", ".join("x%d + %d" % (i % 7, i) for i in range(700)) + ")")
    for col in (70, 79, 80, 81, 120, 127, 128, 129, 300, 5000):
        add("def col_%d():" % col)
        add("    v = (" + " " * col + "a.b + c.d)")
        add("    return v")
    add("def multi():")
    add("    return (a +")
    add("            b +")
    add("            c)(d,")
    add("               e)")
    add("def unicode_cols():")
    add("    s = '\u00e9\u00e9\u00e9\u4e2d\u6587' + \u00e9t\u00e9.attribute")
    add("    return s")
    add("class K:")
    add("    def m(self):")
    add("        try:")
    add("            with open(self) as f:")
    add("                return f.read()")
    add("        except (OSError, ValueError) as e:")
    add("            raise RuntimeError(e) from None")
    add("        finally:")
    add("            self.done = True")
    add("try:")
    for i in range(34000):
        add("    v%d = w" % (i % 50))
    add("except ImportError:")
    add("    pass")
    add("async def agen():")
    add("    async with a as b:")
    add("        async for x in b:")
    add("            yield x")
    return "\n".join(s) + "\n"


def stdlib_files():
    root = sysconfig.get_paths()["stdlib"]
    for d, dirs, files in os.walk(root):
        dirs[:] = sorted(x for x in dirs
                         if x not in ("site-packages", "dist-packages", "__pycache__"))
        for f in sorted(files):
            if f.endswith(".py"):
                yield os.path.join(d, f)


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    limit = None
    if len(sys.argv) == 4 and sys.argv[2] == "--limit":
        limit = int(sys.argv[3])
    ok = skipped = codes = 0
    warnings.simplefilter("ignore")
    with open(sys.argv[1] + ".tmp", "w") as out:
        sources = [("<synthetic>", None)]
        sources.extend((path, None) for path in stdlib_files())
        for path, src in sources:
            if limit is not None and ok + skipped > limit:
                break
            try:
                if src is None and path == "<synthetic>":
                    src = synthetic_source()
                elif src is None:
                    with open(path, "rb") as f:
                        src = f.read()
                code = compile(src, path, "exec", dont_inherit=True)
            except (OSError, SyntaxError, ValueError, UnicodeDecodeError, OverflowError,
                    MemoryError, RecursionError):
                skipped += 1
                continue
            ok += 1
            codes += walk(out, code)
        out.write("V %d %d %d %d\n" % (MINOR, ok, skipped, codes))
    os.replace(sys.argv[1] + ".tmp", sys.argv[1])
    sys.stderr.write("extract %s: %d files compiled, %d skipped, %d code objects\n"
                     % (sys.version.split()[0], ok, skipped, codes))


if __name__ == "__main__":
    main()
