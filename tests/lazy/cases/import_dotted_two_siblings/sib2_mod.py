import sib2.x               # expect: lazy
import sib2.y               # expect: lazy


def top():
    return sib2.TOP


def get_x():
    return sib2.x.X


def get_y():
    return sib2.y.Y
