"""Markdown tables and the SVG chart of tools/bench, from its results dict
(results.json): `markdown(report)`, `svg(report)`.  No plotting library: the
SVG is written as text."""
import html

CONFIG_LABELS = [("eager", "eager"), ("auto", "lazyc auto"), ("all", "lazyc all"),
                 ("lazyloader", "LazyLoader"), ("lazy_imports=all", "-X lazy_imports=all")]
COLOURS = {"eager": "#7f7f7f", "auto": "#1f77b4", "all": "#2ca02c", "lazyloader": "#ff7f0e",
           "lazy_imports=all": "#9467bd"}


def _ok(r):
    return r is not None and not r.get("error")


def _best(row):
    """Name of the fastest configuration that ran correctly."""
    good = [(r["median_s"], n) for n, r in row["configs"].items()
            if _ok(r) and r.get("output_same", True)]
    return min(good)[1] if good else None


def _cell_time(r, eager):
    if r is None:
        return "-"
    if r.get("error"):
        return "FAIL"
    s = "%.0f ±%.0f" % (r["median_s"] * 1e3, r["spread_s"] * 1e3)
    if r.get("time_ratio") is not None and r is not eager:
        s += " (%.2f×)" % r["time_ratio"]
    if not r.get("output_same", True):
        s += " ≠"
    return s


def startup_tables(report):
    st = report.get("startup") or {}
    rows = st.get("rows", [])
    if not rows:
        return ["(no start-up results)"]
    present = [(k, l) for k, l in CONFIG_LABELS if any(k in r["configs"] for r in rows)]
    out = ["Wall time in ms: median ± spread (max - min) of %d interleaved runs after a "
           "warm-up, (×) = ratio to eager of the same run; **bold** = fastest configuration "
           "that ran correctly; FAIL = non-zero exit where eager succeeds (error below); "
           "≠ = output differs from eager." % report.get("runs", 7), "",
           "| CPython | workload | " + " | ".join(l for _, l in present) + " |",
           "|---|---|" + "---|" * len(present)]
    for row in rows:
        best = _best(row)
        cells = []
        for k, _ in present:
            c = _cell_time(row["configs"].get(k), row["configs"].get("eager"))
            if k == best and k != "eager":
                c = "**%s**" % c
            cells.append(c)
        out.append("| %s | %s | %s |" % (row["version"], row["workload"], " | ".join(cells)))
    out += ["", "Modules loaded (executed; `-X importtime`, LazyLoader's never-executed lazy "
            "modules subtracted) and peak RSS in MiB (median of %d runs), (×) = ratio to eager:"
            % report.get("rss_runs", 3),
            "", "| CPython | workload | " + " | ".join(l for _, l in present) + " |",
            "|---|---|" + "---|" * len(present)]
    for row in rows:
        cells = []
        for k, _ in present:
            r = row["configs"].get(k)
            if r is None:
                cells.append("-")
                continue
            mods = "%d" % r["modules"]
            rss = "%.1f" % (r["peak_rss_kib"] / 1024)
            if k != "eager":
                mods += " (%.2f×)" % r["modules_ratio"] if r.get("modules_ratio") else ""
                rss += " (%.2f×)" % r["rss_ratio"]
            cells.append("%s%s / %s MiB" % ("FAIL: " if r.get("error") else "", mods, rss))
        out.append("| %s | %s | %s |" % (row["version"], row["workload"], " | ".join(cells)))
    fails = []
    for row in rows:
        for k, label in present:
            r = row["configs"].get(k)
            if not r or (not r.get("error") and r.get("output_same", True)):
                continue
            what = r["error"] or "exit 0 but the output differs from eager (first difference, "\
                "eager | this: `%s`; last line: `%s`)" % (r.get("output_first_difference", "?"),
                                                         r.get("output_last_line", ""))
            line = "- %s `%s` under %s: %s" % (row["version"], row["workload"], label,
                                               what.replace("|", "/"))
            if r.get("must_stay_eager") is not None:
                need = r["must_stay_eager"]
                if not need and not r.get("must_stay_eager_suffices"):
                    line += ". Not an import order problem: the difference remains with every " \
                        "lazy statement eager"
                else:
                    line += ". Had to stay eager (%s level): %s%s" % (
                        r.get("must_stay_eager_unit", "statement"),
                        "; ".join("`%s`" % n for n in need),
                        "" if r.get("must_stay_eager_suffices") else
                        " (and more: the search stopped after %d)" % len(need))
                    first = r.get("must_stay_eager_statements")
                    if r.get("must_stay_eager_unit") == "package" and first:
                        line += "; the statement-level search found first (not sufficient " \
                            "alone): %s" % "; ".join("`%s`" % n for n in first)
            fails.append(line)
    if fails:
        out += ["", "Failures (the error's last line; for lazy configurations the lazy "
                "import statements that had to stay eager for the program to match its eager "
                "run, found by bisection over the statements executed, as "
                "`importer: statement`):", ""] + fails
    notes = list(st.get("notes", []))
    vers = st.get("versions", {})
    for v, info in sorted(vers.items()):
        if info.get("wheels"):
            notes.append("%s: %d wheels installed into the venvs." % (v, info["wheels"]))
        else:
            notes.append("%s: %s pycs in the prefix trees (stdlib + %s)." % (
                v, info.get("pycs"), info.get("site_source") or "?"))
    if notes:
        out += [""] + ["- " + n for n in notes]
    return out


