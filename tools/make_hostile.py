#!/usr/bin/env python3
"""Write the hostile-input corpus tests/data/hostile/ (deterministic).

    tools/make_hostile.py [OUTDIR]

Every file is a small hand-made .pyc (or not-a-pyc) with exactly one named
defect; tests/marshal/test_hostile.c pins the one-line error lazyc gives
for each.  The bytes are built here from a tiny valid 3.12 module (`x=1`)
so no interpreter is needed; re-running the script rewrites identical
files.  Field layouts: shared/reference/bytecode-formats.md sections 2-3.
"""
import os
import struct
import sys

MAGIC = {8: 3413, 9: 3425, 10: 3439, 11: 3495, 12: 3531, 13: 3571, 14: 3627, 15: 3666}


def header(minor=12, flags=0, magic=None):
    m = MAGIC[minor] if magic is None else magic
    return struct.pack('<HBBIII', m, 13, 10, flags, 0, 0)


def i32(v):
    return struct.pack('<i', v)


def u32(v):
    return struct.pack('<I', v)


def short_str(s, flag=True):
    return bytes([ord('z') | (0x80 if flag else 0), len(s)]) + s


def code311(code=None, consts=None, names=None, lpnames=None, lpkinds=None,
            argcount=0, filename=None, tail=None):
    """A 3.11+ code object of `x=1` (3.12 bytecode), fields replaceable.
    Flagged objects are avoided so replaced fields cannot shift refs."""
    code = code if code is not None else b's' + u32(8) + bytes.fromhex('97006400 5a007901')
    consts = consts if consts is not None else b')\x02' + b'i' + i32(1) + b'N'
    names = names if names is not None else b')\x01' + short_str(b'x', False)
    lpnames = lpnames if lpnames is not None else b')\x00'
    lpkinds = lpkinds if lpkinds is not None else b's' + u32(0)
    filename = filename if filename is not None else short_str(b'h.py', False)
    if tail is None:
        tail = (short_str(b'<module>', False) + short_str(b'<module>', False) + u32(1)
                + b's' + u32(10) + bytes.fromhex('f003010101d802038101') + b's' + u32(0))
    return (b'c' + i32(argcount) + i32(0) + i32(0) + i32(1) + i32(0) + code + consts + names
            + lpnames + lpkinds + filename + tail)


def code38(nlocals=0):
    """A 3.8 code object of `x=1`."""
    return (b'c' + i32(0) * 3 + i32(nlocals) + i32(1) + i32(0x40)
            + b's' + u32(8) + bytes.fromhex('64005a0064015300')
            + b')\x02' + b'i' + i32(1) + b'N' + b')\x01' + short_str(b'x', False)
            + b')\x00' + b')\x00' + b')\x00' + short_str(b'h.py', False)
            + short_str(b'<module>', False) + u32(1) + b's' + u32(0))


def nested(opener, depth, leaf=b'N'):
    return opener * depth + leaf


GOOD = header() + code311()

