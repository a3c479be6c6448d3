/* cmd_compile.c - `lazyc compile`: lazy pycs for the sources of a tree, an
 * installed environment or a virtual environment.
 *
 * Every .py under SRC is compiled by the target interpreter (a pool of
 * worker processes, lz_pycompile.h), the pycs go through one batch of the
 * lazy pass, and the results land where that interpreter looks for them:
 * SRC's __pycache__ directories, or a PYTHONPYCACHEPREFIX tree.
 *
 * A pyc that is already fresh for its source (the header the interpreter
 * checks matches) is not compiled again: it is rewritten as it stands, and
 * if it is lazy already (or has nothing to make lazy) nothing is written,
 * so a second run over an unchanged tree writes nothing.
 */
#include "cli.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lz_pycompile.h"
#include "lz_pyc.h"

static const char compile_usage[] =
    "usage: lazyc compile [--python PY] [--policy P] [--eager GLOB]... [--exclude GLOB]...\n"
    "                     [--pycache-prefix DIR] [--invalidation MODE] [-O LEVEL]...\n"
    "                     [-j N] [--force] [--report FILE.json] [-q] [-v] SRC...\n\n"
    "Compile every .py under SRC with the target interpreter and write lazy pycs\n"
    "where that interpreter finds them: SRC's __pycache__ directories, or with\n"
    "--pycache-prefix a PYTHONPYCACHEPREFIX tree (the sources are not touched).\n"
    "Each SRC is a sys.path entry (site-packages, a src/ directory); a virtual\n"
    "environment stands for its site-packages.  On 3.8-3.14 the runtime module\n"
    "_lazyc_runtime.py is written at each SRC (inside it when SRC is a package);\n"
    "it must be importable, so it is the one file prefix mode adds to the tree\n"
    "(--runtime-dir puts it elsewhere on sys.path).\n\n"
    "Fresh pycs are reused, lazy ones left alone: running again over an unchanged\n"
    "tree writes nothing.  --force compiles everything again.\n\n"
    "options:\n" CLI_COMPILE_HELP CLI_LAZY_HELP
    "      --pycache-prefix DIR  write pycs under DIR as PYTHONPYCACHEPREFIX=DIR expects\n"
    "      --runtime-dir DIR write the runtime there instead of at each SRC\n"
    "      --invalidation M  timestamp (default), checked-hash or unchecked-hash\n"
    "                    (checked-hash when SOURCE_DATE_EPOCH is set, as py_compile)\n"
    "  -O, --optimize N  optimisation level 0, 1 or 2 (repeatable; default 0)\n"
    "  -j, --jobs N      worker interpreters and threads (default: one per core)\n"
    "      --force       compile and rewrite every source, fresh pycs or not\n"
    "      --report F    write per-import decisions as JSON to F\n"
    "  -q, --quiet       no progress, no summary\n"
    "  -v, --verbose     one line per pyc written\n"
    "  -h, --help        show this help\n\n"
    "exit status: 0 done, 1 some source did not compile or was refused, 2 usage,\n"
    "3 fatal (interpreter unusable, output not writable)\n";

enum { OPT_PYTHON = 0x200, OPT_PREFIX, OPT_RUNTIME_DIR, OPT_INVALIDATION, OPT_FORCE,
       OPT_REPORT };

/* One pyc to produce: a source at one optimisation level. */
struct unit {
    const struct cli_input *u_src;
    char *u_root;            /* the sys.path entry it is imported from (malloc'd) */
    char *u_module;          /* dotted name (malloc'd), NULL: not importable from u_root */
    bool u_package;
    unsigned u_level;        /* relative level of the vendored runtime, 0 = absolute */
    int u_optimize;
    char *u_dest;            /* where the pyc goes (malloc'd) */
    uint8_t *u_source;       /* the .py bytes (lz_malloc'd) */
    size_t u_source_len;
    int64_t u_mtime;
    bool u_fresh;            /* u_dest already holds a pyc valid for the source */
    size_t u_batch;          /* 1 + its index in the batch, 0: not in it */
    struct cli_module *u_mod;   /* set by link_units once the batch stops growing */
};

