#!/usr/bin/env python3
"""Run CPython's own tests on NOP-rewritten stdlib pycs and compare.

    regrtest_nops.py [options] LAZYC PYTHON [TESTS...]

1. compiles PYTHON's stdlib (its test package included) into a scratch
   pycache-prefix tree ORIG (PYTHONPYCACHEPREFIX, so the pycs mirror the
   absolute source paths and stay valid timestamp pycs for their sources);
2. copies ORIG to NOPS and runs `LAZYC rewrite --debug-nops -k NOPS` on it
   (in place); LAZYC "ref" uses the Python reference inserter instead;
3. proves that PYTHON really executes the rewritten pycs (a loaded function's
   co_code must be mostly NOPs under NOPS and not under ORIG);
4. runs `PYTHON -m test -j2 --junit-xml` with TESTS under ORIG and under NOPS,
   and compares per-test results and per-test-case results;
5. checks that the interpreter did not replace any rewritten pyc.

Prints a table test -> original / rewritten and the test-case differences.
Differences listed in regrtest_expected_diffs.txt (with a reason each) are
reported as expected.  Exit status 1 if anything else differs, if the
rewritten pycs were not the ones executed, or if nothing ran.
"""

import argparse
import fnmatch
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_TESTS = ('test_json test_re test_collections test_functools test_itertools '
                 'test_contextlib test_exceptions test_traceback test_generators '
                 'test_coroutines test_asyncio test_dataclasses test_enum test_typing '
                 'test_zipfile test_argparse test_inspect test_dis').split()
ASYNCIO_SUBSET = ['test_asyncio.test_tasks', 'test_asyncio.test_futures']
MIN_PYCS = 500              # fewer compiled pycs means compileall did not work
TEST_TIMEOUT = 1200         # regrtest --timeout, seconds per test file
RUN_TIMEOUT = 3 * 3600      # whole `-m test` run
MAX_CASE_LINES = 60         # test-case differences printed
LABEL = 'regrtest_nops'     # first word of the verdict line (regrtest_lazy.py sets its own)

PROBE = r'''
import sys, importlib, marshal
sys.path.insert(0, sys.argv[1])
import check_nops as cn
mod = importlib.import_module(sys.argv[2])
print(mod.__spec__.cached)
total = nops = 0
todo = []
for obj in vars(mod).values():
    for f in (obj,) + tuple(vars(obj).values() if isinstance(obj, type) else ()):
        c = getattr(f, '__code__', None)
        if c is not None and getattr(f, '__module__', None) == mod.__name__:
            todo.append(c)
for c in todo:
    ins = cn.decode(c.co_code)
    total += len(ins)
    nops += sum(1 for i in ins if i.op == cn.NOP)
print(nops, total)
'''


def say(msg):
    sys.stdout.write(msg + '\n')
    sys.stdout.flush()


def base_env(prefix):
    env = dict(os.environ)
    env.pop('PYTHONDONTWRITEBYTECODE', None)
    env.pop('PYTHONNOUSERSITE', None)
    env['PYTHONPYCACHEPREFIX'] = prefix
    return env


def python_info(python):
    out = subprocess.check_output(
        [python, '-c', 'import sys, sysconfig; print("%d.%d" % sys.version_info[:2]); '
                       'print(sysconfig.get_paths()["stdlib"])'],
        stdin=subprocess.DEVNULL, universal_newlines=True)
    ver, stdlib = out.split('\n')[:2]
    return tuple(int(x) for x in ver.split('.')), stdlib


def count_pycs(root):
    return sum(1 for _, _, fs in os.walk(root) for f in fs if f.endswith('.pyc'))


def snapshot(root):
    snap = {}
    for d, _, fs in os.walk(root):
        for f in fs:
            if f.endswith('.pyc'):
                p = os.path.join(d, f)
                st = os.stat(p)
                snap[os.path.relpath(p, root)] = (st.st_size, st.st_mtime_ns)
    return snap


