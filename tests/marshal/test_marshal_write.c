/* test_marshal_write.c - the marshal writer's choices and ref numbering.
 *
 * Proves: constructors pick CPython's type bytes; FLAG_REF goes to nodes
 * that carry o_ref or occur more than once, refs are renumbered in write
 * order, singletons are never numbered; an edited graph (copy-on-write)
 * re-encodes consistently and re-reads to the same structure; nodes the
 * version cannot encode, cycles, NULL children and over-deep graphs are
 * refused.  Does not prove: byte identity on real pycs (marshal_rt does).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lz_marshal.h"
#include "test_common.h"

#define C312_TWO_FUNCS \
    "630000000000000000000000000100000000000000f3100000009700640084005a00640184005a0179022903" \
    "630000000000000000000000000000000003000000f30400000097007900a9014ea9007203000000f30000" \
    "0000da016dda0166720600000001000000f302000000810072040000006300000000000000000000000000" \
    "00000003000000f3040000009700790072020000007203000000720300000072040000007205000000da01" \
    "67720900000002000000720700000072040000004e29027206000000720900000072030000007204000000" \
    "7205000000fa083c6d6f64756c653e720a00000001000000730b000000f003010101da000ddb000d720400" \
    "0000"

static struct lz_arena *arena;

static void setup(void)
{
    arena = lz_arena_new();
    ck_assert_ptr_nonnull(arena);
}

static void teardown(void)
{
    lz_arena_free(arena);
}

/* Write root for 3.minor; returns the status and leaves the bytes in out. */
static int write_obj(int minor, const struct lz_obj *root, struct lz_buf *out,
                     struct lz_error *err)
{
    lz_buf_init(out);
    return lz_marshal_write(t_ver(minor), root, out, err);
}

static void expect_bytes(int minor, const struct lz_obj *root, const char *hex)
{
    uint8_t want[1024];
    size_t n = t_hex(hex, want, sizeof want);
    struct lz_buf out;
    struct lz_error err = { 0 };

    ck_assert_msg(write_obj(minor, root, &out, &err) == LZ_OK, "%s", err.e_msg);
    t_assert_bytes_eq(out.b_data, out.b_len, want, n);
    lz_buf_fini(&out);
}

static void expect_refused(int minor, const struct lz_obj *root, const char *msg)
{
    struct lz_buf out;
    struct lz_error err = { 0 };

    ck_assert_int_eq(write_obj(minor, root, &out, &err), LZ_EINPUT);
    ck_assert_msg(strstr(err.e_msg, msg) != NULL, "got \"%s\", expected \"%s\"", err.e_msg, msg);
    lz_buf_fini(&out);
}

/* ---------------------------------------------------------- refusals --- */

START_TEST(test_refuse_slice_before_314)
{
    struct lz_obj *t = lz_obj_new_tuple(arena, 3);

    for (int i = 0; i < 3; i++)
        t->u.o_seq.items[i] = lz_obj_new_singleton(arena, LZ_K_NONE);
    t->o_kind = LZ_K_SLICE;
    t->o_code = ':';
    expect_refused(13, t, "marshal: cannot write: slice objects need marshal version 5 (3.14+)");
    expect_bytes(14, t, "3a 4e 4e 4e");
    t->o_kind = LZ_K_FROZENDICT;
    t->o_code = '}';
    t->u.o_seq.n = 0;
    expect_refused(14, t, "frozendict objects need marshal version 6 (3.15+)");
    expect_bytes(15, t, "7d 30");
}
END_TEST

