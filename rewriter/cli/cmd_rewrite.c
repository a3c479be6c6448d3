/* cmd_rewrite.c - `lazyc rewrite`: make module-level imports lazy (or run
 * the debug NOP pass) over pycs, and write them back.
 *
 * Output is all-or-nothing: every result is staged beside its destination
 * and renamed into place only when every input was rewritten (unless
 * --keep-going, which writes the good ones and still exits 1).  Files run
 * on all cores; messages, the report and the summary come out in input
 * order, so they do not depend on the thread count.
 */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lz_passes.h"
#include "lz_pyc.h"

static const char rewrite_usage[] =
    "usage: lazyc rewrite [--policy P] [--eager GLOB]... [--exclude GLOB]...\n"
    "                     [-o OUTDIR] [-j N] [--report FILE.json] [-k] [-q] [-v] PATH...\n"
    "       lazyc rewrite --debug-nops [-o OUTDIR] [-k] [-v] PATH...\n\n"
    "Make the module-level imports of every .pyc under PATH (files or directories)\n"
    "lazy: a module is imported when a name it binds is first used.  CPython 3.15\n"
    "pycs get PEP 810's native lazy imports; 3.8-3.14 pycs call a small runtime\n"
    "module, _lazyc_runtime.py, written at the root of each tree (inside it when\n"
    "the root is a package).  Each pyc keeps its 16-byte header, so it stays valid\n"
    "for its source.  Already rewritten pycs are left alone.\n\n"
    "Without -o the files are replaced in place (atomically); with -o the results\n"
    "go to OUTDIR, mirroring each directory argument (a file argument lands as\n"
    "OUTDIR/NAME); unchanged files are copied.\n\n"
    "options:\n" CLI_LAZY_HELP
    "  -o, --output DIR  write results under DIR instead of in place\n"
    "      --root DIR    name modules relative to DIR, the sys.path entry they are\n"
    "                    imported from (default: each directory argument); the\n"
    "                    runtime is written there (a pycache-prefix tree: the\n"
    "                    prefix joined with the source directory)\n"
    "  -j, --jobs N      threads (default: one per core)\n"
    "      --report F    write per-import decisions as JSON to F\n"
    "  -k, --keep-going  write the files that worked even if others failed\n"
    "  -q, --quiet       no summary line\n"
    "  -v, --verbose     one line per file\n"
    "      --debug-nops  instead: insert a NOP before every instruction where the\n"
    "                    version allows one (exercises the bytecode engine)\n"
    "  -h, --help        show this help\n\n"
    "exit status: 0 all rewritten, 1 some input refused, 2 usage, 3 fatal\n";

enum { OPT_NOPS = 0x200, OPT_REPORT, OPT_ROOT };

/* One input's outcome; filled by the worker that owns it. */
struct result {
    int r_rc;                      /* LZ_OK or the failure */
    struct lz_error r_err;
    struct lz_lazy_module r_mod;
    struct cli_place r_place;
    bool r_written;                /* staged (changed, or copied under -o) */
    char r_version[8];             /* "3.12" */
    unsigned r_minor;              /* 12 */
    size_t r_bytes_in, r_bytes_out;
    struct lz_pipeline_stats r_stats;
};

struct rewrite_run {
    const struct cli_inputs *rr_inputs;
    struct result *rr_results;
    struct cli_lazy_opts rr_opts;
    bool rr_nops, rr_explain;
    bool rr_survey;                /* first pass: analyse only, for the import graph */
    const char *rr_outdir;
    const char *rr_root;           /* --root: the sys.path entry modules count from */
    struct cli_output *rr_output;
};

/* Decode, run the chosen pass, encode: into `out` (r_written when it changed). */
static int transform(struct rewrite_run *rr, struct result *res, const uint8_t *data, size_t size,
                     struct lz_buf *out)
{
    struct lz_pyc *pyc = NULL;
    const struct lz_obj *before;
    int rc = lz_pyc_parse(data, size, &pyc, &res->r_err);

