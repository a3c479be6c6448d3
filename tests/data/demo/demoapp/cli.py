"""Commands: --version, stats FILE..., report, mail ADDRESS."""
import argparse
import sys

import demoapp
from demoapp import reports
from demoapp import stats


def main(argv):
    parser = argparse.ArgumentParser(prog="demoapp")
    parser.add_argument("--version", action="store_true")
    parser.add_argument("command", nargs="?", default="report")
    parser.add_argument("args", nargs="*")
    opts = parser.parse_args(argv)
    if opts.version:
        print("demoapp", demoapp.__version__)
    elif opts.command == "stats":
        print(stats.summarise([float(a) for a in opts.args] or [1.0, 2.0, 4.0]))
    elif opts.command == "mail":
        print(reports.as_email(opts.args[0] if opts.args else "ops@example.org"))
    else:
        print(reports.render())
    print("modules loaded:", len(sys.modules), file=sys.stderr)
    return 0