START_TEST(test_refuse_cycle_null_and_bad_codes)
{
    struct lz_obj *t = lz_obj_new_tuple(arena, 1), *s;
    char big[300];

    expect_refused(12, t, "marshal: cannot write: NULL child in the object graph");
    t->u.o_seq.items[0] = t;
    expect_refused(12, t, "marshal: cannot write: cycle in the object graph through a tuple");
    memset(big, 'a', sizeof big);
    s = lz_obj_new_str(arena, big, sizeof big, false);
    s->o_code = 'z';
    expect_refused(12, s, "impossible type code for its kind: str");
    t = lz_obj_new_tuple(arena, 300);
    for (int i = 0; i < 300; i++)
        t->u.o_seq.items[i] = lz_obj_new_singleton(arena, LZ_K_NONE);
    t->o_code = ')';
    expect_refused(12, t, "impossible type code for its kind: tuple");
    s = lz_obj_new_str(arena, "x", 1, false);
    s->o_code = 's';
    expect_refused(12, s, "impossible type code for its kind: str");
}
END_TEST

/* `levels` one-tuples around None. */
static struct lz_obj *nested_tuples(int levels)
{
    struct lz_obj *o = lz_obj_new_singleton(arena, LZ_K_NONE);

    for (int i = 0; i < levels; i++) {
        struct lz_obj *t = lz_obj_new_tuple(arena, 1);

        t->u.o_seq.items[0] = o;
        o = t;
    }
    return o;
}

/* The writer refuses exactly what the reader would refuse: 1999 tuples
 * around None are the deepest readable nesting (see test_marshal_read). */
START_TEST(test_refuse_deep_graph)
{
    struct lz_buf out;
    struct lz_error err = { 0 };

    expect_refused(12, nested_tuples(LZ_MARSHAL_DEPTH_MAX + 1), "nesting deeper than the depth limit");
    expect_refused(12, nested_tuples(LZ_MARSHAL_DEPTH_MAX), "nesting deeper than the depth limit");
    ck_assert_int_eq(write_obj(12, nested_tuples(LZ_MARSHAL_DEPTH_MAX - 1), &out, &err), LZ_OK);
    ck_assert_uint_eq(out.b_len, 2 * (LZ_MARSHAL_DEPTH_MAX - 1) + 1);
    lz_buf_fini(&out);
}
END_TEST

START_TEST(test_refuse_code_of_other_layout)
{
    uint8_t buf[4096];
    size_t n = t_hex(C312_TWO_FUNCS, buf, sizeof buf), consumed;
    struct lz_obj *root;
    struct lz_error err = { 0 };

    ck_assert_int_eq(lz_marshal_read(arena, t_ver(12), buf, n, &consumed, &root, &err), LZ_OK);
    /* a 3.11+ code object lacks varnames/freevars/cellvars for 3.8 */
    expect_refused(8, root, "code object lacks a field its version needs");
    root->u.o_codeobj->co_qualname = NULL;
    expect_refused(12, root, "code object lacks a field its version needs");
}
END_TEST

/* ----------------------------------------------------------- choices --- */

struct str_case {
    const char *s;
    size_t repeat;       /* s repeated this many times */
    bool interned;
    char code;
};

static const struct str_case str_cases[] = {
    { "abc", 1, false, 'z' }, { "abc", 1, true, 'Z' }, { "", 1, false, 'z' },
    { "a", 255, false, 'z' }, { "a", 256, false, 'a' }, { "a", 256, true, 'A' },
    { "\xc3\xa9", 1, false, 'u' }, { "\xc3\xa9", 1, true, 't' }, { "\xc3\xa9", 200, false, 'u' },
};

START_TEST(test_str_type_byte)
{
    const struct str_case *c = &str_cases[_i];
    size_t len = strlen(c->s) * c->repeat;
    char *text = malloc(len + 1);
    struct lz_obj *o;
    struct lz_buf out;
    struct lz_error err = { 0 };
    struct lz_arena *a2 = lz_arena_new();
    struct lz_obj *back;
    size_t consumed;

    for (size_t i = 0; i < c->repeat; i++)
        memcpy(text + i * strlen(c->s), c->s, strlen(c->s));
    o = lz_obj_new_str(arena, text, len, c->interned);
    ck_assert_int_eq(o->o_kind, LZ_K_STR);
    ck_assert_int_eq(o->o_code, c->code);
    ck_assert(!o->o_ref);
    ck_assert_ptr_ne(o->u.o_raw.data, (const uint8_t *)text);    /* copied */
    ck_assert_int_eq(write_obj(12, o, &out, &err), LZ_OK);
    ck_assert_int_eq(out.b_data[0], c->code);
    ck_assert_int_eq(lz_marshal_read(a2, t_ver(12), out.b_data, out.b_len, &consumed, &back, &err),
                     LZ_OK);
    ck_assert_uint_eq(back->u.o_raw.size, len);
    ck_assert(len == 0 || memcmp(back->u.o_raw.data, text, len) == 0);
    lz_buf_fini(&out);
    lz_arena_free(a2);
    free(text);
}
END_TEST

