#!/usr/bin/env python3
"""Re-pack the pure-Python distributions installed for an interpreter as wheels.

    tools/wheelhouse.py --python PY -o DIR [--only NAME]...

For every *.dist-info in PY's purelib/platlib whose RECORD lists no extension
module (.so/.pyd), a wheel is written to DIR from the files RECORD lists:
    - files outside site-packages (../../bin scripts, data) are left out:
      console scripts come back from entry_points.txt when pip installs the
      wheel; other scripts and data files are reported as dropped;
    - __pycache__ and .pyc files, and what the installer added to .dist-info
      (INSTALLER, REQUESTED, direct_url.json, RECORD) are left out;
    - WHEEL is written anew (Root-Is-Purelib: true, Tag: py3-none-any) and
      RECORD regenerated (sha256, sizes, its own row empty);
    - entries: files sorted, .dist-info last, RECORD last; times fixed at
      1980-01-01 (or SOURCE_DATE_EPOCH), so the same install packs the same bytes.
Distributions without RECORD (eggs, distro packages) or with a file missing
on disk are skipped.  Prints what was packed and what was skipped, and why.
Only the standard library is used.
"""
import argparse
import base64
import csv
import hashlib
import io
import json
import os
import subprocess
import sys
import time
import zipfile

EXTENSIONS = (".so", ".pyd", ".dylib")
INSTALLER_FILES = {"INSTALLER", "REQUESTED", "direct_url.json", "RECORD"}


def lib_dirs(python):
    code = ("import json, sysconfig; p = sysconfig.get_paths(); "
            "print(json.dumps(sorted({p['purelib'], p['platlib']})))")
    return json.loads(subprocess.run([python, "-c", code], capture_output=True, text=True,
                                     check=True).stdout)


def header(path, key):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.lower().startswith(key.lower() + ":"):
                    return line.split(":", 1)[1].strip()
                if not line.strip():
                    break
    except OSError:
        pass
    return None


def record_hash(data):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def zip_time():
    sde = os.environ.get("SOURCE_DATE_EPOCH")
    t = max(int(sde), 315532800) if sde else 315532800
    return time.gmtime(t)[:6]


def pack(site, di, out_dir):
    """Returns (wheel path, files, dropped outside) or raises ValueError(reason)."""
    di_path = os.path.join(site, di)
    record = os.path.join(di_path, "RECORD")
    if not os.path.exists(record):
        raise ValueError("no RECORD")
    with open(record, newline="", encoding="utf-8") as f:
        rows = [r for r in csv.reader(f) if r]
    files, outside = [], []
    for row in rows:
        rel = row[0].replace("\\", "/")
        if os.path.isabs(rel) or rel.startswith("../") or "/../" in rel:
            outside.append(rel)
            continue
        if "__pycache__/" in rel or rel.endswith(".pyc"):
            continue
        if rel.startswith(di + "/") and rel[len(di) + 1:] in INSTALLER_FILES | {"WHEEL"}:
            continue
        if rel.endswith(EXTENSIONS):
            raise ValueError("not pure Python: %s" % rel)
        files.append(rel)
    for rel in files:
        if not os.path.isfile(os.path.join(site, rel)):
            raise ValueError("%s is listed in RECORD but missing" % rel)
    stem = di[:-len(".dist-info")]
    name, _, version = stem.partition("-")
    if not version:
        raise ValueError("dist-info name %s is not name-version" % di)
    fname = "%s-%s-py3-none-any.whl" % (name.replace("-", "_").replace(".", "_"),
                                          version.replace("-", "_"))
    dist = [r for r in files if r.startswith(di + "/")]
    rest = sorted(set(files) - set(dist))
    wheel_text = ("Wheel-Version: 1.0\nGenerator: lazyc-wheelhouse 1\n"
                  "Root-Is-Purelib: true\nTag: py3-none-any\n").encode()
    dt = zip_time()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    path = os.path.join(out_dir, fname)
    tmp = path + ".tmp"
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        def add(arc, data, mode=0o644):
            info = zipfile.ZipInfo(arc, dt)
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
            writer.writerow([arc, record_hash(data), len(data)])
        for rel in rest + sorted(dist):
            full = os.path.join(site, rel)
            with open(full, "rb") as f:
                data = f.read()
            add(rel, data, 0o755 if os.stat(full).st_mode & 0o111 else 0o644)
        add(di + "/WHEEL", wheel_text)
        writer.writerow([di + "/RECORD", "", ""])
        info = zipfile.ZipInfo(di + "/RECORD", dt)
        info.external_attr = (0o100000 | 0o644) << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, out.getvalue().encode())
    os.replace(tmp, path)
    return path, len(rest) + len(dist) + 2, outside


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="example: tools/wheelhouse.py --python python3.11 -o /tmp/wh")
    ap.add_argument("--python", required=True, help="the interpreter whose site-packages to pack")
    ap.add_argument("-o", "--output", required=True, help="directory for the wheels")
    ap.add_argument("--only", action="append", default=[],
                    help="pack only this distribution (normalized name; repeatable)")
    args = ap.parse_args()
    os.makedirs(args.output, exist_ok=True)
    only = {n.lower().replace("-", "_").replace(".", "_") for n in args.only}
    packed = skipped = 0
    seen = set()
    for site in lib_dirs(args.python):
        if not os.path.isdir(site):
            continue
        for di in sorted(os.listdir(site)):
            if not di.endswith(".dist-info") or di in seen:
                continue
            seen.add(di)
            norm = di.split("-")[0].lower().replace(".", "_")
            if only and norm not in only:
                continue
            try:
                path, n, outside = pack(site, di, args.output)
            except (ValueError, OSError, UnicodeDecodeError, csv.Error) as e:
                print("skipped %s: %s" % (di[:-len(".dist-info")], e))
                skipped += 1
                continue
            packed += 1
            note = ""
            eps = os.path.exists(os.path.join(site, di, "entry_points.txt"))
            if outside:
                note = "; %d file%s outside site-packages dropped%s" % (
                    len(outside), "" if len(outside) == 1 else "s",
                    " (scripts come back from entry_points.txt)" if eps else "")
            print("packed %s (%d files)%s" % (os.path.basename(path), n, note))
    print("%d packed, %d skipped -> %s" % (packed, skipped, args.output))
    return 0


if __name__ == "__main__":
    sys.exit(main())
