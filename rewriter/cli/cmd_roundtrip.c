/* cmd_roundtrip.c - `lazyc roundtrip`: decode and re-encode pycs, compare bytes.
 *
 * This is the proof that the marshal layer loses nothing: an unmodified
 * object graph must encode to exactly the bytes it was read from. */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "lz_pyc.h"

static const char roundtrip_usage[] =
    "usage: lazyc roundtrip [-o OUTDIR] [-v] PATH...\n\n"
    "Decode every .pyc under PATH (files or directories) and encode it again.\n"
    "Prints each file that fails to decode or whose bytes differ, then a summary.\n\n"
    "  -o, --output DIR  also write each re-encoded file into DIR, mirroring the input tree\n"
    "  -v, --verbose     also name every identical file\n"
    "  -h, --help        show this help\n\n"
    "exit status: 0 all identical, 1 some file differs or failed, 2 usage, 3 fatal\n";

struct roundtrip_counts {
    size_t rc_files, rc_identical, rc_different, rc_failed;
    size_t rc_bytes;
};

/* Re-encode one file; *identical tells the outcome.  `out` receives the new
 * bytes (caller's buffer, reset here). */
static int roundtrip_one(const uint8_t *data, size_t size, struct lz_buf *out,
                         bool *identical, size_t *first_diff, struct lz_error *err)
{
    struct lz_pyc *pyc = NULL;
    int rc = lz_pyc_parse(data, size, &pyc, err);
    if (rc == LZ_OK) {
        lz_buf_reset(out);
        rc = lz_pyc_serialize(pyc, out, err);
    }
    lz_pyc_free(pyc);
    if (rc != LZ_OK)
        return rc;
    size_t n = out->b_len < size ? out->b_len : size, i = 0;
    while (i < n && out->b_data[i] == data[i])
        i++;
    *first_diff = i;
    *identical = out->b_len == size && i == size;
    return LZ_OK;
}

int cmd_roundtrip(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *outdir = NULL;
    bool verbose = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:vh", opts, NULL)) != -1) {
        switch (c) {
        case 'o': outdir = optarg; break;
        case 'v': verbose = true; break;
        case 'h': fputs(roundtrip_usage, stdout); return CLI_EXIT_OK;
        default: fputs(roundtrip_usage, stderr); return CLI_EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        fputs("lazyc roundtrip: no PATH given\n", stderr);
        fputs(roundtrip_usage, stderr);
        return CLI_EXIT_USAGE;
    }

    struct lz_error err = {0};
    struct cli_inputs inputs;
    int collected = cli_collect_pycs(argv + optind, argc - optind, &inputs);
    if (collected != CLI_EXIT_OK)
        return collected;

    struct cli_output *output = outdir ? cli_output_new() : NULL;
    struct roundtrip_counts counts = {0};
    struct lz_buf buf;
    lz_buf_init(&buf);
    int exit_code = CLI_EXIT_OK;
    if (outdir && !output) {
        cli_reportf(NULL, "out of memory");
        exit_code = CLI_EXIT_FATAL;
    }

    for (size_t i = 0; i < inputs.il_count && exit_code != CLI_EXIT_FATAL; i++) {
        const struct cli_input *in = &inputs.il_items[i];
        cli_progress(i + 1, inputs.il_count, in->ci_path);
        counts.rc_files++;
        uint8_t *data;
        size_t size, diff = 0;
        bool identical = false;
        int rc = cli_read_file(in->ci_path, &data, &size, &err);
        if (rc == LZ_OK) {
            counts.rc_bytes += size;
            rc = roundtrip_one(data, size, &buf, &identical, &diff, &err);
            lz_free(data);
        }
        if (rc != LZ_OK) {
            cli_report(in->ci_path, &err);
            counts.rc_failed++;
            if (rc == LZ_ENOMEM || rc == LZ_EIO)
                exit_code = CLI_EXIT_FATAL;
            continue;
        }
        if (identical) {
            counts.rc_identical++;
            if (verbose)
                printf("identical: %s\n", in->ci_path);
        } else {
            counts.rc_different++;
            cli_reportf(in->ci_path, "re-encoded bytes differ (first difference at offset %#zx; "
                        "%zu bytes in, %zu out)", diff, size, buf.b_len);
        }
        if (output) {
            char *dest = cli_join(outdir, in->ci_rel);
            if (!dest) {
                cli_reportf(in->ci_path, "cannot place output under %s", outdir);
                exit_code = CLI_EXIT_FATAL;
            } else if (cli_output_stage(output, dest, buf.b_data, buf.b_len, &err) != LZ_OK) {
                cli_report(dest, &err);
                exit_code = CLI_EXIT_FATAL;
            }
            lz_free(dest);
        }
    }
    cli_progress_end();
    if (output) {
        if (exit_code == CLI_EXIT_FATAL)
            cli_output_abort(output);
        else if (cli_output_commit(output, &err) != LZ_OK) {
            cli_report(NULL, &err);
            exit_code = CLI_EXIT_FATAL;
        }
        cli_output_free(output);
    }
    if (exit_code == CLI_EXIT_OK && (counts.rc_different || counts.rc_failed))
        exit_code = CLI_EXIT_FAILED;
    printf("%zu files, %zu identical, %zu different, %zu failed (%zu bytes)\n",
           counts.rc_files, counts.rc_identical, counts.rc_different, counts.rc_failed,
           counts.rc_bytes);
    lz_buf_fini(&buf);
    cli_inputs_fini(&inputs);
    return exit_code;
}