START_TEST(test_scalar_constructors)
{
    struct lz_obj *t = lz_obj_new_tuple(arena, 256), *big;

    expect_bytes(12, lz_obj_new_int(arena, -2), "69 fe ff ff ff");
    expect_bytes(12, lz_obj_new_bytes(arena, (const uint8_t *)"a\0", 2), "73 02 00 00 00 61 00");
    expect_bytes(12, lz_obj_new_singleton(arena, LZ_K_ELLIPSIS), "2e");
    expect_bytes(12, lz_obj_new_singleton(arena, LZ_K_STOPITER), "53");
    ck_assert_ptr_null(lz_obj_new_singleton(arena, LZ_K_INT));
    expect_bytes(12, lz_obj_new_tuple(arena, 0), "29 00");
    ck_assert_int_eq(t->o_code, '(');
    ck_assert_int_eq(lz_obj_new_tuple(arena, 255)->o_code, ')');
    /* an int node grown past int32 is written as CPython's 'l' */
    big = lz_obj_new_int(arena, 0);
    big->u.o_int = INT64_C(2147483648);
    expect_bytes(12, big, "6c 03 00 00 00 00 00 00 00 02 00");
    big->u.o_int = -INT64_C(1152921504606846976);
    expect_bytes(12, big, "6c fb ff ff ff 00 00 00 00 00 00 00 00 01 00");
    big->u.o_int = INT64_MIN;
    expect_bytes(12, big, "6c fb ff ff ff 00 00 00 00 00 00 00 00 08 00");
    /* ...unless it was read as legacy 'I' */
    big->o_code = 'I';
    expect_bytes(12, big, "49 00 00 00 00 00 00 00 80");
}
END_TEST

/* ----------------------------------------------------- ref numbering --- */

START_TEST(test_shared_node_gets_flag_and_ref)
{
    struct lz_obj *t = lz_obj_new_tuple(arena, 3);
    struct lz_obj *x = lz_obj_new_str(arena, "x", 1, true);
    struct lz_obj *none = lz_obj_new_singleton(arena, LZ_K_NONE);

    t->u.o_seq.items[0] = x;
    t->u.o_seq.items[1] = none;
    t->u.o_seq.items[2] = x;
    /* x occurs twice: flagged inline, then 'r' 0; None shared but bare */
    expect_bytes(12, t, "29 03 da 01 78 4e 72 00 00 00 00");
    t->u.o_seq.items[2] = none;
    expect_bytes(12, t, "29 03 5a 01 78 4e 4e");
    /* o_ref alone flags, and numbering is pre-order */
    t->o_ref = true;
    x->o_ref = true;
    t->u.o_seq.items[1] = x;
    expect_bytes(12, t, "a9 03 da 01 78 72 01 00 00 00 4e");
    /* a flagged singleton keeps its flag and takes no index */
    none->o_ref = true;
    t->u.o_seq.items[0] = none;
    expect_bytes(12, t, "a9 03 ce da 01 78 ce");
}
END_TEST

/* Copy-on-write edit of a real module: replace f's exception table (the
 * inline definition of the shared b'') by a new node.  The next use of the
 * old b'' becomes its inline definition and later refs are renumbered. */
