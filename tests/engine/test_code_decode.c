/* test_code_decode.c - decoding code objects, hostile ones first.
 *
 * Proves: every kind of malformed bytecode the brief lists (odd length,
 * truncated or excessive EXTENDED_ARG, unknown opcodes, bad caches, jumps
 * out of range or into an instruction, handlers inside an instruction,
 * broken block nesting, stack underflow / unbounded growth) is refused
 * with LZ_EINPUT and a message naming the code object and the offset, on
 * every version where the case can be written; valid hand-made code decodes
 * to the expected instructions, targets, handlers, blocks and lnotab
 * events, and re-assembles to the very same node; EXTENDED_ARG before an
 * opcode without argument (3.10's stale NOPs) is kept, not refused.
 * Does not prove: agreement with real compiler output at scale (the
 * stdlib round trip, stdlib_roundtrip.sh, does that).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_test.h"
#include "lz_passes.h"

/* ==== hostile input ====================================================== */

typedef void build_fn(const struct lz_version *v, struct lz_buf *code, struct t_exc *exc,
                      size_t *nexc);

enum { AT_DECODE, AT_CHECK };

struct bad_case {
    const char *bc_name;
    int bc_min, bc_max;       /* 3.min .. 3.max */
    build_fn *bc_build;
    int bc_when;              /* refused by lz_code_decode or by lz_code_check */
    const char *bc_msg;       /* expected part of the message */
};

static void odd_length(const struct lz_version *v, struct lz_buf *b, struct t_exc *e, size_t *n)
{
    t_asm(v, b, "NOP", 0);
    lz_buf_byte(b, 0);
}

static void truncated_ext(const struct lz_version *v, struct lz_buf *b, struct t_exc *e, size_t *n)
{
    t_asm(v, b, "NOP", 0);
    t_raw(b, v->v_op.EXTENDED_ARG, 1);
}

static void four_prefixes(const struct lz_version *v, struct lz_buf *b, struct t_exc *e,
                          size_t *n)
{
    for (int i = 0; i < 4; i++)
        t_raw(b, v->v_op.EXTENDED_ARG, 0);
    t_raw(b, v->v_op.LOAD_CONST, 0);
}

static void unknown_op(const struct lz_version *v, struct lz_buf *b, struct t_exc *e, size_t *n)
{
    t_asm(v, b, "NOP", 0);
    t_raw(b, t_missing_op(v), 0);
}

static void cache_at_start(const struct lz_version *v, struct lz_buf *b, struct t_exc *e,
                           size_t *n)
{
    t_raw(b, 0, 0);
}

static void cache_not_zero(const struct lz_version *v, struct lz_buf *b, struct t_exc *e,
                           size_t *n)
{
    t_asm(v, b, "LOAD_GLOBAL", 0);
    b->b_data[3] = 1;   /* arg byte of the first cache unit */
}

static void cache_missing(const struct lz_version *v, struct lz_buf *b, struct t_exc *e,
                          size_t *n)
{
    t_raw(b, v->v_op.LOAD_GLOBAL, 0);
}

static void jump_past_end(const struct lz_version *v, struct lz_buf *b, struct t_exc *e,
                          size_t *n)
{
    t_asm(v, b, "JUMP_FORWARD", t_jarg(v, 5));
    t_asm(v, b, "NOP", 0);
}

static void jump_before_start(const struct lz_version *v, struct lz_buf *b, struct t_exc *e,
                              size_t *n)
{
    t_asm(v, b, "JUMP_BACKWARD", 9);
}

static void jump_abs_beyond(const struct lz_version *v, struct lz_buf *b, struct t_exc *e,
                            size_t *n)
{
    t_asm(v, b, "JUMP_ABSOLUTE", t_jarg(v, 50));
}

static void jump_into_prefixed(const struct lz_version *v, struct lz_buf *b, struct t_exc *e,
                               size_t *n)
{
    t_asm(v, b, "JUMP_FORWARD", t_jarg(v, 1));   /* lands on LOAD_CONST's opcode unit */
    t_asm(v, b, "LOAD_CONST", 256);
}

