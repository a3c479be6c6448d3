"""lazyc's built-in demo input: a small CLI-shaped module that imports more
than it uses in any one run, with the control flow a rewriter must keep
(loops, try/except/finally, with, generators, comprehensions, closures)."""
import json
import os.path
from collections import OrderedDict, namedtuple
from functools import reduce as fold

try:
    import tomllib as toml_reader
except ImportError:
    toml_reader = None

Point = namedtuple("Point", "x y")


class Report:
    def __init__(self, title):
        self.title = title
        self.rows = OrderedDict()

    def add(self, key, value):
        self.rows[key] = value
        return self

    def render(self):
        width = max((len(k) for k in self.rows), default=0)
        return "\n".join(f"{k:<{width}} = {v}" for k, v in self.rows.items())


def squares(n):
    for i in range(n):
        if i % 3 == 0:
            continue
        yield i * i


def total(values):
    with open(os.devnull, "w") as sink:
        try:
            return fold(lambda a, b: a + b, values, 0)
        finally:
            print("done", file=sink)


def main():
    report = Report("demo")
    report.add("squares", list(squares(10)))
    report.add("total", total(squares(10)))
    report.add("point", Point(1, 2))
    report.add("json", json.dumps({"a": [1, 2.5, None]}, sort_keys=True))
    report.add("basename", os.path.basename("/tmp/x.py"))
    report.add("toml", toml_reader is not None)
    try:
        {}["missing"]
    except KeyError as e:
        report.add("error", repr(e))
    print(report.render())


if __name__ == "__main__":
    main()