    if (rc == LZ_OK) {
        snprintf(res->r_version, sizeof res->r_version, "%d.%d", pyc->pc_ver->pv_major,
                 pyc->pc_ver->pv_minor);
        res->r_minor = (unsigned)pyc->pc_ver->pv_minor;
        before = pyc->pc_code;
        if (rr->rr_nops)
            rc = lz_pipeline_run(pyc, &lz_pass_debug_nops, 1, &res->r_stats, &res->r_err);
        else
            rc = lz_lazy_rewrite(pyc, &res->r_mod, &res->r_err);
        res->r_written = rc == LZ_OK && pyc->pc_code != before;
    }
    if (rc == LZ_OK && res->r_written) {
        lz_buf_reset(out);
        rc = lz_pyc_serialize(pyc, out, &res->r_err);
    }
    lz_pyc_free(pyc);
    return rc;
}

static int stage(struct cli_jobs *jobs, struct rewrite_run *rr, const struct cli_input *in,
                 struct result *res, const uint8_t *data, size_t size)
{
    char *dest = rr->rr_outdir ? cli_join(rr->rr_outdir, in->ci_rel) : NULL;
    const char *target = rr->rr_outdir ? dest : in->ci_path;
    int rc;

    if (!target) {
        lz_free(dest);
        return lz_error_set(&res->r_err, LZ_EIO, "cannot place output under %s", rr->rr_outdir);
    }
    cli_jobs_lock(jobs);
    rc = cli_output_stage(rr->rr_output, target, data, size, &res->r_err);
    cli_jobs_unlock(jobs);
    lz_free(dest);
    return rc;
}

static int rewrite_job(struct cli_jobs *jobs, size_t i, void *ctx)
{
    struct rewrite_run *rr = ctx;
    const struct cli_input *in = &rr->rr_inputs->il_items[i];
    struct result *res = &rr->rr_results[i];
    uint8_t *data = NULL;
    size_t size = 0;
    struct lz_buf buf;
    int rc;

    lz_buf_init(&buf);
    lz_lazy_module_init(&res->r_mod, &rr->rr_opts.lo, &res->r_place.cp_place);
    int placed = cli_module_place(in, rr->rr_root, &res->r_place);
    if (placed != 0) {
        rc = placed < 0 ? lz_error_set(&res->r_err, LZ_ENOMEM, "out of memory")
                        : lz_error_set(&res->r_err, LZ_EINPUT, "not below --root %s", rr->rr_root);
    } else {
        res->r_mod.lm_place = res->r_place.cp_place;
        rc = cli_read_file(in->ci_path, &data, &size, &res->r_err);
    }
    if (rc == LZ_OK) {
        res->r_bytes_in = size;
        rc = transform(rr, res, data, size, &buf);
    }
    if (rc == LZ_OK && !rr->rr_explain && !rr->rr_survey && (res->r_written || rr->rr_outdir)) {
        const uint8_t *bytes = res->r_written ? buf.b_data : data;
        size_t n = res->r_written ? buf.b_len : size;
        res->r_bytes_out = n;
        res->r_written = true;
        rc = stage(jobs, rr, in, res, bytes, n);
    }
    lz_free(data);
    lz_buf_fini(&buf);
    res->r_rc = rc;
    return rc == LZ_ENOMEM || rc == LZ_EIO;
}

/* ---- the tree's import graph ----------------------------------------------- */

static void reset_results(struct rewrite_run *rr)
{
    for (size_t i = 0; i < rr->rr_inputs->il_count; i++) {
        lz_lazy_module_fini(&rr->rr_results[i].r_mod);
        cli_place_fini(&rr->rr_results[i].r_place);
        memset(&rr->rr_results[i], 0, sizeof rr->rr_results[i]);
    }
}

/* Analyse every input once, without writing, and build the import graph
 * whose cycles `auto` keeps eager (lazy_graph.c).  NULL on out of memory. */
static struct lz_lazy_graph *survey(struct rewrite_run *rr, unsigned jobs)
{
    struct lz_lazy_graph *g = lz_lazy_graph_new();
    bool dry = rr->rr_opts.lo.lo_dry_run;
    int rc = g ? 0 : -1;