def compile_stdlib(python, stdlib, prefix, log):
    cmd = [python, '-m', 'compileall', '-q', '-j2', '-x', r'[/\\](site|dist)-packages[/\\]',
           stdlib]
    with open(log, 'w') as f:
        subprocess.call(cmd, env=base_env(prefix), stdin=subprocess.DEVNULL, stdout=f,
                        stderr=subprocess.STDOUT)
    return count_pycs(prefix)


def rewrite(lazyc, python, tree, log):
    if lazyc == 'ref':
        cmd = [python, os.path.join(HERE, 'check_nops_ref.py'), 'rewrite', tree, tree]
    else:
        cmd = [lazyc, 'rewrite', '--debug-nops', '-k', tree]
    with open(log, 'w') as f:
        rc = subprocess.call(cmd, stdin=subprocess.DEVNULL, stdout=f, stderr=subprocess.STDOUT)
    return rc


def probe(python, prefix, module, flags):
    out = subprocess.check_output([python] + flags + ['-c', PROBE, HERE, module],
                                  env=base_env(prefix), stdin=subprocess.DEVNULL,
                                  universal_newlines=True)
    cached, counts = out.strip().split('\n')[-2:]
    nops, total = (int(x) for x in counts.split())
    return cached, nops, total


PROGRESS = re.compile(r'\[\s*\d+/\d+(?:/\d+)?\]\s+(test[\w.]*)\s+(.*)$')


def classify(text):
    t = text.strip()
    for key, word in (('env changed', 'env changed'), ('resource denied', 'skipped'),
                      ('skipped', 'skipped'), ('crashed', 'crashed'),
                      ('timed out', 'timed out'), ('interrupted', 'interrupted'),
                      ('failed', 'failed'), ('passed', 'passed'),
                      ('run no tests', 'no tests'), ('ran no tests', 'no tests')):
        if t.startswith(key) or t.startswith('-- ' + key):
            return word
    return t.split(' ')[0] if t else '?'


def parse_progress(log):
    res = {}
    with open(log, errors='replace') as f:
        for line in f:
            m = PROGRESS.search(line.rstrip('\n'))
            if m:
                res[m.group(1)] = classify(m.group(2))
    return res


def parse_junit(path):
    cases = {}
    if not os.path.exists(path):
        return cases
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError:
        return cases
    for tc in root.iter('testcase'):
        cid = tc.get('name', '')
        if tc.get('classname'):
            cid = '%s.%s' % (tc.get('classname'), cid)
        status = 'passed'
        for child in tc:
            if child.tag in ('failure', 'error'):
                status = 'failed'
                break
            if child.tag == 'skipped':
                status = 'skipped'
        # one id can occur twice (subtests); the worst status wins
        prev = cases.get(cid)
        if prev is None or prev == 'passed' or (prev == 'skipped' and status == 'failed'):
            cases[cid] = status
    return cases


def run_tests(python, ver, prefix, tests, jobs, log, xml):
    flags = ['-X', 'frozen_modules=off'] if ver >= (3, 11) else []
    cmd = ([python] + flags + ['-m', 'test', '-j%d' % jobs, '--timeout=%d' % TEST_TIMEOUT,
                               '--junit-xml', xml] + tests)
    with open(log, 'w') as f:
        f.write('$ PYTHONPYCACHEPREFIX=%s %s\n' % (prefix, ' '.join(cmd)))
        f.flush()
        try:
            rc = subprocess.call(cmd, env=base_env(prefix), stdin=subprocess.DEVNULL,
                                 stdout=f, stderr=subprocess.STDOUT, timeout=RUN_TIMEOUT)
        except subprocess.TimeoutExpired:
            rc = 'timeout'
    return rc


def load_expected(path, ver):
    """[(pattern, reason)] for this version from the allow-list file."""
    out = []
    if not path or not os.path.exists(path):
        return out
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith('#'):
                continue
            parts = line.split(None, 2)
            if len(parts) < 3:
                raise SystemExit('%s:%d: want "VERSIONS PATTERN REASON"' % (path, n))
            vers, pattern, reason = parts
            if version_matches(vers, ver):
                out.append((pattern, reason))
    return out