static void jump_into_caches(const struct lz_version *v, struct lz_buf *b, struct t_exc *e,
                             size_t *n)
{
    t_asm(v, b, "JUMP_FORWARD", 1);
    t_asm(v, b, "LOAD_GLOBAL", 0);
}

static void jump_odd_bytes(const struct lz_version *v, struct lz_buf *b, struct t_exc *e,
                           size_t *n)
{
    t_asm(v, b, "JUMP_FORWARD", 1);
    t_asm(v, b, "NOP", 0);
}

static void handler_inside(const struct lz_version *v, struct lz_buf *b, struct t_exc *e,
                           size_t *n)
{
    t_asm(v, b, "LOAD_CONST", 256);   /* units 0-1 */
    t_asm(v, b, "NOP", 0);            /* unit 2 */
    e[0] = (struct t_exc){ .start = 2, .size = 1, .target = 1 };
    *n = 1;
}

static void pop_block_empty(const struct lz_version *v, struct lz_buf *b, struct t_exc *e,
                            size_t *n)
{
    t_asm(v, b, "POP_BLOCK", 0);
    t_asm(v, b, "LOAD_CONST", 0);
    t_asm(v, b, "RETURN_VALUE", 0);
}

static void blocks_too_deep(const struct lz_version *v, struct lz_buf *b, struct t_exc *e,
                            size_t *n)
{
    enum { DEPTH = LZ_CODE_BLOCKS_MAX + 1 };
    for (size_t i = 0; i < DEPTH; i++)   /* every handler is the final RETURN_VALUE */
        t_asm(v, b, "SETUP_FINALLY", t_jarg(v, DEPTH + 1 - (i + 1)));
    t_asm(v, b, "LOAD_CONST", 0);
    t_asm(v, b, "RETURN_VALUE", 0);
}

static void stack_underflow(const struct lz_version *v, struct lz_buf *b, struct t_exc *e,
                            size_t *n)
{
    t_asm(v, b, "POP_TOP", 0);
    t_asm(v, b, "LOAD_CONST", 0);
    t_asm(v, b, "RETURN_VALUE", 0);
}

static void stack_grows(const struct lz_version *v, struct lz_buf *b, struct t_exc *e,
                        size_t *n)
{
    t_asm(v, b, "LOAD_CONST", 0);
    if (v->v_exception_table) {
        size_t end = t_units(b) + 1 + v->v_ops[t_op(v, "JUMP_BACKWARD")].oi_ncache;
        t_asm(v, b, "JUMP_BACKWARD", (uint32_t)end);
    } else {
        t_asm(v, b, "JUMP_ABSOLUTE", 0);
    }
}

static void too_many_units(const struct lz_version *v, struct lz_buf *b, struct t_exc *e,
                           size_t *n)
{
    for (size_t i = 0; i <= LZ_CODE_UNITS_MAX; i++)
        t_raw(b, v->v_op.NOP, 0);
}

