/* test_code_edit.c - the edit API, the assembler, lz_code_check, the pipeline.
 *
 * Proves, on hand-made code for every version where the case exists:
 * misuse of the edit calls is refused (LZ_EUSAGE) and leaves a valid list;
 * lz_code_check reports each kind of broken invariant; inserting before an
 * instruction moves jumps / handlers / lnotab events exactly as the flags
 * say; inserted code copies the anchor's location and handler; jump opargs
 * grow EXTENDED_ARG prefixes to a fixed point (including a backward jump
 * whose own new prefix lengthens it); names and constants are appended
 * copy-on-write; 3.11+ single-instruction handlers and 3.8-3.10 block
 * wrapping assemble into what the decoder reads back; the pipeline rebuilds
 * a parent's co_consts only when a child changed and bounds nesting.
 * Each assembled result is decoded again and compared, so offsets are
 * checked by the decoder, not by hand-computed bytes.
 * Does not prove: that edited code runs (run_nops.py executes it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_test.h"
#include "lz_passes.h"

/* Decode an assembled node again (fresh view of offsets and targets). */
static struct lz_code *redecode(const struct lz_version *v, struct lz_arena *a,
                                const struct lz_obj *node)
{
    return t_decode(v, a, node);
}

static struct lz_seq one(struct lz_code *c, const char *name, uint32_t arg)
{
    struct lz_seq s;

    lz_seq_init(&s);
    ck_assert_ptr_nonnull(lz_seq_emit(c, &s, t_op(c->c_ver, name), arg));
    return s;
}

/* JUMP_FORWARD -> X; NOP; X: LOAD_CONST 0; RETURN_VALUE */
static struct lz_obj *jump_over_nop(struct lz_arena *a, const struct lz_version *v)
{
    struct lz_obj *node;
    struct lz_buf b;

    lz_buf_init(&b);
    t_asm(v, &b, "JUMP_FORWARD", t_jarg(v, 1));
    t_asm(v, &b, "NOP", 0);
    t_asm(v, &b, "LOAD_CONST", 0);
    t_asm(v, &b, "RETURN_VALUE", 0);
    node = t_code(a, v, &b, NULL, 0, 0);
    lz_buf_fini(&b);
    return node;
}

/* ==== misuse and broken invariants ========================================= */

START_TEST(test_edit_misuse_refused)
{
    const struct lz_version *v = t_version(_i);
    struct lz_arena *a = lz_arena_new();
    struct lz_code *c = t_decode(v, a, jump_over_nop(a, v));
    struct lz_error err = { 0 };
    struct lz_seq s;

    /* a jump lands on LOAD_CONST, inside NOP..LOAD_CONST */
    s = one(c, "NOP", 0);
    ck_assert_int_eq(lz_code_replace(c, t_nth(c, 1), t_nth(c, 2), &s, 0, &err), LZ_EUSAGE);
    ck_assert_msg(strstr(err.e_msg, "a jump lands inside the replaced range"), "%s", err.e_msg);
    /* unknown opcode and an oparg on an opcode without argument */
    lz_seq_init(&s);
    ck_assert_ptr_null(lz_seq_emit(c, &s, t_missing_op(v), 0));
    ck_assert_int_eq(lz_code_insert_before(c, t_nth(c, 1), &s, 0, &err), LZ_EUSAGE);
    lz_seq_init(&s);
    ck_assert_ptr_null(lz_seq_emit(c, &s, v->v_op.NOP, 300));
    ck_assert_int_eq(lz_code_insert_after(c, t_nth(c, 1), &s, 0, &err), LZ_EUSAGE);
    lz_seq_init(&s);
    ck_assert_ptr_null(lz_seq_emit(c, &s, v->v_op.EXTENDED_ARG, 1));
    ck_assert_int_eq(lz_code_insert_after(c, t_nth(c, 1), &s, 0, &err), LZ_EUSAGE);
    /* nothing changed */
    ck_assert_uint_eq(c->c_ninstr, 4);
    ck_assert_int_eq(lz_code_check(c, &err), LZ_OK);
    /* blocks exist only before 3.11; RETURN_VALUE does not fall through */
    if (v->v_exception_table)
        ck_assert_int_eq(lz_code_wrap_in_block(c, t_nth(c, 2), t_nth(c, 3), &err), LZ_EUSAGE);
    else
        ck_assert_int_eq(lz_code_wrap_in_block(c, t_nth(c, 3), t_nth(c, 3), &err), LZ_EUSAGE);
    ck_assert_int_eq(lz_code_check(c, &err), LZ_OK);
    lz_arena_free(a);
}
END_TEST

