import exc_heavy_handler        # expect: lazy
import exc_heavy_match          # expect: lazy
import exc_heavy_ctx            # expect: lazy
import exc_heavy_finally        # expect: lazy
import exc_heavy_else           # expect: lazy
import exc_heavy_with           # expect: lazy

RECORD = []


def in_handler():
    try:
        raise KeyError("k")
    except KeyError as e:
        return exc_heavy_handler.VALUE, type(e).__name__, e.__context__


def match_clause():
    try:
        raise ValueError("v")
    except exc_heavy_match.SpecialError:
        return "special", None
    except ValueError as e:
        return "value", e


def match_special():
    try:
        raise exc_heavy_match.SpecialError()
    except exc_heavy_match.SpecialError as e:
        return "special", e


def raise_in_handler():
    try:
        raise KeyError("inner")
    except KeyError:
        raise RuntimeError(exc_heavy_ctx.MESSAGE)


def in_finally():
    try:
        return 1
    finally:
        RECORD.append(exc_heavy_finally.VALUE)


def in_else():
    try:
        x = 1
    except ValueError:
        return "except"
    else:
        return exc_heavy_else.VALUE * x


class Ctx:
    log = []

    def __enter__(self):
        self.log.append("enter")
        return self

    def __exit__(self, *exc):
        self.log.append("exit")
        return False


def in_with():
    with Ctx():
        return exc_heavy_with.VALUE