START_TEST(test_edit_renumbers_refs)
{
    uint8_t buf[4096];
    size_t n = t_hex(C312_TWO_FUNCS, buf, sizeof buf), consumed;
    struct lz_obj *root, *consts, *fcopy, *empty_old, *back;
    struct lz_error err = { 0 };
    struct lz_buf out, again;
    const struct lz_codeobj *m2, *f2, *g2;
    struct lz_arena *a2 = lz_arena_new();

    ck_assert_int_eq(lz_marshal_read(arena, t_ver(12), buf, n, &consumed, &root, &err), LZ_OK);
    fcopy = lz_obj_copy_code(arena, root->u.o_codeobj->co_consts->u.o_seq.items[0]);
    ck_assert_ptr_nonnull(fcopy);
    ck_assert(fcopy->u.o_codeobj != root->u.o_codeobj->co_consts->u.o_seq.items[0]->u.o_codeobj);
    empty_old = fcopy->u.o_codeobj->co_exceptiontable;
    fcopy->u.o_codeobj->co_localspluskinds = lz_obj_new_bytes(arena, NULL, 0);
    fcopy->u.o_codeobj->co_exceptiontable = fcopy->u.o_codeobj->co_localspluskinds;
    consts = lz_obj_new_tuple(arena, root->u.o_codeobj->co_consts->u.o_seq.n);
    for (size_t i = 0; i < consts->u.o_seq.n; i++)
        consts->u.o_seq.items[i] = root->u.o_codeobj->co_consts->u.o_seq.items[i];
    consts->u.o_seq.items[0] = fcopy;
    root = lz_obj_copy_code(arena, root);
    root->u.o_codeobj->co_consts = consts;

    ck_assert_int_eq(write_obj(12, root, &out, &err), LZ_OK);
    ck_assert_int_eq(lz_marshal_read(a2, t_ver(12), out.b_data, out.b_len, &consumed, &back, &err),
                     LZ_OK);
    ck_assert_uint_eq(consumed, out.b_len);
    m2 = back->u.o_codeobj;
    f2 = m2->co_consts->u.o_seq.items[0]->u.o_codeobj;
    g2 = m2->co_consts->u.o_seq.items[1]->u.o_codeobj;
    ck_assert_ptr_eq(f2->co_localspluskinds, f2->co_exceptiontable);
    ck_assert_ptr_ne(f2->co_exceptiontable, g2->co_exceptiontable);
    ck_assert_ptr_eq(g2->co_localspluskinds, g2->co_exceptiontable);
    ck_assert_ptr_eq(g2->co_exceptiontable, m2->co_exceptiontable);
    ck_assert_ptr_eq(f2->co_names, g2->co_names);
    ck_assert_str_eq(t_repr(back), "<code object <module>, file \"m\", line 1>");
    ck_assert(empty_old->o_ref);
    /* the edited stream is stable: reading and writing it again is identity */
    ck_assert_int_eq(write_obj(12, back, &again, &err), LZ_OK);
    t_assert_bytes_eq(again.b_data, again.b_len, out.b_data, out.b_len);
    /* and the untouched original still encodes to the input */
    lz_buf_fini(&again);
    lz_buf_fini(&out);
    lz_arena_free(a2);
}
END_TEST

static Suite *write_suite(void)
{
    Suite *s = suite_create("marshal write");
    TCase *tc;

    tc = tcase_create("refuses graphs the version cannot encode");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_refuse_slice_before_314);
    tcase_add_test(tc, test_refuse_cycle_null_and_bad_codes);
    tcase_add_test(tc, test_refuse_deep_graph);
    tcase_add_test(tc, test_refuse_code_of_other_layout);
    suite_add_tcase(s, tc);
    tc = tcase_create("new nodes get CPython's type bytes");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_str_type_byte, 0, (int)(sizeof str_cases / sizeof str_cases[0]));
    tcase_add_test(tc, test_scalar_constructors);
    suite_add_tcase(s, tc);
    tc = tcase_create("refs are flagged and renumbered in write order");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_shared_node_gets_flag_and_ref);
    tcase_add_test(tc, test_edit_renumbers_refs);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return t_run(write_suite());
}