enum breakage { BREAK_PREV, BREAK_TARGET, BREAK_JUMPERS, BREAK_CACHE, BREAK_BLOCK, BREAK_COUNT,
                BREAK_DIRECTION, BREAK_NTYPES };

static const char *const breakage_msg[BREAK_NTYPES] = {
    [BREAK_PREV] = "in_prev does not point at the previous instruction",
    [BREAK_TARGET] = "jump target is not in the list",
    [BREAK_JUMPERS] = "jump missing from its target's in_jumpers list",
    [BREAK_CACHE] = "wrong number of cache units",
    [BREAK_BLOCK] = "in_block is not a SETUP_* of this code",
    [BREAK_COUNT] = "c_ninstr says",
    [BREAK_DIRECTION] = "forward jump aims backward",
};

START_TEST(test_check_catches)
{
    for (int minor = T_MINOR_FIRST; minor <= T_MINOR_LAST; minor++) {
        const struct lz_version *v = t_version(minor);
        struct lz_arena *a = lz_arena_new();
        struct lz_code *c = t_decode(v, a, jump_over_nop(a, v));
        struct lz_instr *jf = t_nth(c, 0), *nop = t_nth(c, 1), *ld = t_nth(c, 2);
        struct lz_instr stray = *nop;
        struct lz_error err = { 0 };

        switch (_i) {
        case BREAK_PREV: ld->in_prev = NULL; break;
        case BREAK_TARGET: jf->in_target = &stray; break;
        case BREAK_JUMPERS: ld->in_jumpers = NULL; break;
        case BREAK_CACHE: nop->in_ncache++; break;
        case BREAK_BLOCK: nop->in_block = ld; break;
        case BREAK_COUNT: c->c_ninstr++; break;
        case BREAK_DIRECTION:
            lz_code_set_target(jf, jf);
            break;
        }
        ck_assert_int_eq(lz_code_check(c, &err), LZ_EINPUT);
        ck_assert_msg(strstr(err.e_msg, breakage_msg[_i]), "%s: \"%s\" lacks \"%s\"",
                      v->v_name, err.e_msg, breakage_msg[_i]);
        lz_arena_free(a);
    }
}
END_TEST

/* ==== insertion ============================================================ */

START_TEST(test_insert_moves_jumps_by_flag)
{
    const struct lz_version *v = t_version(_i);

    for (int take = 0; take <= 1; take++) {
        struct lz_arena *a = lz_arena_new();
        struct lz_obj *node = jump_over_nop(a, v), *out;
        struct lz_code *c = t_decode(v, a, node), *d;
        struct lz_error err = { 0 };
        struct lz_instr *x = t_nth(c, 2);
        struct lz_seq s = one(c, "NOP", 0);

        ck_assert_int_eq(lz_code_insert_before(c, x, &s, take ? LZ_EDIT_TAKE_JUMPS : 0, &err),
                         LZ_OK);
        ck_assert_uint_eq(c->c_ninstr, 5);
        out = t_assemble(c);
        ck_assert_ptr_ne(out, node);
        d = redecode(v, a, out);
        ck_assert_uint_eq(t_index(d, t_nth(d, 0)->in_target), take ? 2 : 3);
        /* the original node is untouched */
        c = t_decode(v, a, node);
        ck_assert_uint_eq(c->c_ninstr, 4);
        lz_arena_free(a);
    }
}
END_TEST

/* Inserted code copies the anchor's location and (3.11+) handler; with
 * LZ_EDIT_TAKE_HANDLERS a handler starting at the anchor starts at it. */
