/* cli_batch.c - rewrite a set of modules held in memory (compile, wheel,
 * zipapp).
 *
 * A container command gathers every pyc of its tree or archive first, so
 * the batch can survey them all (the import graph `auto` needs to keep
 * cycles eager) before it rewrites any.  Both rounds run on all cores; the
 * results stay in the batch in input order, so what is printed and written
 * does not depend on the thread count.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lz_pyc.h"

void cli_batch_init(struct cli_batch *b)
{
    memset(b, 0, sizeof *b);
}

static void module_reset(struct cli_module *m)
{
    lz_lazy_module_fini(&m->m_lazy);
    lz_free(m->m_out);
    m->m_out = NULL;
    m->m_out_len = 0;
    m->m_rc = LZ_OK;
    lz_error_clear(&m->m_err);
}

void cli_batch_fini(struct cli_batch *b)
{
    for (size_t i = 0; i < b->b_count; i++) {
        struct cli_module *m = &b->b_mods[i];
        module_reset(m);
        free(m->m_label);
        free(m->m_module);
        lz_free(m->m_pyc);
    }
    free(b->b_mods);
    memset(b, 0, sizeof *b);
}

struct cli_module *cli_batch_add(struct cli_batch *b, const char *label, const char *module,
                                 bool is_package, unsigned runtime_level,
                                 const char *runtime_name, uint8_t *pyc, size_t pyc_len)
{
    struct cli_module *m;

    if (b->b_count == b->b_cap) {
        size_t cap = b->b_cap ? b->b_cap * 2 : 64;
        struct cli_module *mods = realloc(b->b_mods, cap * sizeof *mods);
        if (!mods) {
            lz_free(pyc);
            return NULL;
        }
        b->b_mods = mods;
        b->b_cap = cap;
    }
    m = &b->b_mods[b->b_count];
    memset(m, 0, sizeof *m);
    m->m_label = strdup(label);
    m->m_module = strdup(module ? module : "");
    if (!m->m_label || !m->m_module) {
        free(m->m_label);
        free(m->m_module);
        lz_free(pyc);
        return NULL;
    }
    m->m_place = (struct lz_lazy_place){
        .lp_module = m->m_module[0] ? m->m_module : NULL,
        .lp_is_package = is_package,
        .lp_runtime_level = runtime_level,
        .lp_runtime_name = runtime_name,
    };
    m->m_pyc = pyc;
    m->m_pyc_len = pyc_len;
    b->b_count++;
    return m;
}

/* ---- the two rounds ---------------------------------------------------------- */

struct batch_run {
    struct cli_batch *br_batch;
    struct lz_lazy_options br_opts;
};

static int batch_job(struct cli_jobs *jobs, size_t i, void *ctx)
{
    struct batch_run *run = ctx;
    struct cli_module *m = &run->br_batch->b_mods[i];
    struct lz_pyc *pyc = NULL;
    int rc;

    (void)jobs;
    module_reset(m);
    lz_lazy_module_init(&m->m_lazy, &run->br_opts, &m->m_place);
    rc = lz_pyc_parse(m->m_pyc, m->m_pyc_len, &pyc, &m->m_err);
    if (rc == LZ_OK) {
        const struct lz_obj *before = pyc->pc_code;
        m->m_minor = (unsigned)pyc->pc_ver->pv_minor;
        rc = lz_lazy_rewrite(pyc, &m->m_lazy, &m->m_err);
        if (rc == LZ_OK && pyc->pc_code != before && !run->br_opts.lo_dry_run) {
            struct lz_buf out;
            lz_buf_init(&out);
            rc = lz_pyc_serialize(pyc, &out, &m->m_err);
            if (rc == LZ_OK) {
                m->m_out = out.b_data;      /* the buffer's storage becomes ours */
                m->m_out_len = out.b_len;
                out.b_data = NULL;
            }
            lz_buf_fini(&out);
        }
    }
    lz_pyc_free(pyc);
    m->m_rc = rc;
    return rc == LZ_ENOMEM;
}