def overhead_table(report):
    rows = report.get("overhead") or []
    if not rows:
        return []
    import bench_overhead
    return ["Lazy import cost (tools/bench_overhead.py, 400 statements `import dep as _nI`; "
            "the import itself is never measured): *statement* = one statement whose name is "
            "never used, eager (target already loaded) vs lazy (target not loaded: a pending "
            "name is recorded; 3.8-3.14 lazyc's runtime, 3.15 PEP 810's lazy bit); *first use* "
            "= resolving one lazy name whose module is loaded by then, minus the same read "
            "eagerly; *steady loop* = a loop reading a lazily imported module's attribute "
            "after its first use, lazy/eager (best of 7 interleaved processes; wall time, "
            "noisy here); instruction counts from callgrind (whole process, differences of "
            "two runs; per statement they include unmarshalling the larger lazy code).", "",
            bench_overhead.markdown(rows)]


def toolspeed_tables(report):
    ts = report.get("toolspeed") or {}
    out = []
    for t in ts.get("trees", []):
        mb, n = t["mb"], t["files"]
        out += ["**%s**: %d pycs, %.1f MB; %d cores; median of %d runs." % (
            t["tree"], n, mb, t["cores"], t["runs"]), "",
            "| run | wall s | CPU s | files/s | MB/s | peak RSS MiB |", "|---|---|---|---|---|---|"]
        for r in t["lazyc"]:
            out.append("| `lazyc rewrite --policy auto -j %d` | %.2f | %.2f | %.0f | %.1f | %.1f |" % (
                r["jobs"], r["wall_s"], r["cpu_s"], r["files_per_s"], r["mb_per_s"],
                r["peak_rss_kib"] / 1024))
        m = t["marshal"]
        out.append("| `marshal.loads`+`dumps` (in memory, 1 core) | %.2f | %.2f | %.0f | %.1f | - |"
                   % (m["wall_s"], m["wall_s"], m["files_per_s"], m["mb_per_s"]))
        for c in t.get("compileall", []):
            out.append("| `python -m compileall -f -j %d` (the sources; %d run) | %.2f | %.2f | %.0f "
                       "| - | %.1f |" % (c["jobs"], t.get("compileall_runs", t["runs"]),
                                         c["wall_s"], c["cpu_s"], c["files_per_s"],
                                         c["peak_rss_kib"] / 1024))
        if any(c["jobs"] > 1 for c in t.get("compileall", [])):
            out += ["", "CPU s and peak RSS count the processes the kernel charges to the "
                    "command: compileall's worker processes are missed where they are not its "
                    "children (3.14+ start them from a forkserver)."]
        if len(t["lazyc"]) > 1:
            out.append("")
            out.append("Threads: -j %d is %.2f× the speed of -j 1." % (
                t["lazyc"][-1]["jobs"], t["lazyc"][0]["wall_s"] / t["lazyc"][-1]["wall_s"]))
        g = t.get("growth", [])
        if len(g) > 1:
            base = g[0]
            out.append("")
            out.append("Growth (-j %d): " % base["jobs"] + "; ".join(
                "%s of the files (%d) %.2f s = %.2f× the time of 1/8 for %.1f× the files, "
                "peak RSS %.1f MiB" % (_frac(x["fraction"]), x["files"], x["wall_s"],
                                       x["wall_s"] / base["wall_s"], x["files"] / base["files"],
                                       x["peak_rss_kib"] / 1024) for x in g))
        out.append("")
    w = ts.get("wheel")
    if w:
        if w.get("todo"):
            out.append(w["todo"])
        else:
            kb = lambda n: "%.0f KB" % (n / 1e3) if n else "?"  # noqa: E731
            out.append("**Wheels** (%s, %s in; %s): `lazyc wheel --policy auto` %.2f s, peak "
                       "RSS %.1f MiB, %s out; unzip + `compileall` + zip %.2f s, %.1f MiB, %s "
                       "out (median of 3)." % (
                           w["wheel"], kb(w.get("input_bytes")), w.get("note", ""),
                           w["lazyc_wheel"]["wall_s"], w["lazyc_wheel"]["peak_rss_kib"] / 1024,
                           kb(w.get("lazyc_wheel_bytes")), w["unzip_compileall_zip"]["wall_s"],
                           w["unzip_compileall_zip"]["peak_rss_kib"] / 1024,
                           kb(w.get("hand_bytes"))))
    return out


def _frac(f):
    return {0.125: "1/8", 0.25: "1/4", 0.5: "1/2", 1.0: "all"}.get(f, "%.3g" % f)