    rr->rr_survey = true;
    rr->rr_opts.lo.lo_dry_run = true;
    if (rc == 0 && !cli_jobs_run(rr->rr_inputs, jobs, rewrite_job, rr, false))
        rc = -1;
    for (size_t i = 0; rc == 0 && i < rr->rr_inputs->il_count; i++) {
        const struct result *r = &rr->rr_results[i];
        if (r->r_rc == LZ_OK)
            rc = cli_graph_add_module(g, r->r_place.cp_module, &r->r_mod);
    }
    if (rc == 0)
        rc = lz_lazy_graph_finish(g);
    reset_results(rr);
    rr->rr_survey = false;
    rr->rr_opts.lo.lo_dry_run = dry;
    if (rc != 0) {
        lz_lazy_graph_free(g);
        return NULL;
    }
    return g;
}

/* ---- runtime, summary, report ------------------------------------------------ */

static int stage_file(struct rewrite_run *rr, const char *dir, const char *rel,
                      const void *data, size_t size)
{
    struct lz_error err = {0};
    char *dest = cli_join(dir, rel);
    int rc = dest ? cli_output_stage(rr->rr_output, dest, data, size, &err)
                  : lz_error_set(&err, LZ_ENOMEM, "out of memory");

    if (rc != LZ_OK)
        cli_report(dest ? dest : dir, &err);
    lz_free(dest);
    return rc;
}

/* Stage _lazyc_runtime.py at the root of every tree that has a module
 * needing it, with its pyc for each version found there (so rewritten
 * modules never compile the runtime at run time). */
static int stage_runtimes(struct rewrite_run *rr)
{
    const struct cli_inputs *inputs = rr->rr_inputs;

    for (size_t i = 0; i < inputs->il_count; i++) {
        struct result *res = &rr->rr_results[i];
        const char *root = rr->rr_outdir ? rr->rr_outdir : res->r_place.cp_root;
        unsigned minors = 0;
        bool seen = false;
        if (res->r_rc != LZ_OK || !res->r_mod.lm_needs_runtime || !root)
            continue;
        for (size_t j = 0; j < inputs->il_count && !seen; j++) {
            const struct result *o = &rr->rr_results[j];
            if (o->r_rc != LZ_OK || !o->r_mod.lm_needs_runtime ||
                (!rr->rr_outdir && strcmp(o->r_place.cp_root, root) != 0))
                continue;
            seen = j < i;
            minors |= 1u << (o->r_minor & 31);
        }
        if (seen)
            continue;
        if (stage_file(rr, root, LZ_RUNTIME_MODULE ".py", lz_runtime_source,
                       lz_runtime_source_len) != LZ_OK)
            return CLI_EXIT_FATAL;
        for (unsigned minor = 0; minor < 32; minor++) {
            const struct lz_runtime_pyc *pyc = (minors >> minor & 1) ? lz_runtime_pyc_for(minor)
                                                                      : NULL;
            char rel[64];
            if (!pyc)
                continue;
            snprintf(rel, sizeof rel, "__pycache__/" LZ_RUNTIME_MODULE ".cpython-3%u.pyc", minor);
            if (stage_file(rr, root, rel, pyc->rp_data, pyc->rp_len) != LZ_OK)
                return CLI_EXIT_FATAL;
        }
    }
    return CLI_EXIT_OK;
}

static void print_summary(const struct rewrite_run *rr, bool commit, size_t failed)
{
    size_t files = rr->rr_inputs->il_count;
    struct cli_lazy_totals t = {0};

    for (size_t i = 0; i < files; i++) {
        const struct result *r = &rr->rr_results[i];
        cli_lazy_totals_add(&t, &r->r_mod, r->r_rc,
                            r->r_rc == LZ_OK && r->r_written && (r->r_mod.lm_changed || rr->rr_nops));
    }
    if (rr->rr_nops) {
        struct lz_pipeline_stats ps = {0};
        for (size_t i = 0; i < files; i++) {
            const struct lz_pipeline_stats *s = &rr->rr_results[i].r_stats;
            ps.ps_codes += s->ps_codes, ps.ps_changed += s->ps_changed;
            ps.ps_instr_before += s->ps_instr_before, ps.ps_instr_after += s->ps_instr_after;
        }
        printf("%zu files %s, %zu failed; %zu code objects (%zu changed), %zu -> %zu "
               "instructions\n", files - failed, commit ? "rewritten" : "not written", failed,
               ps.ps_codes, ps.ps_changed, ps.ps_instr_before, ps.ps_instr_after);
        return;
    }
    cli_print_lazy_summary(&t, "files", rr->rr_explain ? "would change" :
                           commit ? "rewritten" : "not written");
}