/* cli_jobs_run walks a list of inputs; the batch lends it its labels. */
static bool run_jobs(struct batch_run *run, unsigned jobs, bool progress)
{
    struct cli_batch *b = run->br_batch;
    struct cli_inputs list = {.il_count = b->b_count, .il_cap = b->b_count};
    bool ok;

    list.il_items = calloc(b->b_count ? b->b_count : 1, sizeof *list.il_items);
    if (!list.il_items)
        return false;
    for (size_t i = 0; i < b->b_count; i++)
        list.il_items[i].ci_path = list.il_items[i].ci_rel = b->b_mods[i].m_label;
    ok = cli_jobs_run(&list, jobs, batch_job, run, progress);
    free(list.il_items);
    return ok;
}

int cli_graph_add_module(struct lz_lazy_graph *g, const char *module,
                         const struct lz_lazy_module *m)
{
    int rc;

    if (!module || !module[0])
        return 0;
    rc = lz_lazy_graph_add_module(g, module);
    for (size_t k = 0; rc == 0 && k < m->lm_nstmts; k++) {
        const struct lz_lazy_stmt *s = &m->lm_stmts[k];
        if (s->st_why != LZ_WHY_NESTED && s->st_target[0])
            rc = lz_lazy_graph_add(g, module, s->st_target);
    }
    return rc;
}

int cli_batch_rewrite(struct cli_batch *b, const struct cli_lazy_opts *o, unsigned jobs,
                      bool progress)
{
    struct batch_run run = {.br_batch = b, .br_opts = o->lo};
    struct lz_lazy_graph *g = lz_lazy_graph_new();
    int rc = g ? 0 : -1;

    /* Round 1: analyse only, for the graph. */
    run.br_opts.lo_dry_run = true;
    run.br_opts.lo_graph = NULL;
    if (rc == 0 && !run_jobs(&run, jobs, false))
        rc = -1;
    for (size_t i = 0; rc == 0 && i < b->b_count; i++)
        if (b->b_mods[i].m_rc == LZ_OK)
            rc = cli_graph_add_module(g, b->b_mods[i].m_module, &b->b_mods[i].m_lazy);
    if (rc == 0)
        rc = lz_lazy_graph_finish(g);

    /* Round 2: rewrite with it. */
    run.br_opts = o->lo;
    run.br_opts.lo_graph = g;
    if (rc == 0 && !run_jobs(&run, jobs, progress))
        rc = -1;
    lz_lazy_graph_free(g);
    if (rc != 0) {
        fprintf(stderr, "lazyc: out of memory rewriting %zu modules\n", b->b_count);
        return CLI_EXIT_FATAL;
    }
    return CLI_EXIT_OK;
}

/* ---- results ------------------------------------------------------------------- */

const uint8_t *cli_module_output(const struct cli_module *m, size_t *len)
{
    *len = m->m_out ? m->m_out_len : m->m_pyc_len;
    return m->m_out ? m->m_out : m->m_pyc;
}

size_t cli_batch_report_failures(const struct cli_batch *b)
{
    size_t failed = 0;

    for (size_t i = 0; i < b->b_count; i++)
        if (b->b_mods[i].m_rc != LZ_OK) {
            cli_report(b->b_mods[i].m_label, &b->b_mods[i].m_err);
            failed++;
        }
    return failed;
}

uint32_t cli_batch_runtime_minors(const struct cli_batch *b)
{
    uint32_t minors = 0;

    for (size_t i = 0; i < b->b_count; i++)
        if (b->b_mods[i].m_rc == LZ_OK && b->b_mods[i].m_lazy.lm_needs_runtime)
            minors |= 1u << (b->b_mods[i].m_minor & 31);
    return minors;
}

