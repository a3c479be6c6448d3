/* cli_archive.c - what the archive commands (wheel, zipapp) share: copies
 * of byte spans for a zip, pyc names for a .py entry, compiling with a
 * progress line, -j, the -v listing of a batch.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lz_pycompile.h"

uint8_t *cli_dup_bytes(const void *data, size_t n)
{
    uint8_t *p = lz_malloc(n ? n : 1);

    if (p && n)
        memcpy(p, data, n);
    return p;
}

int cli_pyc_name(const char *py, bool pycache, const char *tag, char *out, size_t size)
{
    const char *slash = strrchr(py, '/');
    size_t dir = slash ? (size_t)(slash - py + 1) : 0, stem = strlen(py) - dir - 3;
    int n = pycache ? snprintf(out, size, "%.*s__pycache__/%.*s.%s.pyc", (int)dir, py,
                               (int)stem, py + dir, tag)
                    : snprintf(out, size, "%sc", py);

    return n > 0 && (size_t)n < size ? 0 : -1;
}

void cli_batch_print_modules(const struct cli_batch *b)
{
    for (size_t k = 0; k < b->b_count; k++) {
        const struct cli_module *m = &b->b_mods[k];
        size_t stmts = 0;
        for (int w = 0; w < LZ_WHY_COUNT; w++)
            stmts += m->m_lazy.lm_counts[w];
        printf("%s: %s, %zu of %zu imports lazy\n", m->m_label,
               m->m_rc != LZ_OK ? "failed" : m->m_out ? "rewritten" : "unchanged",
               m->m_lazy.lm_counts[LZ_WHY_LAZY], stmts);
    }
}

int cli_jobs_option(const char *arg, const char *cmd, unsigned *jobs)
{
    char *end;
    long n = strtol(arg, &end, 10);

    if (*end || n < 1 || n > 64) {
        fprintf(stderr, "lazyc %s: -j wants a number from 1 to 64\n", cmd);
        return CLI_EXIT_USAGE;
    }
    *jobs = (unsigned)n;
    return CLI_EXIT_OK;
}

static void compile_progress(size_t done, size_t total, const char *filename, void *ctx)
{
    if (!*(const bool *)ctx)
        cli_progress(done, total, filename);
}

int cli_compile_jobs(struct lz_compiler *c, struct lz_compile_job *jobs, size_t n, bool quiet,
                     const char *label)
{
    struct lz_error err = {0};
    int rc = lz_compiler_run(c, jobs, n, compile_progress, &quiet, &err);

    cli_progress_end();
    if (rc != LZ_OK) {
        cli_report(label, &err);
        return CLI_EXIT_FATAL;
    }
    return CLI_EXIT_OK;
}
