import comp_heavy_elem          # expect: lazy
import comp_heavy_iter          # expect: lazy
import comp_heavy_cond          # expect: lazy
import comp_heavy_dict          # expect: lazy
import comp_heavy_set           # expect: lazy
import comp_heavy_nested        # expect: lazy


def empty_iter():
    return [comp_heavy_elem.f(i) for i in ()]


def list_elem():
    return [comp_heavy_elem.f(i) for i in range(3)]


def list_iter():
    return [x * 2 for x in comp_heavy_iter.ITEMS]


def list_cond():
    return [i for i in range(6) if i % comp_heavy_cond.MOD == 0]


def dict_comp():
    return {k: comp_heavy_dict.TABLE[k] for k in ("a", "b")}


def set_comp():
    return {comp_heavy_set.norm(s) for s in ("A", "a", "B")}


def nested():
    return [[comp_heavy_nested.BASE + i + j for j in range(2)] for i in range(2)]
