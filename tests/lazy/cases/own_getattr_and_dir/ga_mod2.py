import ga2_heavy                        # expect: lazy


def _make_getattr(prefix):
    def getattr_(name):
        if name == "made":
            return prefix + name
        raise AttributeError(name)
    return getattr_


__getattr__ = _make_getattr("made: ")


def use():
    return ga2_heavy.VALUE
