/* engine_test.c - helpers for the engine's check tests (engine_test.h). */
#include "engine_test.h"

#include <stdlib.h>
#include <string.h>

const struct lz_version *t_version(int minor)
{
    const struct lz_pyver *pv = lz_pyver_from_minor(minor);
    const struct lz_version *v = pv ? lz_version_for(pv) : NULL;

    ck_assert_msg(v != NULL, "no version table for 3.%d", minor);
    return v;
}

int t_op(const struct lz_version *v, const char *name)
{
    for (int op = 0; op < 256; op++)
        if (v->v_ops[op].oi_name && strcmp(v->v_ops[op].oi_name, name) == 0)
            return op;
    ck_abort_msg("%s has no opcode %s", v->v_name, name);
    return -1;
}

int t_missing_op(const struct lz_version *v)
{
    for (int op = 255; op > 0; op--)
        if (!(v->v_ops[op].oi_flags & LZ_OPF_EXISTS))
            return op;
    ck_abort_msg("%s uses every opcode number", v->v_name);
    return -1;
}

void t_raw(struct lz_buf *b, int op, int arg)
{
    lz_buf_byte(b, (uint8_t)op);
    lz_buf_byte(b, (uint8_t)arg);
}

void t_asm(const struct lz_version *v, struct lz_buf *b, const char *name, uint32_t arg)
{
    int op = t_op(v, name);
    unsigned pre = arg > 0xffffff ? 3 : arg > 0xffff ? 2 : arg > 0xff ? 1 : 0;

    for (unsigned k = pre; k > 0; k--)
        t_raw(b, v->v_op.EXTENDED_ARG, (int)((arg >> (8 * k)) & 0xff));
    t_raw(b, op, (int)(arg & 0xff));
    for (unsigned k = 0; k < v->v_ops[op].oi_ncache; k++)
        t_raw(b, 0, 0);
}

size_t t_units(const struct lz_buf *b)
{
    return b->b_len / 2;
}

uint32_t t_jarg(const struct lz_version *v, size_t units)
{
    return (uint32_t)(units * 2 / v->v_jump_unit);
}

static struct lz_obj *str(struct lz_arena *a, const char *s)
{
    struct lz_obj *o = lz_obj_new_str(a, s, strlen(s), true);

    ck_assert_ptr_nonnull(o);
    return o;
}

static struct lz_obj *bytes(struct lz_arena *a, const uint8_t *p, size_t n)
{
    struct lz_obj *o = lz_obj_new_bytes(a, p, n);

    ck_assert_ptr_nonnull(o);
    return o;
}

/* Mark the first unit of each instruction (prefixes included), as the
 * 3.11 compiler's one-run-per-instruction rule needs. */
static void mark_starts(const struct lz_version *v, const uint8_t *code, size_t nunits,
                        uint8_t *starts)
{
    size_t u = 0;

    while (u < nunits) {
        starts[u] = 1;
        while (u < nunits && code[2 * u] == v->v_op.EXTENDED_ARG)
            u++;
        if (u < nunits)
            u += 1 + v->v_ops[code[2 * u]].oi_ncache;
    }
}

static struct lz_obj *line_table(struct lz_arena *a, const struct lz_version *v,
                                 const uint8_t *code, size_t nunits)
{
    struct lz_loc *locs = calloc(nunits + 1, sizeof *locs);
    uint8_t *starts = calloc(nunits + 1, 1);
    struct lz_error err = { 0 };
    struct lz_obj *o;
    struct lz_buf b;

    ck_assert(locs && starts);
    for (size_t u = 0; u < nunits; u++) {
        locs[u].l_line = locs[u].l_end_line = 1;
        locs[u].l_col = locs[u].l_end_col = LZ_NO_COL;
    }
    mark_starts(v, code, nunits, starts);
    lz_buf_init(&b);
    ck_assert_msg(lz_lines_encode(v, locs, starts, nunits, 1, NULL, 0, &b, &err) == LZ_OK,
                  "line table: %s", err.e_msg);
    o = bytes(a, b.b_data, b.b_len);
    lz_buf_fini(&b);
    free(locs);
    free(starts);
    return o;
}