def version_matches(spec, ver):
    def parse(s):
        return tuple(int(x) for x in s.split('.'))
    for part in spec.split(','):
        if part == '*':
            return True
        if '-' in part:
            lo, hi = part.split('-')
            if parse(lo) <= ver <= parse(hi):
                return True
        elif parse(part) == ver:
            return True
    return False


def expected_reason(name, expected):
    for pattern, reason in expected:
        if fnmatch.fnmatchcase(name, pattern):
            return reason
    return None


def module_of(case_id, tests):
    """The regrtest test name a junit case id belongs to."""
    best = None
    for t in tests:
        if case_id.startswith('test.' + t + '.') or case_id.startswith(t + '.'):
            if best is None or len(t) > len(best):
                best = t
    return best


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('lazyc', help='path of lazyc, or "ref" for the Python reference inserter')
    ap.add_argument('python')
    ap.add_argument('tests', nargs='*')
    ap.add_argument('--work', help='scratch directory (default: a new temporary one)')
    ap.add_argument('--keep', action='store_true', help='keep the scratch directory')
    ap.add_argument('-j', '--jobs', type=int, default=2)
    ap.add_argument('--expected', default=os.path.join(HERE, 'regrtest_expected_diffs.txt'))
    ap.add_argument('--check-nops', action='store_true',
                    help='also run check_nops.py over the two trees')
    a = ap.parse_args(argv)

    ver, stdlib = python_info(a.python)
    tests = a.tests or [t for t in DEFAULT_TESTS if t != 'test_asyncio'] + (
        ASYNCIO_SUBSET if ver >= (3, 11) else ['test_asyncio'])
    work = a.work or tempfile.mkdtemp(prefix='regrtest_nops_')
    os.makedirs(work, exist_ok=True)
    orig, nops = os.path.join(work, 'orig'), os.path.join(work, 'nops')
    failures = []
    say('regrtest_nops: python %d.%d (%s), stdlib %s, work %s' % (ver + (a.python, stdlib,
                                                                      work)))
    try:
        # 1. compile
        for d in (orig, nops):
            if os.path.exists(d):
                shutil.rmtree(d)
        n = compile_stdlib(a.python, stdlib, orig, os.path.join(work, 'compile.log'))
        say('compiled %d pycs into %s' % (n, orig))
        if n < MIN_PYCS:
            say('FAIL: compileall produced only %d pycs (see compile.log)' % n)
            return 1
        # 2. rewrite a copy in place
        shutil.copytree(orig, nops)
        rc = rewrite(a.lazyc, a.python, nops, os.path.join(work, 'rewrite.log'))
        with open(os.path.join(work, 'rewrite.log'), errors='replace') as f:
            rlog = f.read().strip().split('\n')
        say('rewrite exit status %s; last lines of rewrite.log:' % rc)
        for line in rlog[-5:]:
            say('  ' + line)
        if rc not in (0, 1):
            say('FAIL: rewrite failed')
            return 1
        if rc == 1:
            failures.append('lazyc refused some pycs (they stay original; see rewrite.log)')
        if a.check_nops:
            out = subprocess.run([a.python, os.path.join(HERE, 'check_nops.py'), '-j2',
                                  '--expect-nops', orig, nops], stdin=subprocess.DEVNULL,
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                 universal_newlines=True)
            say('check_nops: exit %d' % out.returncode)
            for line in out.stdout.strip().split('\n')[-12:]:
                say('  ' + line)
            if out.returncode:
                failures.append('check_nops found mismatches')
        # 3. the interpreter must run the rewritten code
        flags = ['-X', 'frozen_modules=off'] if ver >= (3, 11) else []
        for module in ('json.decoder', 'test.test_json'):
            try:
                c0, n0, t0 = probe(a.python, orig, module, flags)
                c1, n1, t1 = probe(a.python, nops, module, flags)
            except (subprocess.CalledProcessError, ValueError) as e:
                say('FAIL: probe of %s failed: %s' % (module, e))
                return 1
            ok = (c1.startswith(nops) and c0.startswith(orig) and t1 > 0
                  and n1 * 10 > t1 * 3 and n0 * 10 < t0)
            say('probe %s: original %d/%d NOPs (%s), rewritten %d/%d NOPs (%s): %s'
                % (module, n0, t0, c0, n1, t1, c1, 'ok' if ok else 'NOT LOADED'))
            if not ok:
                say('FAIL: the interpreter does not execute the rewritten pycs')
                return 1
        before = snapshot(nops)
        # 4. run the tests both ways
        results = {}
        for name, prefix in (('orig', orig), ('nops', nops)):
            log = os.path.join(work, 'test-%s.log' % name)
            xml = os.path.join(work, 'junit-%s.xml' % name)
            rc = run_tests(a.python, ver, prefix, tests, a.jobs, log, xml)
            results[name] = (rc, parse_progress(log), parse_junit(xml))
            say('%s run: exit %s, %d tests, %d test cases (log %s)'
                % (name, rc, len(results[name][1]), len(results[name][2]), log))
        # 5. the rewritten pycs must still be the ones lazyc wrote
        after = snapshot(nops)
        replaced = [k for k in before if after.get(k) != before[k]]
        if replaced:
            failures.append('the interpreter replaced %d rewritten pycs, e.g. %s'
                            % (len(replaced), replaced[0]))
        return report(ver, tests, results, load_expected(a.expected, ver), failures)
    finally:
        if not a.keep and not a.work:
            shutil.rmtree(work, ignore_errors=True)
        elif a.keep or a.work:
            say('kept %s' % work)