static const struct bad_case bad_cases[] = {
    { "odd length", 8, 15, odd_length, AT_DECODE, "odd code length 3 at offset 0x2" },
    { "truncated EXTENDED_ARG", 8, 15, truncated_ext, AT_DECODE,
      "truncated EXTENDED_ARG at the end of the code at offset 0x2" },
    { "four prefixes", 8, 15, four_prefixes, AT_DECODE,
      "more than 3 EXTENDED_ARG prefixes at offset 0x0" },
    { "unknown opcode", 8, 15, unknown_op, AT_DECODE, "does not exist in 3." },
    { "CACHE as instruction", 11, 15, cache_at_start, AT_DECODE,
      "CACHE unit where an instruction should start at offset 0x0" },
    { "cache not zero", 11, 15, cache_not_zero, AT_DECODE,
      "cache unit of LOAD_GLOBAL is not zero at offset 0x2" },
    { "caches missing", 11, 15, cache_missing, AT_DECODE,
      "cache units, the code ends first at offset 0x0" },
    { "jump past the end", 8, 15, jump_past_end, AT_DECODE,
      "JUMP_FORWARD target 0xc out of range" },
    { "jump before the start", 11, 15, jump_before_start, AT_DECODE, "out of range" },
    { "absolute jump beyond", 8, 10, jump_abs_beyond, AT_DECODE,
      "JUMP_ABSOLUTE target 0x64 out of range (code is 0x2 bytes) at offset 0x0" },
    { "jump into a prefixed instruction", 8, 15, jump_into_prefixed, AT_DECODE,
      "JUMP_FORWARD target 0x4 is inside an instruction at offset 0x0" },
    { "jump into caches", 11, 15, jump_into_caches, AT_DECODE,
      "JUMP_FORWARD target 0x4 is inside an instruction at offset 0x0" },
    { "jump by an odd byte count", 8, 9, jump_odd_bytes, AT_DECODE,
      "JUMP_FORWARD argument 1 is an odd byte count at offset 0x0" },
    { "handler inside an instruction", 11, 15, handler_inside, AT_DECODE,
      "exception handler target 0x2 is inside an instruction at offset 0x4" },
    { "POP_BLOCK without block", 8, 10, pop_block_empty, AT_DECODE,
      "POP_BLOCK with no block at offset 0x0" },
    { "blocks nested too deep", 8, 10, blocks_too_deep, AT_DECODE,
      "more than 20 nested blocks at offset 0x28" },
    { "stack underflow", 8, 15, stack_underflow, AT_CHECK,
      "stack underflow (depth -1) at POP_TOP, offset 0" },
    { "stack grows in a loop", 8, 15, stack_grows, AT_CHECK, "stack depth keeps growing" },
    { "too many code units", 12, 12, too_many_units, AT_DECODE,
      "2097153 code units, more than the limit 2097152" },
};

START_TEST(test_hostile_refused)
{
    const struct bad_case *bc = &bad_cases[_i];

    for (int minor = bc->bc_min; minor <= bc->bc_max; minor++) {
        const struct lz_version *v = t_version(minor);
        struct lz_arena *a = lz_arena_new();
        struct lz_error err = { 0 };
        struct t_exc exc[4];
        size_t nexc = 0;
        struct lz_code *c = NULL;
        struct lz_buf b;
        int rc;

        lz_buf_init(&b);
        bc->bc_build(v, &b, exc, &nexc);
        rc = lz_code_decode(v, a, a, t_code(a, v, &b, exc, nexc, 0), &c, &err);
        if (bc->bc_when == AT_CHECK) {
            ck_assert_msg(rc == LZ_OK, "%s, %s: decode refused: %s", bc->bc_name, v->v_name,
                          err.e_msg);
            rc = lz_code_check(c, &err);
        }
        ck_assert_msg(rc == LZ_EINPUT, "%s, %s: status %d, expected LZ_EINPUT", bc->bc_name,
                      v->v_name, rc);
        ck_assert_msg(strstr(err.e_msg, bc->bc_msg) != NULL && strstr(err.e_msg, "code 'f'"),
                      "%s, %s: message \"%s\" lacks \"%s\" or the code name", bc->bc_name,
                      v->v_name, err.e_msg, bc->bc_msg);
        lz_buf_fini(&b);
        lz_arena_free(a);
    }
}
END_TEST

/* ==== valid input ========================================================== */