static void print_explain(const struct rewrite_run *rr)
{
    for (size_t i = 0; i < rr->rr_inputs->il_count; i++) {
        const struct result *r = &rr->rr_results[i];
        const char *path = rr->rr_inputs->il_items[i].ci_path;
        if (r->r_rc != LZ_OK)
            continue;
        if (r->r_mod.lm_already)
            printf("%s: already rewritten by lazyc\n", path);
        for (size_t k = 0; k < r->r_mod.lm_nstmts; k++) {
            const struct lz_lazy_stmt *s = &r->r_mod.lm_stmts[k];
            printf("%s:%u: %s %s%s%s: %s\n", path, s->st_line,
                   s->st_why == LZ_WHY_LAZY ? "lazy" : "eager",
                   s->st_why == LZ_WHY_LAZY ? "" : lz_lazy_reason_name(s->st_why),
                   s->st_detail[0] ? " " : "", s->st_detail, s->st_text);
        }
    }
}

static int write_report(const struct rewrite_run *rr, const char *path)
{
    size_t n = rr->rr_inputs->il_count;
    struct cli_report_item *items = calloc(n ? n : 1, sizeof *items);
    int rc;

    if (!items) {
        fprintf(stderr, "lazyc: %s: out of memory\n", path);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        const struct result *r = &rr->rr_results[i];
        items[i] = (struct cli_report_item){
            .ri_path = rr->rr_inputs->il_items[i].ci_path,
            .ri_module = r->r_place.cp_module,
            .ri_version = r->r_version,
            .ri_error = r->r_rc != LZ_OK ? r->r_err.e_msg : NULL,
            .ri_changed = r->r_mod.lm_changed,
            .ri_mod = &r->r_mod,
        };
    }
    rc = cli_write_report(path, items, n, rr->rr_explain);
    free(items);
    return rc;
}