FILES = {
    # --- container / header
    'empty.pyc': b'',
    'truncated_header.pyc': header()[:10],
    'not_a_pyc.txt': b'#!/bin/sh\necho "this is not a pyc"\n',
    'unknown_magic.pyc': header(magic=3600) + code311(),
    'magic_37.pyc': header(magic=3394) + code311(),
    'magic_future.pyc': header(magic=3700) + code311(),
    'bad_flags.pyc': header(flags=4) + code311(),
    'bad_flags_high.pyc': header(flags=0x80000000) + code311(),
    'header_only.pyc': header(),
    'truncated_code.pyc': GOOD[:60],
    'trailing_garbage.pyc': GOOD + b'\x00\x01\x02',
    'top_not_code.pyc': header() + b')\x01N',
    'top_none.pyc': header() + b'N',
    'code_38_layout_in_312.pyc': header(12) + code38(),
    'code_312_layout_in_38.pyc': header(8) + code311(),
    # --- marshal primitives
    'marshal_unknown_type.pyc': header() + code311(consts=b')\x01W'),
    'marshal_truncated_int.pyc': GOOD[:0x37],    # cut inside the int of co_consts
    'marshal_tuple_huge.pyc': header() + code311(consts=b'(' + u32(0xffffffff)),
    'marshal_list_huge.pyc': header() + code311(consts=b')\x01[' + u32(0x7fffffff) + b'N'),
    'marshal_bytes_huge.pyc': header() + code311(code=b's' + u32(0x7fffffff) + b'\x97\x00'),
    'marshal_str_huge.pyc': header() + code311(filename=b'a' + u32(0xffffffff) + b'h.py'),
    'marshal_ref_unfilled.pyc': header() + b'\xe3' + code311(consts=b')\x01r' + u32(0))[1:],
    'marshal_ref_out_of_range.pyc': header() + code311(consts=b')\x01r' + u32(99)),
    'marshal_ref_cycle_tuple.pyc': header() + code311(consts=b'\xa9\x01r' + u32(0)),
    'marshal_null_in_tuple.pyc': header() + code311(consts=b')\x020N'),
    'marshal_dict_null_value.pyc': header() + code311(consts=b')\x01{' + short_str(b'k') + b'0'),
    'marshal_bad_utf8.pyc': header() + code311(consts=b')\x01u' + u32(2) + b'\xc3\x28'),
    'marshal_surrogate_4byte.pyc': header() + code311(consts=b')\x01u' + u32(4) + b'\xf4\x90\x80\x80'),
    'marshal_nonascii_short_str.pyc': header() + code311(consts=b')\x01z\x01\xe9'),
    'marshal_long_unnormalized.pyc': header() + code311(consts=b')\x01l' + i32(2) + b'\x01\x00\x00\x00'),
    'marshal_long_digit_range.pyc': header() + code311(consts=b')\x01l' + i32(1) + b'\x00\x80'),
    'marshal_long_huge.pyc': header() + code311(consts=b')\x01l' + i32(-0x7fffffff) + b'\x01\x00'),
    'marshal_float_text_malformed.pyc': header() + code311(consts=b')\x01f\x041.5x'),
    'marshal_unhashable_set_item.pyc': header() + code311(consts=b')\x01>' + u32(1) + b'[' + u32(0)),
    'marshal_unhashable_dict_key.pyc': header() + code311(consts=b')\x01{{' + b'0N0'),
    'nesting_5000.pyc': header() + code311(consts=b')\x01' + nested(b')\x01', 5000)),
    'nesting_lists_2500.pyc': header() + code311(consts=b')\x01' + nested(b'[\x01\x00\x00\x00', 2500)),
    'slice_on_313.pyc': header(13) + code311(consts=b')\x01:NNN'),
    'frozendict_on_314.pyc': header(14) + code311(consts=b')\x01}0'),
    # --- code objects
    'code_field_wrong_type.pyc': header() + code311(names=b')\x01i' + i32(7)),
    'code_consts_not_tuple.pyc': header() + code311(consts=b'[' + u32(0)),
    'code_filename_bytes.pyc': header() + code311(filename=b's' + u32(4) + b'h.py'),
    'code_kinds_mismatch.pyc': header() + code311(lpkinds=b's' + u32(1) + b' '),
    'code_odd_bytecode.pyc': header() + code311(code=b's' + u32(7) + bytes.fromhex('97006400 5a0079')),
    'code_negative_argcount.pyc': header() + code311(argcount=-1),
    'code_38_negative_nlocals.pyc': header(8) + code38(nlocals=-5),
    'code_truncated_fields.pyc': header() + b'c' + i32(0) * 3,
}


def deep_code(depth):
    """depth minimal code objects, each holding the next in co_consts: two
    nesting levels (code, consts tuple) per code object."""
    empty_b, empty_t, empty_s = b's' + u32(0), b')\x00', b'z\x00'
    inner = empty_t
    for _ in range(depth):
        inner = (b')\x01' + b'c' + i32(0) * 5 + empty_b + inner + empty_t + empty_t + empty_b
                 + empty_s * 3 + u32(1) + empty_b + empty_b)
    return inner[2:]


FILES['nesting_code_1001.pyc'] = header() + deep_code(1001)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, '..', 'tests', 'data', 'hostile')
    os.makedirs(out, exist_ok=True)
    for name, data in sorted(FILES.items()):
        with open(os.path.join(out, name), 'wb') as f:
            f.write(data)
    print('%d files in %s' % (len(FILES), os.path.normpath(out)))


if __name__ == '__main__':
    main()
