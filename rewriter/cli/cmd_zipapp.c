/* cmd_zipapp.c - `lazyc zipapp`: make a runnable zip (stdlib zipapp, pex,
 * shiv) import lazily, keeping everything else about it.
 *
 * Every importable .py is compiled by the target interpreter, the pycs go
 * through one cli_batch (one import graph for the whole archive), and each
 * rewritten pyc is added right after its .py: as pkg/mod.pyc where zipimport
 * reads the archive in place, as pkg/__pycache__/mod.<tag>.pyc where the
 * launcher extracts it first (lz_zipapp.h says which per root).  The .py
 * stays, so tracebacks keep their source lines.  Headers are hash-based (zip
 * times depend on the time zone), of the exact .py bytes.  The prefix bytes,
 * entry order, directory entries, modes, methods and times stay; the
 * launcher's cache keys are recomputed (zipapp.c).  One output file, staged
 * and renamed, written only when everything worked.
 */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lz_pycompile.h"
#include "lz_zip.h"
#include "lz_zipapp.h"

static const char zipapp_usage[] =
    "usage: lazyc zipapp [--python PY] [--policy P] [--eager GLOB]... [--exclude GLOB]...\n"
    "                    [--no-default-deny] [-j N] [-o OUT]\n"
    "                    [--invalidation checked-hash|unchecked-hash] [--report F]\n"
    "                    [-q] [-v] ARCHIVE\n\n"
    "Make the imports of a runnable zip lazy: a stdlib zipapp (__main__.py at the\n"
    "root), a pex (PEX-INFO; pex 1.x unpacked layout) or a shiv (environment.json).\n"
    "Every importable .py is compiled by PY and rewritten; the pyc is added beside\n"
    "it (pkg/mod.pyc, which zipimport prefers) or in __pycache__ where the launcher\n"
    "extracts the archive first (shiv's site-packages, pex dependencies).  The .py\n"
    "files stay, so tracebacks show source lines.  The prefix (shebang), entry\n"
    "order, directory entries, modes and compression methods are kept; pex's\n"
    "code_hash and fingerprints or shiv's build_id are updated so a cache extracted\n"
    "from the original is never reused.  Pycs are for PY's version only.\n\n"
    "The result goes to OUT (default: ARCHIVE with .lazy before its suffix,\n"
    "app.pyz -> app.lazy.pyz) with ARCHIVE's mode; nothing is written unless\n"
    "every module compiled and was rewritten.\n\n"
    "options:\n" CLI_COMPILE_HELP CLI_LAZY_HELP
    "  -o, --output OUT  the output file (may name ARCHIVE to replace it)\n"
    "      --invalidation M  unchecked-hash (default: the pyc is trusted) or\n"
    "                    checked-hash (the .py is hashed on import; an edited .py\n"
    "                    wins)\n"
    "  -j, --jobs N      compiler processes and rewrite threads (default: cores)\n"
    "      --report F    write per-import decisions as JSON to F\n"
    "  -q, --quiet       no summary\n"
    "  -v, --verbose     one line per module\n"
    "  -h, --help        show this help\n\n"
    "exit status: 0 written, 1 archive refused, 2 usage, 3 fatal\n";

enum { OPT_PYTHON = 0x200, OPT_INVALIDATION, OPT_REPORT };

/* One .py of the archive that becomes a module. */
struct source {
    size_t s_entry;          /* index in the input zip (entries only grow after it) */
    size_t s_root;           /* lz_zipapp root */
    char *s_module;          /* dotted name (malloc'd by cli_module_name) */
    bool s_package;
    char *s_filename;        /* co_filename: "<output name>/<entry>" (lz_malloc'd) */
};

struct zipapp_run {
    const char *zr_input, *zr_output, *zr_python, *zr_report;
    struct cli_lazy_opts zr_opts;
    enum lz_invalidation zr_invalidation;
    unsigned zr_jobs;
    bool zr_quiet, zr_verbose;
    /* state */
    struct lz_zip *zr_zip;
    struct lz_zipapp *zr_app;
    struct source *zr_sources;
    size_t zr_nsources;
    struct lz_compile_job *zr_cjobs;      /* sources, then one runtime per root */
    struct cli_batch zr_batch;            /* module k = source k */
    struct lz_compiler_info zr_info;      /* a copy: the compiler is closed early */
    const char *zr_outname;               /* base name of the output */
    char **zr_runtime_names;              /* co_filename of each root's runtime */
    size_t zr_added, zr_replaced;
};