START_TEST(test_insert_copies_location_and_handler)
{
    const struct lz_version *v = t_version(_i);
    struct lz_arena *a = lz_arena_new();
    struct t_exc exc = { .start = 0, .size = 2, .target = 3, .depth = 0, .lasti = 0 };
    struct lz_error err = { 0 };
    struct lz_instr *ld, *h, *nop1, *nop2;
    struct lz_code *c, *d;
    struct lz_obj *node;
    struct lz_seq s;
    struct lz_buf b;

    lz_buf_init(&b);
    t_asm(v, &b, "NOP", 0);
    t_asm(v, &b, "LOAD_CONST", 0);
    t_asm(v, &b, "RETURN_VALUE", 0);
    t_asm(v, &b, "POP_TOP", 0);       /* handler */
    t_asm(v, &b, "LOAD_CONST", 0);
    t_asm(v, &b, "RETURN_VALUE", 0);
    node = t_code(a, v, &b, &exc, 1, 0);
    c = t_decode(v, a, node);
    ld = t_nth(c, 1);
    h = t_nth(c, 3);
    ld->in_loc.l_line = 7;            /* a location of its own */
    ld->in_loc.l_end_line = 7;

    s = one(c, "NOP", 0);
    nop1 = s.s_first;
    ck_assert_int_eq(lz_code_insert_before(c, ld, &s, 0, &err), LZ_OK);
    ck_assert_int_eq(nop1->in_loc.l_line, 7);
    ck_assert_ptr_eq(nop1->in_exc.x_target, h);
    s = one(c, "NOP", 0);
    nop2 = s.s_first;
    ck_assert_int_eq(lz_code_insert_before(c, h, &s, LZ_EDIT_TAKE_HANDLERS, &err), LZ_OK);
    ck_assert_ptr_eq(ld->in_exc.x_target, nop2);
    ck_assert_ptr_eq(nop1->in_exc.x_target, nop2);
    ck_assert_ptr_null(nop2->in_exc.x_target);

    /* a NOP placed before RETURN_VALUE but located like LOAD_CONST */
    s = one(c, "NOP", 0);
    lz_seq_copy_location(&s, ld);
    ck_assert_int_eq(lz_code_insert_before(c, t_nth(c, 4), &s, LZ_EDIT_OWN_LOCATION, &err),
                     LZ_OK);
    ck_assert_int_eq(t_nth(c, 4)->in_loc.l_line, 7);
    ck_assert_ptr_eq(t_nth(c, 4)->in_exc.x_target, nop2);
    ck_assert_int_eq(lz_code_replace(c, t_nth(c, 4), t_nth(c, 4), &s, 0, &err), LZ_OK);

    d = redecode(v, a, t_assemble(c));
    ck_assert_uint_eq(d->c_ninstr, 8);
    for (int i = 0; i < 3; i++)       /* NOP, new NOP, LOAD_CONST */
        ck_assert_uint_eq(t_index(d, t_nth(d, i)->in_exc.x_target), 4);
    ck_assert_ptr_null(t_nth(d, 3)->in_exc.x_target);
    ck_assert_int_eq(t_nth(d, 1)->in_loc.l_line, 7);
    ck_assert_int_eq(t_nth(d, 2)->in_loc.l_line, 7);
    ck_assert_int_eq(t_nth(d, 3)->in_loc.l_line, 1);
    lz_buf_fini(&b);
    lz_arena_free(a);
}
END_TEST

/* A forward jump over 200 units, then 100 NOPs more: its oparg passes 255
 * and needs a prefix; the target is still right after the round trip. */
START_TEST(test_forward_jump_grows_prefix)
{
    const struct lz_version *v = t_version(_i);
    struct lz_arena *a = lz_arena_new();
    struct lz_error err = { 0 };
    struct lz_obj *node, *out;
    struct lz_code *c, *d;
    struct lz_buf b;

    lz_buf_init(&b);
    t_asm(v, &b, "JUMP_FORWARD", t_jarg(v, 200));
    for (int i = 0; i < 200; i++)
        t_asm(v, &b, "NOP", 0);
    t_asm(v, &b, "LOAD_CONST", 0);
    t_asm(v, &b, "RETURN_VALUE", 0);
    node = t_code(a, v, &b, NULL, 0, 0);
    if (v->v_lines == LZ_LINES_LNOTAB)   /* a line event at unit 0 */
        node->u.o_codeobj->co_linetable = lz_obj_new_bytes(a, (const uint8_t *)"\x00\x01", 2);
    c = t_decode(v, a, node);
    for (int i = 0; i < 100; i++) {
        struct lz_seq s = one(c, "NOP", 0);
        ck_assert_int_eq(lz_code_insert_after(c, c->c_first, &s, 0, &err), LZ_OK);
    }
    out = t_assemble(c);
    d = redecode(v, a, out);
    ck_assert_uint_eq(d->c_first->in_nprefix_min, 1);
    ck_assert_uint_eq(d->c_first->in_arg, t_jarg(v, 300));
    if (v->v_lines == LZ_LINES_LNOTAB) {   /* the event stays on the new prefix */
        const struct lz_obj *lt = out->u.o_codeobj->co_linetable;
        ck_assert_uint_eq(lt->u.o_raw.size, 2);
        ck_assert_int_eq(lt->u.o_raw.data[0], 0);
        ck_assert_int_eq(d->c_first->in_events->ev_rel, LZ_EV_AT_START);
    }
    ck_assert_uint_eq(t_index(d, d->c_first->in_target), 301);
    lz_buf_fini(&b);
    lz_arena_free(a);
}
END_TEST

