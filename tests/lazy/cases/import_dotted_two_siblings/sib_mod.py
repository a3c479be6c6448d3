import sib.x               # expect: lazy
import sib.y               # expect: lazy


def top():
    return sib.TOP


def get_x():
    return sib.x.X


def get_y():
    return sib.y.Y
