/* check_tool.c - helper for the tests that compare with real interpreters.
 *
 *   check_tool repr MINOR FILE.bin FILE.txt
 *       decode the marshal data of FILE.bin as 3.MINOR and compare
 *       lz_obj_repr of every constant (same walk as repr_expect.py) with
 *       the lines of FILE.txt; prints each mismatch, exit 1 if any.
 *   check_tool hash MINOR FILE
 *       print lz_pyc_source_hash of FILE's bytes as 16 hex digits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lz_pyc.h"

static uint8_t *slurp(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    uint8_t *data;
    long n;

    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0) {
        fprintf(stderr, "check_tool: cannot read %s\n", path);
        exit(2);
    }
    rewind(f);
    data = malloc((size_t)n + 1);
    if (data == NULL || fread(data, 1, (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "check_tool: cannot read %s\n", path);
        exit(2);
    }
    data[n] = '\0';
    fclose(f);
    *size = (size_t)n;
    return data;
}

struct cmp {
    char *c_text;          /* expected lines, consumed by strsep */
    size_t c_compared, c_mismatched;
    struct lz_buf c_buf;
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "frozenset({...})" with the element reprs sorted (see repr_expect.py). */
static void sorted_frozenset_repr(const struct lz_obj *o, struct lz_buf *out)
{
    size_t n = o->u.o_seq.n;
    char **parts = calloc(n, sizeof *parts);

    for (size_t i = 0; i < n; i++) {
        struct lz_buf b;

        lz_buf_init(&b);
        lz_obj_repr(o->u.o_seq.items[i], &b);
        lz_buf_byte(&b, 0);
        parts[i] = (char *)b.b_data;
    }
    qsort(parts, n, sizeof *parts, cmp_str);
    lz_buf_put(out, "SORTED:frozenset({", 18);
    for (size_t i = 0; i < n; i++) {
        if (i)
            lz_buf_put(out, ", ", 2);
        lz_buf_put(out, parts[i], strlen(parts[i]));
        lz_free(parts[i]);
    }
    lz_buf_put(out, "})", 2);
    free(parts);
}

static void compare_one(struct cmp *c, const struct lz_obj *o)
{
    char *want = c->c_text ? strsep(&c->c_text, "\n") : NULL;

    lz_buf_reset(&c->c_buf);
    if (want != NULL && strncmp(want, "SORTED:", 7) == 0 && o->o_kind == LZ_K_FROZENSET)
        sorted_frozenset_repr(o, &c->c_buf);
    else
        lz_obj_repr(o, &c->c_buf);
    lz_buf_byte(&c->c_buf, 0);
    c->c_compared++;
    if (want == NULL || strcmp(want, (const char *)c->c_buf.b_data) != 0) {
        c->c_mismatched++;
        if (c->c_mismatched <= 20)
            printf("  MISMATCH\n    lazyc:  %s\n    python: %s\n", (const char *)c->c_buf.b_data,
                   want ? want : "(missing)");
    }
}

static void walk(struct cmp *c, const struct lz_obj *code)
{
    const struct lz_obj *consts = code->u.o_codeobj->co_consts;

    for (size_t i = 0; i < consts->u.o_seq.n; i++)
        compare_one(c, consts->u.o_seq.items[i]);
    for (size_t i = 0; i < consts->u.o_seq.n; i++)
        if (consts->u.o_seq.items[i]->o_kind == LZ_K_CODE)
            walk(c, consts->u.o_seq.items[i]);
}

static int cmd_repr(int minor, const char *bin, const char *txt)
{
    size_t nbin, ntxt, consumed;
    uint8_t *data = slurp(bin, &nbin);
    char *text = (char *)slurp(txt, &ntxt);
    struct lz_arena *a = lz_arena_new();
    struct lz_obj *root;
    struct lz_error err = { 0 };
    struct cmp c = { .c_text = text };

    if (lz_marshal_read(a, lz_pyver_from_minor(minor), data, nbin, &consumed, &root, &err) != LZ_OK
        || root->o_kind != LZ_K_CODE) {
        printf("%s: %s\n", bin, err.e_msg);
        return 1;
    }
    lz_buf_init(&c.c_buf);
    walk(&c, root);
    printf("%s: %zu constants, %zu mismatches\n", bin, c.c_compared, c.c_mismatched);
    lz_buf_fini(&c.c_buf);
    lz_arena_free(a);
    free(data);
    free(text);
    return c.c_mismatched ? 1 : 0;
}

static int cmd_hash(int minor, const char *path)
{
    size_t n;
    uint8_t *data = slurp(path, &n), h[8];

    lz_pyc_source_hash(lz_pyver_from_minor(minor), data, n, h);
    for (int i = 0; i < 8; i++)
        printf("%02x", h[i]);
    printf("\n");
    free(data);
    return 0;
}

int main(int argc, char **argv)
{
    int minor = argc > 2 ? atoi(argv[2]) : 0;

    if (argc > 2 && lz_pyver_from_minor(minor) == NULL) {
        fprintf(stderr, "check_tool: unknown version 3.%s\n", argv[2]);
        return 2;
    }
    if (argc == 5 && strcmp(argv[1], "repr") == 0)
        return cmd_repr(minor, argv[3], argv[4]);
    if (argc == 4 && strcmp(argv[1], "hash") == 0)
        return cmd_hash(minor, argv[3]);
    fprintf(stderr, "usage: check_tool repr MINOR FILE.bin FILE.txt | hash MINOR FILE\n");
    return 2;
}
