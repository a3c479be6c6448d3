"""Run test snippets before and after the debug NOP pass; compare behaviour.

    python3.X run_nops.py ENGINE_TOOL SNIPPET_DIR SCRATCH_DIR

Run by the interpreter under test (any of 3.8 ... 3.15; keep this file 3.8
syntax).  For each snippet in SNIPPET_DIR (a name ending in _3NN.py needs
at least 3.NN) and one generated code object larger than 65 535 code
units, it compiles the source to a pyc with this interpreter, rewrites it
with `ENGINE_TOOL nops`, runs both pycs as scripts and compares exit
status, stdout and stderr (tracebacks and line numbers included).  It also
checks that the rewrite really inserted NOPs, and that the instruction
stream minus NOPs is unchanged.

What this proves: for these programs, NOP insertion (new EXTENDED_ARGs,
moved jumps, exception tables / block setups, line tables, stack sizes)
keeps behaviour identical.  What it does not prove: anything about code
paths the snippets do not execute; tests/e2e/check_nops.py and the
interpreters' own test suites cover the stdlib.
"""
import dis
import marshal
import os
import py_compile
import re
import subprocess
import sys
import types

BIG_STATEMENTS = 18000   # > 65 535 code units on every version


def big_source():
    body = "\n".join("                x = x + i%s" % ("" if k % 2 else " * 2")
                     for k in range(BIG_STATEMENTS))
    return (
        "# generated: one function of more than 65535 code units\n"
        "def big(n):\n"
        "    x = 0\n"
        "    for i in range(n):\n"
        "        if i != 1:\n"
        "            try:\n" + body + "\n"
        "            except TypeError:\n"
        "                x = -1\n"
        "    return x\n"
        "print(big(3), len(big.__code__.co_code) // 2 > 65535)\n")


def code_objects(co):
    yield co
    for c in co.co_consts:
        if isinstance(c, types.CodeType):
            for sub in code_objects(c):
                yield sub


def load(pyc):
    with open(pyc, "rb") as f:
        return marshal.loads(f.read()[16:])


def shape(co):
    """The instructions without NOPs and caches: opname and argument, with
    jump targets as indexes into that list (offsets differ by design)."""
    skip = ("NOP", "EXTENDED_ARG")
    every = [i for i in dis.get_instructions(co) if i.opname != "CACHE"]
    ins = [i for i in every if i.opname not in skip]
    index = {}
    n = len(ins)
    for i in reversed(every):    # NOPs and prefixes stand for the instruction after them
        if i.opname not in skip:
            n -= 1
        index[i.offset] = n
    out = []
    for i in ins:
        if i.opcode in dis.hasjrel or i.opcode in dis.hasjabs:
            arg = ("->", index.get(i.argval, "?%s" % i.argval))
        else:
            arg = i.argrepr if not isinstance(i.argval, types.CodeType) else "<code>"
        out.append((i.opname, arg))
    return out


def nop_count(co):
    return sum(1 for i in dis.get_instructions(co) if i.opname == "NOP")


def run(pyc, cwd):
    env = dict(os.environ, PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1")
    p = subprocess.run([sys.executable, pyc], cwd=cwd, env=env, timeout=300,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def check_one(tool, src, scratch):
    name = os.path.splitext(os.path.basename(src))[0]
    orig = os.path.join(scratch, name + ".pyc")
    nops = os.path.join(scratch, name + ".nops.pyc")
    py_compile.compile(src, cfile=orig, doraise=True)
    p = subprocess.run([tool, "nops", orig, nops], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    if p.returncode != 0:
        return "engine_tool failed: " + p.stderr.decode(errors="replace").strip()
    before, after = load(orig), load(nops)
    pairs = list(zip(code_objects(before), code_objects(after)))
    if sum(nop_count(b) for _, b in pairs) <= sum(nop_count(a) for a, _ in pairs):
        return "no NOP was inserted"
    for a, b in pairs:
        if shape(a) != shape(b):
            return "instructions of %s changed beyond the NOPs" % a.co_name
    r1, r2 = run(orig, scratch), run(nops, scratch)
    if r1 != r2:
        return ("behaviour differs:\n--- original (rc %d)\n%s%s\n--- rewritten (rc %d)\n%s%s"
                % (r1[0], r1[1][-3000:], r1[2][-3000:], r2[0], r2[1][-3000:], r2[2][-3000:]))
    if r1[0] != 0:
        return "the snippet itself fails (rc %d):\n%s" % (r1[0], r1[2][-3000:])
    return None


def main():
    tool, snippets, scratch = sys.argv[1:4]
    tool = os.path.abspath(tool)
    scratch = os.path.abspath(scratch)
    os.makedirs(scratch, exist_ok=True)
    big = os.path.join(scratch, "big.py")
    with open(big, "w") as f:
        f.write(big_source())
    sources = [big]
    for fn in sorted(os.listdir(snippets)):
        m = re.match(r".*_3(\d+)\.py$", fn)
        if not fn.endswith(".py") or (m and sys.version_info[:2] < (3, int(m.group(1)))):
            continue
        sources.append(os.path.join(snippets, fn))
    failed = 0
    for src in sources:
        problem = check_one(tool, src, scratch)
        print("%-4s %s" % ("FAIL" if problem else "ok", os.path.basename(src)))
        if problem:
            print("     " + problem.replace("\n", "\n     "))
            failed += 1
    print("Python %d.%d: %d snippets, %d failed" % (sys.version_info[:2] + (len(sources), failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
