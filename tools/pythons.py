"""The interpreters tools/pythons.sh finds, for the Python tools: {"3.12": path}.

    from pythons import interpreters     (with tools/ on sys.path)
"""
import os
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))


def interpreters():
    out = subprocess.run(["sh", os.path.join(HERE, "pythons.sh")], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, universal_newlines=True).stdout
    found = {}
    for line in out.splitlines():
        parts = line.split(None, 1)
        if len(parts) == 2:
            found[parts[0]] = parts[1].strip()
    return found