static struct lz_obj *exc_table(struct lz_arena *a, size_t nunits, const struct t_exc *exc,
                                size_t nexc)
{
    struct lz_handler *h = calloc(nunits + 1, sizeof *h);
    struct lz_error err = { 0 };
    struct lz_obj *o;
    struct lz_buf b;

    ck_assert_ptr_nonnull(h);
    for (size_t u = 0; u < nunits; u++)
        h[u].h_target = -1;
    for (size_t e = 0; e < nexc; e++)
        for (int32_t u = exc[e].start; u < exc[e].start + exc[e].size; u++) {
            ck_assert((size_t)u < nunits);
            h[u].h_target = exc[e].target;
            h[u].h_depth = (uint16_t)exc[e].depth;
            h[u].h_lasti = (uint8_t)exc[e].lasti;
        }
    lz_buf_init(&b);
    ck_assert_msg(lz_exctable_encode(h, nunits, &b, &err) == LZ_OK, "exc table: %s", err.e_msg);
    o = bytes(a, b.b_data, b.b_len);
    lz_buf_fini(&b);
    free(h);
    return o;
}

struct lz_obj *t_code(struct lz_arena *a, const struct lz_version *v, const struct lz_buf *code,
                      const struct t_exc *exc, size_t nexc, int32_t flags)
{
    struct lz_obj *node = lz_arena_calloc(a, 1, sizeof *node);
    struct lz_codeobj *co = lz_arena_calloc(a, 1, sizeof *co);
    struct lz_obj *consts = lz_obj_new_tuple(a, 2), *names = lz_obj_new_tuple(a, 1);
    struct lz_obj *empty = lz_obj_new_tuple(a, 0);
    size_t nunits = code->b_len / 2;

    ck_assert(node && co && consts && names && empty);
    node->o_kind = LZ_K_CODE;
    node->o_code = 'c';
    node->u.o_codeobj = co;
    consts->u.o_seq.items[0] = lz_obj_new_singleton(a, LZ_K_NONE);
    consts->u.o_seq.items[1] = lz_obj_new_int(a, 1);
    names->u.o_seq.items[0] = str(a, "x");
    co->co_stacksize = 10;
    co->co_flags = flags;
    co->co_firstlineno = 1;
    co->co_code = bytes(a, code->b_data, code->b_len);
    co->co_consts = consts;
    co->co_names = names;
    co->co_filename = str(a, "t.py");
    co->co_name = str(a, "f");
    co->co_linetable = line_table(a, v, code->b_data, nunits);
    if (v->v_exception_table) {
        co->co_localsplusnames = empty;
        co->co_localspluskinds = bytes(a, (const uint8_t *)"", 0);
        co->co_qualname = str(a, "f");
        co->co_exceptiontable = exc_table(a, nunits, exc, nexc);
    } else {
        co->co_varnames = co->co_freevars = co->co_cellvars = empty;
    }
    return node;
}

struct lz_code *t_decode(const struct lz_version *v, struct lz_arena *a, const struct lz_obj *node)
{
    struct lz_error err = { 0 };
    struct lz_code *c = NULL;

    ck_assert_msg(lz_code_decode(v, a, a, node, &c, &err) == LZ_OK, "%s decode: %s",
                  v->v_name, err.e_msg);
    ck_assert_msg(lz_code_check(c, &err) == LZ_OK, "%s check: %s", v->v_name, err.e_msg);
    return c;
}

struct lz_obj *t_assemble(struct lz_code *c)
{
    struct lz_error err = { 0 };
    struct lz_obj *out = NULL;

    ck_assert_msg(lz_code_check(c, &err) == LZ_OK, "%s check: %s", c->c_ver->v_name,
                  err.e_msg);
    ck_assert_msg(lz_code_assemble(c, &out, &err) == LZ_OK, "%s assemble: %s",
                  c->c_ver->v_name, err.e_msg);
    return out;
}

struct lz_instr *t_nth(struct lz_code *c, size_t i)
{
    struct lz_instr *in = c->c_first;

    while (in && i--)
        in = in->in_next;
    ck_assert_msg(in != NULL, "no instruction #%zu", i);
    return in;
}

size_t t_index(const struct lz_code *c, const struct lz_instr *in)
{
    size_t i = 0;

    for (const struct lz_instr *p = c->c_first; p; p = p->in_next, i++)
        if (p == in)
            return i;
    ck_abort_msg("instruction not in the list");
    return 0;
}

int t_run(Suite *s)
{
    SRunner *sr = srunner_create(s);
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
