/* cmd_wheel.c - `lazyc wheel`: rewrite wheels so that a normal install
 * runs lazy bytecode.
 *
 * Installers compile every .py they install and overwrite what sits in
 * __pycache__ (pip), or skip __pycache__ altogether (installer >= 1.0), so
 * the only layout that survives a default install is sourceless:
 * pkg/mod.py becomes pkg/mod.pyc, in the same place of the entry order
 * (shared/reference/packaging.md section 2).  Bytecode pins the CPython
 * version, so the wheel is retagged for it (wheel.c).  The runtime of
 * 3.8-3.14 modules is vendored inside each top-level package
 * (pkg/_lazyc_runtime.pyc, reached with a relative import) or, for
 * top-level modules, under a per-distribution name at the root: never one
 * shared file that two wheels would both own.
 *
 * All wheels of a call are rewritten as one cli_batch: a wheelhouse then
 * shares one import graph (an import cycle that crosses distributions stays
 * eager) and one pool of compiler processes.  A wheel that is refused
 * (hostile zip, lying RECORD, a tag for another version) is reported and
 * left out before anything is compiled; the others are written.  All
 * outputs are staged and renamed at the end: a fatal error (memory, disk)
 * leaves none of them.
 */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lz_pycompile.h"
#include "lz_wheel.h"
#include "lz_zip.h"

static const char wheel_usage[] =
    "usage: lazyc wheel [--python PY] [--policy P] [--eager GLOB]... [--exclude GLOB]...\n"
    "                   [--no-default-deny] [-j N] [-w OUTDIR] [--keep-source]\n"
    "                   [--report F] [-q] [-v] WHEEL...\n\n"
    "Make the imports of wheels lazy.  Every .py that installs on sys.path (the\n"
    "root, .data/purelib, .data/platlib) is compiled by PY and rewritten, and\n"
    "replaced by its pyc (pkg/mod.py -> pkg/mod.pyc): pip and installer recompile\n"
    "or skip pycs beside sources, sourceless pycs are installed and run as they\n"
    "are.  Tracebacks then show no source lines.  A module that does not compile\n"
    "stays a .py.  The wheel is retagged for PY's version only (py3-none-any ->\n"
    "cp312-none-any; abi3 -> cp312-cp312), RECORD is checked first and\n"
    "regenerated, the runtime goes inside each top-level package.  Scripts, data\n"
    "and metadata are copied as they are.\n\n"
    "Each result goes to OUTDIR (default: the current directory) under its new\n"
    "name; an input is never overwritten.  A refused wheel is reported and\n"
    "skipped, the others are written.\n\n"
    "options:\n" CLI_COMPILE_HELP CLI_LAZY_HELP
    "  -w, --wheel-dir D write the wheels to D (default: .)\n"
    "      --keep-source keep each .py and add __pycache__/mod.<tag>.pyc instead\n"
    "                    (used only by `pip install --no-compile`, uv without\n"
    "                    --compile-bytecode, or an unzip)\n"
    "  -j, --jobs N      compiler processes and rewrite threads (default: cores)\n"
    "      --report F    write per-import decisions as JSON to F\n"
    "  -q, --quiet       no summary\n"
    "  -v, --verbose     one line per module\n"
    "  -h, --help        show this help\n\n"
    "example:\n"
    "  lazyc wheel --python python3.12 -w dist/lazy dist/*.whl\n"
    "  python3.12 -m pip install dist/lazy/mypkg-1.0-cp312-none-any.whl\n\n"
    "exit status: 0 all written, 1 a wheel refused or a module not rewritten,\n"
    "2 usage, 3 fatal (nothing written)\n";

static const char keep_source_warning[] =
    "lazyc wheel: warning: --keep-source: pip's default install recompiles every .py "
    "and overwrites these pycs, and installer >= 1.0 skips __pycache__; only `pip "
    "install --no-compile` or uv without --compile-bytecode keep them\n";

enum { OPT_PYTHON = 0x200, OPT_REPORT, OPT_KEEP_SOURCE };

#define RT_PREFIX "_lazyc_rt_"