struct compile_run {
    const char *python, *prefix, *runtime_dir, *report;
    enum lz_invalidation invalidation;
    int levels[3];
    unsigned nlevels;
    unsigned jobs;
    bool force, quiet, verbose;
    struct cli_lazy_opts lazy;
    struct lz_compiler *compiler;
    const struct lz_compiler_info *info;   /* -> info_copy */
    struct lz_compiler_info info_copy;     /* outlives the worker pool */
    struct cli_output *output;
    struct unit *units;
    size_t nunits;
    size_t compiled, compile_errors, not_importable, written, up_to_date;
};

/* ---- where things go -------------------------------------------------------------- */

/* An absolute, lexically normal form of `path` (no symlinks resolved: the
 * interpreter builds pycache-prefix paths from sys.path as given). */
static char *abs_path(const char *path)
{
    char cwd[PATH_MAX], *buf, *out, *p;
    size_t n;

    if (path[0] != '/' && !getcwd(cwd, sizeof cwd))
        return NULL;
    n = (path[0] == '/' ? 0 : strlen(cwd) + 1) + strlen(path) + 2;
    buf = malloc(n);
    out = malloc(n);
    if (!buf || !out) {
        free(buf);
        free(out);
        return NULL;
    }
    snprintf(buf, n, "%s%s%s", path[0] == '/' ? "" : cwd, path[0] == '/' ? "" : "/", path);
    out[0] = '\0';
    for (char *save = NULL, *part = strtok_r(buf, "/", &save); part;
         part = strtok_r(NULL, "/", &save)) {
        if (strcmp(part, ".") == 0)
            continue;
        if (strcmp(part, "..") == 0) {
            p = strrchr(out, '/');
            if (p)
                *p = '\0';
            continue;
        }
        strcat(out, "/");
        strcat(out, part);
    }
    if (!out[0])
        strcpy(out, "/");
    free(buf);
    return out;
}

/* DIR/__pycache__/STEM.TAG[.opt-N].pyc, or PREFIX/ABSDIR/STEM.TAG[.opt-N].pyc. */
static char *cache_path(const struct compile_run *run, const char *source, int optimize)
{
    const char *slash = strrchr(source, '/');
    size_t dirlen = slash ? (size_t)(slash - source) : 0;
    const char *base = slash ? slash + 1 : source;
    size_t stemlen = strlen(base) - 3;   /* minus ".py" */
    char opt[16] = "", *dir, *out;
    size_t n;

    if (optimize > 0)
        snprintf(opt, sizeof opt, ".opt-%d", optimize);
    dir = slash ? strndup(source, dirlen) : strdup(".");
    if (!dir)
        return NULL;
    if (run->prefix) {
        char *abs = abs_path(dir);
        free(dir);
        if (!abs)
            return NULL;
        n = strlen(run->prefix) + strlen(abs) + stemlen + strlen(run->info->ci_cache_tag) + 32;
        out = malloc(n);
        if (out)
            snprintf(out, n, "%s%s%s/%.*s.%s%s.pyc", run->prefix, abs[1] ? "/" : "",
                     abs[1] ? abs + 1 : "", (int)stemlen, base, run->info->ci_cache_tag, opt);
        free(abs);
        return out;
    }
    n = strlen(dir) + stemlen + strlen(run->info->ci_cache_tag) + 48;
    out = malloc(n);
    if (out)
        snprintf(out, n, "%s/__pycache__/%.*s.%s%s.pyc", dir, (int)stemlen, base,
                 run->info->ci_cache_tag, opt);
    free(dir);
    return out;
}