def markdown(report):
    m = report.get("machine", {})
    out = ["# lazyc benchmark results", "",
           "Generated by `%s` on %s (lazyc built from %s; %s cores, %s; load average at start "
           "%s, at end %s)."
           % (report.get("command", "tools/bench"), m.get("date"),
              "commit " + report["lazyc_commit"][:10] if report.get("lazyc_commit") else
              "the working tree at " + str(m.get("commit")),
              m.get("cores"), m.get("cpu") or "?", m.get("load_at_start"), m.get("load_at_end")),
           "The machine was shared with other builds and tests while this ran: wall times are "
           "noisy (see the spreads); modules and RSS are not." if (m.get("load_at_start") or [0])[0]
           > 0.5 else "", "",
           "![start-up time and modules loaded](startup.svg)", "",
           "## Start-up of real programs", ""]
    out += startup_tables(report)
    ov = overhead_table(report)
    if ov:
        out += ["", "## Overhead of a lazy import", ""] + ov
    ts = toolspeed_tables(report)
    if ts:
        out += ["", "## Tool speed", ""] + ts
    return "\n".join(out).rstrip("\n") + "\n"


# ---------------------------------------------------------------- SVG

def svg(report):
    """Two panels of horizontal bars, one group per (version, workload): wall
    time (ms) and modules loaded, one bar per configuration."""
    rows = (report.get("startup") or {}).get("rows", [])
    present = [(k, l) for k, l in CONFIG_LABELS if any(k in r["configs"] for r in rows)]
    bar, gap, top, label_w, panel_w = 9, 10, 58, 250, 330
    width = label_w + 2 * panel_w + 60
    groups = [(r, [k for k, _ in present if k in r["configs"]]) for r in rows]
    height = top + sum(len(ks) * bar + gap for _, ks in groups) + 30
    tmax = max([c["median_s"] * 1e3 for r in rows for c in r["configs"].values()] or [1])
    mmax = max([c["modules"] for r in rows for c in r["configs"].values()] or [1])
    e = html.escape
    o = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
         'font-family="sans-serif" font-size="11">' % (width, height),
         '<rect width="100%" height="100%" fill="white"/>',
         '<text x="10" y="18" font-size="14" font-weight="bold">lazyc: start-up time and '
         'modules loaded (%s)</text>' % e((report.get("machine") or {}).get("date", ""))]
    x = 10
    for k, l in present:                                       # legend
        o.append('<rect x="%d" y="28" width="10" height="10" fill="%s"/>' % (x, COLOURS[k]))
        o.append('<text x="%d" y="37">%s</text>' % (x + 14, e(l)))
        x += 24 + 7 * len(l)
    o.append('<text x="%d" y="37" fill="#c00">hatched = FAIL</text>' % x)
    o.append('<defs><pattern id="fail" width="6" height="6" patternUnits="userSpaceOnUse" '
             'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fdd"/>'
             '<line x1="0" y1="0" x2="0" y2="6" stroke="#c00" stroke-width="2"/></pattern></defs>')
    for i, (title, vmax) in enumerate((("wall time, ms (median)", tmax),
                                       ("modules loaded", mmax))):
        x0 = label_w + i * (panel_w + 30)
        o.append('<text x="%d" y="52" font-weight="bold">%s</text>' % (x0, title))
        o.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#999"/>' % (
            x0, top - 2, x0, height - 25))
    y = top
    for r, ks in groups:
        o.append('<text x="%d" y="%d" text-anchor="end">%s %s</text>' % (
            label_w - 8, y + len(ks) * bar / 2 + 4, e(r["version"]), e(r["workload"])))
        for k in ks:
            c = r["configs"][k]
            fill = "url(#fail)" if c.get("error") else COLOURS[k]
            for i, (val, vmax, fmt) in enumerate((
                    (c["median_s"] * 1e3, tmax, "%.0f"), (c["modules"], mmax, "%d"))):
                x0 = label_w + i * (panel_w + 30)
                w = max(1.0, (panel_w - 70) * val / vmax)
                text = fmt % val
                if k != "eager":
                    ratio = c.get("time_ratio") if i == 0 else c.get("modules_ratio")
                    text += " (%.2f×)" % ratio if ratio else ""
                if c.get("error"):
                    text += " FAIL"
                o.append('<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"><title>%s</title>'
                         '</rect>' % (x0, y, w, bar - 1, fill, e("%s %s %s: %s" % (
                             r["version"], r["workload"], k, text))))
                o.append('<text x="%.1f" y="%d" font-size="8">%s</text>' % (
                    x0 + w + 3, y + bar - 2, e(text)))
            y += bar
        y += gap
    o.append('<text x="10" y="%d" fill="#555">%s; regenerate: tools/bench</text>' % (
        height - 8, e("%d interleaved runs after a warm-up per configuration"
                      % report.get("runs", 7))))
    o.append("</svg>")
    return "\n".join(o) + "\n"