void cli_print_lazy_summary(const struct cli_lazy_totals *t, const char *noun, const char *verb)
{
    size_t stmts = 0;
    const char *sep = " (";

    for (int k = 0; k < LZ_WHY_COUNT; k++)
        stmts += t->lt_counts[k];
    printf("%zu %s: %zu %s, %zu already lazy, %zu unchanged, %zu failed; %zu imports: "
           "%zu lazy, %zu eager", t->lt_files, noun, t->lt_changed, verb, t->lt_already,
           t->lt_files - t->lt_changed - t->lt_already - t->lt_failed, t->lt_failed, stmts,
           t->lt_counts[LZ_WHY_LAZY], stmts - t->lt_counts[LZ_WHY_LAZY]);
    for (int k = 1; k < LZ_WHY_COUNT; k++)
        if (t->lt_counts[k]) {
            printf("%s%s %zu", sep, lz_lazy_reason_name(k), t->lt_counts[k]);
            sep = ", ";
        }
    printf("%s\n", sep[0] == ',' ? ")" : "");
}

void cli_lazy_totals_add(struct cli_lazy_totals *t, const struct lz_lazy_module *m, int rc,
                         bool changed)
{
    t->lt_files++;
    if (rc != LZ_OK) {
        t->lt_failed++;
        return;
    }
    t->lt_changed += changed;
    t->lt_already += m->lm_already;
    for (int k = 0; k < LZ_WHY_COUNT; k++)
        t->lt_counts[k] += m->lm_counts[k];
}

void cli_batch_print_summary(const struct cli_batch *b, const char *verb)
{
    struct cli_lazy_totals t = {0};

    for (size_t i = 0; i < b->b_count; i++)
        cli_lazy_totals_add(&t, &b->b_mods[i].m_lazy, b->b_mods[i].m_rc,
                            b->b_mods[i].m_out != NULL);
    cli_print_lazy_summary(&t, "modules", verb);
}

int cli_batch_write_report(const struct cli_batch *b, const char *path)
{
    struct cli_report_item *items = calloc(b->b_count ? b->b_count : 1, sizeof *items);
    char (*versions)[8] = calloc(b->b_count ? b->b_count : 1, sizeof *versions);
    int rc;

    if (!items || !versions) {
        free(items);
        free(versions);
        fprintf(stderr, "lazyc: %s: out of memory\n", path);
        return -1;
    }
    for (size_t i = 0; i < b->b_count; i++) {
        const struct cli_module *m = &b->b_mods[i];
        if (m->m_minor)
            snprintf(versions[i], sizeof versions[i], "3.%u", m->m_minor % 100);
        items[i] = (struct cli_report_item){
            .ri_path = m->m_label,
            .ri_module = m->m_module[0] ? m->m_module : NULL,
            .ri_version = versions[i],
            .ri_error = m->m_rc != LZ_OK ? m->m_err.e_msg : NULL,
            .ri_changed = m->m_lazy.lm_changed,
            .ri_mod = &m->m_lazy,
        };
    }
    rc = cli_write_report(path, items, b->b_count, false);
    free(items);
    free(versions);
    return rc;
}

/* ---- module names ---------------------------------------------------------------- */

char *cli_module_name(const char *rel, bool *is_package, unsigned *depth)
{
    size_t n = strlen(rel);
    char *name;
    unsigned d = 0;

    if (n > 4 && strcmp(rel + n - 4, ".pyc") == 0)
        n -= 4;
    else if (n > 3 && strcmp(rel + n - 3, ".py") == 0)
        n -= 3;
    else
        return NULL;
    name = strndup(rel, n);
    if (!name)
        return NULL;
    for (char *p = name; *p; p++) {
        bool start = p == name || p[-1] == '.';
        unsigned char ch = (unsigned char)*p;
        if (*p == '/' && !start) {
            *p = '.';
            d++;
        } else if (!(ch == '_' || ch >= 0x80 || (ch >= 'a' && ch <= 'z') ||
                     (ch >= 'A' && ch <= 'Z') || (!start && ch >= '0' && ch <= '9'))) {
            /* "a.b/c.py", "my-tool/x.py", "mod.cpython-312": each part of a
             * module name is an identifier, so no import finds this file */
            free(name);
            return NULL;
        }
    }
    *is_package = false;
    if (n >= 8 && strcmp(name + n - 8, "__init__") == 0 && (n == 8 || name[n - 9] == '.')) {
        *is_package = true;
        name[n >= 9 ? n - 9 : 0] = '\0';
    }
    if (depth)
        *depth = d;
    return name;
}