/* One .py of a wheel that becomes a module. */
struct source {
    size_t s_wheel;          /* index in wr_wheels */
    size_t s_entry;          /* entry index in the wheel's input zip */
    char *s_module;          /* dotted name (malloc'd by cli_module_name) */
    bool s_package;
    unsigned s_level;        /* relative level of the runtime; 0: per-distribution, absolute */
    size_t s_rt;             /* its runtime place (wr_rts) */
    long s_mod;              /* module in the batch, -1 when it did not compile */
};

/* Where one runtime copy goes: inside a top-level package, or the root. */
struct rt_place {
    size_t r_wheel;
    char *r_entry;           /* archive name of the runtime source, e.g. "pkg/_lazyc_runtime.py" */
    const char *r_filename;  /* co_filename: r_entry below the install root (points into it) */
    bool r_needed;
};

struct wheel_in {
    const char *wi_path;
    char *wi_out;                    /* output path (malloc'd) */
    struct lz_zip *wi_zip;
    struct lz_wheel *wi_wheel;
    char wi_rtname[LZ_WHEEL_NAME_MAX + 16];   /* "_lazyc_rt_<name>" for top-level modules */
    bool wi_ok;                      /* accepted and not yet failed */
    size_t wi_pycs, wi_kept, wi_unrewritten, wi_runtimes;
};

struct wheel_run {
    const char *wr_python, *wr_outdir, *wr_report;
    struct cli_lazy_opts wr_opts;
    unsigned wr_jobs;
    bool wr_keep_source, wr_quiet, wr_verbose;
    /* state */
    struct wheel_in *wr_wheels;
    size_t wr_nwheels;
    struct source *wr_sources;
    size_t wr_nsources, wr_capsources;
    struct rt_place *wr_rts;
    size_t wr_nrts, wr_caprts;
    struct lz_compile_job *wr_cjobs;      /* sources, then one runtime per place */
    struct cli_batch wr_batch;
    struct lz_compiler_info wr_info;
    struct cli_output *wr_output;
};

/* ---- helpers -------------------------------------------------------------- */

static int grow(void **items, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 0;
    size_t c = *cap ? *cap * 2 : 64;
    void *p = realloc(*items, c * size);
    if (!p)
        return -1;
    *items = p;
    *cap = c;
    return 0;
}