/* 3.11+: a backward jump with oparg 255; one NOP more makes it 256, which
 * needs a prefix, which makes the jump itself one unit longer: 257. */
START_TEST(test_backward_jump_counts_own_prefix)
{
    const struct lz_version *v = t_version(_i);
    int jb = t_op(v, "JUMP_BACKWARD");
    size_t self = 1 + v->v_ops[jb].oi_ncache;   /* units of the jump, no prefix */
    struct lz_arena *a = lz_arena_new();
    struct lz_error err = { 0 };
    struct lz_code *c, *d;
    struct lz_instr *j;
    struct lz_buf b;
    struct lz_seq s;

    lz_buf_init(&b);
    for (size_t i = 0; i < 255 - self; i++)
        t_asm(v, &b, "NOP", 0);
    t_asm(v, &b, "JUMP_BACKWARD", 255);   /* back to unit 0 */
    c = t_decode(v, a, t_code(a, v, &b, NULL, 0, 0));
    j = c->c_last;
    ck_assert_uint_eq(t_index(c, j->in_target), 0);
    ck_assert_uint_eq(j->in_nprefix_min, 0);
    s = one(c, "NOP", 0);
    ck_assert_int_eq(lz_code_insert_after(c, c->c_first, &s, 0, &err), LZ_OK);
    d = redecode(v, a, t_assemble(c));
    ck_assert_uint_eq(d->c_last->in_arg, 257);
    ck_assert_uint_eq(d->c_last->in_nprefix_min, 1);
    ck_assert_uint_eq(t_index(d, d->c_last->in_target), 0);
    lz_buf_fini(&b);
    lz_arena_free(a);
}
END_TEST

/* ==== replace, names, consts ================================================ */

START_TEST(test_replace_moves_refs_to_first)
{
    const struct lz_version *v = t_version(_i);
    struct lz_arena *a = lz_arena_new();
    struct lz_error err = { 0 };
    struct lz_code *c, *d;
    struct lz_seq s;
    struct lz_buf b;

    /* JUMP_FORWARD -> LOAD_CONST 1; NOP; LOAD_CONST 1; POP_TOP; LOAD_CONST 0; RETURN_VALUE */
    lz_buf_init(&b);
    t_asm(v, &b, "JUMP_FORWARD", t_jarg(v, 1));
    t_asm(v, &b, "NOP", 0);
    t_asm(v, &b, "LOAD_CONST", 1);
    t_asm(v, &b, "POP_TOP", 0);
    t_asm(v, &b, "LOAD_CONST", 0);
    t_asm(v, &b, "RETURN_VALUE", 0);
    c = t_decode(v, a, t_code(a, v, &b, NULL, 0, 0));
    /* LOAD_CONST 1; POP_TOP -> NOP; NOP */
    lz_seq_init(&s);
    lz_seq_emit(c, &s, v->v_op.NOP, 0);
    lz_seq_emit(c, &s, v->v_op.NOP, 0);
    ck_assert_int_eq(lz_code_replace(c, t_nth(c, 2), t_nth(c, 3), &s, 0, &err), LZ_OK);
    ck_assert_uint_eq(t_index(c, c->c_first->in_target), 2);
    /* delete the two NOPs: the jump moves on to LOAD_CONST 0 */
    lz_seq_init(&s);
    ck_assert_int_eq(lz_code_replace(c, t_nth(c, 2), t_nth(c, 3), &s, 0, &err), LZ_OK);
    d = redecode(v, a, t_assemble(c));
    ck_assert_uint_eq(d->c_ninstr, 4);
    ck_assert_uint_eq(t_index(d, d->c_first->in_target), 2);
    ck_assert_uint_eq(t_nth(d, 2)->in_op, v->v_op.LOAD_CONST);
    lz_buf_fini(&b);
    lz_arena_free(a);
}
END_TEST