/* ---- helpers -------------------------------------------------------------- */

/* "dir/app.pyz" -> "dir/app.lazy.pyz"; "app" -> "app.lazy".  malloc'd. */
static char *default_output(const char *input)
{
    const char *base = strrchr(input, '/'), *dot;
    size_t n = strlen(input);
    char *out = malloc(n + 6);

    base = base ? base + 1 : input;
    dot = strrchr(base, '.');
    if (!out)
        return NULL;
    if (!dot || dot == base) {
        snprintf(out, n + 6, "%s.lazy", input);
    } else {
        size_t k = (size_t)(dot - input);
        memcpy(out, input, k);
        snprintf(out + k, n + 6 - k, ".lazy%s", dot);
    }
    return out;
}

/* Put `name` with `data` (owned) into the zip: replace the contents if it is
 * there (keeping its place and attributes), else insert at *at, moving *at
 * past it. */
static int put_entry(struct zipapp_run *zr, size_t *at, const char *name,
                     const struct lz_zip_entry *like, uint8_t *data, size_t size,
                     struct lz_error *err)
{
    long i = lz_zip_find(zr->zr_zip, name);
    int rc;

    if (!data)
        return lz_error_set(err, LZ_ENOMEM, "out of memory");
    if (i >= 0) {
        lz_zip_set_data(zr->zr_zip, (size_t)i, data, size);
        zr->zr_replaced++;
        return LZ_OK;
    }
    rc = lz_zip_insert(zr->zr_zip, *at, name, like->ze_mode, like->ze_method, like->ze_mtime,
                       data, size, err);
    if (rc == LZ_OK) {
        (*at)++;
        zr->zr_added++;
    }
    return rc;
}

/* ---- the steps ----------------------------------------------------------------- */

static bool is_source(const struct lz_zip_entry *e)
{
    size_t n = strlen(e->ze_name);
    return n > 3 && strcmp(e->ze_name + n - 3, ".py") == 0 && S_ISREG(e->ze_mode);
}

/* The .py entries that are modules of some root; our own runtime is
 * skipped (it is added fresh). */
static int find_sources(struct zipapp_run *zr)
{
    const struct lz_zip *zip = zr->zr_zip;

    zr->zr_sources = calloc(zip->z_count ? zip->z_count : 1, sizeof *zr->zr_sources);
    if (!zr->zr_sources)
        return CLI_EXIT_FATAL;
    for (size_t i = 0; i < zip->z_count; i++) {
        const struct lz_zip_entry *e = &zip->z_entries[i];
        long r = is_source(e) ? lz_zipapp_root_of(zr->zr_app, e->ze_name) : -1;
        const char *rel;
        bool pkg = false;
        char *module;
        if (r < 0)
            continue;
        rel = e->ze_name + strlen(lz_zipapp_root(zr->zr_app, (size_t)r)->zr_prefix);
        if (strcmp(rel, LZ_RUNTIME_MODULE ".py") == 0)
            continue;
        module = cli_module_name(rel, &pkg, NULL);
        if (!module)     /* not importable by name (e.g. "a-b/x.py"): left as it is */
            continue;
        zr->zr_sources[zr->zr_nsources++] = (struct source){i, (size_t)r, module, pkg,
                                                            cli_join(zr->zr_outname, e->ze_name)};
        if (!zr->zr_sources[zr->zr_nsources - 1].s_filename)
            return CLI_EXIT_FATAL;
    }
    return CLI_EXIT_OK;
}

/* Compile every source, and the runtime once per root.  co_filename is
 * "<output name>/<entry>": zipimport does not repair co_filename, and this
 * is what it would embed itself when the archive is run from its own
 * directory (app.pyz/pkg/mod.py); a path that cannot be opened, so
 * linecache asks the module's loader for the source (the .py in the zip)
 * rather than reading some unrelated pkg/mod.py below the current directory.
 * Extracted roots get the real path from the path finder anyway. */