int cmd_rewrite_or_explain(int argc, char **argv, bool explain)
{
    static const struct option opts[] = {
        CLI_LAZY_LONGOPTS,
        {"debug-nops", no_argument, NULL, OPT_NOPS},
        {"report", required_argument, NULL, OPT_REPORT},
        {"root", required_argument, NULL, OPT_ROOT},
        {"output", required_argument, NULL, 'o'},
        {"jobs", required_argument, NULL, 'j'},
        {"keep-going", no_argument, NULL, 'k'},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *cmd = explain ? "explain" : "rewrite", *report = NULL;
    struct rewrite_run rr = {.rr_explain = explain};
    bool keep_going = false, verbose = false, quiet = false;
    unsigned jobs = cli_default_jobs();
    int c, exit_code = CLI_EXIT_OK;

    cli_lazy_opts_init(&rr.rr_opts);
    rr.rr_opts.lo.lo_dry_run = explain;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:j:kqvh", opts, NULL)) != -1) {
        switch (c) {
        case OPT_NOPS: rr.rr_nops = !explain; break;
        case OPT_REPORT: report = optarg; break;
        case OPT_ROOT: rr.rr_root = optarg; break;
        case 'o': rr.rr_outdir = explain ? NULL : optarg; break;
        case 'j': {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end || n < 1 || n > 64) {
                fprintf(stderr, "lazyc %s: -j wants a number from 1 to 64\n", cmd);
                exit_code = CLI_EXIT_USAGE;
            }
            jobs = (unsigned)(n < 1 ? 1 : n);
            break;
        }
        case 'k': keep_going = true; break;
        case 'q': quiet = true; break;
        case 'v': verbose = true; break;
        case 'h':
            fputs(explain ? cli_explain_usage : rewrite_usage, stdout);
            cli_lazy_opts_fini(&rr.rr_opts);
            return CLI_EXIT_OK;
        default:
            if (c >= CLI_OPT_POLICY && c <= CLI_OPT_NO_DENY) {
                int r = cli_lazy_option(&rr.rr_opts, c, optarg, cmd);
                if (r != CLI_EXIT_OK)
                    exit_code = r;
                break;
            }
            exit_code = CLI_EXIT_USAGE;
            break;
        }
    }
    if (exit_code == CLI_EXIT_OK && optind >= argc) {
        fprintf(stderr, "lazyc %s: no PATH given\n", cmd);
        exit_code = CLI_EXIT_USAGE;
    }
    if (exit_code != CLI_EXIT_OK) {
        if (exit_code == CLI_EXIT_USAGE)
            fputs(explain ? cli_explain_usage : rewrite_usage, stderr);
        cli_lazy_opts_fini(&rr.rr_opts);
        return exit_code;
    }

    struct cli_inputs inputs;
    struct lz_lazy_graph *graph = NULL;
    int collected = cli_collect_pycs(argv + optind, argc - optind, &inputs);
    if (collected != CLI_EXIT_OK) {
        cli_lazy_opts_fini(&rr.rr_opts);
        return collected;
    }
    rr.rr_inputs = &inputs;
    rr.rr_results = calloc(inputs.il_count ? inputs.il_count : 1, sizeof *rr.rr_results);
    rr.rr_output = explain ? NULL : cli_output_new();
    if (!rr.rr_results || (!explain && !rr.rr_output)) {
        fprintf(stderr, "lazyc %s: out of memory\n", cmd);
        exit_code = CLI_EXIT_FATAL;
    } else if (!rr.rr_nops && !(graph = survey(&rr, jobs))) {
        fprintf(stderr, "lazyc %s: out of memory building the import graph\n", cmd);
        exit_code = CLI_EXIT_FATAL;
    } else if ((rr.rr_opts.lo.lo_graph = graph, !cli_jobs_run(&inputs, jobs, rewrite_job, &rr,
                                                               !quiet))) {
        exit_code = CLI_EXIT_FATAL;
    }

    size_t failed = 0;
    for (size_t i = 0; rr.rr_results && i < inputs.il_count; i++) {
        const struct result *r = &rr.rr_results[i];
        if (r->r_rc != LZ_OK && r->r_err.e_msg[0]) {
            cli_report(inputs.il_items[i].ci_path, &r->r_err);
            failed++;
            if (r->r_rc == LZ_ENOMEM || r->r_rc == LZ_EIO)
                exit_code = CLI_EXIT_FATAL;
        } else if (verbose && r->r_rc == LZ_OK) {
            printf("%s: %s\n", inputs.il_items[i].ci_path,
                   r->r_mod.lm_already ? "already lazy" : r->r_written ? "rewritten" : "unchanged");
        }
    }
    bool commit = !explain && exit_code == CLI_EXIT_OK && (failed == 0 || keep_going);
    if (commit && !rr.rr_nops)
        exit_code = stage_runtimes(&rr);
    commit &= exit_code == CLI_EXIT_OK;
    if (explain && exit_code == CLI_EXIT_OK)
        print_explain(&rr);
    if (report && exit_code != CLI_EXIT_FATAL && write_report(&rr, report) != 0)
        exit_code = CLI_EXIT_FATAL;
    commit &= exit_code == CLI_EXIT_OK;
    if (rr.rr_output) {
        struct lz_error err = {0};
        if (commit && cli_output_commit(rr.rr_output, &err) != LZ_OK) {
            cli_report(NULL, &err);
            exit_code = CLI_EXIT_FATAL;
            commit = false;
        }
        cli_output_free(rr.rr_output);   /* drops whatever was not committed */
    }
    if (exit_code == CLI_EXIT_OK && failed)
        exit_code = CLI_EXIT_FAILED;
    if (!quiet && rr.rr_results)
        print_summary(&rr, commit, failed);
    if (rr.rr_results)
        reset_results(&rr);
    free(rr.rr_results);
    lz_lazy_graph_free(graph);
    cli_inputs_fini(&inputs);
    cli_lazy_opts_fini(&rr.rr_opts);
    return exit_code;
}

int cmd_rewrite(int argc, char **argv)
{
    return cmd_rewrite_or_explain(argc, argv, false);
}
