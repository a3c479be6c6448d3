#!/usr/bin/env python3
"""Write the hostile zip corpus tests/zip/hostile/ (deterministic).

    tools/make_hostile_zips.py [OUTDIR]

Every file is a small archive with exactly one named defect (ok_*.zip are
valid and must be accepted); tests/zip/hostile/EXPECTED pins the one-line
error lz_zip_read gives for each, and tests/zip/test_zip_hostile.c checks it
(and that EXPECTED and the directory list the same files).  A new case
needs a line there: `zip_tool check FILE` prints the message.
Archives are written by the stdlib zipfile with fixed times, then patched
with struct where zipfile will not write the defect itself.  Re-running the
script rewrites identical files (checked with CPython 3.11 and 3.15 and
Debian 12's zlib; another zlib may deflate differently, which changes the
bytes, and bomb.zip's message quotes its compressed size).  The files are
committed; EXPECTED is not written here.
Field offsets: PKWARE APPNOTE 4.3.7 (local header), 4.3.12 (central header),
4.3.16 (end record); see rewriter/containers/zip_int.h.
"""
import io
import os
import stat
import struct
import sys
import zipfile
import zlib

DATE = (2020, 1, 2, 3, 4, 6)
PREFIX = b'#!/bin/sh\necho "a prefix"\nexec python3 "$0" "$@"\n'


def info(name, mode=0o100644, method=zipfile.ZIP_STORED, system=3):
    zi = zipfile.ZipInfo(name, DATE)
    zi.external_attr = mode << 16
    zi.compress_type = method
    zi.create_system = system
    return zi


