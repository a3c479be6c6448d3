import difflib

NAME = "nsdemo.plugin"


def compare(a, b):
    return difflib.SequenceMatcher(None, a, b).ratio()