/* NOP; LOAD_CONST 300; JUMP_FORWARD -> RETURN_VALUE; LOAD_GLOBAL 0; RETURN_VALUE */
START_TEST(test_instructions_and_targets)
{
    const struct lz_version *v = t_version(_i);
    struct lz_arena *a = lz_arena_new();
    size_t lg_units = 1 + v->v_ops[v->v_op.LOAD_GLOBAL].oi_ncache;
    struct lz_instr *ld, *jf, *lg, *ret;
    struct lz_obj *node;
    struct lz_code *c;
    struct lz_buf b;

    lz_buf_init(&b);
    t_asm(v, &b, "NOP", 0);
    t_asm(v, &b, "LOAD_CONST", 300);
    t_asm(v, &b, "JUMP_FORWARD", t_jarg(v, lg_units));
    t_asm(v, &b, "LOAD_GLOBAL", 0);
    t_asm(v, &b, "RETURN_VALUE", 0);
    node = t_code(a, v, &b, NULL, 0, 0);
    c = t_decode(v, a, node);
    ck_assert_uint_eq(c->c_ninstr, 5);
    ld = t_nth(c, 1), jf = t_nth(c, 2), lg = t_nth(c, 3), ret = t_nth(c, 4);
    ck_assert_uint_eq(ld->in_arg, 300);
    ck_assert_uint_eq(ld->in_nprefix_min, 1);
    ck_assert_uint_eq(ld->in_orig_unit, 1);
    ck_assert_ptr_eq(jf->in_target, ret);
    ck_assert_ptr_eq(ret->in_jumpers, jf);
    ck_assert_uint_eq(lg->in_ncache, v->v_ops[v->v_op.LOAD_GLOBAL].oi_ncache);
    ck_assert_ptr_null(lg->in_target);
    ck_assert_ptr_eq(t_assemble(c), node);
    lz_buf_fini(&b);
    lz_arena_free(a);
}
END_TEST

/* 3.8 keeps "EXTENDED_ARG 0" prefixes its peephole pass leaves behind. */
START_TEST(test_non_minimal_prefix_kept)
{
    const struct lz_version *v = t_version(_i);
    struct lz_arena *a = lz_arena_new();
    struct lz_obj *node, *out;
    struct lz_code *c;
    struct lz_buf b;

    lz_buf_init(&b);
    t_raw(&b, v->v_op.EXTENDED_ARG, 0);
    t_raw(&b, v->v_op.LOAD_CONST, 1);
    t_asm(v, &b, "RETURN_VALUE", 0);
    node = t_code(a, v, &b, NULL, 0, 0);
    c = t_decode(v, a, node);
    ck_assert_uint_eq(t_nth(c, 0)->in_arg, 1);
    ck_assert_uint_eq(t_nth(c, 0)->in_nprefix_min, 1);
    out = t_assemble(c);
    ck_assert_ptr_eq(out, node);
    lz_buf_fini(&b);
    lz_arena_free(a);
}
END_TEST

/* CPython 3.10 turns a folded "LOAD_CONST 450" into a NOP that keeps its
 * oparg, and still writes the prefix: "EXTENDED_ARG 1; NOP 194" (pip's
 * rich/color.py; tests/engine/snippets/stale_nop_310.py compiles one).  The
 * interpreter ignores the oparg.  Decoded as one NOP with the whole stale
 * oparg and its prefix, re-assembled untouched, kept through the NOP pass;
 * a jump to it lands on the prefix.  Any version accepts it (hand-made):
 *   JUMP_FORWARD -> X; X: EXTENDED_ARG 1; NOP 194; LOAD_CONST 0; RETURN_VALUE */
START_TEST(test_stale_prefix_on_nop)
{
    const struct lz_version *v = t_version(_i);
    struct lz_arena *a = lz_arena_new();
    struct lz_error err = { 0 };
    const uint8_t want[] = { (uint8_t)v->v_op.EXTENDED_ARG, 1, (uint8_t)v->v_op.NOP, 194 };
    struct lz_instr *nop;
    struct lz_obj *node, *out;
    const struct lz_obj *code;
    struct lz_code *c;
    struct lz_buf b;
    size_t hits = 0;

    lz_buf_init(&b);
    t_asm(v, &b, "JUMP_FORWARD", 0);
    t_raw(&b, v->v_op.EXTENDED_ARG, 1);
    t_raw(&b, v->v_op.NOP, 194);
    t_asm(v, &b, "LOAD_CONST", 0);
    t_asm(v, &b, "RETURN_VALUE", 0);
    node = t_code(a, v, &b, NULL, 0, 0);
    c = t_decode(v, a, node);
    ck_assert_uint_eq(c->c_ninstr, 4);
    nop = t_nth(c, 1);
    ck_assert_int_eq(nop->in_op, v->v_op.NOP);
    ck_assert_uint_eq(nop->in_arg, 0x1c2);
    ck_assert_uint_eq(nop->in_nprefix_min, 1);
    ck_assert_uint_eq(nop->in_orig_unit, 1);
    ck_assert_ptr_eq(t_nth(c, 0)->in_target, nop);
    ck_assert_msg(lz_code_check(c, &err) == LZ_OK, "%s", err.e_msg);
    ck_assert_ptr_eq(t_assemble(c), node);

    /* the NOP pass leaves it as it is, NOPs around it */
    ck_assert_msg(lz_pass_insert_debug_nops(c, NULL, &err) == LZ_OK, "%s", err.e_msg);
    ck_assert_msg(lz_code_check(c, &err) == LZ_OK, "%s", err.e_msg);
    ck_assert_uint_gt(c->c_ninstr, 4);
    out = t_assemble(c);
    ck_assert_ptr_ne(out, node);
    code = out->u.o_codeobj->co_code;
    for (size_t k = 0; k + sizeof want <= code->u.o_raw.size; k += 2)
        hits += memcmp(code->u.o_raw.data + k, want, sizeof want) == 0;
    ck_assert_uint_eq(hits, 1);

    /* without its prefix the stale oparg could not be written back */
    nop->in_nprefix_min = 0;
    ck_assert_int_eq(lz_code_check(c, &err), LZ_EINPUT);
    ck_assert_ptr_nonnull(strstr(err.e_msg, "oparg above 255 on an opcode without argument"));
    lz_buf_fini(&b);
    lz_arena_free(a);
}
END_TEST

