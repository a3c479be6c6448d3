"""lazyc's compile worker: run by the target interpreter, it turns sources
into marshalled code objects for lazyc (rewriter/containers/pycompile.c).

lazyc starts a few of these per run and streams batches of sources over
stdin; each answer goes back over stdout.  All integers are little-endian.

  hello (worker -> lazyc): magic[4]  str cache_tag  str executable
  batch (lazyc -> worker): u32 count, then per file:
                           str filename  u8 optimize  bytes source
                           (count 0 ends the worker)
  reply (worker -> lazyc): per file: u8 status  bytes payload
                           status 0: payload = marshal.dumps(code)
                           status 1: payload = UTF-8 "line N: message"
  str/bytes = u32 length + data

compile() is what py_compile and the import system use, so the code is
exactly what the interpreter would cache itself; warnings are silenced, as
pip and compileall do.
"""
import marshal
import struct
import sys
import warnings

try:
    from importlib.util import MAGIC_NUMBER
except ImportError:  # pragma: no cover - every supported version has it
    from importlib._bootstrap_external import MAGIC_NUMBER


def main():
    rd = sys.stdin.buffer
    wr = sys.stdout.buffer

    def read(n):
        data = rd.read(n)
        if len(data) != n:
            raise SystemExit(0)   # lazyc went away
        return data

    def u32():
        return struct.unpack("<I", read(4))[0]

    def put(data):
        wr.write(struct.pack("<I", len(data)))
        wr.write(data)

    warnings.simplefilter("ignore")
    wr.write(MAGIC_NUMBER)
    put(sys.implementation.cache_tag.encode())
    put((sys.executable or "").encode("utf-8", "surrogateescape"))
    wr.flush()
    while True:
        count = u32()
        if count == 0:
            return
        replies = []
        for _ in range(count):
            filename = read(u32()).decode("utf-8", "surrogateescape")
            optimize = read(1)[0]
            source = read(u32())
            try:
                code = compile(source, filename, "exec", dont_inherit=True, optimize=optimize)
                replies.append((0, marshal.dumps(code)))
            except SyntaxError as e:
                msg = "line %s: %s" % (e.lineno, e.msg)
                replies.append((1, msg.encode("utf-8", "replace")))
            except Exception as e:  # ValueError (NUL bytes), RecursionError, ...
                msg = "%s: %s" % (type(e).__name__, e)
                replies.append((1, msg.encode("utf-8", "replace")))
        for status, payload in replies:
            wr.write(bytes((status,)))
            put(payload)
        wr.flush()


main()
