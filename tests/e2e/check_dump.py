"""check_dump.py LAZYC PYC... - `lazyc dump` must agree with the interpreter's dis.

Run with the interpreter that compiled the pycs (any of 3.8-3.15).  For every
code object (recursively) and every instruction it compares the instruction
name, the oparg, the resolved argument (names, constants by repr, locals,
free variables, jump targets) and the line number with what `dis` says; on
3.11+ also the exception table entries.  EXTENDED_ARG and CACHE are not
compared as instructions: lazyc folds prefixes into the oparg, like dis's
argval.  Exit status 1 on any disagreement, with the first 40 listed.

Dump format parsed here (see rewriter/cmd_dump.c):
    code QUALNAME (name NAME) from FILE, line N
      ...field lines...
      exception table:
        START to END -> TARGET [DEPTH] [lasti]
      instructions:
        LINE >> OFFSET  OPNAME  ARG  ARGVAL
"""
import dis
import marshal
import re
import subprocess
import sys

V = sys.version_info[:2]

CODE_RE = re.compile(r"^code (.+) \(name (.+)\) from ")
INSTR_RE = re.compile(
    r"^    (?P<line>\s*(?:\d+|--)?)\s+(?P<tgt>>>)?\s*(?P<off>\d+)\s+(?P<op>[A-Z_0-9]+)"
    r"(?:\s+(?P<arg>-?\d+))?(?:\s+\((?P<argval>.*)\))?$")
EXC_RE = re.compile(r"^    (\d+) to (\d+) -> (\d+) \[(\d+)\]( lasti)?$")


def parse_dump(text):
    """Return a list of code objects: dict(qualname, instrs, exc)."""
    codes = []
    cur = None
    section = None
    line = None
    for raw in text.splitlines():
        m = CODE_RE.match(raw)
        if m:
            cur = {"qualname": m.group(1), "instrs": [], "exc": []}
            codes.append(cur)
            section = None
            line = None
            continue
        if cur is None:
            continue
        s = raw.strip()
        if s == "instructions:":
            section = "instr"
            continue
        if s == "exception table:":
            section = "exc"
            continue
        if section == "exc":
            m = EXC_RE.match(raw)
            if m:
                cur["exc"].append((int(m.group(1)), int(m.group(2)), int(m.group(3)),
                                   int(m.group(4)), bool(m.group(5))))
                continue
            section = None
        if section == "instr":
            m = INSTR_RE.match(raw)
            if not m:
                continue
            ln = m.group("line").strip()
            if ln == "--":
                line = None
            elif ln:
                line = int(ln)
            cur["instrs"].append({
                "offset": int(m.group("off")), "opname": m.group("op"),
                "arg": None if m.group("arg") is None else int(m.group("arg")),
                "argval": m.group("argval"), "line": line})
    return codes


def walk(code):
    yield code
    for c in code.co_consts:
        if hasattr(c, "co_code"):
            yield from walk(c)


def dis_lines(code):
    """Per-offset line numbers as dis/co_lines see them."""
    lines = {}
    if V >= (3, 10):
        for start, end, ln in code.co_lines():
            for off in range(start, end, 2):
                lines[off] = ln
    else:
        starts = dict(dis.findlinestarts(code))
        cur = code.co_firstlineno
        for off in range(0, len(code.co_code), 2):
            if off in starts:
                cur = starts[off]
            lines[off] = cur
    return lines


def frozenset_from_repr(text):
    """frozenset({...}) as printed by lazyc, back to a frozenset (or the text)."""
    import ast
    if text and text.startswith("frozenset({") and text.endswith("})"):
        try:
            return frozenset(ast.literal_eval(text[len("frozenset("):-1]))
        except (ValueError, SyntaxError):
            pass
    return text


def expected_argval(ins, code):
    """The argval text lazyc should print, or None to skip the comparison."""
    op = ins.opcode
    if op in dis.hasjrel or op in dis.hasjabs or (V >= (3, 13) and op in dis.hasjump):
        return "to %d" % ins.argval
    if op in dis.hasconst:
        v = ins.argval
        if hasattr(v, "co_code"):
            return "<code object %s, file \"%s\", line %d>" % (v.co_name, v.co_filename, v.co_firstlineno)
        if isinstance(v, frozenset):
            return v          # element order depends on hash randomisation
        if ins.opname == "KW_NAMES":
            return repr(code.co_consts[ins.arg])   # 3.11 dis leaves it '<unknown>'
        return repr(v)
    if op in dis.hasname or op in dis.haslocal or op in dis.hasfree:
        if isinstance(ins.argval, tuple):
            return ", ".join(ins.argval)
        return str(ins.argval)
    return None


def main():
    lazyc = sys.argv[1]
    problems = []
    ninstr = ncodes = 0
    for path in sys.argv[2:]:
        with open(path, "rb") as f:
            top = marshal.loads(f.read()[16:])
        out = subprocess.run([lazyc, "dump", path], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, universal_newlines=True)
        if out.returncode != 0:
            problems.append("%s: lazyc dump failed: %s" % (path, out.stderr.strip()))
            continue
        dumped = parse_dump(out.stdout)
        codes = list(walk(top))
        if len(dumped) != len(codes):
            problems.append("%s: %d code objects in dump, %d in the pyc" % (path, len(dumped), len(codes)))
            continue
        for code, d in zip(codes, dumped):
            ncodes += 1
            where = "%s:%s" % (path, getattr(code, "co_qualname", code.co_name))
            want = [i for i in dis.get_instructions(code) if i.opname not in ("EXTENDED_ARG", "CACHE")]
            if len(want) != len(d["instrs"]):
                problems.append("%s: %d instructions in dump, %d in dis" % (where, len(d["instrs"]), len(want)))
                continue
            lines = dis_lines(code)
            for w, g in zip(want, d["instrs"]):
                ninstr += 1
                exp_line = lines.get(w.offset)
                checks = [("offset", w.offset, g["offset"]), ("opname", w.opname, g["opname"]),
                          ("line", exp_line, g["line"])]
                if w.arg is not None:
                    checks.append(("arg", w.arg, g["arg"]))
                ev = expected_argval(w, code)
                if ev is not None:
                    checks.append(("argval", ev, g["argval"]))
                for what, exp, got in checks:
                    if isinstance(exp, frozenset):
                        got = frozenset_from_repr(got)
                    if exp != got:
                        problems.append("%s offset %d %s: %s expected %r, dump has %r"
                                        % (where, w.offset, w.opname, what, exp, got))
            if V >= (3, 11):
                want_exc = [(e.start, e.end, e.target, e.depth, e.lasti)
                            for e in dis._parse_exception_table(code)]
                if want_exc != d["exc"]:
                    problems.append("%s: exception table %r, dump has %r" % (where, want_exc, d["exc"]))
    print("%d files, %d code objects, %d instructions compared, %d problems"
          % (len(sys.argv) - 2, ncodes, ninstr, len(problems)))
    for p in problems[:40]:
        print("  " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
