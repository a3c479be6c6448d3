/* engine_tool.c - test driver for the bytecode engine.
 *
 *   engine_tool roundtrip PATH...   decode + assemble (no pass) every code
 *                                   object of every pyc under PATH; report
 *                                   per field what is not byte-identical
 *   engine_tool nops IN.pyc OUT.pyc insert the debug NOPs, write OUT
 *   engine_tool nops-tree PATH...   insert the debug NOPs into every pyc in
 *                                   memory (nothing written); report counts,
 *                                   refusals and the time spent in
 *                                   parse + pipeline + serialize (the files
 *                                   are read before the clock starts)
 *
 * What `roundtrip` proves: the decoder and the assembler are exact
 * inverses on real compiler output (co_code, line table, exception table,
 * co_stacksize), each code object on its own and through the pipeline
 * (whose root must come back as the very same node).  It does not prove
 * that edited code is right; the e2e scripts run edited code.
 */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lz_code.h"
#include "lz_passes.h"
#include "lz_pyc.h"

#define SHOW_MAX 10   /* differences printed in full */

struct totals {
    size_t t_pycs, t_codes, t_same;
    size_t t_diff_code, t_diff_lines, t_diff_exc, t_diff_stack, t_refused;
    size_t t_pipeline_diff, t_shown;
    size_t t_block_conflicts;   /* 3.8-3.10 instructions reached with two block stacks */
    size_t t_bytes;
};

static struct totals T;

static int read_file(const char *path, uint8_t **data, size_t *size)
{
    FILE *f = fopen(path, "rb");
    long n;

    if (!f)
        return -1;
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return -1;
    }
    *data = malloc(n ? (size_t)n : 1);
    if (!*data || fread(*data, 1, (size_t)n, f) != (size_t)n) {
        free(*data);
        fclose(f);
        return -1;
    }
    fclose(f);
    *size = (size_t)n;
    return 0;
}

static bool same(const struct lz_obj *a, const struct lz_obj *b)
{
    if (a == b)
        return true;
    if (!a || !b || a->u.o_raw.size != b->u.o_raw.size)
        return false;
    return a->u.o_raw.size == 0 || memcmp(a->u.o_raw.data, b->u.o_raw.data, a->u.o_raw.size) == 0;
}

static void show(const char *path, const struct lz_code *c, const char *what)
{
    if (T.t_shown++ < SHOW_MAX)
        printf("DIFF %s: code '%s': %s\n", path, c->c_name, what);
}

/* Decode and assemble one code object on its own, then its children. */
static void roundtrip_code(const struct lz_version *v, struct lz_arena *objs,
                           const struct lz_obj *node, const char *path, unsigned depth)
{
    const struct lz_codeobj *co = node->u.o_codeobj;
    struct lz_arena *work = lz_arena_new();
    struct lz_error err = { 0 };
    struct lz_code *c;
    struct lz_obj *out;

    T.t_codes++;
    if (!work) {
        fprintf(stderr, "out of memory\n");
        exit(3);
    }
    if (lz_code_decode(v, work, objs, node, &c, &err) < 0 ||
        lz_code_check(c, &err) < 0 || lz_code_assemble(c, &out, &err) < 0) {
        T.t_refused++;
        if (T.t_shown++ < SHOW_MAX)
            printf("REFUSED %s: %s\n", path, err.e_msg);
    } else if (out == node) {
        T.t_same++;
        T.t_block_conflicts += c->c_block_conflicts;
    } else {
        const struct lz_codeobj *nc = out->u.o_codeobj;
        if (!same(co->co_code, nc->co_code))
            T.t_diff_code++, show(path, c, "co_code");
        if (!same(co->co_linetable, nc->co_linetable))
            T.t_diff_lines++, show(path, c, "line table");
        if (!same(co->co_exceptiontable, nc->co_exceptiontable))
            T.t_diff_exc++, show(path, c, "exception table");
        if (co->co_stacksize != nc->co_stacksize) {
            char m[96];
            snprintf(m, sizeof m, "co_stacksize %d -> %d", co->co_stacksize, nc->co_stacksize);
            T.t_diff_stack++, show(path, c, m);
        }
    }
    lz_arena_free(work);
    for (size_t i = 0; i < co->co_consts->u.o_seq.n; i++) {
        const struct lz_obj *item = co->co_consts->u.o_seq.items[i];
        if (item->o_kind == LZ_K_CODE && depth < LZ_PIPELINE_DEPTH_MAX)
            roundtrip_code(v, objs, item, path, depth + 1);
    }
}

static int roundtrip_file(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    struct lz_error err = { 0 };
    struct lz_pyc *pyc = NULL;
    const struct lz_obj *root;
    uint8_t *data;
    size_t size, n = strlen(path);

    (void)st, (void)ftw;
    if (type != FTW_F || n < 4 || strcmp(path + n - 4, ".pyc") != 0)
        return 0;
    if (read_file(path, &data, &size) < 0) {
        perror(path);
        exit(3);
    }
    T.t_pycs++;
    T.t_bytes += size;
    if (lz_pyc_parse(data, size, &pyc, &err) < 0) {
        printf("UNREADABLE %s: %s\n", path, err.e_msg);
        T.t_refused++;
        free(data);
        return 0;
    }
    free(data);
    root = pyc->pc_code;
    roundtrip_code(lz_version_for(pyc->pc_ver), pyc->pc_arena, root, path, 0);
    if (lz_pipeline_run(pyc, NULL, 0, NULL, &err) < 0 || pyc->pc_code != root) {
        T.t_pipeline_diff++;
        if (T.t_shown++ < SHOW_MAX)
            printf("PIPELINE %s: %s\n", path, err.e_msg[0] ? err.e_msg : "new root");
    }
    lz_pyc_free(pyc);
    return 0;
}