static int compile_all(struct zipapp_run *zr, struct lz_compiler *c)
{
    size_t nroots = lz_zipapp_nroots(zr->zr_app), n = zr->zr_nsources + nroots;
    char **runtime_names = calloc(nroots ? nroots : 1, sizeof *runtime_names);
    zr->zr_runtime_names = runtime_names;
    size_t failed = 0;
    int exit_code = CLI_EXIT_OK;

    zr->zr_cjobs = calloc(n ? n : 1, sizeof *zr->zr_cjobs);
    if (!zr->zr_cjobs || !runtime_names)
        return CLI_EXIT_FATAL;     /* run_fini frees what is there */
    for (size_t k = 0; k < n; k++) {
        struct lz_compile_job *j = &zr->zr_cjobs[k];
        j->cj_optimize = 0;
        j->cj_invalidation = zr->zr_invalidation;
        if (k < zr->zr_nsources) {
            const struct lz_zip_entry *e = &zr->zr_zip->z_entries[zr->zr_sources[k].s_entry];
            j->cj_filename = zr->zr_sources[k].s_filename;
            j->cj_source = e->ze_data;
            j->cj_source_len = e->ze_size;
        } else {
            size_t r = k - zr->zr_nsources;
            char rel[1100];
            snprintf(rel, sizeof rel, "%s" LZ_RUNTIME_MODULE ".py",
                     lz_zipapp_root(zr->zr_app, r)->zr_prefix);
            runtime_names[r] = cli_join(zr->zr_outname, rel);
            if (!runtime_names[r]) {
                exit_code = CLI_EXIT_FATAL;
                break;
            }
            j->cj_filename = runtime_names[r];
            j->cj_source = (const uint8_t *)lz_runtime_source;
            j->cj_source_len = lz_runtime_source_len;
        }
    }
    if (exit_code == CLI_EXIT_OK)
        exit_code = cli_compile_jobs(c, zr->zr_cjobs, n, zr->zr_quiet, zr->zr_input);
    for (size_t k = 0; exit_code == CLI_EXIT_OK && k < n; k++) {
        if (zr->zr_cjobs[k].cj_rc == LZ_OK)
            continue;
        cli_reportf(zr->zr_input, "%s: %s", zr->zr_cjobs[k].cj_filename,
                    zr->zr_cjobs[k].cj_err.e_msg);
        failed++;
    }
    if (failed) {
        cli_reportf(zr->zr_input, "refused: %zu source%s did not compile; nothing written",
                    failed, failed == 1 ? "" : "s");
        exit_code = CLI_EXIT_FAILED;
    }
    return exit_code;
}

static int rewrite_all(struct zipapp_run *zr)
{
    size_t failed;
    int exit_code;

    for (size_t k = 0; k < zr->zr_nsources; k++) {
        const struct source *s = &zr->zr_sources[k];
        struct lz_compile_job *j = &zr->zr_cjobs[k];
        char label[1200];
        snprintf(label, sizeof label, "%s:%s", zr->zr_input,
                 zr->zr_zip->z_entries[s->s_entry].ze_name);
        /* The runtime sits at the root the module is imported from: level 0. */
        if (!cli_batch_add(&zr->zr_batch, label, s->s_module, s->s_package, 0, NULL, j->cj_pyc,
                           j->cj_pyc_len)) {
            j->cj_pyc = NULL;
            return CLI_EXIT_FATAL;
        }
        j->cj_pyc = NULL;   /* the batch owns it now */
    }
    exit_code = cli_batch_rewrite(&zr->zr_batch, &zr->zr_opts, zr->zr_jobs, !zr->zr_quiet);
    if (exit_code != CLI_EXIT_OK)
        return exit_code;
    failed = cli_batch_report_failures(&zr->zr_batch);
    if (failed) {
        cli_reportf(zr->zr_input, "refused: %zu module%s could not be rewritten; nothing "
                    "written", failed, failed == 1 ? "" : "s");
        return CLI_EXIT_FAILED;
    }
    return CLI_EXIT_OK;
}

/* Add each pyc right after its .py, last source first so the entry
 * indexes of the sources still to do stay valid. */
