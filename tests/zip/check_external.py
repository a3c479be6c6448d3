"""check_external.py ZIP_TOOL HOSTILE_DIR SCRATCH - other readers accept what
the zip writer makes.

Builds a source archive with zipfile (prefix, directories, stored and
deflated entries, a UTF-8 name, an empty file, modes), copies it and every
hostile/ok_*.zip through `zip_tool copy` with SOURCE_DATE_EPOCH set (and a
time zone that is not UTC), then checks each copy with `python -m zipfile -t`,
`unzip -t` and zipfile itself: intact, same names, order, contents and modes
as the input, every time the SOURCE_DATE_EPOCH instant in UTC, bit 11 on
non-ASCII names.  unzip missing: exit 77 (skip).

unzip warns (exit 1, "extra bytes at beginning") about a prefixed archive
whose offsets count from the archive's start rather than the file's - the
layout Python's zipapp writes too; that warning alone is accepted.
"""
import os
import shutil
import subprocess
import sys
import zipfile

EPOCH = '1700000000'
EPOCH_UTC = (2023, 11, 14, 22, 13, 20)
PREFIX_WARNING = 'extra bytes at beginning or within zipfile'


def info(name, mode, method=zipfile.ZIP_STORED):
    zi = zipfile.ZipInfo(name, (2021, 5, 6, 7, 8, 10))
    zi.external_attr = mode << 16
    zi.compress_type = method
    zi.create_system = 3
    return zi


def make_source(path):
    with open(path, 'wb') as f:
        f.write(b'#!/usr/bin/env python3\n')
        with zipfile.ZipFile(f, 'w') as z:
            z.writestr(info('__main__.py', 0o100644), b'import pk\n')
            z.writestr(info('pk/', 0o40755), b'')
            z.writestr(info('pk/__init__.py', 0o100644), b'')
            z.writestr(info('pk/\u00e9t\u00e9.py', 0o100600, zipfile.ZIP_DEFLATED), b'x = 1\n' * 100)
            z.writestr(info('pk/run', 0o100755, zipfile.ZIP_DEFLATED), bytes(range(256)) * 8)


def expected_mode(i):
    """What lz_zip_read makes of an entry's attributes (see zip_read.c)."""
    mode = i.external_attr >> 16 if i.create_system == 3 else 0
    return mode or (0o40755 if i.filename.endswith('/') else 0o100644)


def check_copy(src, out):
    problems = []
    r = subprocess.run([sys.executable, '-m', 'zipfile', '-t', out],
                       capture_output=True, text=True)
    if r.returncode != 0:
        problems.append('python -m zipfile -t: exit %d: %s' % (r.returncode, r.stderr.strip()))
    with zipfile.ZipFile(src) as s, zipfile.ZipFile(out) as o:
        want = [(i.filename, expected_mode(i)) for i in s.infolist()]
        got = [(i.filename, i.external_attr >> 16) for i in o.infolist()]
        if got != want:
            problems.append('entries %r, expected %r' % (got, want))
        for i in o.infolist():
            if i.date_time != EPOCH_UTC:
                problems.append('%s: date_time %r' % (i.filename, i.date_time))
            if not i.filename.isascii() and not i.flag_bits & 0x800:
                problems.append('%s: no UTF-8 flag' % i.filename)
            if s.read(i.filename) != o.read(i.filename):
                problems.append('%s: contents differ' % i.filename)
        empty = not o.infolist()
    if not empty:   # unzip calls an archive without entries "empty" (exit 1)
        r = subprocess.run(['unzip', '-t', out], capture_output=True, text=True)
        text = r.stdout + r.stderr
        prefix_only = (r.returncode == 1 and PREFIX_WARNING in text and
                       'No errors detected' in text)
        if r.returncode != 0 and not prefix_only:
            problems.append('unzip -t: exit %d: %s' % (r.returncode, text.strip()))
    return problems


def main():
    tool, hostile, scratch = sys.argv[1:4]
    if shutil.which('unzip') is None:
        print('check_external: unzip not found')
        return 77
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(scratch)
    source = os.path.join(scratch, 'source.zip')
    make_source(source)
    inputs = [source] + sorted(os.path.join(hostile, n) for n in os.listdir(hostile)
                               if n.startswith('ok_') and n.endswith('.zip'))
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, TZ='EST5EDT')
    failed = 0
    for src in inputs:
        out = os.path.join(scratch, 'copy-' + os.path.basename(src))
        r = subprocess.run([tool, 'copy', src, out], env=env, capture_output=True, text=True)
        problems = (['zip_tool copy: exit %d: %s' % (r.returncode, (r.stdout + r.stderr).strip())]
                    if r.returncode != 0 else check_copy(src, out))
        for p in problems:
            print('FAIL: %s: %s' % (os.path.basename(src), p))
        failed += bool(problems)
        if not problems:
            print('ok: %s' % os.path.basename(src))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
