import sys                        # expect: any
import cls_heavy_body             # expect: lazy
import cls_heavy_deco             # expect: lazy
import cls_heavy_default          # expect: lazy
import cls_heavy_base             # expect: lazy
import cls_heavy_late             # expect: lazy
import cls_heavy_free             # expect: lazy

_NAMES = ("cls_heavy_body", "cls_heavy_deco", "cls_heavy_default", "cls_heavy_base",
          "cls_heavy_late", "cls_heavy_free")


def _state():
    return tuple(n in sys.modules for n in _NAMES)


BEFORE = _state()


class WithBody(cls_heavy_base.Base):
    value = cls_heavy_body.VALUE
    doubled = [value] * 2

    class Nested:
        inner = cls_heavy_body.VALUE + "!"

    @cls_heavy_deco.decorate
    def method(self, x=cls_heavy_default.DEFAULT):
        return x


AFTER_CLASS = _state()


def make_class():
    class Inner:
        late = cls_heavy_late.LATE
    return Inner


def make_class_free():
    suffix = "ee"

    class Inner:
        free = cls_heavy_free.PREFIX + suffix
    return Inner
