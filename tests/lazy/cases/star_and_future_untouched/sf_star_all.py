__all__ = ["STAR_ALL_A", "star_all_func"]
STAR_ALL_A = "all a"
STAR_ALL_HIDDEN = "hidden"


def star_all_func():
    return 1