/* NOP; LOAD_CONST; RETURN_VALUE | handler: POP_TOP; LOAD_CONST; RETURN_VALUE */
START_TEST(test_handlers)
{
    const struct lz_version *v = t_version(_i);
    struct lz_arena *a = lz_arena_new();
    struct t_exc exc = { .start = 0, .size = 2, .target = 3, .depth = 0, .lasti = 1 };
    struct lz_instr *h;
    struct lz_obj *node;
    struct lz_code *c;
    struct lz_buf b;
    size_t n = 0;

    lz_buf_init(&b);
    t_asm(v, &b, "NOP", 0);
    t_asm(v, &b, "LOAD_CONST", 0);
    t_asm(v, &b, "RETURN_VALUE", 0);
    t_asm(v, &b, "POP_TOP", 0);
    t_asm(v, &b, "LOAD_CONST", 0);
    t_asm(v, &b, "RETURN_VALUE", 0);
    node = t_code(a, v, &b, &exc, 1, 0);
    c = t_decode(v, a, node);
    h = t_nth(c, 3);
    for (int i = 0; i < 2; i++) {
        ck_assert_ptr_eq(t_nth(c, i)->in_exc.x_target, h);
        ck_assert_uint_eq(t_nth(c, i)->in_exc.x_lasti, 1);
    }
    ck_assert_ptr_null(t_nth(c, 2)->in_exc.x_target);
    for (struct lz_instr *in = h->in_handles; in; in = in->in_xnext)
        n++;
    ck_assert_uint_eq(n, 2);
    ck_assert_ptr_eq(t_assemble(c), node);
    lz_buf_fini(&b);
    lz_arena_free(a);
}
END_TEST

/* SETUP_FINALLY H; NOP; POP_BLOCK; LOAD_CONST; RETURN_VALUE; H: LOAD_CONST; RETURN_VALUE */
START_TEST(test_blocks)
{
    const struct lz_version *v = t_version(_i);
    struct lz_arena *a = lz_arena_new();
    struct lz_instr *setup;
    struct lz_obj *node;
    struct lz_code *c;
    struct lz_buf b;

    lz_buf_init(&b);
    t_asm(v, &b, "SETUP_FINALLY", t_jarg(v, 4));
    t_asm(v, &b, "NOP", 0);
    t_asm(v, &b, "POP_BLOCK", 0);
    t_asm(v, &b, "LOAD_CONST", 0);
    t_asm(v, &b, "RETURN_VALUE", 0);
    t_asm(v, &b, "LOAD_CONST", 0);
    t_asm(v, &b, "RETURN_VALUE", 0);
    node = t_code(a, v, &b, NULL, 0, 0);
    c = t_decode(v, a, node);
    setup = t_nth(c, 0);
    ck_assert_ptr_eq(setup->in_target, t_nth(c, 5));
    ck_assert_ptr_null(setup->in_block);
    ck_assert_ptr_eq(t_nth(c, 1)->in_block, setup);
    ck_assert_ptr_eq(t_nth(c, 2)->in_block, setup);
    ck_assert_ptr_null(t_nth(c, 3)->in_block);
    ck_assert_ptr_null(t_nth(c, 5)->in_block);   /* handler: the stack before SETUP */
    ck_assert(t_nth(c, 5)->in_flags & LZ_INSTR_REACHED);
    ck_assert_uint_eq(c->c_block_conflicts, 0);
    ck_assert_ptr_eq(t_assemble(c), node);
    lz_buf_fini(&b);
    lz_arena_free(a);
}
END_TEST