static int place_pycs(struct zipapp_run *zr, struct lz_error *err)
{
    const char *tag = zr->zr_info.ci_cache_tag;

    for (size_t k = zr->zr_nsources; k-- > 0;) {
        const struct source *s = &zr->zr_sources[k];
        unsigned place = lz_zipapp_root(zr->zr_app, s->s_root)->zr_place;
        struct lz_zip_entry py = zr->zr_zip->z_entries[s->s_entry];   /* a copy: inserts move it */
        size_t at = s->s_entry + 1, len;
        const uint8_t *out = cli_module_output(&zr->zr_batch.b_mods[k], &len);
        char name[2048];
        int rc = LZ_OK;
        for (unsigned bit = LZ_PLACE_LEGACY; rc == LZ_OK && bit <= LZ_PLACE_PYCACHE; bit <<= 1) {
            if (!(place & bit))
                continue;
            if (cli_pyc_name(py.ze_name, bit == LZ_PLACE_PYCACHE, tag, name, sizeof name) != 0)
                return lz_error_set(err, LZ_EINPUT, "%s: name too long", py.ze_name);
            rc = put_entry(zr, &at, name, &py, cli_dup_bytes(out, len), len, err);
        }
        if (rc != LZ_OK)
            return rc;
    }
    return LZ_OK;
}

/* _lazyc_runtime.py and its pyc at every root holding a module that calls
 * it (3.15 modules use native lazy imports and need none), appended after
 * the root's last entry so earlier entries keep their places. */
static int place_runtimes(struct zipapp_run *zr, struct lz_error *err)
{
    size_t nroots = lz_zipapp_nroots(zr->zr_app);
    const char *tag = zr->zr_info.ci_cache_tag;

    for (size_t r = 0; r < nroots; r++) {
        const struct lz_zipapp_root *root = lz_zipapp_root(zr->zr_app, r);
        const struct lz_compile_job *j = &zr->zr_cjobs[zr->zr_nsources + r];
        struct lz_zip_entry like = {0};
        bool needed = false;
        size_t at = 0;
        char py[1100], pyc[1200];
        int rc = LZ_OK;
        for (size_t k = 0; k < zr->zr_nsources; k++) {
            if (zr->zr_sources[k].s_root != r)
                continue;
            if (!needed)
                like = zr->zr_zip->z_entries[zr->zr_sources[k].s_entry];
            needed |= zr->zr_batch.b_mods[k].m_lazy.lm_needs_runtime;
        }
        if (!needed)
            continue;
        /* After the last entry of this root (a root's entries need not be contiguous;
         * the last one found is the place). */
        for (size_t i = 0; i < zr->zr_zip->z_count; i++)
            if (lz_zipapp_root_of(zr->zr_app, zr->zr_zip->z_entries[i].ze_name) == (long)r)
                at = i + 1;
        like.ze_mode = S_IFREG | 0644;
        if (snprintf(py, sizeof py, "%s" LZ_RUNTIME_MODULE ".py", root->zr_prefix) >=
            (int)sizeof py)
            return lz_error_set(err, LZ_EINPUT, "%s: name too long", root->zr_prefix);
        rc = put_entry(zr, &at, py, &like, cli_dup_bytes(lz_runtime_source, lz_runtime_source_len),
                       lz_runtime_source_len, err);
        for (unsigned bit = LZ_PLACE_LEGACY; rc == LZ_OK && bit <= LZ_PLACE_PYCACHE; bit <<= 1) {
            if (!(root->zr_place & bit))
                continue;
            if (cli_pyc_name(py, bit == LZ_PLACE_PYCACHE, tag, pyc, sizeof pyc) != 0)
                return lz_error_set(err, LZ_EINPUT, "%s: name too long", py);
            rc = put_entry(zr, &at, pyc, &like, cli_dup_bytes(j->cj_pyc, j->cj_pyc_len),
                           j->cj_pyc_len, err);
        }
        if (rc != LZ_OK)
            return rc;
    }
    return LZ_OK;
}

/* ---- driver ----------------------------------------------------------------------- */