def build(entries):
    """entries: list of (ZipInfo, bytes)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, 'w') as z:
        for zi, data in entries:
            z.writestr(zi, data)
    return bytearray(buf.getvalue())


def simple(*names):
    return build([(info(n), b'x = 1\n') for n in names])


def find_all(data, sig):
    out, i = [], data.find(sig)
    while i >= 0:
        out.append(i)
        i = data.find(sig, i + 1)
    return out


def local_headers(data):
    return find_all(data, b'PK\x03\x04')


def central_headers(data):
    return find_all(data, b'PK\x01\x02')


def end_record(data):
    return data.rfind(b'PK\x05\x06')


def patch(data, off, fmt, value):
    struct.pack_into(fmt, data, off, value)


def set_name_byte(data, old, new):
    """Replace bytes `old` by `new` (same length) in every header name."""
    assert len(old) == len(new)
    return bytearray(bytes(data).replace(old, new))


def dotdot():
    return simple('../evil.py')


def absolute():
    return simple('/etc/x')


def backslash():
    return simple('pk\\evil.py')


def symlink():
    return build([(info('link.py', stat.S_IFLNK | 0o777), b'/etc/passwd')])


def fifo():
    return build([(info('pipe', stat.S_IFIFO | 0o644), b'')])


def duplicate():
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        return simple('a.py', 'a.py')


def dup_dir_file():
    return build([(info('a', 0o100644), b'x'), (info('a/', 0o40755), b'')])


def file_parent():
    return build([(info('a/b.py'), b'x'), (info('a'), b'x')])


def dir_no_slash():
    return build([(info('pkg', 0o40755), b'')])


def empty_component():
    return simple('a//b.py')


def dot_component():
    return simple('a/./b.py')


def nul_name():
    return set_name_byte(simple('a_b.py'), b'a_b.py', b'a\0b.py')


def cp437_name():
    # zipfile flags non-ASCII names UTF-8; clear bit 11 to leave them ambiguous.
    data = simple('pk/\u00e9.py')
    for off in local_headers(data):
        patch(data, off + 6, '<H', struct.unpack_from('<H', data, off + 6)[0] & ~0x800)
    for off in central_headers(data):
        patch(data, off + 8, '<H', struct.unpack_from('<H', data, off + 8)[0] & ~0x800)
    return data


def bad_utf8():
    data = simple('pk/\u00e9.py')        # UTF-8 flagged; make the bytes invalid
    return set_name_byte(data, 'pk/\u00e9.py'.encode(), b'pk/\xff\xfe.py')


def truncated():
    return simple('a.py', 'b.py')[:-5]


def broken_cd():
    data = simple('a.py')
    patch(data, end_record(data) + 16, '<I', 0x7fffffff)
    return data


def cd_count_lie():
    data = simple('a.py')
    e = end_record(data)
    patch(data, e + 8, '<H', 60000)
    patch(data, e + 10, '<H', 60000)
    return data


def cd_local_mismatch():
    data = simple('a.py')
    off = local_headers(data)[0]
    data[off + 30:off + 34] = b'b.py'
    return data


def local_outside():
    data = simple('a.py')
    patch(data, central_headers(data)[0] + 42, '<I', 0x10000)
    return data


def multidisk():
    data = simple('a.py')
    patch(data, end_record(data) + 4, '<H', 1)
    return data


def zip64_missing():
    data = simple('a.py')
    patch(data, central_headers(data)[0] + 24, '<I', 0xffffffff)
    return data


def encrypted():
    data = simple('secret.py')
    for off in local_headers(data):
        patch(data, off + 6, '<H', 1)
    for off in central_headers(data):
        patch(data, off + 8, '<H', 1)
    return data


def bad_method():
    data = simple('a.py')
    for off in local_headers(data):
        patch(data, off + 8, '<H', 12)
    for off in central_headers(data):
        patch(data, off + 10, '<H', 12)
    return data


def stored_size_mismatch():
    data = simple('a.py')
    patch(data, central_headers(data)[0] + 24, '<I', 7)
    return data


def bomb():
    """A deflated entry claiming 3 GiB of zeros; the stream holds 4 KiB."""
    data = build([(info('bomb.bin', method=zipfile.ZIP_DEFLATED), bytes(4096))])
    for off in local_headers(data):
        patch(data, off + 22, '<I', 3 << 30)
    for off in central_headers(data):
        patch(data, off + 24, '<I', 3 << 30)
    return data


def lying_size():
    """64 KiB of zeros deflated, declared as 1000 bytes (CRC of those 1000)."""
    data = build([(info('lie.bin', method=zipfile.ZIP_DEFLATED), bytes(65536))])
    crc = zlib.crc32(bytes(1000))
    for off in local_headers(data):
        patch(data, off + 14, '<I', crc)
        patch(data, off + 22, '<I', 1000)
    for off in central_headers(data):
        patch(data, off + 16, '<I', crc)
        patch(data, off + 24, '<I', 1000)
    return data


def short_size():
    """A deflated entry of 100 bytes declared as 200."""
    data = build([(info('short.bin', method=zipfile.ZIP_DEFLATED), bytes(100))])
    for off in central_headers(data):
        patch(data, off + 24, '<I', 200)
    return data


def bad_crc():
    data = simple('a.py')
    off = local_headers(data)[0]
    data[off + 30 + 4] ^= 0x20          # 'x = 1' -> 'X = 1'
    return data


def overlap():
    """Entry a.py's compressed size reaches over b.py's local header: the
    "better zip bomb" layout that makes two entries share bytes."""
    data = build([(info('a.py', method=zipfile.ZIP_DEFLATED), b'x = 1\n'),
                  (info('b.py', method=zipfile.ZIP_DEFLATED), b'y = 2\n')])
    first, second = local_headers(data)[:2]
    csize = struct.unpack_from('<I', data, first + 18)[0]
    for off in (first + 18, central_headers(data)[0] + 20):
        patch(data, off, '<I', csize + 40)
    return data


def cd_bad_signature():
    data = simple('a.py')
    data[central_headers(data)[0] + 1] = ord('X')    # "PK\1\2" -> "PX\1\2"
    return data


def cd_name_overrun():
    """The central header's name length reaches past the directory's end."""
    data = simple('a.py')
    patch(data, central_headers(data)[0] + 28, '<H', 500)
    return data


def empty_name():
    return build([(info(''), b'x')])


def local_bad_signature():
    data = simple('a.py')
    data[local_headers(data)[0] + 2] = 0
    return data


def local_method_mismatch():
    data = simple('a.py')
    patch(data, local_headers(data)[0] + 8, '<H', 8)
    return data


def data_into_cd():
    """A deflated entry whose compressed size runs into the central directory
    (central and local header agree, so only the layout check sees it)."""
    data = build([(info('a.py', method=zipfile.ZIP_DEFLATED), b'x = 1\n')])
    for off in (local_headers(data)[0] + 18, central_headers(data)[0] + 20):
        patch(data, off, '<I', 4000)
    return data


def dir_with_data():
    data = build([(info('pk/', 0o40755), b'')])
    patch(data, central_headers(data)[0] + 24, '<I', 10)
    return data


def zip64_locator_alone():
    """A ZIP64 end locator right before the end record, no ZIP64 end record."""
    data = simple('a.py')
    e = end_record(data)
    return data[:e] + b'PK\x06\x07' + bytes(16) + data[e:]


def ok_empty_archive():
    return build([])


def ok_utf8_name():
    return build([(info('pk/\u00e9t\u00e9.py'), b''),
                  (info('pk/__init__.py'), b''),
                  (info('data.bin', 0o100755, zipfile.ZIP_DEFLATED), bytes(range(256)) * 4)])


def ok_trailing_bytes():
    """Bytes after the end record (and its empty comment) are ignored."""
    return simple('a.py') + b'\n'


def ok_dos_attributes():
    """Made on "MS-DOS" (host 0): the top half of the external attributes
    (0o600, which zipfile puts there) is no Unix mode; defaults apply."""
    return build([(info('pk/', 0, system=0), b''), (info('pk/m.py', 0, system=0), b'x = 1\n')])


def ok_zip64_end():
    """A small archive with a ZIP64 end record and locator (APPNOTE 4.3.14,
    4.3.15) before the end record, whose fields say "see ZIP64"."""
    data = simple('a.py', 'pk/b.py')
    e = end_record(data)
    count, cd_size, cd_off = struct.unpack_from('<HII', data, e + 10)
    end64 = struct.pack('<IQHHIIQQQQ', 0x06064b50, 44, 0x033f, 45, 0, 0,
                        count, count, cd_size, cd_off)
    locator = struct.pack('<IIQI', 0x07064b50, 0, e, 1)
    tail = bytearray(data[e:])
    struct.pack_into('<HHHHII', tail, 4, 0xffff, 0xffff, 0xffff, 0xffff, 0xffffffff, 0xffffffff)
    return data[:e] + end64 + locator + tail


def not_a_zip():
    return b'this is plain text, not an archive\n' * 3


def empty():
    return b''


def ok_prefixed():
    return PREFIX + build([(info('__main__.py'), b'print("hi")\n'),
                           (info('pk/', 0o40755), b''),
                           (info('pk/mod.py', method=zipfile.ZIP_DEFLATED), b'x = 1\n' * 50)])


def ok_prefixed_absolute():
    """Prefix with offsets counted from the file start (like `zip -A`)."""
    buf = io.BytesIO()
    buf.write(PREFIX)
    with zipfile.ZipFile(buf, 'a') as z:   # 'a' on a non-zip appends, offsets absolute
        z.writestr(info('__main__.py'), b'print("hi")\n')
    return buf.getvalue()


CASES = {
    'absolute.zip': absolute,
    'backslash.zip': backslash,
    'bad_crc.zip': bad_crc,
    'bad_method.zip': bad_method,
    'bad_utf8_name.zip': bad_utf8,
    'bomb.zip': bomb,
    'broken_cd.zip': broken_cd,
    'cd_bad_signature.zip': cd_bad_signature,
    'cd_count_lie.zip': cd_count_lie,
    'cd_local_mismatch.zip': cd_local_mismatch,
    'cd_name_overrun.zip': cd_name_overrun,
    'cp437_name.zip': cp437_name,
    'data_into_cd.zip': data_into_cd,
    'dir_no_slash.zip': dir_no_slash,
    'dir_with_data.zip': dir_with_data,
    'dot_component.zip': dot_component,
    'dotdot.zip': dotdot,
    'dup_dir_file.zip': dup_dir_file,
    'duplicate.zip': duplicate,
    'empty.zip': empty,
    'empty_component.zip': empty_component,
    'empty_name.zip': empty_name,
    'encrypted.zip': encrypted,
    'fifo.zip': fifo,
    'file_parent.zip': file_parent,
    'local_bad_signature.zip': local_bad_signature,
    'local_method_mismatch.zip': local_method_mismatch,
    'local_outside.zip': local_outside,
    'lying_size.zip': lying_size,
    'multidisk.zip': multidisk,
    'not_a_zip.txt': not_a_zip,
    'nul_name.zip': nul_name,
    'ok_dos_attributes.zip': ok_dos_attributes,
    'ok_empty_archive.zip': ok_empty_archive,
    'ok_prefixed.zip': ok_prefixed,
    'ok_prefixed_absolute.zip': ok_prefixed_absolute,
    'ok_trailing_bytes.zip': ok_trailing_bytes,
    'ok_utf8_name.zip': ok_utf8_name,
    'ok_zip64_end.zip': ok_zip64_end,
    'overlap.zip': overlap,
    'short_size.zip': short_size,
    'stored_size_mismatch.zip': stored_size_mismatch,
    'symlink.zip': symlink,
    'truncated.zip': truncated,
    'zip64_locator_alone.zip': zip64_locator_alone,
    'zip64_missing.zip': zip64_missing,
}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, '..', 'tests', 'zip', 'hostile')
    os.makedirs(out, exist_ok=True)
    for name, make in sorted(CASES.items()):
        with open(os.path.join(out, name), 'wb') as f:
            f.write(bytes(make()))


if __name__ == '__main__':
    main()