/* lnotab pairs on a prefix unit and on the opcode unit of one instruction
 * (real 3.8 decorator code has them) survive decode -> assemble, and move
 * to a NOP inserted before the instruction. */
START_TEST(test_lnotab_events)
{
    static const uint8_t lnotab[] = { 2, 1, 2, 0xff };   /* +1 at byte 2, -1 at byte 4 */
    const struct lz_version *v = t_version(_i);
    struct lz_arena *a = lz_arena_new();
    struct lz_error err = { 0 };
    struct lz_instr *ld;
    struct lz_obj *node, *out;
    struct lz_code *c;
    struct lz_seq s;
    struct lz_buf b;

    lz_buf_init(&b);
    t_asm(v, &b, "NOP", 0);
    t_asm(v, &b, "LOAD_CONST", 300);
    t_asm(v, &b, "RETURN_VALUE", 0);
    node = t_code(a, v, &b, NULL, 0, 0);
    node->u.o_codeobj->co_linetable = lz_obj_new_bytes(a, lnotab, sizeof lnotab);
    c = t_decode(v, a, node);
    ld = t_nth(c, 1);
    ck_assert_ptr_nonnull(ld->in_events);
    ck_assert_int_eq(ld->in_events->ev_rel, LZ_EV_AT_START);
    ck_assert_int_eq(ld->in_events->ev_next->ev_rel, 0);
    ck_assert_ptr_eq(t_assemble(c), node);

    lz_seq_init(&s);
    lz_seq_emit(c, &s, v->v_op.NOP, 0);
    ck_assert(lz_code_insert_before(c, ld, &s, LZ_EDIT_TAKE_REFS, &err) == LZ_OK);
    ck_assert_ptr_null(ld->in_events);
    out = t_assemble(c);
    {
        static const uint8_t want[] = { 2, 1, 0, 0xff };   /* both on the NOP (byte 2) */
        const struct lz_obj *lt = out->u.o_codeobj->co_linetable;
        ck_assert_uint_eq(lt->u.o_raw.size, sizeof want);
        ck_assert(memcmp(lt->u.o_raw.data, want, sizeof want) == 0);
    }
    lz_buf_fini(&b);
    lz_arena_free(a);
}
END_TEST

static Suite *decode_suite(void)
{
    Suite *s = suite_create("code_decode");
    TCase *tc;

    tc = tcase_create("hostile code is refused with offset and name");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, test_hostile_refused, 0, sizeof bad_cases / sizeof bad_cases[0]);
    suite_add_tcase(s, tc);

    tc = tcase_create("valid code decodes and re-assembles to the same node");
    tcase_add_loop_test(tc, test_instructions_and_targets, T_MINOR_FIRST, T_MINOR_LAST + 1);
    tcase_add_loop_test(tc, test_non_minimal_prefix_kept, T_MINOR_FIRST, T_MINOR_LAST + 1);
    tcase_add_loop_test(tc, test_stale_prefix_on_nop, T_MINOR_FIRST, T_MINOR_LAST + 1);
    tcase_add_loop_test(tc, test_handlers, 11, T_MINOR_LAST + 1);
    tcase_add_loop_test(tc, test_blocks, 8, 11);
    tcase_add_loop_test(tc, test_lnotab_events, 8, 10);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return t_run(decode_suite());
}