START_TEST(test_names_and_consts_copy_on_write)
{
    const struct lz_version *v = t_version(_i);
    struct lz_arena *a = lz_arena_new();
    struct lz_obj *node = jump_over_nop(a, v), *orig_names = node->u.o_codeobj->co_names;
    struct lz_obj *orig_consts = node->u.o_codeobj->co_consts, *one_node, *out;
    struct lz_code *c = t_decode(v, a, node);
    struct lz_error err = { 0 };
    uint32_t i;

    ck_assert_int_eq(lz_code_add_name(c, "x", 1, &i, &err), LZ_OK);
    ck_assert_uint_eq(i, 0);
    ck_assert_ptr_eq(c->c_names, orig_names);
    ck_assert_int_eq(lz_code_add_name(c, "y", 1, &i, &err), LZ_OK);
    ck_assert_uint_eq(i, 1);
    ck_assert_ptr_ne(c->c_names, orig_names);
    ck_assert_uint_eq(orig_names->u.o_seq.n, 1);
    one_node = orig_consts->u.o_seq.items[1];
    ck_assert_int_eq(lz_code_add_const(c, one_node, &i, &err), LZ_OK);
    ck_assert_uint_eq(i, 1);
    ck_assert_int_eq(lz_code_add_const(c, lz_obj_new_int(a, 1), &i, &err), LZ_OK);
    ck_assert_uint_eq(i, 2);   /* equal value, different node: appended */
    ck_assert_uint_eq(orig_consts->u.o_seq.n, 2);
    out = t_assemble(c);
    ck_assert_ptr_ne(out, node);
    ck_assert_uint_eq(out->u.o_codeobj->co_names->u.o_seq.n, 2);
    ck_assert_uint_eq(out->u.o_codeobj->co_consts->u.o_seq.n, 3);
    ck_assert_ptr_eq(out->u.o_codeobj->co_code, node->u.o_codeobj->co_code);
    lz_arena_free(a);
}
END_TEST

/* ==== guards: single-instruction handler (3.11+), block (3.8-3.10) ========= */

/* NOP; LOAD_NAME x; POP_TOP; LOAD_CONST 0; RETURN_VALUE | H: POP_TOP; LOAD_CONST 0; RETURN_VALUE */
static struct lz_code *guard_code(struct lz_arena *a, const struct lz_version *v)
{
    struct lz_buf b;
    struct lz_code *c;

    lz_buf_init(&b);
    t_asm(v, &b, "NOP", 0);
    t_asm(v, &b, "LOAD_NAME", 0);
    t_asm(v, &b, "POP_TOP", 0);
    t_asm(v, &b, "LOAD_CONST", 0);
    t_asm(v, &b, "RETURN_VALUE", 0);
    t_asm(v, &b, "POP_TOP", 0);
    t_asm(v, &b, "LOAD_CONST", 0);
    t_asm(v, &b, "RETURN_VALUE", 0);
    c = t_decode(v, a, t_code(a, v, &b, NULL, 0, 0));
    lz_buf_fini(&b);
    return c;
}

START_TEST(test_handler_for_one_instruction)
{
    const struct lz_version *v = t_version(_i);
    struct lz_arena *a = lz_arena_new();
    struct lz_code *c = guard_code(a, v), *d;

    lz_code_set_handler(t_nth(c, 1), t_nth(c, 5), 0, true);
    d = redecode(v, a, t_assemble(c));
    for (size_t i = 0; i < d->c_ninstr; i++) {
        const struct lz_instr *in = t_nth(d, i);
        if (i == 1) {
            ck_assert_uint_eq(t_index(d, in->in_exc.x_target), 5);
            ck_assert_uint_eq(in->in_exc.x_lasti, 1);
        } else {
            ck_assert_ptr_null(in->in_exc.x_target);
        }
    }
    lz_code_set_handler(t_nth(c, 1), NULL, 0, false);
    ck_assert_ptr_null(t_nth(c, 5)->in_handles);
    lz_arena_free(a);
}
END_TEST

