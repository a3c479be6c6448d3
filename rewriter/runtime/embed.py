#!/usr/bin/env python3
"""Embed a text file in C as `const char NAME[]` plus `NAME_len` (build step).

    embed.py INPUT OUTPUT.c SYMBOL
"""
import sys


def main():
    src, out, sym = sys.argv[1:4]
    data = open(src, "rb").read()
    lines = ["/* Generated from %s by embed.py - do not edit. */" % src.split("/")[-1],
             "#include <stddef.h>",
             "const char %s[] = {" % sym]
    for i in range(0, len(data), 16):
        lines.append("    " + " ".join("0x%02x," % b for b in data[i:i + 16]))
    lines.append("    0x00,")
    lines.append("};")
    lines.append("const size_t %s_len = %d;" % (sym, len(data)))
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
