#!/usr/bin/env python3
"""Compare tracebacks and line events of original and NOP-rewritten pycs.

    check_tracebacks.py --python PY --lazyc LAZYC [--work DIR]
    check_tracebacks.py --python PY --ref [--work DIR]
    check_tracebacks.py --python PY ORIG_DIR NEW_DIR
    check_tracebacks.py --python PY --self-test

With --lazyc (or --ref, the Python reference inserter) the script compiles
check_tb_sample.py with PY into ORIG/, copies it to NEW/ and rewrites that
copy in place with `LAZYC rewrite --debug-nops`.  Given two directories it
uses every pyc of PY's version in ORIG_DIR whose module defines SCENARIOS.

Each module is loaded from its pyc (its source stays where co_filename says,
so tracebacks show source lines and, on 3.11+, caret ranges) in a fresh PY
process; every scenario is run once plainly and once under sys.settrace.
Compared between original and rewritten: the formatted traceback (file, line,
source line, carets), the frames of the whole exception chain (file, line,
name, end line, columns), and the sequence of call/line/return/exception
events.  The rewritten module must really contain NOPs (else nothing was
tested).  Exit 1 on any difference.

--self-test checks that a correct reference rewrite passes and a rewrite
with shifted line numbers fails.
"""

import argparse
import difflib
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLE = os.path.join(HERE, 'check_tb_sample.py')
MIN_SCENARIOS = 20

RUNNER = r'''
import importlib.machinery, importlib.util, json, opcode, sys, traceback
path, name = sys.argv[1], sys.argv[2]
loader = importlib.machinery.SourcelessFileLoader(name, path)
spec = importlib.util.spec_from_loader(name, loader)
mod = importlib.util.module_from_spec(spec)
sys.modules[name] = mod
loader.exec_module(mod)
NOP = opcode.opmap['NOP']

def nop_ratio(fns):
    n = t = 0
    for f in fns:
        b = f.__code__.co_code
        for i in range(0, len(b), 2):
            if b[i] != 0:            # CACHE (3.11+) does not count
                t += 1
                n += b[i] == NOP
    return n / max(t, 1)

def frames(exc):
    out, seen = [], set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        out.append(type(exc).__name__)
        for fs in traceback.extract_tb(exc.__traceback__):
            out.append([fs.filename, fs.lineno, fs.name, fs.line,
                        getattr(fs, 'end_lineno', None), getattr(fs, 'colno', None),
                        getattr(fs, 'end_colno', None)])
        exc = exc.__cause__ or exc.__context__
    return out

def run(fn, trace):
    events = []
    fname = fn.__code__.co_filename
    def tracer(frame, event, arg):
        if frame.f_code.co_filename == fname:
            events.append([event, frame.f_code.co_name, frame.f_lineno])
        return tracer
    if trace:
        sys.settrace(tracer)
    try:
        fn()
        exc = None
    except BaseException as e:
        exc = e
    finally:
        sys.settrace(None)
    return exc, events

result = {'nop_ratio': nop_ratio(mod.SCENARIOS), 'scenarios': {}}
for fn in mod.SCENARIOS:
    exc, _ = run(fn, False)
    entry = {'raised': exc is not None}
    if exc is not None:
        entry['formatted'] = ''.join(traceback.format_exception(type(exc), exc,
                                                                exc.__traceback__))
        entry['frames'] = frames(exc)
    _, entry['events'] = run(fn, True)
    result['scenarios'][fn.__name__] = entry
print(json.dumps(result))
'''


def version_tag(python):
    return subprocess.check_output(
        [python, '-c', 'import sys; print(sys.implementation.cache_tag)'],
        stdin=subprocess.DEVNULL, universal_newlines=True).strip()


def prepare(python, lazyc, work, broken=False):
    """Compile the sample into work/orig and rewrite a copy into work/new."""
    src_dir = os.path.join(work, 'src')
    orig, new = os.path.join(work, 'orig'), os.path.join(work, 'new')
    for d in (src_dir, orig, new):
        if os.path.exists(d):
            shutil.rmtree(d)
        os.makedirs(d)
    src = os.path.join(src_dir, 'check_tb_sample.py')
    shutil.copy(SAMPLE, src)
    pyc = os.path.join(orig, 'check_tb_sample.%s.pyc' % version_tag(python))
    subprocess.check_call([python, '-c', 'import py_compile, sys; '
                           'py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)',
                           src, pyc], stdin=subprocess.DEVNULL)
    shutil.copy(pyc, new)
    if lazyc == 'ref':
        cmd = [python, os.path.join(HERE, 'check_nops_ref.py'),
               'rewrite-broken' if broken else 'rewrite', new, new]
    else:
        cmd = [lazyc, 'rewrite', '--debug-nops', new]
    out = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, universal_newlines=True)
    if out.returncode != 0:
        raise SystemExit('rewrite failed (exit %d):\n%s' % (out.returncode, out.stdout))
    return orig, new


