"""Emit the interpreter's repr() of every constant of a sample of modules.

    python repr_expect.py OUTDIR

For each sample (a synthetic source with edge-case constants, then a fixed
list of stdlib modules, skipping those this version lacks) writes
OUTDIR/NAME.bin (marshal.dumps of the compiled module) and OUTDIR/NAME.txt
(one repr per line).  Order: the constants of a code object, then the same
for each nested code object, depth first.  Code objects print without their
address, as lz_obj_repr does.  lz_obj_repr prints set elements in stored
order, and since 3.11 marshal stores them sorted by their encoding while
Python iterates in hash order, so frozensets of 2+ elements are written
as "SORTED:" + the repr with elements sorted by their repr, and the C side
compares them the same way.
"""
import marshal
import math
import os
import random
import re
import struct
import sys
import sysconfig

SYNTHETIC = r'''
f = (0.1, 0.2, 0.30000000000000004, 1/3, 2/3, 1e16, 1e15, 123456789012345678.0,
     1e-4, 1e-5, 0.00012345, 5e-324, 2.5e-310, 1.7976931348623157e308, 1e400, -1e400,
     1e400 - 1e400, -0.0, 0.0, 2.0 ** 60, 2.0 ** -20, 2.0 ** -1022, 2.0 ** 1023,
     9007199254740993.0, 100.0, 1.5e300, 4.35, 0.1 + 0.7, 3.14159, 1e22, 1e23, 5e-7)
c = (1j, -1j, 1 + 2j, -1 - 2j, -0.0 - 1j, 0.5j, 1e400j, 1e16j, 1.5e-7j, 1e16 + 0.5j,
     1e400 + 1j, (1e400 - 1e400) * 1j, -(1e400 - 1e400 + 1j), 0j, -0j, 2.5 - 0j)
i = (2 ** 31, -2 ** 31, 2 ** 31 - 1, -2 ** 31 - 1, 2 ** 63, -2 ** 64, 2 ** 100, -2 ** 100,
     10 ** 50, 123456789012345678901234567890, 2 ** 15, 2 ** 30, 2 ** 45 - 1, 0, -1, 7)
s = ('a\'b', "a\"b", 'a\'b"c', '\x00\x7f\x80\x9f\xa0\xad\xff', '\u2028\u2029\u0085\u200b',
     '\u00e9\u4e2d\U0001f600', '\t\n\r\\', '\ud800\udfff', '\ufeff\ufffe\uffff', '\x1b[0m',
     '', ' ', '\U000e0001\U0010ffff\uf8ff', '\u0378\u2066', 'plain text')
b = (b'', b"'", b'"', b'\'"', b'\x00\x7f\x80\xff\t\n\r\\', b'abc')
t = ((), (1,), ((1, 2), 'a'), (None, True, False, ...), ((),), ('x', ('y', ('z',))))
def fs(x):
    return (x in {1, 2, 3}, x in {'a', 'b', 'c'}, x in {1.5, -2, (1, 2), b'q'}, x in {None})
def sl(x):
    return (x[1:2], x[::3], x[1:None], x['a':'b':2], x[-1:])
def kw(*, a=1.0, b='\u00e9'):
    return StopIteration
class K:
    """doc"""
    def m(self):
        return lambda: (1e16, ...)
'''

MODULES = [
    '_pydecimal.py', 'fractions.py', 'json/decoder.py', 'json/encoder.py', 'string.py',
    'locale.py', 'encodings/cp1252.py', 'encodings/mac_roman.py', 'encodings/cp437.py',
    'encodings/koi8_r.py', 'encodings/cp1255.py', 'html/entities.py', 'statistics.py',
    'colorsys.py', 'textwrap.py', 'difflib.py', 'tokenize.py', 'inspect.py', 'ipaddress.py',
    'uuid.py', 'turtle.py', 'random.py', 'datetime.py', '_pydatetime.py', 'email/_header_value_parser.py',
    'test/test_float.py', 'test/test_complex.py', 'test/test_long.py', 'test/test_bytes.py',
    'test/test_fstring.py', 'test/test_grammar.py',
]

ADDR = re.compile(r' at 0x[0-9a-fA-F]+')
CODE = type(compile('', '', 'exec'))


def const_repr(c):
    if isinstance(c, CODE):
        return ADDR.sub('', repr(c))
    if isinstance(c, frozenset) and len(c) > 1:
        return 'SORTED:frozenset({%s})' % ', '.join(sorted(repr(e) for e in c))
    return repr(c)


def walk(code, lines):
    for c in code.co_consts:
        lines.append(const_repr(c))
    for c in code.co_consts:
        if isinstance(c, CODE):
            walk(c, lines)


def emit(outdir, name, source, filename):
    try:
        code = compile(source, filename, 'exec')
    except (SyntaxError, ValueError):
        return 0
    lines = []
    walk(code, lines)
    with open(os.path.join(outdir, name + '.bin'), 'wb') as f:
        f.write(marshal.dumps(code))
    with open(os.path.join(outdir, name + '.txt'), 'w', encoding='utf-8') as f:
        f.write('\n'.join(lines) + '\n')
    return 1


def float_source():
    """Doubles from fixed random bit patterns and every power of two (whose
    rounding interval is lopsided), as a tuple literal of their reprs."""
    rng = random.Random(20240601)
    values = []
    while len(values) < 3000:
        x = struct.unpack('<d', struct.pack('<Q', rng.getrandbits(64)))[0]
        if x == x and abs(x) != float('inf'):
            values.append(x)
    values += [math.ldexp(1.0, k) for k in range(-1074, 1024)]
    values += [rng.uniform(0, 1000) for _ in range(1000)]
    return 'floats = (%s,)\n' % ', '.join(repr(x) for x in values)


def main():
    outdir = sys.argv[1]
    lib = sysconfig.get_paths()['stdlib']
    count = emit(outdir, 'synthetic', SYNTHETIC, 'synthetic.py')
    count += emit(outdir, 'floats', float_source(), 'floats.py')
    for rel in MODULES:
        path = os.path.join(lib, rel)
        if not os.path.exists(path):
            continue
        with open(path, 'rb') as f:
            count += emit(outdir, rel.replace('/', '_')[:-3], f.read(), path)
    print('%d.%d %d' % (sys.version_info[0], sys.version_info[1], count))


main()