static int run(struct zipapp_run *zr)
{
    struct lz_error err = {0};
    struct lz_zip_limits limits = {LZ_ZIP_DEFAULT_MAX_TOTAL, LZ_ZIP_DEFAULT_MAX_ENTRIES};
    struct lz_zip_write_opts wopts = {0};
    struct lz_compiler *compiler = NULL;
    struct cli_output *output = NULL;
    struct lz_buf buf;
    uint8_t *data = NULL;
    size_t size = 0;
    struct stat st;
    char changed[128] = "";
    int rc, exit_code = CLI_EXIT_OK;

    lz_buf_init(&buf);
    if (stat(zr->zr_input, &st) != 0) {
        cli_reportf(zr->zr_input, "cannot stat: %m");
        return CLI_EXIT_FAILED;
    }
    rc = cli_read_file(zr->zr_input, &data, &size, &err);
    if (rc == LZ_OK)
        rc = lz_zip_read(data, size, &limits, &zr->zr_zip, &err);
    lz_free(data);
    if (rc == LZ_OK)
        rc = lz_zipapp_inspect(zr->zr_zip, &zr->zr_app, &err);
    if (rc == LZ_OK)
        rc = lz_zip_write_opts_from_env(&wopts, &err);
    if (rc != LZ_OK) {
        cli_report(zr->zr_input, &err);
        return rc == LZ_ENOMEM ? CLI_EXIT_FATAL : rc == LZ_EUSAGE ? CLI_EXIT_USAGE
                                                                  : CLI_EXIT_FAILED;
    }
    exit_code = find_sources(zr);
    if (exit_code == CLI_EXIT_OK) {
        rc = lz_compiler_open(zr->zr_python, zr->zr_jobs, &compiler, &err);
        if (rc != LZ_OK) {
            cli_report(zr->zr_python ? zr->zr_python : "python3", &err);
            exit_code = rc == LZ_ENOMEM ? CLI_EXIT_FATAL : CLI_EXIT_USAGE;
        }
    }
    if (exit_code == CLI_EXIT_OK) {
        zr->zr_info = *lz_compiler_info(compiler);
        exit_code = compile_all(zr, compiler);
    }
    lz_compiler_close(compiler);
    if (exit_code == CLI_EXIT_OK)
        exit_code = rewrite_all(zr);
    if (exit_code == CLI_EXIT_OK) {
        rc = place_pycs(zr, &err);
        if (rc == LZ_OK)
            rc = place_runtimes(zr, &err);
        if (rc == LZ_OK)
            rc = lz_zipapp_update(zr->zr_app, zr->zr_zip, changed, sizeof changed, &err);
        if (rc == LZ_OK)
            rc = lz_zip_write(zr->zr_zip, &wopts, &buf, &err);
        if (rc == LZ_OK && !(output = cli_output_new()))
            rc = lz_error_set(&err, LZ_ENOMEM, "out of memory");
        if (rc == LZ_OK)
            rc = cli_output_stage_mode(output, zr->zr_output, buf.b_data, buf.b_len,
                                       st.st_mode & 07777, &err);
        if (rc == LZ_OK)
            rc = cli_output_commit(output, &err);
        if (rc != LZ_OK) {
            cli_report(rc == LZ_EIO ? zr->zr_output : zr->zr_input, &err);
            exit_code = rc == LZ_EINPUT ? CLI_EXIT_FAILED : CLI_EXIT_FATAL;
        }
    }
    cli_output_free(output);
    if (exit_code == CLI_EXIT_OK && zr->zr_verbose)
        cli_batch_print_modules(&zr->zr_batch);
    if (zr->zr_report && zr->zr_batch.b_count && exit_code != CLI_EXIT_FATAL &&
        cli_batch_write_report(&zr->zr_batch, zr->zr_report) != 0 && exit_code == CLI_EXIT_OK)
        exit_code = CLI_EXIT_FAILED;
    if (!zr->zr_quiet && (exit_code == CLI_EXIT_OK || exit_code == CLI_EXIT_FAILED)) {
        cli_batch_print_summary(&zr->zr_batch, exit_code == CLI_EXIT_OK ? "rewritten"
                                                                          : "not written");
        if (exit_code == CLI_EXIT_OK)
            printf("%s -> %s: %s for %s, %zu pycs added, %zu replaced%s%s\n", zr->zr_input,
                   zr->zr_output, lz_zipapp_kind_name(lz_zipapp_kind(zr->zr_app)),
                   zr->zr_info.ci_cache_tag, zr->zr_added, zr->zr_replaced,
                   changed[0] ? "; updated " : "", changed);
    }
    lz_buf_fini(&buf);
    return exit_code;
}