START_TEST(test_wrap_in_block)
{
    const struct lz_version *v = t_version(_i);
    struct lz_arena *a = lz_arena_new();
    struct lz_code *c = guard_code(a, v), *d;
    struct lz_error err = { 0 };
    struct lz_obj *out;

    ck_assert_int_eq(lz_code_wrap_in_block(c, t_nth(c, 1), t_nth(c, 6), &err), LZ_OK);
    out = t_assemble(c);
    d = redecode(v, a, out);
    /* NOP; SETUP_FINALLY; LOAD_NAME; POP_BLOCK; POP_TOP; ... */
    ck_assert_uint_eq(d->c_ninstr, 10);
    ck_assert_uint_eq(t_nth(d, 1)->in_op, v->v_op.SETUP_FINALLY);
    ck_assert_uint_eq(t_index(d, t_nth(d, 1)->in_target), 8);
    ck_assert_ptr_eq(t_nth(d, 2)->in_block, t_nth(d, 1));
    ck_assert_uint_eq(t_nth(d, 3)->in_op, v->v_op.POP_BLOCK);
    ck_assert_ptr_eq(t_nth(d, 3)->in_block, t_nth(d, 1));
    ck_assert_ptr_null(t_nth(d, 4)->in_block);
    /* the handler is entered with the exception values pushed */
    ck_assert_int_ge(out->u.o_codeobj->co_stacksize, 6);
    lz_arena_free(a);
}
END_TEST

/* ==== pipeline ============================================================== */

static int no_change(struct lz_code *c, void *ctx, struct lz_error *err)
{
    (void)c, (void)ctx, (void)err;
    return LZ_OK;
}

static struct lz_obj *simple_code(struct lz_arena *a, const struct lz_version *v)
{
    struct lz_buf b;
    struct lz_obj *node;

    lz_buf_init(&b);
    t_asm(v, &b, "LOAD_CONST", 0);
    t_asm(v, &b, "RETURN_VALUE", 0);
    node = t_code(a, v, &b, NULL, 0, 0);
    lz_buf_fini(&b);
    return node;
}

/* parent's co_consts = (None, child) */
static struct lz_obj *with_child(struct lz_arena *a, const struct lz_version *v,
                                 struct lz_obj *child)
{
    struct lz_obj *parent = simple_code(a, v);

    parent->u.o_codeobj->co_consts->u.o_seq.items[1] = child;
    return parent;
}

START_TEST(test_pipeline_rebuilds_parents)
{
    const struct lz_version *v = t_version(_i);
    const struct lz_pipeline_pass keep = { "no_change", no_change, NULL };
    struct lz_arena *a = lz_arena_new();
    struct lz_obj *child = simple_code(a, v), *root = with_child(a, v, child);
    struct lz_obj *consts = root->u.o_codeobj->co_consts;
    struct lz_pyc pyc = { .pc_ver = lz_pyver_from_minor(_i), .pc_code = root, .pc_arena = a };
    struct lz_pipeline_stats st = { 0 };
    struct lz_error err = { 0 };
    struct lz_obj *new_child;

    ck_assert_int_eq(lz_pipeline_run(&pyc, &keep, 1, &st, &err), LZ_OK);
    ck_assert_ptr_eq(pyc.pc_code, root);
    ck_assert_uint_eq(st.ps_codes, 2);
    ck_assert_uint_eq(st.ps_changed, 0);

    ck_assert_int_eq(lz_pipeline_run(&pyc, &lz_pass_debug_nops, 1, &st, &err), LZ_OK);
    ck_assert_ptr_ne(pyc.pc_code, root);
    ck_assert_uint_eq(st.ps_codes, 4);
    ck_assert_uint_eq(st.ps_changed, 2);
    ck_assert_uint_eq(st.ps_instr_before, 8);
    ck_assert_uint_eq(st.ps_instr_after, 12);
    ck_assert_ptr_eq(consts->u.o_seq.items[1], child);          /* untouched */
    new_child = pyc.pc_code->u.o_codeobj->co_consts->u.o_seq.items[1];
    ck_assert_ptr_ne(new_child, child);
    ck_assert_uint_eq(new_child->u.o_codeobj->co_code->u.o_raw.size,
                      2 * child->u.o_codeobj->co_code->u.o_raw.size);
    lz_arena_free(a);
}
END_TEST

/* Two code objects that share their byte nodes (as 3.10+ compilers merge
 * equal tables) still share the rebuilt ones. */