static int cmd_roundtrip(int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        if (nftw(argv[i], roundtrip_file, 16, FTW_PHYS) != 0) {
            perror(argv[i]);
            return 3;
        }
    printf("%zu pycs (%.1f MB), %zu code objects: %zu identical; differ: co_code %zu, "
           "line table %zu, exception table %zu, co_stacksize %zu; refused %zu; "
           "pipeline root changed %zu; block-stack conflicts %zu\n",
           T.t_pycs, T.t_bytes / 1e6, T.t_codes, T.t_same, T.t_diff_code, T.t_diff_lines,
           T.t_diff_exc, T.t_diff_stack, T.t_refused, T.t_pipeline_diff, T.t_block_conflicts);
    return (T.t_pycs > 0 && T.t_same == T.t_codes && T.t_pipeline_diff == 0) ? 0 : 1;
}

static int cmd_nops(const char *in, const char *outpath)
{
    struct lz_pipeline_stats st = { 0 };
    struct lz_error err = { 0 };
    struct lz_pyc *pyc = NULL;
    struct lz_buf out;
    uint8_t *data;
    size_t size;
    FILE *f;
    int rc;

    if (read_file(in, &data, &size) < 0) {
        perror(in);
        return 3;
    }
    lz_buf_init(&out);
    rc = lz_pyc_parse(data, size, &pyc, &err);
    free(data);
    if (rc == LZ_OK)
        rc = lz_pipeline_run(pyc, &lz_pass_debug_nops, 1, &st, &err);
    if (rc == LZ_OK)
        rc = lz_pyc_serialize(pyc, &out, &err);
    lz_pyc_free(pyc);
    if (rc != LZ_OK) {
        fprintf(stderr, "engine_tool: %s: %s\n", in, err.e_msg);
        lz_buf_fini(&out);
        return 1;
    }
    f = fopen(outpath, "wb");
    if (!f || fwrite(out.b_data, 1, out.b_len, f) != out.b_len || fclose(f) != 0) {
        perror(outpath);
        lz_buf_fini(&out);
        return 3;
    }
    lz_buf_fini(&out);
    return 0;
}

/* ---- nops-tree ------------------------------------------------------------ */

struct file {
    char *f_path;
    uint8_t *f_data;
    size_t f_size;
};

static struct file *files;
static size_t nfiles, capfiles;

static int collect_file(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    size_t n = strlen(path);

    (void)st, (void)ftw;
    if (type != FTW_F || n < 4 || strcmp(path + n - 4, ".pyc") != 0)
        return 0;
    if (nfiles == capfiles) {
        capfiles = capfiles ? 2 * capfiles : 256;
        files = realloc(files, capfiles * sizeof *files);
        if (!files) {
            fprintf(stderr, "out of memory\n");
            exit(3);
        }
    }
    files[nfiles].f_path = strdup(path);
    if (!files[nfiles].f_path || read_file(path, &files[nfiles].f_data, &files[nfiles].f_size) < 0) {
        perror(path);
        exit(3);
    }
    nfiles++;
    return 0;
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmd_nops_tree(int argc, char **argv)
{
    struct lz_pipeline_stats st = { 0 };
    size_t bytes_in = 0, bytes_out = 0, refused = 0;
    struct lz_buf out;
    double t0, t;

    for (int i = 0; i < argc; i++)
        if (nftw(argv[i], collect_file, 16, FTW_PHYS) != 0) {
            perror(argv[i]);
            return 3;
        }
    lz_buf_init(&out);
    t0 = now();
    for (size_t i = 0; i < nfiles; i++) {
        struct lz_error err = { 0 };
        struct lz_pyc *pyc = NULL;
        int rc = lz_pyc_parse(files[i].f_data, files[i].f_size, &pyc, &err);
        if (rc == LZ_OK)
            rc = lz_pipeline_run(pyc, &lz_pass_debug_nops, 1, &st, &err);
        lz_buf_reset(&out);
        if (rc == LZ_OK)
            rc = lz_pyc_serialize(pyc, &out, &err);
        lz_pyc_free(pyc);
        bytes_in += files[i].f_size;
        bytes_out += out.b_len;
        if (rc != LZ_OK && refused++ < SHOW_MAX)
            printf("REFUSED %s: %s\n", files[i].f_path, err.e_msg);
    }
    t = now() - t0;
    lz_buf_fini(&out);
    printf("%zu pycs, %zu refused; %zu code objects; instructions %zu -> %zu; "
           "code units %zu -> %zu; %.1f MB -> %.1f MB\n",
           nfiles, refused, st.ps_codes, st.ps_instr_before, st.ps_instr_after,
           st.ps_units_before, st.ps_units_after, bytes_in / 1e6, bytes_out / 1e6);
    printf("time %.3f s: %.0f pycs/s, %.1f MB/s (parse + NOP pass + assemble + serialize)\n",
           t, nfiles / t, bytes_in / 1e6 / t);
    for (size_t i = 0; i < nfiles; i++) {
        free(files[i].f_path);
        free(files[i].f_data);
    }
    free(files);
    return (nfiles > 0 && refused == 0) ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "roundtrip") == 0)
        return cmd_roundtrip(argc - 2, argv + 2);
    if (argc == 4 && strcmp(argv[1], "nops") == 0)
        return cmd_nops(argv[2], argv[3]);
    if (argc >= 3 && strcmp(argv[1], "nops-tree") == 0)
        return cmd_nops_tree(argc - 2, argv + 2);
    fprintf(stderr, "usage: engine_tool roundtrip PATH... | nops IN.pyc OUT.pyc | "
            "nops-tree PATH...\n");
    return 2;
}
