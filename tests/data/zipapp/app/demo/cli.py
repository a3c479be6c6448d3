import argparse
import json

from . import util
from .sub import report
from nsdemo import plugin


def main(argv=None):
    if argv is None:
        import sys
        argv = sys.argv[1:]
    parser = argparse.ArgumentParser(prog="demo")
    parser.add_argument("command", nargs="?", default="hello")
    args = parser.parse_args(argv)
    if args.command == "hello":
        print(json.dumps({"greeting": util.greet("zip"), "plugin": plugin.NAME}))
        return 0
    if args.command == "stats":
        print(report.summary([1, 2, 3, 4]))
        return 0
    if args.command == "wrap":
        from . import extra
        print(extra.wrapped("lazy imports in a pex, wrapped by a dependency"))
        return 0
    if args.command == "boom":
        util.explode("on purpose")
    return 2