static bool is_file(const char *dir, const char *name)
{
    char path[PATH_MAX];
    struct stat st;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The module a source is imported as from its root (the argument it was
 * found under, or its own directory for a file argument). */
static int place_unit(struct unit *u)
{
    const struct cli_input *in = u->u_src;
    size_t plen = strlen(in->ci_path), rlen = strlen(in->ci_rel);
    bool below = rlen < plen && strcmp(in->ci_path + plen - rlen, in->ci_rel) == 0 &&
                 in->ci_path[plen - rlen - 1] == '/';
    unsigned depth = 0;
    char *name;

    u->u_root = below ? strndup(in->ci_path, plen - rlen - 1) : strdup(".");
    if (!u->u_root)
        return -1;
    name = cli_module_name(in->ci_rel, &u->u_package, &depth);
    if (!name)
        return 0;   /* "a-b/c.py": not importable from this root */
    if (is_file(u->u_root, "__init__.py")) {
        /* The root is a package itself: names count from its parent and the
         * runtime is vendored inside it. */
        const char *base = strrchr(u->u_root, '/');
        base = base ? base + 1 : u->u_root;
        size_t n = strlen(base) + strlen(name) + 2;
        char *full = malloc(n);
        if (!full) {
            free(name);
            return -1;
        }
        snprintf(full, n, "%s%s%s", base, name[0] ? "." : "", name);
        free(name);
        name = full;
        u->u_level = depth + 1;
    }
    u->u_module = name;
    return 0;
}

/* ---- freshness ------------------------------------------------------------------ */

static bool contains(const uint8_t *data, size_t len, const char *what, size_t n)
{
    for (size_t i = 0; i + n <= len; i++)
        if (data[i] == (uint8_t)what[0] && memcmp(data + i, what, n) == 0)
            return true;
    return false;
}

/* Does the pyc at u_dest carry the header the interpreter would accept for
 * this source in the requested mode, and the code the interpreter compiled?
 * Then it stands for compile(source).  A pyc lazyc rewrote before does not:
 * `auto` decides from the import graph of the original code of the whole
 * tree, and a rewritten module no longer shows its lazy imports, so its
 * source is compiled again (the result is only written if it differs). */
static bool pyc_is_fresh(const struct compile_run *run, const struct unit *u,
                         uint8_t **pyc, size_t *len)
{
    static const char handle[] = LZ_RUNTIME_HANDLE;
    struct lz_error err = {0};
    uint8_t want[LZ_PYC_HEADER_SIZE];

    if (access(u->u_dest, F_OK) != 0 || cli_read_file(u->u_dest, pyc, len, &err) != LZ_OK)
        return false;
    lz_pyc_make_header(run->info->ci_ver, run->invalidation, u->u_source, u->u_source_len,
                       u->u_mtime, want);
    if (*len > LZ_PYC_HEADER_SIZE && memcmp(*pyc, want, LZ_PYC_HEADER_SIZE) == 0 &&
        !contains(*pyc, *len, handle, sizeof handle - 1))
        return true;
    lz_free(*pyc);
    *pyc = NULL;
    return false;
}

/* ---- the run ------------------------------------------------------------------- */

static void compile_progress(size_t done, size_t total, const char *filename, void *ctx)
{
    (void)ctx;
    cli_progress(done, total, filename);
}

static int read_sources(struct compile_run *run, const struct cli_inputs *inputs)
{
    run->units = calloc(inputs->il_count * run->nlevels + 1, sizeof *run->units);
    if (!run->units)
        return CLI_EXIT_FATAL;
    for (size_t i = 0; i < inputs->il_count; i++) {
        const struct cli_input *in = &inputs->il_items[i];
        struct lz_error err = {0};
        struct stat st;
        uint8_t *src = NULL;
        size_t len = 0;
        const char *base = strrchr(in->ci_path, '/');

        if (strcmp(base ? base + 1 : in->ci_path, LZ_RUNTIME_MODULE ".py") == 0)
            continue;   /* ours: written from the copy built into lazyc */
        if (cli_read_file(in->ci_path, &src, &len, &err) != LZ_OK || stat(in->ci_path, &st) != 0) {
            cli_report(in->ci_path, &err);
            lz_free(src);
            return err.e_code == LZ_ENOMEM ? CLI_EXIT_FATAL : CLI_EXIT_FAILED;
        }
        for (unsigned l = 0; l < run->nlevels; l++) {
            struct unit *u = &run->units[run->nunits++];
            u->u_src = in;
            u->u_optimize = run->levels[l];
            u->u_mtime = (int64_t)st.st_mtime;
            u->u_source_len = len;
            u->u_source = l == 0 ? src : lz_malloc(len ? len : 1);
            if (!u->u_source || place_unit(u) != 0 ||
                !(u->u_dest = cache_path(run, in->ci_path, u->u_optimize)))
                return CLI_EXIT_FATAL;
            if (l > 0)
                memcpy(u->u_source, src, len);
        }
    }
    return CLI_EXIT_OK;
}

/* Compile what is not fresh; every importable unit joins the batch. */
static int compile_units(struct compile_run *run, struct cli_batch *batch)
{
    struct lz_compile_job *jobs = calloc(run->nunits + 1, sizeof *jobs);
    size_t *owner = calloc(run->nunits + 1, sizeof *owner), njobs = 0;
    struct lz_error err = {0};
    int rc = CLI_EXIT_OK;

    if (!jobs || !owner) {
        free(jobs);
        free(owner);
        return CLI_EXIT_FATAL;
    }
    for (size_t i = 0; i < run->nunits; i++) {
        struct unit *u = &run->units[i];
        uint8_t *pyc = NULL;
        size_t len = 0;
        if (!u->u_module) {
            run->not_importable++;
            continue;
        }
        if (!run->force && pyc_is_fresh(run, u, &pyc, &len)) {
            u->u_fresh = true;
            if (!cli_batch_add(batch, u->u_src->ci_path, u->u_module, u->u_package, u->u_level,
                               NULL, pyc, len))
                rc = CLI_EXIT_FATAL;
            else
                u->u_batch = batch->b_count;
            continue;
        }
        jobs[njobs] = (struct lz_compile_job){
            .cj_filename = u->u_src->ci_path,
            .cj_source = u->u_source,
            .cj_source_len = u->u_source_len,
            .cj_optimize = u->u_optimize,
            .cj_invalidation = run->invalidation,
            .cj_mtime = u->u_mtime,
        };
        owner[njobs++] = i;
    }
    if (rc == CLI_EXIT_OK && njobs &&
        lz_compiler_run(run->compiler, jobs, njobs, run->quiet ? NULL : compile_progress, NULL,
                        &err) != LZ_OK) {
        cli_progress_end();
        cli_report(run->python, &err);
        rc = CLI_EXIT_FATAL;
    }
    if (!run->quiet)
        cli_progress_end();
    for (size_t j = 0; j < njobs; j++) {
        struct unit *u = &run->units[owner[j]];
        if (rc == CLI_EXIT_OK && jobs[j].cj_rc != LZ_OK) {
            cli_report(u->u_src->ci_path, &jobs[j].cj_err);
            run->compile_errors++;
        } else if (rc == CLI_EXIT_OK) {
            run->compiled++;
            if (!cli_batch_add(batch, u->u_src->ci_path, u->u_module, u->u_package, u->u_level,
                               NULL, jobs[j].cj_pyc, jobs[j].cj_pyc_len))
                rc = CLI_EXIT_FATAL;
            else
                u->u_batch = batch->b_count;
            jobs[j].cj_pyc = NULL;
        }
        lz_free(jobs[j].cj_pyc);
    }
    free(jobs);
    free(owner);
    return rc;
}

/* The batch array moves while it grows: units point into it only after. */
static void link_units(struct compile_run *run, struct cli_batch *batch)
{
    for (size_t i = 0; i < run->nunits; i++)
        if (run->units[i].u_batch)
            run->units[i].u_mod = &batch->b_mods[run->units[i].u_batch - 1];
}

static int stage(struct compile_run *run, const char *dest, const void *data, size_t len)
{
    struct lz_error err = {0};

    if (cli_output_stage(run->output, dest, data, len, &err) != LZ_OK) {
        cli_report(dest, &err);
        return CLI_EXIT_FATAL;
    }
    run->written++;
    if (run->verbose)
        printf("%s\n", dest);
    return CLI_EXIT_OK;
}

/* Same header and code objects that load as equal: compiling one source
 * twice may set marshal's FLAG_REF differently (it follows reference counts). */
static bool same_pyc(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
    struct lz_error err = {0};
    struct lz_pyc *pa = NULL, *pb = NULL;
    bool same = alen > LZ_PYC_HEADER_SIZE && blen > LZ_PYC_HEADER_SIZE &&
                memcmp(a, b, LZ_PYC_HEADER_SIZE) == 0 &&
                lz_pyc_parse(a, alen, &pa, &err) == LZ_OK &&
                lz_pyc_parse(b, blen, &pb, &err) == LZ_OK &&
                lz_obj_equal_depth(pa->pc_code, pb->pc_code, 0);

    lz_pyc_free(pa);
    lz_pyc_free(pb);
    return same;
}

/* Does `path` hold `data` already (for a pyc: code that loads the same)? */
static bool holds(const char *path, const void *data, size_t len, bool pyc)
{
    struct lz_error err = {0};
    uint8_t *old = NULL;
    size_t oldlen = 0;
    bool same = access(path, F_OK) == 0 && cli_read_file(path, &old, &oldlen, &err) == LZ_OK &&
                ((oldlen == len && memcmp(old, data, len) == 0) ||
                 (pyc && same_pyc(old, oldlen, data, len)));

    lz_free(old);
    return same;
}

/* Stage `data` unless `dest` holds exactly that already. */
static int stage_if_different(struct compile_run *run, const char *dest, const void *data,
                              size_t len)
{
    return holds(dest, data, len, false) ? CLI_EXIT_OK : stage(run, dest, data, len);
}

/* The runtime for every root (or --runtime-dir) where a module needs it:
 * the source, and its pyc where the interpreter will look for it. */
static int stage_runtimes(struct compile_run *run)
{
    unsigned minor = run->info->ci_ver->pv_minor;
    const struct lz_runtime_pyc *rp = lz_runtime_pyc_for(minor);
    int rc = CLI_EXIT_OK;

    for (size_t i = 0; i < run->nunits && rc == CLI_EXIT_OK; i++) {
        const struct unit *u = &run->units[i];
        const char *dir = run->runtime_dir ? run->runtime_dir : u->u_root;
        bool seen = false;
        char *src, *pyc;
        if (!u->u_mod || u->u_mod->m_rc != LZ_OK || !u->u_mod->m_lazy.lm_needs_runtime)
            continue;
        for (size_t j = 0; j < i && !seen; j++) {
            const struct unit *o = &run->units[j];
            seen = o->u_mod && o->u_mod->m_rc == LZ_OK && o->u_mod->m_lazy.lm_needs_runtime &&
                   (run->runtime_dir || strcmp(o->u_root, u->u_root) == 0);
        }
        if (seen)
            continue;
        if (!rp) {
            fprintf(stderr, "lazyc compile: no runtime pyc for 3.%u is built in\n", minor);
            return CLI_EXIT_FATAL;
        }
        src = cli_join(dir, LZ_RUNTIME_MODULE ".py");
        pyc = src ? cache_path(run, src, 0) : NULL;
        if (!src || !pyc)
            rc = CLI_EXIT_FATAL;
        if (rc == CLI_EXIT_OK)
            rc = stage_if_different(run, src, lz_runtime_source, lz_runtime_source_len);
        if (rc == CLI_EXIT_OK)
            rc = stage_if_different(run, pyc, rp->rp_data, rp->rp_len);
        free(pyc);
        lz_free(src);
    }
    return rc;
}

static int stage_pycs(struct compile_run *run)
{
    for (size_t i = 0; i < run->nunits; i++) {
        const struct unit *u = &run->units[i];
        const uint8_t *data;
        size_t len;
        if (!u->u_mod || u->u_mod->m_rc != LZ_OK)
            continue;   /* refused: the interpreter compiles the source itself */
        if (u->u_fresh && !u->u_mod->m_out) {
            run->up_to_date++;   /* the interpreter's pyc, nothing to make lazy */
            continue;
        }
        data = cli_module_output(u->u_mod, &len);
        if (holds(u->u_dest, data, len, true))
            run->up_to_date++;   /* lazy already, with the same decisions */
        else if (stage(run, u->u_dest, data, len) != CLI_EXIT_OK)
            return CLI_EXIT_FATAL;
    }
    return CLI_EXIT_OK;
}

/* A virtual environment stands for its site-packages directories. */
static int expand_venvs(char **args, int nargs, char ***out, int *nout, char ***owned)
{
    enum { PER_ARG = 8 };   /* lib/python3.8 .. 3.15 */
    char **list = calloc((size_t)nargs * PER_ARG + 1, sizeof *list);
    char **keep = calloc((size_t)nargs * PER_ARG + 1, sizeof *keep);
    int n = 0, k = 0;

    *out = list;
    *owned = keep;
    if (!list || !keep)
        return -1;
    for (int i = 0; i < nargs; i++) {
        bool found = false;
        for (int minor = 8; minor <= 15 && is_file(args[i], "pyvenv.cfg"); minor++) {
            char sp[PATH_MAX];
            struct stat st;
            snprintf(sp, sizeof sp, "%s/lib/python3.%d/site-packages", args[i], minor);
            if (stat(sp, &st) != 0 || !S_ISDIR(st.st_mode))
                continue;
            if (!(list[n] = keep[k] = strdup(sp)))
                return -1;
            n++, k++;
            found = true;
        }
        if (!found)
            list[n++] = args[i];
    }
    *nout = n;
    return 0;
}

static int parse_options(struct compile_run *run, int argc, char **argv, int *exit_code)
{
    static const struct option opts[] = {
        CLI_LAZY_LONGOPTS,
        {"python", required_argument, NULL, OPT_PYTHON},
        {"pycache-prefix", required_argument, NULL, OPT_PREFIX},
        {"runtime-dir", required_argument, NULL, OPT_RUNTIME_DIR},
        {"invalidation", required_argument, NULL, OPT_INVALIDATION},
        {"force", no_argument, NULL, OPT_FORCE},
        {"report", required_argument, NULL, OPT_REPORT},
        {"optimize", required_argument, NULL, 'O'},
        {"jobs", required_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    int c;

    run->invalidation = sde && sde[0] ? LZ_INVALIDATION_CHECKED_HASH : LZ_INVALIDATION_TIMESTAMP;
    run->jobs = cli_default_jobs();
    optind = 1;
    while ((c = getopt_long(argc, argv, "O:j:qvh", opts, NULL)) != -1) {
        switch (c) {
        case OPT_PYTHON: run->python = optarg; break;
        case OPT_PREFIX: run->prefix = optarg; break;
        case OPT_RUNTIME_DIR: run->runtime_dir = optarg; break;
        case OPT_FORCE: run->force = true; break;
        case OPT_REPORT: run->report = optarg; break;
        case OPT_INVALIDATION:
            if (strcmp(optarg, "timestamp") == 0)
                run->invalidation = LZ_INVALIDATION_TIMESTAMP;
            else if (strcmp(optarg, "checked-hash") == 0)
                run->invalidation = LZ_INVALIDATION_CHECKED_HASH;
            else if (strcmp(optarg, "unchecked-hash") == 0)
                run->invalidation = LZ_INVALIDATION_UNCHECKED_HASH;
            else {
                fprintf(stderr, "lazyc compile: --invalidation wants timestamp, checked-hash "
                                "or unchecked-hash, not '%s'\n", optarg);
                *exit_code = CLI_EXIT_USAGE;
            }
            break;
        case 'O':
            if (strlen(optarg) != 1 || optarg[0] < '0' || optarg[0] > '2') {
                fprintf(stderr, "lazyc compile: -O wants 0, 1 or 2\n");
                *exit_code = CLI_EXIT_USAGE;
            } else {
                bool dup = false;
                for (unsigned l = 0; l < run->nlevels; l++)
                    dup |= run->levels[l] == optarg[0] - '0';
                if (!dup)
                    run->levels[run->nlevels++] = optarg[0] - '0';
            }
            break;
        case 'j': {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end || n < 1 || n > 64) {
                fprintf(stderr, "lazyc compile: -j wants a number from 1 to 64\n");
                *exit_code = CLI_EXIT_USAGE;
            }
            run->jobs = n < 1 ? 1 : (unsigned)n;
            break;
        }
        case 'q': run->quiet = true; break;
        case 'v': run->verbose = true; break;
        case 'h': fputs(compile_usage, stdout); return 1;
        default:
            if (c >= CLI_OPT_POLICY && c <= CLI_OPT_NO_DENY) {
                int r = cli_lazy_option(&run->lazy, c, optarg, "compile");
                if (r != CLI_EXIT_OK)
                    *exit_code = r;
                break;
            }
            *exit_code = CLI_EXIT_USAGE;
            break;
        }
    }
    if (run->nlevels == 0)
        run->levels[run->nlevels++] = 0;
    if (*exit_code == CLI_EXIT_OK && optind >= argc) {
        fprintf(stderr, "lazyc compile: no SRC given\n");
        *exit_code = CLI_EXIT_USAGE;
    }
    if (*exit_code == CLI_EXIT_USAGE)
        fputs(compile_usage, stderr);
    return 0;
}

static void print_summary(const struct compile_run *run, const struct cli_batch *batch,
                          bool commit)
{
    if (run->written == 0 && commit && run->compile_errors == 0) {
        printf("nothing to do: %zu pycs up to date\n", run->up_to_date);
        return;
    }
    size_t reused = 0;
    for (size_t i = 0; i < run->nunits; i++)
        reused += run->units[i].u_fresh;
    printf("%zu sources: %zu compiled, %zu fresh pycs reused, %zu compile errors, %zu not "
           "importable by name (skipped); %zu files %s, %zu pycs already up to date\n",
           run->nunits, run->compiled, reused, run->compile_errors, run->not_importable,
           run->written, commit ? "written" : "not written", run->up_to_date);
    cli_batch_print_summary(batch, commit ? "rewritten" : "not written");
}

int cmd_compile(int argc, char **argv)
{
    struct compile_run run = {0};
    struct cli_inputs inputs = {0};
    struct cli_batch batch;
    struct lz_error err = {0};
    char **args = NULL, **owned = NULL;
    int nargs = 0, exit_code = CLI_EXIT_OK;

    cli_lazy_opts_init(&run.lazy);
    cli_batch_init(&batch);
    if (parse_options(&run, argc, argv, &exit_code) != 0 || exit_code != CLI_EXIT_OK)
        goto done;
    if (expand_venvs(argv + optind, argc - optind, &args, &nargs, &owned) != 0) {
        exit_code = CLI_EXIT_FATAL;
        goto done;
    }
    if (cli_collect(args, nargs, ".py", &inputs, &err) != LZ_OK) {
        cli_report(NULL, &err);
        exit_code = err.e_code == LZ_ENOMEM ? CLI_EXIT_FATAL : CLI_EXIT_FAILED;
        goto done;
    }
    if (lz_compiler_open(run.python, run.jobs, &run.compiler, &err) != LZ_OK) {
        cli_report(run.python ? run.python : "python3", &err);
        exit_code = err.e_code == LZ_EUSAGE ? CLI_EXIT_USAGE : CLI_EXIT_FATAL;
        goto done;
    }
    run.info_copy = *lz_compiler_info(run.compiler);
    run.info = &run.info_copy;
    if (!run.python)
        run.python = run.info->ci_executable;
    run.output = cli_output_new();
    if (!run.output)
        exit_code = CLI_EXIT_FATAL;
    if (exit_code == CLI_EXIT_OK)
        exit_code = read_sources(&run, &inputs);
    if (exit_code == CLI_EXIT_OK)
        exit_code = compile_units(&run, &batch);
    link_units(&run, &batch);
    lz_compiler_close(run.compiler);
    run.compiler = NULL;
    if (exit_code == CLI_EXIT_OK)
        exit_code = cli_batch_rewrite(&batch, &run.lazy, run.jobs, !run.quiet);
    size_t refused = exit_code == CLI_EXIT_OK ? cli_batch_report_failures(&batch) : 0;
    if (exit_code == CLI_EXIT_OK)
        exit_code = stage_pycs(&run);
    if (exit_code == CLI_EXIT_OK)
        exit_code = stage_runtimes(&run);
    if (exit_code == CLI_EXIT_OK && run.report && cli_batch_write_report(&batch, run.report) != 0)
        exit_code = CLI_EXIT_FATAL;
    /* Compile errors and refused pycs skip their own module only (the
     * interpreter compiles those sources itself); everything else lands. */
    bool commit = exit_code == CLI_EXIT_OK;
    if (commit && cli_output_commit(run.output, &err) != LZ_OK) {
        cli_report(NULL, &err);
        exit_code = CLI_EXIT_FATAL;
        commit = false;
    }
    if (exit_code == CLI_EXIT_OK && (refused || run.compile_errors))
        exit_code = CLI_EXIT_FAILED;
    if (!run.quiet && exit_code != CLI_EXIT_FATAL)
        print_summary(&run, &batch, commit);
done:
    cli_output_free(run.output);
    lz_compiler_close(run.compiler);
    for (size_t i = 0; i < run.nunits; i++) {
        free(run.units[i].u_root);
        free(run.units[i].u_module);
        free(run.units[i].u_dest);
        lz_free(run.units[i].u_source);
    }
    free(run.units);
    cli_batch_fini(&batch);
    cli_inputs_fini(&inputs);
    for (int i = 0; owned && owned[i]; i++)
        free(owned[i]);
    free(owned);
    free(args);
    cli_lazy_opts_fini(&run.lazy);
    return exit_code;
}