static void run_fini(struct zipapp_run *zr)
{
    size_t n = zr->zr_nsources + (zr->zr_app ? lz_zipapp_nroots(zr->zr_app) : 0);
    for (size_t k = 0; zr->zr_cjobs && k < n; k++)
        lz_free(zr->zr_cjobs[k].cj_pyc);
    free(zr->zr_cjobs);
    for (size_t k = 0; k < zr->zr_nsources; k++) {
        free(zr->zr_sources[k].s_module);
        lz_free(zr->zr_sources[k].s_filename);
    }
    for (size_t r = 0; zr->zr_runtime_names && zr->zr_app && r < lz_zipapp_nroots(zr->zr_app); r++)
        lz_free(zr->zr_runtime_names[r]);
    free(zr->zr_runtime_names);
    free(zr->zr_sources);
    cli_batch_fini(&zr->zr_batch);
    lz_zipapp_free(zr->zr_app);
    lz_zip_free(zr->zr_zip);
    cli_lazy_opts_fini(&zr->zr_opts);
}

int cmd_zipapp(int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_LAZY_LONGOPTS,
        {"python", required_argument, NULL, OPT_PYTHON},
        {"invalidation", required_argument, NULL, OPT_INVALIDATION},
        {"report", required_argument, NULL, OPT_REPORT},
        {"output", required_argument, NULL, 'o'},
        {"jobs", required_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct zipapp_run zr = {.zr_invalidation = LZ_INVALIDATION_UNCHECKED_HASH,
                            .zr_jobs = cli_default_jobs()};
    char *default_out = NULL;
    int c, exit_code = CLI_EXIT_OK;

    cli_lazy_opts_init(&zr.zr_opts);
    cli_batch_init(&zr.zr_batch);
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:j:qvh", opts, NULL)) != -1) {
        switch (c) {
        case OPT_PYTHON: zr.zr_python = optarg; break;
        case OPT_REPORT: zr.zr_report = optarg; break;
        case OPT_INVALIDATION:
            if (strcmp(optarg, "unchecked-hash") == 0) {
                zr.zr_invalidation = LZ_INVALIDATION_UNCHECKED_HASH;
            } else if (strcmp(optarg, "checked-hash") == 0) {
                zr.zr_invalidation = LZ_INVALIDATION_CHECKED_HASH;
            } else {
                /* Timestamp pycs in a zip are checked against the .py entry's
                 * DOS time in the local time zone: never reliable. */
                fprintf(stderr, "lazyc zipapp: --invalidation wants checked-hash or "
                        "unchecked-hash (timestamp pycs go stale in zips)\n");
                exit_code = CLI_EXIT_USAGE;
            }
            break;
        case 'o': zr.zr_output = optarg; break;
        case 'j':
            if (cli_jobs_option(optarg, "zipapp", &zr.zr_jobs) != CLI_EXIT_OK)
                exit_code = CLI_EXIT_USAGE;
            break;
        case 'q': zr.zr_quiet = true; break;
        case 'v': zr.zr_verbose = true; break;
        case 'h':
            fputs(zipapp_usage, stdout);
            run_fini(&zr);
            return CLI_EXIT_OK;
        default:
            if (c >= CLI_OPT_POLICY && c <= CLI_OPT_NO_DENY) {
                int r = cli_lazy_option(&zr.zr_opts, c, optarg, "zipapp");
                if (r != CLI_EXIT_OK)
                    exit_code = r;
            } else {
                exit_code = CLI_EXIT_USAGE;
            }
        }
    }
    if (exit_code == CLI_EXIT_OK && optind != argc - 1) {
        fputs(zipapp_usage, stderr);
        exit_code = CLI_EXIT_USAGE;
    }
    if (exit_code == CLI_EXIT_OK) {
        zr.zr_input = argv[optind];
        if (!zr.zr_output) {
            default_out = default_output(zr.zr_input);
            if (!default_out)
                exit_code = CLI_EXIT_FATAL;
            zr.zr_output = default_out;
        }
        const char *slash = zr.zr_output ? strrchr(zr.zr_output, '/') : NULL;
        zr.zr_outname = slash ? slash + 1 : zr.zr_output;
    }
    if (exit_code == CLI_EXIT_OK)
        exit_code = run(&zr);
    free(default_out);
    run_fini(&zr);
    return exit_code;
}