START_TEST(test_pipeline_keeps_tables_shared)
{
    const struct lz_version *v = t_version(_i);
    struct lz_arena *a = lz_arena_new();
    struct lz_obj *child = simple_code(a, v), *root = with_child(a, v, child);
    struct lz_pyc pyc = { .pc_ver = lz_pyver_from_minor(_i), .pc_code = root, .pc_arena = a };
    struct lz_error err = { 0 };
    const struct lz_codeobj *n1, *n2;

    root->u.o_codeobj->co_consts->u.o_seq.items[0] = lz_obj_copy_code(a, child);
    ck_assert_int_eq(lz_pipeline_run(&pyc, &lz_pass_debug_nops, 1, NULL, &err), LZ_OK);
    n1 = pyc.pc_code->u.o_codeobj->co_consts->u.o_seq.items[0]->u.o_codeobj;
    n2 = pyc.pc_code->u.o_codeobj->co_consts->u.o_seq.items[1]->u.o_codeobj;
    ck_assert_ptr_ne(n1->co_code, child->u.o_codeobj->co_code);
    ck_assert_ptr_eq(n1->co_code, n2->co_code);
    ck_assert_ptr_eq(n1->co_linetable, n2->co_linetable);
    ck_assert_ptr_ne(pyc.pc_code->u.o_codeobj->co_code, n1->co_code);   /* equal bytes, */
    lz_arena_free(a);                                                    /* never shared */
}
END_TEST

START_TEST(test_pipeline_bounds_nesting)
{
    const struct lz_version *v = t_version(12);
    struct lz_arena *a = lz_arena_new();
    struct lz_obj *node = simple_code(a, v);
    struct lz_pyc pyc = { .pc_ver = lz_pyver_from_minor(12), .pc_arena = a };
    struct lz_error err = { 0 };

    for (int i = 0; i < LZ_PIPELINE_DEPTH_MAX + 1; i++)
        node = with_child(a, v, node);
    pyc.pc_code = node;
    ck_assert_int_eq(lz_pipeline_run(&pyc, NULL, 0, NULL, &err), LZ_EINPUT);
    ck_assert_msg(strstr(err.e_msg, "nested deeper than"), "%s", err.e_msg);
    ck_assert_ptr_eq(pyc.pc_code, node);
    lz_arena_free(a);
}
END_TEST

static Suite *edit_suite(void)
{
    Suite *s = suite_create("code_edit");
    TCase *tc;

    tc = tcase_create("misuse is refused, broken invariants are reported");
    tcase_add_loop_test(tc, test_edit_misuse_refused, T_MINOR_FIRST, T_MINOR_LAST + 1);
    tcase_add_loop_test(tc, test_check_catches, 0, BREAK_NTYPES);
    suite_add_tcase(s, tc);

    tc = tcase_create("insertion moves what the flags say");
    tcase_add_loop_test(tc, test_insert_moves_jumps_by_flag, T_MINOR_FIRST, T_MINOR_LAST + 1);
    tcase_add_loop_test(tc, test_insert_copies_location_and_handler, 11, T_MINOR_LAST + 1);
    suite_add_tcase(s, tc);

    tc = tcase_create("jump opargs reach a fixed point");
    tcase_add_loop_test(tc, test_forward_jump_grows_prefix, T_MINOR_FIRST, T_MINOR_LAST + 1);
    tcase_add_loop_test(tc, test_backward_jump_counts_own_prefix, 11, T_MINOR_LAST + 1);
    suite_add_tcase(s, tc);

    tc = tcase_create("replace, names and constants");
    tcase_add_loop_test(tc, test_replace_moves_refs_to_first, T_MINOR_FIRST, T_MINOR_LAST + 1);
    tcase_add_loop_test(tc, test_names_and_consts_copy_on_write, T_MINOR_FIRST,
                        T_MINOR_LAST + 1);
    suite_add_tcase(s, tc);

    tc = tcase_create("guards: one-instruction handler or block");
    tcase_add_loop_test(tc, test_handler_for_one_instruction, 11, T_MINOR_LAST + 1);
    tcase_add_loop_test(tc, test_wrap_in_block, 8, 11);
    suite_add_tcase(s, tc);

    tc = tcase_create("pipeline");
    tcase_add_loop_test(tc, test_pipeline_rebuilds_parents, T_MINOR_FIRST, T_MINOR_LAST + 1);
    tcase_add_loop_test(tc, test_pipeline_keeps_tables_shared, T_MINOR_FIRST, T_MINOR_LAST + 1);
    tcase_add_test(tc, test_pipeline_bounds_nesting);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return t_run(edit_suite());
}
