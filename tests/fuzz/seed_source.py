"""Seed module for the pyc fuzzer: small, but touches most marshal types."""
import os
from sys import path as _path, version_info

CONSTS = (None, True, False, ..., 1, -1, 2 ** 40, -2 ** 70, 1.5, -0.0, 1e300, 2j, 1 + 2j,
          b'bytes\x00', 'str', '\u00e9\u4e2d', (), ('a', ('b',)))
BIG = 'x' * 300


def f(a, /, b, *args, c=3, **kw):
    """doc"""
    try:
        return [x * 2 for x in args if x in {1, 2, 3}] + [a, b, c]
    except (ValueError, TypeError) as e:
        raise RuntimeError('bad') from e
    finally:
        kw.clear()


class K:
    attr = frozenset()

    def m(self, seq):
        total = 0
        for i, v in enumerate(seq):
            if v in ('a', 'b'):
                continue
            total += i
        with open(os.devnull) as fh:
            fh.read()
        return lambda: (total, seq[1:2], self)


async def g():
    async for x in aiter([]):
        yield x
