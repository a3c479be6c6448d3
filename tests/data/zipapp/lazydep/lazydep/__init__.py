import textwrap


def wrap(text):
    return textwrap.fill(text, 20)