def run_module(python, pyc):
    name = os.path.basename(pyc).split('.')[0]
    out = subprocess.run([python, '-c', RUNNER, pyc, name], stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         universal_newlines=True, env=clean_env())
    if out.returncode != 0:
        return None, out.stderr
    return json.loads(out.stdout.strip().split('\n')[-1]), ''


def clean_env():
    env = dict(os.environ)
    env.pop('PYTHONPYCACHEPREFIX', None)
    return env


def compare(python, orig_dir, new_dir, out=sys.stdout, require_nops=True):
    tag = version_tag(python)
    problems = 0
    modules = 0
    scenarios = 0
    for name in sorted(os.listdir(orig_dir)):
        if not name.endswith('.%s.pyc' % tag):
            continue
        a, b = os.path.join(orig_dir, name), os.path.join(new_dir, name)
        ra, err_a = run_module(python, a)
        if ra is None:
            if 'SCENARIOS' in err_a:
                continue            # not a scenario module
            out.write('%s: original does not run:\n%s\n' % (name, err_a))
            problems += 1
            continue
        modules += 1
        if not os.path.exists(b):
            out.write('%s: no rewritten counterpart\n' % name)
            problems += 1
            continue
        rb, err_b = run_module(python, b)
        if rb is None:
            out.write('%s: rewritten module does not run:\n%s\n' % (name, err_b))
            problems += 1
            continue
        if require_nops and not (rb['nop_ratio'] > 0.3 > ra['nop_ratio']):
            out.write('%s: rewritten module is not NOP-rewritten (NOP share %.2f, original '
                      '%.2f): nothing tested\n' % (name, rb['nop_ratio'], ra['nop_ratio']))
            problems += 1
        for sname, ea in ra['scenarios'].items():
            scenarios += 1
            eb = rb['scenarios'].get(sname)
            if eb == ea:
                continue
            problems += 1
            out.write('%s: scenario %s differs\n' % (name, sname))
            if eb is None:
                continue
            for key in ('raised', 'formatted', 'frames', 'events'):
                if ea.get(key) != eb.get(key):
                    x = [json.dumps(v) for v in ea.get(key) or []]
                    y = [json.dumps(v) for v in eb.get(key) or []]
                    if key == 'raised':
                        x, y = [str(ea.get(key))], [str(eb.get(key))]
                    if key == 'formatted':
                        x = (ea.get(key) or '').split('\n')
                        y = (eb.get(key) or '').split('\n')
                    diff = list(difflib.unified_diff(x, y, 'original', 'rewritten', lineterm='',
                                                     n=2))
                    out.write('  %s:\n' % key)
                    for line in diff[:40]:
                        out.write('    %s\n' % line)
    out.write('check_tracebacks %s: %d modules, %d scenarios, %d differences\n'
              % (tag, modules, scenarios, problems))
    if scenarios < MIN_SCENARIOS:
        out.write('too few scenarios ran (%d < %d)\n' % (scenarios, MIN_SCENARIOS))
        return 1
    return 1 if problems else 0


def self_test(python, work):
    import io
    failures = 0
    orig, new = prepare(python, 'ref', work)
    buf = io.StringIO()
    if compare(python, orig, new, buf) != 0:
        failures += 1
        print('FAIL: a correct reference rewrite does not pass:\n' + buf.getvalue())
    orig, new = prepare(python, 'ref', work, broken=True)
    buf = io.StringIO()
    if compare(python, orig, new, buf) == 0:
        failures += 1
        print('FAIL: shifted line numbers were not detected:\n' + buf.getvalue())
    buf = io.StringIO()
    if compare(python, orig, orig, buf) == 0:
        failures += 1
        print('FAIL: an unrewritten module was accepted:\n' + buf.getvalue())
    print('check_tracebacks self-test: %d passed, %d failed' % (3 - failures, failures))
    return 1 if failures else 0


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--python', default=sys.executable)
    ap.add_argument('--lazyc')
    ap.add_argument('--ref', action='store_true', help='use the Python reference inserter')
    ap.add_argument('--self-test', action='store_true')
    ap.add_argument('--work', help='scratch directory (default: temporary)')
    ap.add_argument('dirs', nargs='*')
    a = ap.parse_args(argv)
    work = a.work or tempfile.mkdtemp(prefix='check_tb_')
    try:
        if a.self_test:
            return self_test(a.python, work)
        if a.dirs:
            if len(a.dirs) != 2:
                ap.error('give ORIG_DIR NEW_DIR')
            return compare(a.python, a.dirs[0], a.dirs[1])
        if not a.lazyc and not a.ref:
            ap.error('give --lazyc LAZYC, --ref or ORIG_DIR NEW_DIR')
        orig, new = prepare(a.python, 'ref' if a.ref else a.lazyc, work)
        return compare(a.python, orig, new)
    finally:
        if not a.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