/* Exit code for a library status that stops one wheel or the whole run. */
static int exit_for(int rc)
{
    return rc == LZ_EINPUT ? CLI_EXIT_FAILED : CLI_EXIT_FATAL;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* Our own runtime from an earlier run: dropped, a fresh one is added. */
static bool is_our_runtime(const char *rel)
{
    const char *base = base_name(rel);
    return strcmp(base, LZ_RUNTIME_MODULE ".py") == 0 ||
           (base == rel && strncmp(base, RT_PREFIX, strlen(RT_PREFIX)) == 0);
}

/* ---- reading and checking ------------------------------------------------------ */

/* Read, check and retag one wheel; a refusal is reported and leaves wi_ok false. */
static int open_wheel(struct wheel_run *wr, struct wheel_in *wi)
{
    struct lz_zip_limits limits = {LZ_ZIP_DEFAULT_MAX_TOTAL, LZ_ZIP_DEFAULT_MAX_ENTRIES};
    struct lz_error err = {0};
    uint8_t *data = NULL;
    size_t size = 0;
    struct stat in_st, out_st;
    char norm[LZ_WHEEL_NAME_MAX];
    int rc;

    rc = cli_read_file(wi->wi_path, &data, &size, &err);
    if (rc == LZ_OK)
        rc = lz_zip_read(data, size, &limits, &wi->wi_zip, &err);
    lz_free(data);
    if (rc == LZ_OK)
        rc = lz_wheel_open(wi->wi_zip, base_name(wi->wi_path), &wi->wi_wheel, &err);
    if (rc == LZ_OK)
        rc = lz_wheel_retag(wi->wi_wheel, wr->wr_info.ci_ver->pv_minor, &err);
    if (rc == LZ_OK && !(wi->wi_out = cli_join(wr->wr_outdir,
                                               lz_wheel_output_name(wi->wi_wheel))))
        rc = lz_error_set(&err, LZ_ENOMEM, "out of memory");
    if (rc == LZ_OK && stat(wi->wi_path, &in_st) == 0 && stat(wi->wi_out, &out_st) == 0 &&
        in_st.st_dev == out_st.st_dev && in_st.st_ino == out_st.st_ino)
        rc = lz_error_set(&err, LZ_EINPUT, "the output %s would overwrite the input (give "
                          "-w another directory)", wi->wi_out);
    for (struct wheel_in *o = wr->wr_wheels; rc == LZ_OK && o < wi; o++)
        if (o->wi_ok && strcmp(o->wi_out, wi->wi_out) == 0)
            rc = lz_error_set(&err, LZ_EINPUT, "%s is also the output of %s", wi->wi_out,
                              o->wi_path);
    if (rc != LZ_OK) {
        cli_report(wi->wi_path, &err);
        return rc == LZ_EINPUT || rc == LZ_EIO ? CLI_EXIT_FAILED : CLI_EXIT_FATAL;
    }
    lz_wheel_normalize(lz_wheel_name(wi->wi_wheel)->wn_name, norm, sizeof norm);
    snprintf(wi->wi_rtname, sizeof wi->wi_rtname, RT_PREFIX "%s", norm);
    wi->wi_ok = true;
    return CLI_EXIT_OK;
}

/* The runtime place for a module at `rel` (below the install root, archive
 * prefix `area`): inside the outermost regular package above it (one with
 * an __init__ in this wheel), with the level that reaches it; else the
 * distribution's own runtime at the root, absolute.  A namespace package
 * (no __init__) may be shared by distributions, so it never holds one. */
static int runtime_place(struct wheel_run *wr, size_t w, const char *area, size_t area_len,
                         const char *rel, unsigned depth, struct source *s)
{
    const struct lz_zip *zip = wr->wr_wheels[w].wi_zip;
    char name[4096], entry[4096];
    unsigned d = 0;
    const char *p;

    entry[0] = '\0';
    for (p = strchr(rel, '/'); p; p = strchr(p + 1, '/')) {
        d++;
        snprintf(name, sizeof name, "%.*s%.*s/__init__.py", (int)area_len, area,
                 (int)(p - rel), rel);
        if (lz_zip_find(zip, name) >= 0 || (strcat(name, "c"), lz_zip_find(zip, name) >= 0)) {
            snprintf(entry, sizeof entry, "%.*s%.*s/" LZ_RUNTIME_MODULE ".py", (int)area_len,
                     area, (int)(p - rel), rel);
            s->s_level = depth - d + 1;
            break;
        }
    }
    if (!entry[0]) {
        snprintf(entry, sizeof entry, "%s.py", wr->wr_wheels[w].wi_rtname);
        s->s_level = 0;
        area_len = 0;
    }
    for (size_t r = 0; r < wr->wr_nrts; r++)
        if (wr->wr_rts[r].r_wheel == w && strcmp(wr->wr_rts[r].r_entry, entry) == 0) {
            s->s_rt = r;
            return 0;
        }
    if (grow((void **)&wr->wr_rts, &wr->wr_caprts, wr->wr_nrts, sizeof *wr->wr_rts) != 0)
        return -1;
    struct rt_place *rt = &wr->wr_rts[wr->wr_nrts];
    if (!(rt->r_entry = strdup(entry)))
        return -1;
    rt->r_wheel = w;
    rt->r_filename = rt->r_entry + area_len;
    rt->r_needed = false;
    s->s_rt = wr->wr_nrts++;
    return 0;
}

/* The .py entries of wheel w that install on sys.path as modules. */
static int find_sources(struct wheel_run *wr, size_t w)
{
    const struct wheel_in *wi = &wr->wr_wheels[w];
    const struct lz_zip *zip = wi->wi_zip;

    for (size_t i = 0; i < zip->z_count; i++) {
        const struct lz_zip_entry *e = &zip->z_entries[i];
        size_t n = strlen(e->ze_name);
        const char *rel;
        bool pkg = false;
        unsigned depth = 0;
        char *module;
        if (n < 4 || strcmp(e->ze_name + n - 3, ".py") != 0 || !S_ISREG(e->ze_mode) ||
            lz_wheel_area(wi->wi_wheel, e->ze_name, &rel) != LZ_WHEEL_LIB || is_our_runtime(rel))
            continue;
        module = cli_module_name(rel, &pkg, &depth);
        if (!module)     /* not importable by name (pip/__pip-runner__.py): left as it is */
            continue;
        if (grow((void **)&wr->wr_sources, &wr->wr_capsources, wr->wr_nsources,
                 sizeof *wr->wr_sources) != 0) {
            free(module);
            return CLI_EXIT_FATAL;
        }
        struct source *s = &wr->wr_sources[wr->wr_nsources++];
        *s = (struct source){w, i, module, pkg, 0, 0, -1};
        if (runtime_place(wr, w, e->ze_name, (size_t)(rel - e->ze_name), rel, depth, s) != 0)
            return CLI_EXIT_FATAL;
    }
    return CLI_EXIT_OK;
}

/* ---- compiling and rewriting ------------------------------------------------------ */

/* Compile every source and each runtime copy.  co_filename is the path
 * below the install root ("pkg/mod.py"): nothing repairs it for a sourceless
 * module, and it names the module sensibly in tracebacks wherever the wheel
 * is installed.  A source that does not compile stays a .py (py2-only test
 * files are common in old wheels): reported, not fatal. */
static int compile_all(struct wheel_run *wr, struct lz_compiler *c)
{
    size_t n = wr->wr_nsources + wr->wr_nrts;

    wr->wr_cjobs = calloc(n ? n : 1, sizeof *wr->wr_cjobs);
    if (!wr->wr_cjobs)
        return CLI_EXIT_FATAL;
    for (size_t k = 0; k < n; k++) {
        struct lz_compile_job *j = &wr->wr_cjobs[k];
        /* Sourceless pycs are loaded whatever their header says; the hash of
         * the real source is what --keep-source needs and harmless otherwise. */
        j->cj_invalidation = LZ_INVALIDATION_UNCHECKED_HASH;
        if (k < wr->wr_nsources) {
            const struct source *s = &wr->wr_sources[k];
            const struct lz_zip_entry *e = &wr->wr_wheels[s->s_wheel].wi_zip->z_entries[s->s_entry];
            lz_wheel_area(wr->wr_wheels[s->s_wheel].wi_wheel, e->ze_name, &j->cj_filename);
            j->cj_source = e->ze_data;
            j->cj_source_len = e->ze_size;
        } else {
            j->cj_filename = wr->wr_rts[k - wr->wr_nsources].r_filename;
            j->cj_source = (const uint8_t *)lz_runtime_source;
            j->cj_source_len = lz_runtime_source_len;
        }
    }
    if (cli_compile_jobs(c, wr->wr_cjobs, n, wr->wr_quiet,
                         wr->wr_python ? wr->wr_python : "python3") != CLI_EXIT_OK)
        return CLI_EXIT_FATAL;
    for (size_t k = wr->wr_nsources; k < n; k++)
        if (wr->wr_cjobs[k].cj_rc != LZ_OK) {
            cli_reportf(wr->wr_cjobs[k].cj_filename, "the runtime did not compile: %s",
                        wr->wr_cjobs[k].cj_err.e_msg);
            return CLI_EXIT_FATAL;
        }
    for (size_t k = 0; k < wr->wr_nsources; k++) {
        struct wheel_in *wi = &wr->wr_wheels[wr->wr_sources[k].s_wheel];
        if (wr->wr_cjobs[k].cj_rc == LZ_OK)
            continue;
        cli_reportf(wi->wi_path, "%s: %s (kept as source)", wr->wr_cjobs[k].cj_filename,
                    wr->wr_cjobs[k].cj_err.e_msg);
        wi->wi_kept++;
    }
    return CLI_EXIT_OK;
}

static int rewrite_all(struct wheel_run *wr)
{
    for (size_t k = 0; k < wr->wr_nsources; k++) {
        struct source *s = &wr->wr_sources[k];
        struct lz_compile_job *j = &wr->wr_cjobs[k];
        const struct wheel_in *wi = &wr->wr_wheels[s->s_wheel];
        char label[4200];
        if (j->cj_rc != LZ_OK)
            continue;
        snprintf(label, sizeof label, "%s:%s", wi->wi_path,
                 wi->wi_zip->z_entries[s->s_entry].ze_name);
        s->s_mod = (long)wr->wr_batch.b_count;
        if (!cli_batch_add(&wr->wr_batch, label, s->s_module, s->s_package, s->s_level,
                           s->s_level ? NULL : wi->wi_rtname, j->cj_pyc, j->cj_pyc_len)) {
            j->cj_pyc = NULL;
            return CLI_EXIT_FATAL;
        }
        j->cj_pyc = NULL;   /* the batch owns it now */
    }
    if (wr->wr_batch.b_count == 0)   /* wheels without modules: nothing to survey */
        return CLI_EXIT_OK;
    return cli_batch_rewrite(&wr->wr_batch, &wr->wr_opts, wr->wr_jobs, !wr->wr_quiet);
}

/* ---- the output ------------------------------------------------------------------- */

/* Put `name` into `out` at the end, or replace its data where an input
 * .pyc of that name already went (its place is kept).  `data` is owned. */
static int put_entry(struct lz_zip *out, const char *name, const struct lz_zip_entry *like,
                     uint32_t mode, uint8_t *data, size_t size, struct lz_error *err)
{
    long i = lz_zip_find(out, name);

    if (!data)
        return lz_error_set(err, LZ_ENOMEM, "out of memory");
    if (i >= 0) {
        lz_zip_set_data(out, (size_t)i, data, size);
        return LZ_OK;
    }
    return lz_zip_insert(out, out->z_count, name, mode, like->ze_method, like->ze_mtime, data,
                         size, err);
}

/* A pyc for the .py entry `py`: beside it as its replacement (sourceless)
 * or in __pycache__ after it (--keep-source). */
static int put_pyc(struct wheel_run *wr, struct lz_zip *out, const struct lz_zip_entry *py,
                   const uint8_t *pyc, size_t len, struct lz_error *err)
{
    char name[4200];

    if (cli_pyc_name(py->ze_name, wr->wr_keep_source, wr->wr_info.ci_cache_tag, name,
                     sizeof name) != 0)
        return lz_error_set(err, LZ_EINPUT, "%s: name too long", py->ze_name);
    return put_entry(out, name, py, py->ze_mode, cli_dup_bytes(pyc, len), len, err);
}

/* Move entry i of `in` to the end of `out` unless a pyc we made already
 * took its name (a stale .pyc shipped beside a .py). */
static int move_entry(struct lz_zip *out, struct lz_zip *in, size_t i, struct lz_error *err)
{
    struct lz_zip_entry *e = &in->z_entries[i];
    uint8_t *data = e->ze_data;

    if (lz_zip_find(out, e->ze_name) >= 0)
        return LZ_OK;
    e->ze_data = NULL;
    return lz_zip_insert(out, out->z_count, e->ze_name, e->ze_mode, e->ze_method, e->ze_mtime,
                         data, e->ze_size, err);
}

/* The output entries of wheel w in input order: each compiled source
 * replaced by (or followed by) its pyc, our old runtime dropped, then the
 * runtime copies its modules need; lz_wheel_finish puts .dist-info last. */
static int assemble(struct wheel_run *wr, size_t w, struct lz_zip **outp, struct lz_error *err)
{
    struct wheel_in *wi = &wr->wr_wheels[w];
    struct lz_zip *in = wi->wi_zip, *out = lz_zip_new();
    long *mod_of = calloc(in->z_count ? in->z_count : 1, sizeof *mod_of);
    int rc = out && mod_of ? LZ_OK : lz_error_set(err, LZ_ENOMEM, "out of memory");

    *outp = out;
    for (size_t i = 0; mod_of && i < in->z_count; i++)
        mod_of[i] = -1;
    for (size_t k = 0; rc == LZ_OK && k < wr->wr_nsources; k++) {
        const struct source *s = &wr->wr_sources[k];
        if (s->s_wheel != w || s->s_mod < 0)
            continue;
        const struct cli_module *m = &wr->wr_batch.b_mods[s->s_mod];
        if (m->m_rc != LZ_OK) {
            wi->wi_unrewritten++;   /* reported by cli_batch_report_failures; stays a .py */
            continue;
        }
        mod_of[s->s_entry] = s->s_mod;
        wr->wr_rts[s->s_rt].r_needed |= m->m_lazy.lm_needs_runtime;
    }
    for (size_t i = 0; rc == LZ_OK && i < in->z_count; i++) {
        const struct lz_zip_entry *e = &in->z_entries[i];
        const char *rel;
        size_t len;
        if (S_ISREG(e->ze_mode) && lz_wheel_area(wi->wi_wheel, e->ze_name, &rel) == LZ_WHEEL_LIB &&
            is_our_runtime(rel))
            continue;
        if (mod_of[i] < 0) {
            rc = move_entry(out, in, i, err);
            continue;
        }
        const uint8_t *pyc = cli_module_output(&wr->wr_batch.b_mods[mod_of[i]], &len);
        if (wr->wr_keep_source)
            rc = move_entry(out, in, i, err);
        if (rc == LZ_OK)
            rc = put_pyc(wr, out, e, pyc, len, err);
        wi->wi_pycs++;
    }
    for (size_t r = 0; rc == LZ_OK && r < wr->wr_nrts; r++) {
        const struct rt_place *rt = &wr->wr_rts[r];
        const struct lz_compile_job *j = &wr->wr_cjobs[wr->wr_nsources + r];
        struct lz_zip_entry like = {.ze_name = rt->r_entry, .ze_mode = S_IFREG | 0644,
                                    .ze_method = LZ_ZIP_DEFLATED,
                                    .ze_mtime = in->z_count ? in->z_entries[0].ze_mtime : 0};
        if (rt->r_wheel != w || !rt->r_needed)
            continue;
        if (wr->wr_keep_source)
            rc = put_entry(out, rt->r_entry, &like, like.ze_mode,
                           cli_dup_bytes(lz_runtime_source, lz_runtime_source_len),
                           lz_runtime_source_len, err);
        if (rc == LZ_OK)
            rc = put_pyc(wr, out, &like, j->cj_pyc, j->cj_pyc_len, err);
        wi->wi_runtimes++;
    }
    free(mod_of);
    return rc;
}

/* Assemble, finish and stage wheel w; the input zip is consumed. */
static int write_wheel(struct wheel_run *wr, size_t w, const struct lz_zip_write_opts *wopts)
{
    struct wheel_in *wi = &wr->wr_wheels[w];
    struct lz_error err = {0};
    struct lz_zip *out = NULL;
    struct lz_buf buf;
    int rc;

    lz_buf_init(&buf);
    rc = assemble(wr, w, &out, &err);
    lz_zip_free(wi->wi_zip);
    wi->wi_zip = NULL;
    if (rc == LZ_OK)
        rc = lz_wheel_finish(wi->wi_wheel, &out, &err);
    if (rc == LZ_OK)
        rc = lz_zip_write(out, wopts, &buf, &err);
    lz_zip_free(out);
    if (rc == LZ_OK)
        rc = cli_output_stage(wr->wr_output, wi->wi_out, buf.b_data, buf.b_len, &err);
    lz_buf_fini(&buf);
    if (rc != LZ_OK) {
        cli_report(rc == LZ_EIO ? wi->wi_out : wi->wi_path, &err);
        wi->wi_ok = false;
        return exit_for(rc);
    }
    return CLI_EXIT_OK;
}

/* The batch summary, then one line per wheel written. */
static void print_results(const struct wheel_run *wr)
{
    size_t kept = 0;

    cli_batch_print_summary(&wr->wr_batch, "rewritten");
    for (size_t w = 0; w < wr->wr_nwheels; w++)
        kept += wr->wr_wheels[w].wi_ok ? wr->wr_wheels[w].wi_kept : 0;
    if (kept)
        printf("%zu source%s did not compile and stay%s .py\n", kept, kept == 1 ? "" : "s",
               kept == 1 ? "s" : "");
    for (size_t w = 0; w < wr->wr_nwheels; w++) {
        const struct wheel_in *wi = &wr->wr_wheels[w];
        if (!wi->wi_ok)
            continue;
        printf("%s -> %s: %zu pycs %s", wi->wi_path, wi->wi_out, wi->wi_pycs,
               wr->wr_keep_source ? "in __pycache__" : "(sourceless)");
        if (wi->wi_kept + wi->wi_unrewritten)
            printf(", %zu kept as source", wi->wi_kept + wi->wi_unrewritten);
        printf(", runtime in %zu place%s\n", wi->wi_runtimes, wi->wi_runtimes == 1 ? "" : "s");
    }
}

/* ---- driver ----------------------------------------------------------------------- */

static int run(struct wheel_run *wr, char **paths, size_t npaths)
{
    struct lz_error err = {0};
    struct lz_zip_write_opts wopts = {0};
    struct lz_compiler *compiler = NULL;
    size_t nok = 0;
    int rc, exit_code = CLI_EXIT_OK, worst = CLI_EXIT_OK;

    if (lz_zip_write_opts_from_env(&wopts, &err) != LZ_OK) {
        cli_report("SOURCE_DATE_EPOCH", &err);
        return CLI_EXIT_USAGE;
    }
    lz_zip_write_init();
    wr->wr_wheels = calloc(npaths, sizeof *wr->wr_wheels);
    if (!wr->wr_wheels || !(wr->wr_output = cli_output_new()))
        return CLI_EXIT_FATAL;
    /* The interpreter first: its version decides the tags. */
    rc = lz_compiler_open(wr->wr_python, wr->wr_jobs, &compiler, &err);
    if (rc != LZ_OK) {
        cli_report(wr->wr_python ? wr->wr_python : "python3", &err);
        return rc == LZ_ENOMEM ? CLI_EXIT_FATAL : CLI_EXIT_USAGE;
    }
    wr->wr_info = *lz_compiler_info(compiler);
    for (size_t w = 0; w < npaths && exit_code != CLI_EXIT_FATAL; w++) {
        wr->wr_wheels[w].wi_path = paths[w];
        wr->wr_nwheels++;
        rc = open_wheel(wr, &wr->wr_wheels[w]);
        if (rc == CLI_EXIT_OK)
            rc = find_sources(wr, w);
        if (rc != CLI_EXIT_OK)
            worst = rc;
        if (rc == CLI_EXIT_FATAL)
            exit_code = rc;
        nok += wr->wr_wheels[w].wi_ok;
    }
    if (exit_code == CLI_EXIT_OK && nok)
        exit_code = compile_all(wr, compiler);
    lz_compiler_close(compiler);
    if (exit_code == CLI_EXIT_OK && nok)
        exit_code = rewrite_all(wr);
    if (exit_code == CLI_EXIT_OK && cli_batch_report_failures(&wr->wr_batch))
        worst = CLI_EXIT_FAILED;
    for (size_t w = 0; exit_code == CLI_EXIT_OK && w < wr->wr_nwheels; w++) {
        if (!wr->wr_wheels[w].wi_ok)
            continue;
        rc = write_wheel(wr, w, &wopts);
        if (rc == CLI_EXIT_FATAL)
            exit_code = rc;
        else if (rc != CLI_EXIT_OK)
            worst = rc;
    }
    if (exit_code == CLI_EXIT_OK && cli_output_commit(wr->wr_output, &err) != LZ_OK) {
        cli_report(wr->wr_outdir, &err);
        exit_code = CLI_EXIT_FATAL;
    }
    if (exit_code == CLI_EXIT_OK)
        exit_code = worst;
    if (exit_code != CLI_EXIT_FATAL && wr->wr_verbose)
        cli_batch_print_modules(&wr->wr_batch);
    if (wr->wr_report && exit_code != CLI_EXIT_FATAL &&
        cli_batch_write_report(&wr->wr_batch, wr->wr_report) != 0 && exit_code == CLI_EXIT_OK)
        exit_code = CLI_EXIT_FAILED;
    if (!wr->wr_quiet && exit_code != CLI_EXIT_FATAL)
        print_results(wr);
    return exit_code;
}

static void run_fini(struct wheel_run *wr)
{
    for (size_t k = 0; wr->wr_cjobs && k < wr->wr_nsources + wr->wr_nrts; k++)
        lz_free(wr->wr_cjobs[k].cj_pyc);
    free(wr->wr_cjobs);
    for (size_t k = 0; k < wr->wr_nsources; k++)
        free(wr->wr_sources[k].s_module);
    free(wr->wr_sources);
    for (size_t r = 0; r < wr->wr_nrts; r++)
        free(wr->wr_rts[r].r_entry);
    free(wr->wr_rts);
    for (size_t w = 0; w < wr->wr_nwheels; w++) {
        free(wr->wr_wheels[w].wi_out);
        lz_zip_free(wr->wr_wheels[w].wi_zip);
        lz_wheel_free(wr->wr_wheels[w].wi_wheel);
    }
    free(wr->wr_wheels);
    cli_output_free(wr->wr_output);   /* aborts whatever was staged and not committed */
    cli_batch_fini(&wr->wr_batch);
    cli_lazy_opts_fini(&wr->wr_opts);
}

int cmd_wheel(int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_LAZY_LONGOPTS,
        {"python", required_argument, NULL, OPT_PYTHON},
        {"report", required_argument, NULL, OPT_REPORT},
        {"keep-source", no_argument, NULL, OPT_KEEP_SOURCE},
        {"wheel-dir", required_argument, NULL, 'w'},
        {"jobs", required_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct wheel_run wr = {.wr_outdir = ".", .wr_jobs = cli_default_jobs()};
    int c, exit_code = CLI_EXIT_OK;

    cli_lazy_opts_init(&wr.wr_opts);
    cli_batch_init(&wr.wr_batch);
    optind = 1;
    while ((c = getopt_long(argc, argv, "w:j:qvh", opts, NULL)) != -1) {
        switch (c) {
        case OPT_PYTHON: wr.wr_python = optarg; break;
        case OPT_REPORT: wr.wr_report = optarg; break;
        case OPT_KEEP_SOURCE: wr.wr_keep_source = true; break;
        case 'w': wr.wr_outdir = optarg; break;
        case 'j':
            if (cli_jobs_option(optarg, "wheel", &wr.wr_jobs) != CLI_EXIT_OK)
                exit_code = CLI_EXIT_USAGE;
            break;
        case 'q': wr.wr_quiet = true; break;
        case 'v': wr.wr_verbose = true; break;
        case 'h':
            fputs(wheel_usage, stdout);
            run_fini(&wr);
            return CLI_EXIT_OK;
        default:
            if (c >= CLI_OPT_POLICY && c <= CLI_OPT_NO_DENY) {
                int r = cli_lazy_option(&wr.wr_opts, c, optarg, "wheel");
                if (r != CLI_EXIT_OK)
                    exit_code = r;
            } else {
                exit_code = CLI_EXIT_USAGE;
            }
        }
    }
    if (exit_code == CLI_EXIT_OK && optind >= argc) {
        fputs(wheel_usage, stderr);
        exit_code = CLI_EXIT_USAGE;
    }
    if (exit_code == CLI_EXIT_OK && wr.wr_keep_source)
        fputs(keep_source_warning, stderr);
    if (exit_code == CLI_EXIT_OK)
        exit_code = run(&wr, argv + optind, (size_t)(argc - optind));
    run_fini(&wr);
    return exit_code;
}
