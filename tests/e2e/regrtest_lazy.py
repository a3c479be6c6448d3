"""Run CPython's own tests on a lazified stdlib and compare with the original.

    regrtest_lazy.py [options] LAZYC PYTHON [TESTS...]

Like regrtest_nops.py (whose machinery it reuses), but the rewrite is
`lazyc rewrite --policy P` over the whole stdlib compiled into a
pycache-prefix tree:

1. compile PYTHON's stdlib (tests included) into ORIG (PYTHONPYCACHEPREFIX);
2. copy it to LAZY and run `LAZYC rewrite -k --policy P --root LAZY/<stdlib> LAZY`;
   the runtime module lazyc writes is put on PYTHONPATH from a folder of its
   own (a pycache-prefix tree has no sources, so nothing in it is
   importable).  Tests that start Python with a PYTHONPATH of their own
   lose it: regrtest_lazy_expected.txt lists them;
3. proves the interpreter runs the rewritten pycs: a module with lazy imports
   must hold the runtime handle `__lazyc__` (3.8-3.14) or, on 3.15, leave a
   lazily imported module out of sys.modules;
4. runs `PYTHON -m test` with TESTS under both trees and compares the results
   test by test and test case by test case (regrtest_expected_diffs.txt).
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import regrtest_nops as R  # noqa: E402

R.LABEL = 'regrtest_lazy'

CI_TESTS = ['test_json', 'test_functools', 'test_contextlib', 'test_exceptions',
            'test_traceback', 'test_generators', 'test_dataclasses', 'test_typing',
            'test_argparse', 'test_enum']

PROBE = r'''
import sys, importlib
mod = importlib.import_module(sys.argv[1])
print(mod.__spec__.cached)
print(int('__lazyc__' in vars(mod) or sys.version_info >= (3, 15)))
'''

RUNTIME_DIR = None   # set in main: where _lazyc_runtime.py is put for the lazy run


def lazy_env(prefix):
    env = ORIG_BASE_ENV(prefix)
    if RUNTIME_DIR and prefix.rstrip('/').endswith('lazy'):
        env['PYTHONPATH'] = RUNTIME_DIR
    return env


ORIG_BASE_ENV = R.base_env
R.base_env = lazy_env


def main(argv):
    global RUNTIME_DIR
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('lazyc')
    ap.add_argument('python')
    ap.add_argument('tests', nargs='*')
    ap.add_argument('--policy', default='auto')
    ap.add_argument('--work')
    ap.add_argument('--keep', action='store_true')
    ap.add_argument('-j', '--jobs', type=int, default=2)
    ap.add_argument('--expected', default=os.path.join(HERE, 'regrtest_lazy_expected.txt'))
    a = ap.parse_args(argv)

    ver, stdlib = R.python_info(a.python)
    tests = a.tests or [t for t in R.DEFAULT_TESTS if t != 'test_asyncio'] + (
        R.ASYNCIO_SUBSET if ver >= (3, 11) else ['test_asyncio'])
    work = a.work or tempfile.mkdtemp(prefix='regrtest_lazy_')
    os.makedirs(work, exist_ok=True)
    orig, lazy = os.path.join(work, 'orig'), os.path.join(work, 'lazy')
    RUNTIME_DIR = os.path.join(work, 'runtime')
    failures = []
    R.say('regrtest_lazy: python %d.%d (%s), stdlib %s, policy %s, work %s'
          % (ver + (a.python, stdlib, a.policy, work)))
    try:
        for d in (orig, lazy, RUNTIME_DIR):
            if os.path.exists(d):
                shutil.rmtree(d)
        n = R.compile_stdlib(a.python, stdlib, orig, os.path.join(work, 'compile.log'))
        R.say('compiled %d pycs into %s' % (n, orig))
        if n < R.MIN_PYCS:
            R.say('FAIL: compileall produced only %d pycs' % n)
            return 1
        shutil.copytree(orig, lazy)
        root = lazy + stdlib
        log = os.path.join(work, 'rewrite.log')
        with open(log, 'w') as f:
            rc = subprocess.call([a.lazyc, 'rewrite', '-k', '--policy', a.policy, '--root', root,
                                  lazy], stdin=subprocess.DEVNULL, stdout=f,
                                 stderr=subprocess.STDOUT)
        with open(log, errors='replace') as f:
            for line in f.read().strip().split('\n')[-4:]:
                R.say('  ' + line)
        if rc not in (0, 1):
            R.say('FAIL: rewrite exit status %s' % rc)
            return 1
        if rc == 1:
            failures.append('lazyc refused some pycs (see rewrite.log)')
        os.makedirs(RUNTIME_DIR, exist_ok=True)
        rt = os.path.join(root, '_lazyc_runtime.py')
        if os.path.exists(rt):
            shutil.move(rt, RUNTIME_DIR)
        elif ver < (3, 15):
            R.say('FAIL: no runtime module was written')
            return 1
        # The interpreter must run the rewritten code.
        flags = ['-X', 'frozen_modules=off'] if ver >= (3, 11) else []
        for module in ('argparse',):
            out = subprocess.check_output([a.python] + flags + ['-c', PROBE, module],
                                          env=lazy_env(lazy), stdin=subprocess.DEVNULL,
                                          universal_newlines=True).split('\n')
            ok = out[0].startswith(lazy) and out[1] == '1'
            R.say('probe %s: %s, rewritten: %s' % (module, out[0], 'ok' if ok else 'NO'))
            if not ok:
                R.say('FAIL: the interpreter does not execute the rewritten pycs')
                return 1
        before = R.snapshot(lazy)
        results = {}
        for name, prefix in (('orig', orig), ('nops', lazy)):
            tlog = os.path.join(work, 'test-%s.log' % ('orig' if name == 'orig' else 'lazy'))
            xml = os.path.join(work, 'junit-%s.xml' % name)
            rc = R.run_tests(a.python, ver, prefix, tests, a.jobs, tlog, xml)
            results[name] = (rc, R.parse_progress(tlog), R.parse_junit(xml))
            R.say('%s run: exit %s, %d tests, %d test cases (log %s)'
                  % ('original' if name == 'orig' else 'lazy', rc, len(results[name][1]),
                     len(results[name][2]), tlog))
        after = R.snapshot(lazy)
        replaced = [k for k in before if after.get(k) != before[k]]
        if replaced:
            failures.append('the interpreter replaced %d rewritten pycs, e.g. %s'
                            % (len(replaced), replaced[0]))
        return R.report(ver, tests, results, R.load_expected(a.expected, ver), failures)
    finally:
        if not a.keep and not a.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
