VALUE_B = "B"


def make_b():
    return "made b"