def test_status(progress, test):
    """Status of a requested test; a package may be reported per sub-module."""
    found = sorted(set(v for k, v in progress.items() if k == test or k.startswith(test + '.')))
    return ','.join(found) if found else 'absent'


def report(ver, tests, results, expected, failures):
    _, oprog, ocases = results['orig']
    _, nprog, ncases = results['nops']
    if not oprog:
        failures.append('the original run reported no test results')
    # test-case level
    diffs = []
    for cid in sorted(set(ocases) | set(ncases)):
        o, n = ocases.get(cid, 'absent'), ncases.get(cid, 'absent')
        if o != n:
            diffs.append((cid, o, n, expected_reason(cid, expected)))
    # test level
    width = max([len(t) for t in tests] + [20])
    say('')
    say('python %d.%d: %-*s  %-16s %-16s' % (ver + (width, 'test', 'original', 'rewritten')))
    unexpected = 0
    nexpected = 0
    for t in tests:
        o, n = test_status(oprog, t), test_status(nprog, t)
        mark = ''
        if o != n:
            case_diffs = [d for d in diffs if module_of(d[0], tests) == t]
            reason = expected_reason(t, expected)
            if reason or (case_diffs and all(d[3] for d in case_diffs)):
                mark = 'EXPECTED'
                nexpected += 1
            else:
                mark = 'DIFFERS'
                unexpected += 1
        say('python %d.%d: %-*s  %-16s %-16s %s' % (ver + (width, t, o, n, mark)))
    bad_cases = [d for d in diffs if not d[3]]
    say('')
    say('test-case differences: %d (%d expected)' % (len(diffs), len(diffs) - len(bad_cases)))
    shown = 0
    for cid, o, n, reason in diffs:
        if shown >= MAX_CASE_LINES:
            say('  ... %d more' % (len(diffs) - shown))
            break
        say('  %s %s: %s -> %s%s' % ('expected  ' if reason else 'UNEXPECTED', cid, o, n,
                                     ' (%s)' % reason if reason else ''))
        shown += 1
    for f in failures:
        say('FAIL: ' + f)
    ok = not unexpected and not bad_cases and not failures
    say(LABEL + ' python %d.%d: %d tests, %d differ (%d expected), %d test-case '
        'differences (%d expected): %s'
        % (ver + (len(tests), unexpected + nexpected, nexpected, len(diffs),
                  len(diffs) - len(bad_cases), 'OK' if ok else 'FAILED')))
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
