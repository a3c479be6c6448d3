/* cmd_rewrite.c - `lazyc rewrite`: run bytecode passes over pycs, write them back.
 *
 * Output is all-or-nothing: every result is staged beside its destination
 * and renamed into place only when every input was rewritten (unless
 * --keep-going, which writes the good ones and still exits 1). */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "lz_pyc.h"
#include "lz_passes.h"

static const char rewrite_usage[] =
    "usage: lazyc rewrite --debug-nops [-o OUTDIR] [-k] [-v] PATH...\n\n"
    "Rewrite every .pyc under PATH (files or directories).  Without -o the files\n"
    "are replaced in place (atomically); with -o the results go to OUTDIR,\n"
    "mirroring each directory argument (a file argument lands as OUTDIR/NAME).\n"
    "Each pyc keeps its 16-byte header, so it stays valid for its source.\n\n"
    "passes:\n"
    "  --debug-nops      insert a NOP before every instruction where the version\n"
    "                    allows one (exercises the bytecode engine; behaviour and\n"
    "                    dis output, NOPs aside, stay the same)\n\n"
    "options:\n"
    "  -o, --output DIR  write results under DIR instead of in place\n"
    "  -k, --keep-going  write the files that worked even if others failed\n"
    "  -v, --verbose     one line per file\n"
    "  -h, --help        show this help\n\n"
    "exit status: 0 all rewritten, 1 some input refused, 2 usage, 3 fatal\n";

struct rewrite_totals {
    size_t rt_files, rt_failed;
    size_t rt_bytes_in, rt_bytes_out;
    struct lz_pipeline_stats rt_stats;
};

static int rewrite_one(const uint8_t *data, size_t size, const struct lz_pipeline_pass *passes,
                       size_t npasses, struct lz_buf *out, struct lz_pipeline_stats *stats,
                       struct lz_error *err)
{
    struct lz_pyc *pyc = NULL;
    int rc = lz_pyc_parse(data, size, &pyc, err);
    if (rc == LZ_OK)
        rc = lz_pipeline_run(pyc, passes, npasses, stats, err);
    if (rc == LZ_OK) {
        lz_buf_reset(out);
        rc = lz_pyc_serialize(pyc, out, err);
    }
    lz_pyc_free(pyc);
    return rc;
}

static void add_stats(struct lz_pipeline_stats *to, const struct lz_pipeline_stats *s)
{
    to->ps_codes += s->ps_codes;
    to->ps_changed += s->ps_changed;
    to->ps_instr_before += s->ps_instr_before;
    to->ps_instr_after += s->ps_instr_after;
    to->ps_units_before += s->ps_units_before;
    to->ps_units_after += s->ps_units_after;
}

int cmd_rewrite(int argc, char **argv)
{
    static const struct option opts[] = {
        {"debug-nops", no_argument, NULL, 'N'},
        {"output", required_argument, NULL, 'o'},
        {"keep-going", no_argument, NULL, 'k'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *outdir = NULL;
    bool keep_going = false, verbose = false;
    struct lz_pipeline_pass passes[4];
    size_t npasses = 0;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:kvh", opts, NULL)) != -1) {
        switch (c) {
        case 'N': passes[npasses++] = lz_pass_debug_nops; break;
        case 'o': outdir = optarg; break;
        case 'k': keep_going = true; break;
        case 'v': verbose = true; break;
        case 'h': fputs(rewrite_usage, stdout); return CLI_EXIT_OK;
        default: fputs(rewrite_usage, stderr); return CLI_EXIT_USAGE;
        }
        if (npasses == sizeof passes / sizeof *passes) {
            fputs("lazyc rewrite: a pass is given more than once\n", stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (npasses == 0 || optind >= argc) {
        fprintf(stderr, "lazyc rewrite: %s\n", npasses == 0 ? "no pass selected (--debug-nops)"
                                                            : "no PATH given");
        fputs(rewrite_usage, stderr);
        return CLI_EXIT_USAGE;
    }

    struct lz_error err = {0};
    struct cli_inputs inputs;
    int collected = cli_collect_pycs(argv + optind, argc - optind, &inputs);
    if (collected != CLI_EXIT_OK)
        return collected;
    struct cli_output *output = cli_output_new();
    struct rewrite_totals totals = {0};
    struct lz_buf buf;
    lz_buf_init(&buf);
    int exit_code = output ? CLI_EXIT_OK : CLI_EXIT_FATAL;

    for (size_t i = 0; i < inputs.il_count && exit_code != CLI_EXIT_FATAL; i++) {
        const struct cli_input *in = &inputs.il_items[i];
        cli_progress(i + 1, inputs.il_count, in->ci_path);
        totals.rt_files++;
        uint8_t *data;
        size_t size;
        struct lz_pipeline_stats stats = {0};
        int rc = cli_read_file(in->ci_path, &data, &size, &err);
        if (rc == LZ_OK) {
            totals.rt_bytes_in += size;
            rc = rewrite_one(data, size, passes, npasses, &buf, &stats, &err);
            lz_free(data);
        }
        if (rc != LZ_OK) {
            cli_report(in->ci_path, &err);
            totals.rt_failed++;
            if (rc == LZ_ENOMEM || rc == LZ_EIO)
                exit_code = CLI_EXIT_FATAL;
            continue;
        }
        add_stats(&totals.rt_stats, &stats);
        totals.rt_bytes_out += buf.b_len;
        char *dest = outdir ? cli_join(outdir, in->ci_rel) : NULL;
        const char *target = outdir ? dest : in->ci_path;
        if (!target) {
            cli_reportf(in->ci_path, "cannot place output under %s", outdir);
            exit_code = CLI_EXIT_FATAL;
        } else if (cli_output_stage(output, target, buf.b_data, buf.b_len, &err) != LZ_OK) {
            cli_report(target, &err);
            exit_code = CLI_EXIT_FATAL;
        } else if (verbose) {
            printf("%s: %zu code objects, %zu -> %zu instructions\n", target, stats.ps_codes,
                   stats.ps_instr_before, stats.ps_instr_after);
        }
        lz_free(dest);
    }
    cli_progress_end();

    bool commit = exit_code == CLI_EXIT_OK && (totals.rt_failed == 0 || keep_going);
    if (output) {
        if (commit && cli_output_commit(output, &err) != LZ_OK) {
            cli_report(NULL, &err);
            exit_code = CLI_EXIT_FATAL;
            commit = false;
        }
        cli_output_free(output);   /* drops whatever was not committed */
    }
    if (exit_code == CLI_EXIT_OK && totals.rt_failed)
        exit_code = CLI_EXIT_FAILED;
    printf("%zu files %s, %zu failed; %zu code objects (%zu changed), %zu -> %zu instructions, "
           "%zu -> %zu bytes\n",
           totals.rt_files - totals.rt_failed, commit ? "rewritten" : "not written",
           totals.rt_failed, totals.rt_stats.ps_codes, totals.rt_stats.ps_changed,
           totals.rt_stats.ps_instr_before, totals.rt_stats.ps_instr_after,
           totals.rt_bytes_in, totals.rt_bytes_out);
    lz_buf_fini(&buf);
    cli_inputs_fini(&inputs);
    return exit_code;
}
