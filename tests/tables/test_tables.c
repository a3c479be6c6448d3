/* test_tables.c - the generated instruction tables against known facts.
 *
 * Proves: the committed opcodes_3XX.c tables agree with the facts written
 * down independently in shared/reference/bytecode-formats.md (sections 1,
 * 4.2-4.5, 6, 7): magic numbers, opcode numbers, inline cache counts (the
 * complete list per version), jump kinds (the complete list per version),
 * namespace classes LZ_OPF_GLOBAL_* / LZ_OPF_IMPORT* (the complete list per
 * version), name shifts and a sample of stack effects; the tables are internally
 * consistent (flags, well-known numbers, has-argument rule); the lookup
 * functions refuse what they do not know.
 * Does not prove: that every stack effect matches dis (the cross-check test
 * compare_tables.py does that against the live interpreters), nor that the
 * jump rule holds on real code (also compare_tables.py).
 */
#include <check.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lz_opcodes.h"

#define NVERSIONS 8
#define ABSENT (-1)
static const int minors[NVERSIONS] = { 8, 9, 10, 11, 12, 13, 14, 15 };

static const struct lz_version *version_of_minor(int minor)
{
    static const uint16_t magic[NVERSIONS] = { 3413, 3425, 3439, 3495, 3531, 3571, 3627, 3666 };
    const struct lz_version *v = lz_version_from_magic(magic[minor - 8]);
    ck_assert_msg(v != NULL, "no table for 3.%d (magic %u)", minor, magic[minor - 8]);
    return v;
}

static int op_by_name(const struct lz_version *v, const char *name)
{
    for (int op = 0; op < 256; op++) {
        if (v->v_ops[op].oi_name != NULL && strcmp(v->v_ops[op].oi_name, name) == 0)
            return op;
    }
    return ABSENT;
}

/* ---------------------------------------------------------------------
 * Lookup: invalid inputs first
 * --------------------------------------------------------------------- */
START_TEST(test_lookup_unknown)
{
    static const uint16_t bad[] = { 0, 1, 3412, 3414, 3494, 3600, 3626, 3665, 3667, 0xffff };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(lz_version_from_magic(bad[i]) == NULL, "magic %u accepted", bad[i]);
    ck_assert_ptr_null(lz_version_for(NULL));
    struct lz_pyver pv = { .pv_magic = 3600, .pv_major = 3, .pv_minor = 14 };
    ck_assert_ptr_null(lz_version_for(&pv));
}
END_TEST

START_TEST(test_stack_effect_refuses)
{
    const struct lz_version *v = version_of_minor(12);
    ck_assert_int_eq(lz_stack_effect(NULL, 1, 0, false), 0);
    ck_assert_int_eq(lz_stack_effect(v, -1, 0, false), 0);
    ck_assert_int_eq(lz_stack_effect(v, 256, 0, true), 0);
    ck_assert_int_eq(lz_stack_effect(v, 100000, 0, true), 0);
    /* An opcode the version lacks: 3.8 has no CACHE (0). */
    const struct lz_version *v8 = version_of_minor(8);
    ck_assert_ptr_null(v8->v_ops[0].oi_name);
    ck_assert_int_eq(v8->v_ops[0].oi_flags, 0);
    ck_assert_int_eq(lz_stack_effect(v8, 0, 0, false), 0);
    /* Run-time-only opcodes are left out: 3.12 INSTRUMENTED_LINE 254. */
    ck_assert_ptr_null(v->v_ops[254].oi_name);
    ck_assert(!v->v_ops[254].oi_effect_valid);
}
END_TEST

/* A hostile 32-bit oparg must not overflow: clamped to +/- 2^30. */
START_TEST(test_stack_effect_clamped)
{
    const struct lz_version *v = version_of_minor(8);
    int op = v->v_op.BUILD_TUPLE;
    ck_assert_int_eq(lz_stack_effect(v, op, 0xffffffffu, false), -(1 << 30));
    ck_assert_int_eq(lz_stack_effect(v, op, (1u << 24), false), 1 - (1 << 24));
    int unpack = op_by_name(v, "UNPACK_SEQUENCE");
    ck_assert_int_eq(lz_stack_effect(v, unpack, 0xffffffffu, false), 1 << 30);
    ck_assert_int_eq(lz_stack_effect(v, unpack, (1u << 28), false), (1 << 28) - 1);
    /* UNPACK_EX: low byte before, high byte after the starred target. */
    unpack = op_by_name(v, "UNPACK_EX");
    ck_assert_int_eq(lz_stack_effect(v, unpack, 0xffffffffu, false), 0xff + 0xffffff);
}
END_TEST

START_TEST(test_lookup_known)
{
    static const struct {
        uint16_t magic;
        int minor;
        const char *name;
        uint8_t have_argument, jump_unit, lines;
        bool exctable, merge_runs;
        uint8_t gen_depth;
    } cases[] = {
        { 3413, 8, "3.8", 90, 1, LZ_LINES_LNOTAB, false, false, 0 },
        { 3425, 9, "3.9", 90, 1, LZ_LINES_LNOTAB, false, false, 0 },
        { 3439, 10, "3.10", 90, 2, LZ_LINES_LINETABLE, false, false, 1 },
        { 3495, 11, "3.11", 90, 2, LZ_LINES_LOCATIONS, true, false, 1 },
        { 3531, 12, "3.12", 90, 2, LZ_LINES_LOCATIONS, true, true, 1 },
        /* 3.13+: HAVE_ARGUMENT 44/43/41 and "op > HAVE_ARGUMENT" (4.1). */
        { 3571, 13, "3.13", 45, 2, LZ_LINES_LOCATIONS, true, true, 0 },
        { 3627, 14, "3.14", 44, 2, LZ_LINES_LOCATIONS, true, true, 0 },
        { 3666, 15, "3.15", 42, 2, LZ_LINES_LOCATIONS, true, true, 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct lz_version *v = lz_version_from_magic(cases[i].magic);
        ck_assert_msg(v != NULL, "magic %u", cases[i].magic);
        ck_assert_int_eq(v->v_magic, cases[i].magic);
        ck_assert_int_eq(v->v_minor, cases[i].minor);
        ck_assert_str_eq(v->v_name, cases[i].name);
        ck_assert_msg(strncmp(v->v_interpreter, cases[i].name, strlen(cases[i].name)) == 0 &&
                      v->v_interpreter[strlen(cases[i].name)] == '.',
                      "%s generated from %s", v->v_name, v->v_interpreter);
        ck_assert_int_eq(v->v_have_argument, cases[i].have_argument);
        ck_assert_int_eq(v->v_jump_unit, cases[i].jump_unit);
        ck_assert_int_eq(v->v_lines, cases[i].lines);
        ck_assert_int_eq(v->v_exception_table, cases[i].exctable);
        ck_assert_int_eq(v->v_merge_location_runs, cases[i].merge_runs);
        ck_assert_int_eq(v->v_gen_start_depth, cases[i].gen_depth);
        struct lz_pyver pv = { .pv_magic = cases[i].magic, .pv_major = 3,
                               .pv_minor = (uint8_t)cases[i].minor };
        ck_assert_ptr_eq(lz_version_for(&pv), v);
    }
}
END_TEST

/* ---------------------------------------------------------------------
 * Opcode numbers (bytecode-formats.md 4.2, 4.4, 6)
 * --------------------------------------------------------------------- */
#define WK(name) #name, offsetof(struct lz_wellknown, name)
#define A ABSENT
static const struct {
    const char *name;
    size_t off;
    int16_t num[NVERSIONS];   /* 3.8 ... 3.15 */
} numbers[] = {
    { WK(CACHE), { A, A, A, 0, 0, 0, 0, 0 } },
    { WK(POP_TOP), { 1, 1, 1, 1, 1, 32, 31, 29 } },
    { WK(PUSH_NULL), { A, A, A, 2, 2, 34, 33, 31 } },
    { WK(NOP), { 9, 9, 9, 9, 9, 30, 27, 25 } },
    { WK(EXTENDED_ARG), { 144, 144, 144, 144, 144, 71, 69, 67 } },
    { WK(RESUME), { A, A, A, 151, 151, 149, 128, 128 } },
    { WK(LOAD_CONST), { 100, 100, 100, 100, 100, 83, 82, 81 } },
    { WK(LOAD_SMALL_INT), { A, A, A, A, A, A, 94, 93 } },
    { WK(LOAD_COMMON_CONSTANT), { A, A, A, A, A, A, 81, 80 } },
    { WK(LOAD_NAME), { 101, 101, 101, 101, 101, 92, 93, 92 } },
    { WK(LOAD_GLOBAL), { 116, 116, 116, 116, 116, 91, 92, 91 } },
    { WK(LOAD_ATTR), { 106, 106, 106, 106, 106, 82, 80, 79 } },
    { WK(LOAD_METHOD), { 160, 160, 160, 160, A, A, A, A } },
    { WK(LOAD_FAST), { 124, 124, 124, 124, 124, 85, 84, 83 } },
    { WK(STORE_NAME), { 90, 90, 90, 90, 90, 114, 116, 115 } },
    { WK(STORE_GLOBAL), { 97, 97, 97, 97, 97, 113, 115, 114 } },
    { WK(STORE_FAST), { 125, 125, 125, 125, 125, 110, 112, 111 } },
    { WK(DELETE_NAME), { 91, 91, 91, 91, 91, 67, 65, 63 } },
    { WK(DELETE_GLOBAL), { 98, 98, 98, 98, 98, 66, 64, 62 } },
    { WK(IMPORT_NAME), { 108, 108, 108, 108, 108, 75, 73, 72 } },
    { WK(IMPORT_FROM), { 109, 109, 109, 109, 109, 74, 72, 71 } },
    { WK(IMPORT_STAR), { 84, 84, 84, 84, A, A, A, A } },
    { WK(CALL_INTRINSIC_1), { A, A, A, A, 173, 55, 53, 51 } },
    { WK(CALL_FUNCTION), { 131, 131, 131, A, A, A, A, A } },
    { WK(CALL_METHOD), { 161, 161, 161, A, A, A, A, A } },
    { WK(PRECALL), { A, A, A, 166, A, A, A, A } },
    { WK(CALL), { A, A, A, 171, 171, 53, 52, 50 } },
    { WK(KW_NAMES), { A, A, A, 172, 172, A, A, A } },
    { WK(CALL_KW), { A, A, A, A, A, 57, 55, 53 } },
    { WK(ROT_TWO), { 2, 2, 2, A, A, A, A, A } },
    { WK(DUP_TOP), { 4, 4, 4, A, A, A, A, A } },
    { WK(SWAP), { A, A, A, 99, 99, 115, 117, 116 } },
    { WK(COPY), { A, A, A, 120, 120, 61, 59, 57 } },
    { WK(RETURN_VALUE), { 83, 83, 83, 83, 83, 36, 35, 33 } },
    { WK(RETURN_CONST), { A, A, A, A, 121, 103, A, A } },
    { WK(BUILD_TUPLE), { 102, 102, 102, 102, 102, 52, 51, 49 } },
    { WK(SETUP_FINALLY), { 122, 122, 122, A, A, A, A, A } },
    { WK(SETUP_WITH), { 143, 143, 143, A, A, A, A, A } },
    { WK(SETUP_ASYNC_WITH), { 154, 154, 154, A, A, A, A, A } },
    { WK(POP_BLOCK), { 87, 87, 87, A, A, A, A, A } },
    { WK(POP_EXCEPT), { 89, 89, 89, 89, 89, 31, 29, 27 } },
    { WK(PUSH_EXC_INFO), { A, A, A, 35, 35, 33, 32, 30 } },
    { WK(CHECK_EXC_MATCH), { A, A, A, 36, 36, 7, 6, 6 } },
    { WK(RERAISE), { A, 48, 119, 119, 119, 102, 105, 104 } },
    { WK(WITH_EXCEPT_START), { A, 49, 49, 49, 49, 44, 43, 41 } },
    { WK(FOR_ITER), { 93, 93, 93, 93, 93, 72, 70, 68 } },
    { WK(END_FOR), { A, A, A, A, 4, 11, 9, 9 } },
    { WK(SEND), { A, A, A, 123, 123, 104, 106, 105 } },
    { WK(NOT_TAKEN), { A, A, A, A, A, A, 28, 26 } },
    { WK(GEN_START), { A, A, 129, A, A, A, A, A } },
    { WK(RETURN_GENERATOR), { A, A, A, 75, 75, 35, 34, 32 } },
    { WK(MAKE_CELL), { A, A, A, 135, 135, 94, 97, 96 } },
    { WK(COPY_FREE_VARS), { A, A, A, 149, 149, 62, 60, 58 } },
    { WK(JUMP_FORWARD), { 110, 110, 110, 110, 110, 79, 77, 76 } },
    { WK(JUMP_BACKWARD), { A, A, A, 140, 140, 77, 75, 74 } },
    { WK(JUMP_ABSOLUTE), { 113, 113, 113, A, A, A, A, A } },
    { WK(BEGIN_FINALLY), { 53, A, A, A, A, A, A, A } },
    { WK(END_FINALLY), { 88, A, A, A, A, A, A, A } },
    { WK(CALL_FINALLY), { 162, A, A, A, A, A, A, A } },
    { WK(POP_FINALLY), { 163, A, A, A, A, A, A, A } },
    { WK(CLEANUP_THROW), { A, A, A, A, 55, 8, 7, 7 } },
    /* Not in the reference tables (3.14/3.15 END_ASYNC_FOR is, 4.2); read
     * from the interpreters' opcode.opmap once and pinned here. */
    { WK(POP_ITER), { A, A, A, A, A, A, 30, 28 } },
    { WK(END_SEND), { A, A, A, A, 5, 12, 10, 10 } },
    { WK(END_ASYNC_FOR), { 54, 54, 54, 54, 54, 10, 68, 66 } },
    /* Read from the interpreters' opcode.opmap and pinned here. */
    { WK(LOAD_FROM_DICT_OR_GLOBALS), { A, A, A, A, 175, 90, 91, 90 } },
    { WK(STORE_SUBSCR), { 60, 60, 60, 60, 60, 39, 38, 36 } },
    { WK(TO_BOOL), { A, A, A, A, A, 40, 39, 37 } },
    { WK(COMPARE_OP), { 107, 107, 107, 107, 107, 58, 56, 54 } },
    { WK(IS_OP), { A, 117, 117, 117, 117, 76, 74, 73 } },
    { WK(POP_JUMP_IF_FALSE), { 114, 114, 114, A, 114, 97, 100, 99 } },
    { WK(POP_JUMP_IF_TRUE), { 115, 115, 115, A, 115, 100, 103, 102 } },
    { WK(POP_JUMP_FORWARD_IF_FALSE), { A, A, A, 114, A, A, A, A } },
    { WK(LIST_EXTEND), { A, 162, 162, 162, 162, 81, 79, 78 } },
    { WK(SET_UPDATE), { A, 163, 163, 163, 163, 107, 109, 108 } },
    { WK(BUILD_LIST), { 103, 103, 103, 103, 103, 47, 46, 44 } },
    { WK(BUILD_SET), { 104, 104, 104, 104, 104, 49, 48, 46 } },
    { WK(LIST_TO_TUPLE), { A, 82, 82, 82, A, A, A, A } },
    { WK(STORE_ATTR), { 95, 95, 95, 95, 95, 108, 110, 109 } },
    { WK(LOAD_BUILD_CLASS), { 71, 71, 71, 71, 71, 24, 21, 19 } },
    { WK(MAKE_FUNCTION), { 132, 132, 132, 132, 132, 26, 23, 21 } },
    { WK(GET_ITER), { 68, 68, 68, 68, 68, 19, 16, 70 } },
    { WK(GET_AITER), { 50, 50, 50, 50, 50, 16, 14, 14 } },
    { WK(GET_AWAITABLE), { 73, 73, 73, 131, 131, 73, 71, 69 } },
    { WK(BEFORE_ASYNC_WITH), { 52, 52, 52, 52, 52, 1, A, A } },
    { WK(LOAD_SPECIAL), { A, A, A, A, A, A, 95, 94 } },
    { WK(ROT_FOUR), { 6, 6, 6, A, A, A, A, A } },
    { WK(DELETE_ATTR), { 96, 96, 96, 96, 96, 63, 61, 59 } },
    { WK(CALL_FUNCTION_KW), { 141, 141, 141, A, A, A, A, A } },
    { WK(BUILD_CONST_KEY_MAP), { 156, 156, 156, 156, 156, 46, A, A } },
};
#undef A

START_TEST(test_opcode_numbers)
{
    const struct lz_version *v = version_of_minor(minors[_i]);
    for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
        int want = numbers[i].num[_i];
        int16_t wk;
        memcpy(&wk, (const char *)&v->v_op + numbers[i].off, sizeof wk);
        ck_assert_msg(wk == want, "3.%d v_op.%s = %d, want %d", v->v_minor, numbers[i].name, wk, want);
        ck_assert_msg(op_by_name(v, numbers[i].name) == want, "3.%d %s found at %d, want %d",
                      v->v_minor, numbers[i].name, op_by_name(v, numbers[i].name), want);
    }
}
END_TEST

/* Every field of struct lz_wellknown names the opcode of that name, or -1. */
START_TEST(test_wellknown_consistent)
{
    const struct lz_version *v = version_of_minor(minors[_i]);
    const int16_t *f = (const int16_t *)&v->v_op;
    size_t n = sizeof v->v_op / sizeof(int16_t);
    for (size_t k = 0; k < n; k++) {
        if (f[k] == ABSENT)
            continue;
        ck_assert_msg(f[k] >= 0 && f[k] < 256, "3.%d v_op field %zu = %d", v->v_minor, k, f[k]);
        ck_assert_msg(v->v_ops[f[k]].oi_flags & LZ_OPF_EXISTS, "3.%d v_op field %zu -> %d absent",
                      v->v_minor, k, f[k]);
    }
    /* The fields this file names cover the whole struct. */
    ck_assert_uint_eq(n, sizeof numbers / sizeof numbers[0]);
}
END_TEST

/* ---------------------------------------------------------------------
 * Inline caches (4.3): the complete list of opcodes with caches
 * --------------------------------------------------------------------- */
struct named_count {
    const char *name;
    int n;
};
#define POP_JUMPS_C1 { "POP_JUMP_IF_FALSE", 1 }, { "POP_JUMP_IF_TRUE", 1 }, \
    { "POP_JUMP_IF_NONE", 1 }, { "POP_JUMP_IF_NOT_NONE", 1 }
static const struct named_count caches_311[] = {
    { "BINARY_SUBSCR", 4 }, { "STORE_SUBSCR", 1 }, { "UNPACK_SEQUENCE", 1 },
    { "STORE_ATTR", 4 }, { "LOAD_ATTR", 4 }, { "COMPARE_OP", 2 }, { "LOAD_GLOBAL", 5 },
    { "BINARY_OP", 1 }, { "LOAD_METHOD", 10 }, { "PRECALL", 1 }, { "CALL", 4 }, { NULL, 0 } };
static const struct named_count caches_312[] = {
    { "BINARY_SUBSCR", 1 }, { "STORE_SUBSCR", 1 }, { "UNPACK_SEQUENCE", 1 }, { "FOR_ITER", 1 },
    { "STORE_ATTR", 4 }, { "LOAD_ATTR", 9 }, { "COMPARE_OP", 1 }, { "LOAD_GLOBAL", 4 },
    { "BINARY_OP", 1 }, { "SEND", 1 }, { "LOAD_SUPER_ATTR", 1 }, { "CALL", 3 }, { NULL, 0 } };
static const struct named_count caches_313[] = {
    { "BINARY_OP", 1 }, { "BINARY_SUBSCR", 1 }, { "CALL", 3 }, { "COMPARE_OP", 1 },
    { "CONTAINS_OP", 1 }, { "FOR_ITER", 1 }, { "JUMP_BACKWARD", 1 }, { "LOAD_ATTR", 9 },
    { "LOAD_GLOBAL", 4 }, { "LOAD_SUPER_ATTR", 1 }, POP_JUMPS_C1, { "SEND", 1 },
    { "STORE_ATTR", 4 }, { "STORE_SUBSCR", 1 }, { "TO_BOOL", 3 }, { "UNPACK_SEQUENCE", 1 },
    { NULL, 0 } };
#define CACHES_314 \
    { "BINARY_OP", 5 }, { "CALL", 3 }, { "CALL_KW", 3 }, { "COMPARE_OP", 1 }, \
    { "CONTAINS_OP", 1 }, { "FOR_ITER", 1 }, { "JUMP_BACKWARD", 1 }, { "LOAD_ATTR", 9 }, \
    { "LOAD_GLOBAL", 4 }, { "LOAD_SUPER_ATTR", 1 }, POP_JUMPS_C1, { "SEND", 1 }, \
    { "STORE_ATTR", 4 }, { "STORE_SUBSCR", 1 }, { "TO_BOOL", 3 }, { "UNPACK_SEQUENCE", 1 }
static const struct named_count caches_314[] = { CACHES_314, { NULL, 0 } };
static const struct named_count caches_315[] = {
    CACHES_314, { "RESUME", 1 }, { "GET_ITER", 1 }, { "CALL_FUNCTION_EX", 1 }, { NULL, 0 } };
static const struct named_count caches_none[] = { { NULL, 0 } };
static const struct named_count *const caches[NVERSIONS] = {
    caches_none, caches_none, caches_none, caches_311, caches_312, caches_313, caches_314, caches_315,
};

START_TEST(test_inline_caches)
{
    const struct lz_version *v = version_of_minor(minors[_i]);
    int expected[256] = { 0 };
    for (const struct named_count *c = caches[_i]; c->name != NULL; c++) {
        int op = op_by_name(v, c->name);
        ck_assert_msg(op != ABSENT, "3.%d has no %s", v->v_minor, c->name);
        expected[op] = c->n;
    }
    for (int op = 0; op < 256; op++)
        ck_assert_msg(v->v_ops[op].oi_ncache == expected[op], "3.%d %s (%d): %d caches, want %d",
                      v->v_minor, v->v_ops[op].oi_name ? v->v_ops[op].oi_name : "?", op,
                      v->v_ops[op].oi_ncache, expected[op]);
}
END_TEST

/* ---------------------------------------------------------------------
 * Jumps (4.2): the complete list of jump opcodes, with number and kind
 * --------------------------------------------------------------------- */
struct jump_fact {
    const char *name;
    int op;
    unsigned kind;      /* LZ_OPF_JREL / JBACK / JABS */
};
#define R LZ_OPF_JREL
#define B LZ_OPF_JBACK
#define J LZ_OPF_JABS
static const struct jump_fact jumps_38[] = {
    { "FOR_ITER", 93, R }, { "JUMP_FORWARD", 110, R }, { "SETUP_FINALLY", 122, R },
    { "SETUP_WITH", 143, R }, { "SETUP_ASYNC_WITH", 154, R }, { "CALL_FINALLY", 162, R },
    { "JUMP_IF_FALSE_OR_POP", 111, J }, { "JUMP_IF_TRUE_OR_POP", 112, J },
    { "JUMP_ABSOLUTE", 113, J }, { "POP_JUMP_IF_FALSE", 114, J }, { "POP_JUMP_IF_TRUE", 115, J },
    { NULL, 0, 0 } };
static const struct jump_fact jumps_39[] = {
    { "FOR_ITER", 93, R }, { "JUMP_FORWARD", 110, R }, { "SETUP_FINALLY", 122, R },
    { "SETUP_WITH", 143, R }, { "SETUP_ASYNC_WITH", 154, R },
    { "JUMP_IF_FALSE_OR_POP", 111, J }, { "JUMP_IF_TRUE_OR_POP", 112, J },
    { "JUMP_ABSOLUTE", 113, J }, { "POP_JUMP_IF_FALSE", 114, J }, { "POP_JUMP_IF_TRUE", 115, J },
    { "JUMP_IF_NOT_EXC_MATCH", 121, J }, { NULL, 0, 0 } };
static const struct jump_fact jumps_311[] = {
    { "FOR_ITER", 93, R }, { "JUMP_FORWARD", 110, R }, { "JUMP_IF_FALSE_OR_POP", 111, R },
    { "JUMP_IF_TRUE_OR_POP", 112, R }, { "POP_JUMP_FORWARD_IF_FALSE", 114, R },
    { "POP_JUMP_FORWARD_IF_TRUE", 115, R }, { "SEND", 123, R },
    { "POP_JUMP_FORWARD_IF_NOT_NONE", 128, R }, { "POP_JUMP_FORWARD_IF_NONE", 129, R },
    { "JUMP_BACKWARD_NO_INTERRUPT", 134, B }, { "JUMP_BACKWARD", 140, B },
    { "POP_JUMP_BACKWARD_IF_NOT_NONE", 173, B }, { "POP_JUMP_BACKWARD_IF_NONE", 174, B },
    { "POP_JUMP_BACKWARD_IF_FALSE", 175, B }, { "POP_JUMP_BACKWARD_IF_TRUE", 176, B },
    { NULL, 0, 0 } };
static const struct jump_fact jumps_312[] = {
    { "FOR_ITER", 93, R }, { "JUMP_FORWARD", 110, R }, { "POP_JUMP_IF_FALSE", 114, R },
    { "POP_JUMP_IF_TRUE", 115, R }, { "SEND", 123, R }, { "POP_JUMP_IF_NOT_NONE", 128, R },
    { "POP_JUMP_IF_NONE", 129, R }, { "JUMP_BACKWARD_NO_INTERRUPT", 134, B },
    { "JUMP_BACKWARD", 140, B }, { NULL, 0, 0 } };
static const struct jump_fact jumps_313[] = {
    { "FOR_ITER", 72, R }, { "JUMP_FORWARD", 79, R }, { "POP_JUMP_IF_FALSE", 97, R },
    { "POP_JUMP_IF_NONE", 98, R }, { "POP_JUMP_IF_NOT_NONE", 99, R },
    { "POP_JUMP_IF_TRUE", 100, R }, { "SEND", 104, R }, { "JUMP_BACKWARD", 77, B },
    { "JUMP_BACKWARD_NO_INTERRUPT", 78, B }, { NULL, 0, 0 } };
static const struct jump_fact jumps_314[] = {
    { "FOR_ITER", 70, R }, { "JUMP_FORWARD", 77, R }, { "POP_JUMP_IF_FALSE", 100, R },
    { "POP_JUMP_IF_NONE", 101, R }, { "POP_JUMP_IF_NOT_NONE", 102, R },
    { "POP_JUMP_IF_TRUE", 103, R }, { "SEND", 106, R }, { "END_ASYNC_FOR", 68, B },
    { "JUMP_BACKWARD", 75, B }, { "JUMP_BACKWARD_NO_INTERRUPT", 76, B }, { NULL, 0, 0 } };
static const struct jump_fact jumps_315[] = {
    { "FOR_ITER", 68, R }, { "JUMP_FORWARD", 76, R }, { "POP_JUMP_IF_FALSE", 99, R },
    { "POP_JUMP_IF_NONE", 100, R }, { "POP_JUMP_IF_NOT_NONE", 101, R },
    { "POP_JUMP_IF_TRUE", 102, R }, { "SEND", 105, R }, { "END_ASYNC_FOR", 66, B },
    { "JUMP_BACKWARD", 74, B }, { "JUMP_BACKWARD_NO_INTERRUPT", 75, B }, { NULL, 0, 0 } };
#undef R
#undef B
#undef J
static const struct jump_fact *const jumps[NVERSIONS] = {
    jumps_38, jumps_39, jumps_39, jumps_311, jumps_312, jumps_313, jumps_314, jumps_315,
};

START_TEST(test_jump_kinds)
{
    const struct lz_version *v = version_of_minor(minors[_i]);
    unsigned expected[256] = { 0 };
    for (const struct jump_fact *j = jumps[_i]; j->name != NULL; j++) {
        ck_assert_msg(op_by_name(v, j->name) == j->op, "3.%d %s at %d, want %d", v->v_minor,
                      j->name, op_by_name(v, j->name), j->op);
        expected[j->op] = j->kind;
    }
    const unsigned mask = LZ_OPF_JREL | LZ_OPF_JBACK | LZ_OPF_JABS;
    for (int op = 0; op < 256; op++) {
        ck_assert_msg((v->v_ops[op].oi_flags & mask) == expected[op], "3.%d %s (%d): jump flags %#x, want %#x",
                      v->v_minor, v->v_ops[op].oi_name ? v->v_ops[op].oi_name : "?", op,
                      v->v_ops[op].oi_flags & mask, expected[op]);
        ck_assert_int_eq(lz_op_is_jump(v, op), expected[op] != 0);
    }
}
END_TEST

/* ---------------------------------------------------------------------
 * Control flow, blocks, names, locals (4.5, 6.1, 7)
 * --------------------------------------------------------------------- */
#define NS_ALL (LZ_OPF_GLOBAL_LOAD | LZ_OPF_GLOBAL_STORE | LZ_OPF_GLOBAL_DELETE | LZ_OPF_IMPORT | \
                LZ_OPF_IMPORT_FROM)
struct flag_fact {
    const char *name;
    uint8_t from, to;        /* minor versions where the fact holds (name must exist) */
    unsigned set, clear;     /* flags that must be set / clear */
    int nameshift;           /* -1: not checked */
};
static const struct flag_fact flag_facts[] = {
    { "RETURN_VALUE", 8, 15, LZ_OPF_NOFALL, LZ_OPF_UNCOND | LZ_OPF_ARG, -1 },
    { "RETURN_CONST", 12, 13, LZ_OPF_NOFALL | LZ_OPF_CONST | LZ_OPF_ARG, LZ_OPF_UNCOND, -1 },
    { "RAISE_VARARGS", 8, 15, LZ_OPF_NOFALL | LZ_OPF_ARG, LZ_OPF_UNCOND, -1 },
    { "RERAISE", 9, 15, LZ_OPF_NOFALL, LZ_OPF_UNCOND, -1 },
    { "JUMP_FORWARD", 8, 15, LZ_OPF_NOFALL | LZ_OPF_UNCOND | LZ_OPF_ARG, 0, -1 },
    { "JUMP_ABSOLUTE", 8, 10, LZ_OPF_NOFALL | LZ_OPF_UNCOND | LZ_OPF_JABS, 0, -1 },
    { "JUMP_BACKWARD", 11, 15, LZ_OPF_NOFALL | LZ_OPF_UNCOND | LZ_OPF_JBACK, 0, -1 },
    { "JUMP_BACKWARD_NO_INTERRUPT", 11, 15, LZ_OPF_NOFALL | LZ_OPF_UNCOND, 0, -1 },
    { "FOR_ITER", 8, 15, 0, LZ_OPF_NOFALL | LZ_OPF_UNCOND, -1 },
    { "POP_JUMP_IF_FALSE", 8, 10, LZ_OPF_JABS, LZ_OPF_NOFALL, -1 },
    { "POP_JUMP_IF_FALSE", 12, 15, LZ_OPF_JREL, LZ_OPF_NOFALL, -1 },
    { "END_ASYNC_FOR", 8, 13, 0, LZ_OPF_NOFALL | LZ_OPF_JREL | LZ_OPF_JBACK, -1 },
    { "END_ASYNC_FOR", 14, 15, LZ_OPF_JBACK | LZ_OPF_ARG, LZ_OPF_NOFALL | LZ_OPF_UNCOND, -1 },
    { "SETUP_FINALLY", 8, 10, LZ_OPF_SETUP | LZ_OPF_JREL, LZ_OPF_NOFALL, -1 },
    { "SETUP_WITH", 8, 10, LZ_OPF_SETUP | LZ_OPF_JREL, LZ_OPF_NOFALL, -1 },
    { "SETUP_ASYNC_WITH", 8, 10, LZ_OPF_SETUP | LZ_OPF_JREL, LZ_OPF_NOFALL, -1 },
    { "CALL_FINALLY", 8, 8, LZ_OPF_JREL, LZ_OPF_SETUP | LZ_OPF_NOFALL, -1 },
    { "POP_BLOCK", 8, 10, 0, LZ_OPF_SETUP | LZ_OPF_ARG, -1 },
    /* Names and their namespace classes (each NAME opcode has one or none). */
    { "LOAD_GLOBAL", 8, 10, LZ_OPF_NAME | LZ_OPF_ARG | LZ_OPF_GLOBAL_LOAD, NS_ALL & ~LZ_OPF_GLOBAL_LOAD, 0 },
    { "LOAD_GLOBAL", 11, 15, LZ_OPF_NAME | LZ_OPF_ARG | LZ_OPF_GLOBAL_LOAD, NS_ALL & ~LZ_OPF_GLOBAL_LOAD, 1 },
    { "LOAD_NAME", 8, 15, LZ_OPF_NAME | LZ_OPF_GLOBAL_LOAD, NS_ALL & ~LZ_OPF_GLOBAL_LOAD, 0 },
    { "LOAD_FROM_DICT_OR_GLOBALS", 12, 15, LZ_OPF_NAME | LZ_OPF_ARG | LZ_OPF_GLOBAL_LOAD,
      NS_ALL & ~LZ_OPF_GLOBAL_LOAD, 0 },
    { "STORE_NAME", 8, 15, LZ_OPF_NAME | LZ_OPF_GLOBAL_STORE, NS_ALL & ~LZ_OPF_GLOBAL_STORE, 0 },
    { "STORE_GLOBAL", 8, 15, LZ_OPF_NAME | LZ_OPF_GLOBAL_STORE, NS_ALL & ~LZ_OPF_GLOBAL_STORE, 0 },
    { "DELETE_NAME", 8, 15, LZ_OPF_NAME | LZ_OPF_GLOBAL_DELETE, NS_ALL & ~LZ_OPF_GLOBAL_DELETE, 0 },
    { "DELETE_GLOBAL", 8, 15, LZ_OPF_NAME | LZ_OPF_GLOBAL_DELETE, NS_ALL & ~LZ_OPF_GLOBAL_DELETE, 0 },
    { "IMPORT_NAME", 8, 14, LZ_OPF_NAME | LZ_OPF_IMPORT, NS_ALL & ~LZ_OPF_IMPORT, 0 },
    { "IMPORT_NAME", 15, 15, LZ_OPF_NAME | LZ_OPF_IMPORT, NS_ALL & ~LZ_OPF_IMPORT, 2 },
    { "IMPORT_FROM", 8, 15, LZ_OPF_NAME | LZ_OPF_IMPORT_FROM, NS_ALL & ~LZ_OPF_IMPORT_FROM, 0 },
    { "LOAD_ATTR", 8, 11, LZ_OPF_NAME, NS_ALL, 0 },
    { "LOAD_ATTR", 12, 15, LZ_OPF_NAME, NS_ALL, 1 },
    { "STORE_ATTR", 8, 15, LZ_OPF_NAME, NS_ALL, 0 },
    { "DELETE_ATTR", 8, 15, LZ_OPF_NAME, NS_ALL, 0 },
    { "LOAD_SUPER_ATTR", 12, 15, LZ_OPF_NAME, NS_ALL, 2 },
    { "LOAD_METHOD", 8, 11, LZ_OPF_NAME, NS_ALL, 0 },
    { "IMPORT_STAR", 8, 11, 0, LZ_OPF_NAME | NS_ALL, -1 },
    { "LOAD_CLASSDEREF", 8, 11, LZ_OPF_FREE, LZ_OPF_NAME | NS_ALL, -1 },
    { "LOAD_FROM_DICT_OR_DEREF", 12, 15, LZ_OPF_ARG, LZ_OPF_NAME | NS_ALL, -1 },
    { "LOAD_DEREF", 8, 15, 0, LZ_OPF_NAME | NS_ALL, -1 },
    { "LOAD_CONST", 8, 15, LZ_OPF_CONST | LZ_OPF_ARG, LZ_OPF_NAME | NS_ALL, -1 },
    { "KW_NAMES", 11, 12, LZ_OPF_CONST, 0, -1 },
    { "LOAD_FAST", 8, 15, LZ_OPF_LOCAL, LZ_OPF_LOCAL2 | LZ_OPF_NAME | NS_ALL, -1 },
    { "STORE_FAST", 8, 15, LZ_OPF_LOCAL, LZ_OPF_LOCAL2, -1 },
    { "LOAD_FAST_LOAD_FAST", 13, 15, LZ_OPF_LOCAL | LZ_OPF_LOCAL2, 0, -1 },
    { "STORE_FAST_LOAD_FAST", 13, 15, LZ_OPF_LOCAL | LZ_OPF_LOCAL2, 0, -1 },
    { "STORE_FAST_STORE_FAST", 13, 15, LZ_OPF_LOCAL | LZ_OPF_LOCAL2, 0, -1 },
    { "LOAD_FAST_BORROW_LOAD_FAST_BORROW", 14, 15, LZ_OPF_LOCAL | LZ_OPF_LOCAL2, 0, -1 },
    { "LOAD_DEREF", 8, 13, LZ_OPF_FREE, LZ_OPF_LOCAL, -1 },
    { "STORE_DEREF", 8, 15, LZ_OPF_FREE, 0, -1 },
    { "COMPARE_OP", 8, 15, LZ_OPF_COMPARE | LZ_OPF_ARG, 0, -1 },
    { "EXTENDED_ARG", 8, 15, LZ_OPF_ARG, LZ_OPF_NOFALL, -1 },
    { "CACHE", 11, 15, LZ_OPF_EXISTS, LZ_OPF_ARG, -1 },
    { "RESUME", 11, 15, LZ_OPF_ARG, LZ_OPF_NOFALL, -1 },
};

START_TEST(test_flag_facts)
{
    int checked = 0;
    for (size_t i = 0; i < sizeof flag_facts / sizeof flag_facts[0]; i++) {
        const struct flag_fact *f = &flag_facts[i];
        for (int minor = f->from; minor <= f->to; minor++) {
            const struct lz_version *v = version_of_minor(minor);
            int op = op_by_name(v, f->name);
            ck_assert_msg(op != ABSENT, "3.%d lacks %s", minor, f->name);
            unsigned fl = v->v_ops[op].oi_flags;
            ck_assert_msg((fl & f->set) == f->set, "3.%d %s flags %#x lack %#x", minor, f->name, fl, f->set);
            ck_assert_msg((fl & f->clear) == 0, "3.%d %s flags %#x have %#x", minor, f->name, fl,
                          fl & f->clear);
            if (f->nameshift >= 0)
                ck_assert_msg(v->v_ops[op].oi_nameshift == f->nameshift, "3.%d %s shift %d, want %d",
                              minor, f->name, v->v_ops[op].oi_nameshift, f->nameshift);
            checked++;
        }
    }
    ck_assert_int_gt(checked, 200);
}
END_TEST

/* The complete list of opcodes with each namespace class, per version:
 * 3.12 added LOAD_FROM_DICT_OR_GLOBALS; 3.8-3.11 do not have it. */
START_TEST(test_namespace_classes)
{
    static const struct {
        const char *name;
        unsigned flag;
        uint8_t from;
    } cls[] = {
        { "LOAD_NAME", LZ_OPF_GLOBAL_LOAD, 8 },
        { "LOAD_GLOBAL", LZ_OPF_GLOBAL_LOAD, 8 },
        { "LOAD_FROM_DICT_OR_GLOBALS", LZ_OPF_GLOBAL_LOAD, 12 },
        { "STORE_NAME", LZ_OPF_GLOBAL_STORE, 8 },
        { "STORE_GLOBAL", LZ_OPF_GLOBAL_STORE, 8 },
        { "DELETE_NAME", LZ_OPF_GLOBAL_DELETE, 8 },
        { "DELETE_GLOBAL", LZ_OPF_GLOBAL_DELETE, 8 },
        { "IMPORT_NAME", LZ_OPF_IMPORT, 8 },
        { "IMPORT_FROM", LZ_OPF_IMPORT_FROM, 8 },
    };
    const struct lz_version *v = version_of_minor(minors[_i]);
    unsigned expected[256] = { 0 };
    for (size_t i = 0; i < sizeof cls / sizeof cls[0]; i++) {
        int op = op_by_name(v, cls[i].name);
        if (v->v_minor < cls[i].from) {
            ck_assert_msg(op == ABSENT, "3.%d has %s", v->v_minor, cls[i].name);
            continue;
        }
        ck_assert_msg(op != ABSENT, "3.%d lacks %s", v->v_minor, cls[i].name);
        expected[op] = cls[i].flag;
    }
    for (int op = 0; op < 256; op++)
        ck_assert_msg((v->v_ops[op].oi_flags & NS_ALL) == expected[op], "3.%d %s (%d): class %#x, want %#x",
                      v->v_minor, v->v_ops[op].oi_name ? v->v_ops[op].oi_name : "?", op,
                      v->v_ops[op].oi_flags & NS_ALL, expected[op]);
    /* The well-known numbers the lazy pass uses carry their class. */
    ck_assert(v->v_ops[v->v_op.IMPORT_NAME].oi_flags & LZ_OPF_IMPORT);
    ck_assert(v->v_ops[v->v_op.IMPORT_FROM].oi_flags & LZ_OPF_IMPORT_FROM);
    ck_assert(v->v_ops[v->v_op.LOAD_GLOBAL].oi_flags & LZ_OPF_GLOBAL_LOAD);
    if (v->v_minor >= 12)
        ck_assert(v->v_ops[v->v_op.LOAD_FROM_DICT_OR_GLOBALS].oi_flags & LZ_OPF_GLOBAL_LOAD);
    else
        ck_assert_int_eq(v->v_op.LOAD_FROM_DICT_OR_GLOBALS, ABSENT);
}
END_TEST

/* The flags field holds every LZ_OPF_ bit (bits 14+ did not fit the old
 * uint16_t). */
START_TEST(test_flags_width)
{
    const struct lz_version *v = version_of_minor(15);
    ck_assert_uint_ge(sizeof v->v_ops[0].oi_flags * 8, 19);
    ck_assert_uint_eq(v->v_ops[v->v_op.IMPORT_FROM].oi_flags & LZ_OPF_IMPORT_FROM, LZ_OPF_IMPORT_FROM);
    ck_assert_uint_eq(v->v_ops[v->v_op.IMPORT_NAME].oi_nameshift, 2);
}
END_TEST

/* Invariants every generated table must satisfy. */
START_TEST(test_table_invariants)
{
    const struct lz_version *v = version_of_minor(minors[_i]);
    const unsigned jumps_mask = LZ_OPF_JREL | LZ_OPF_JBACK | LZ_OPF_JABS;
    int nexist = 0;
    for (int op = 0; op < 256; op++) {
        const struct lz_opinfo *oi = &v->v_ops[op];
        unsigned fl = oi->oi_flags;
        const char *n = oi->oi_name ? oi->oi_name : "?";
        ck_assert_msg((oi->oi_name != NULL) == ((fl & LZ_OPF_EXISTS) != 0), "3.%d op %d", v->v_minor, op);
        if (!(fl & LZ_OPF_EXISTS)) {
            ck_assert_msg(fl == 0 && !oi->oi_effect_valid && oi->oi_ncache == 0, "3.%d op %d", v->v_minor, op);
            continue;
        }
        nexist++;
        ck_assert_msg(((fl & LZ_OPF_ARG) != 0) == (op >= v->v_have_argument),
                      "3.%d %s: ARG vs v_have_argument %d", v->v_minor, n, v->v_have_argument);
        unsigned j = fl & jumps_mask;
        ck_assert_msg((j & (j - 1)) == 0, "3.%d %s: two jump kinds", v->v_minor, n);
        if (j != 0)
            ck_assert_msg(fl & LZ_OPF_ARG, "3.%d %s: jump without oparg", v->v_minor, n);
        if (fl & LZ_OPF_UNCOND)
            ck_assert_msg((fl & LZ_OPF_NOFALL) && j != 0, "3.%d %s", v->v_minor, n);
        if (fl & LZ_OPF_SETUP)
            ck_assert_msg(j == LZ_OPF_JREL && v->v_minor <= 10, "3.%d %s", v->v_minor, n);
        if (fl & LZ_OPF_JBACK)
            ck_assert_msg(v->v_minor >= 11, "3.%d %s", v->v_minor, n);
        if (fl & LZ_OPF_JABS)
            ck_assert_msg(v->v_minor <= 10, "3.%d %s", v->v_minor, n);
        if (fl & LZ_OPF_LOCAL2)
            ck_assert_msg((fl & LZ_OPF_LOCAL) && v->v_minor >= 13, "3.%d %s", v->v_minor, n);
        if (oi->oi_nameshift != 0)
            ck_assert_msg((fl & LZ_OPF_NAME) && oi->oi_nameshift <= 2, "3.%d %s", v->v_minor, n);
        unsigned ns = fl & NS_ALL;
        ck_assert_msg((ns & (ns - 1)) == 0, "3.%d %s: two namespace classes", v->v_minor, n);
        if (ns != 0)
            ck_assert_msg((fl & LZ_OPF_NAME) && (fl & LZ_OPF_ARG), "3.%d %s: namespace class without a name",
                          v->v_minor, n);
        if (v->v_minor <= 10)
            ck_assert_int_eq(oi->oi_ncache, 0);
        ck_assert_msg(oi->oi_effect_valid, "3.%d %s has no stack effect", v->v_minor, n);
        for (int e = 0; e < 2; e++) {
            const struct lz_effect *ef = &oi->oi_effect[e];
            if (!(fl & LZ_OPF_ARG))
                ck_assert_msg(ef->ef_lut == NULL && ef->ef_lo == 0 && ef->ef_hi == 0, "3.%d %s", v->v_minor, n);
            if (ef->ef_lut_exact)
                ck_assert_ptr_nonnull(ef->ef_lut);
            if (j == 0)   /* a non-jump has one effect */
                ck_assert_int_eq(lz_stack_effect(v, op, 5, false), lz_stack_effect(v, op, 5, true));
        }
    }
    ck_assert_msg(nexist > 100, "3.%d: only %d opcodes", v->v_minor, nexist);
}
END_TEST

/* ---------------------------------------------------------------------
 * Stack effects (7), including table models and EXTENDED_ARG-sized args
 * --------------------------------------------------------------------- */
#define ALL 8, 15
static const struct {
    const char *name;
    uint8_t from, to;
    uint32_t arg;
    bool jump;
    int effect;
} effects[] = {
    { "LOAD_CONST", ALL, 0, false, 1 },
    { "LOAD_CONST", ALL, 70000, false, 1 },
    { "LOAD_NAME", ALL, 3, false, 1 },
    { "LOAD_SMALL_INT", 14, 15, 7, false, 1 },
    { "LOAD_COMMON_CONSTANT", 14, 15, 3, false, 1 },
    { "LOAD_GLOBAL", 8, 10, 1, false, 1 },
    { "LOAD_GLOBAL", 11, 15, 0, false, 1 },
    { "LOAD_GLOBAL", 11, 15, 1, false, 2 },
    { "LOAD_GLOBAL", 11, 15, 0x301, false, 2 },
    { "LOAD_ATTR", 8, 11, 1, false, 0 },
    { "LOAD_ATTR", 12, 15, 0, false, 0 },
    { "LOAD_ATTR", 12, 15, 1, false, 1 },
    { "LOAD_METHOD", 8, 11, 0, false, 1 },
    { "IMPORT_NAME", ALL, 0, false, -1 },
    { "IMPORT_NAME", 15, 15, 5, false, -1 },
    { "IMPORT_FROM", ALL, 0, false, 1 },
    { "IMPORT_STAR", 8, 11, 0, false, -1 },
    { "STORE_NAME", ALL, 0, false, -1 },
    { "STORE_GLOBAL", ALL, 0, false, -1 },
    { "STORE_FAST", ALL, 0, false, -1 },
    { "POP_TOP", ALL, 0, false, -1 },
    { "POP_TOP", ALL, 12345, false, -1 },        /* no oparg: ignored */
    { "DELETE_NAME", ALL, 0, false, 0 },
    { "DELETE_GLOBAL", ALL, 0, false, 0 },
    { "PUSH_NULL", 11, 15, 0, false, 1 },
    { "CALL_FUNCTION", 8, 10, 3, false, -3 },
    { "CALL_FUNCTION", 8, 10, 300, false, -300 },
    { "CALL_METHOD", 8, 10, 3, false, -4 },
    { "CALL_FUNCTION_KW", 8, 10, 2, false, -3 },
    { "PRECALL", 11, 11, 3, false, -3 },
    { "CALL", 11, 11, 3, false, -1 },
    { "CALL", 12, 15, 3, false, -4 },
    { "CALL", 12, 15, 300, false, -301 },
    { "KW_NAMES", 11, 12, 0, false, 0 },
    { "CALL_KW", 13, 15, 2, false, -4 },
    { "ROT_TWO", 8, 10, 0, false, 0 },
    { "SWAP", 11, 15, 2, false, 0 },
    { "DUP_TOP", 8, 10, 0, false, 1 },
    { "COPY", 11, 15, 1, false, 1 },
    { "RESUME", 11, 15, 0, false, 0 },
    { "NOP", ALL, 0, false, 0 },
    { "EXTENDED_ARG", ALL, 1, false, 0 },
    { "CACHE", 11, 15, 0, false, 0 },
    { "RETURN_VALUE", 8, 13, 0, false, -1 },
    { "RETURN_VALUE", 14, 15, 0, false, 0 },
    { "RETURN_CONST", 12, 13, 0, false, 0 },
    { "BUILD_TUPLE", ALL, 3, false, -2 },
    { "BUILD_TUPLE", ALL, 0, false, 1 },
    { "BUILD_TUPLE", ALL, 300, false, -299 },
    { "BUILD_MAP", ALL, 3, false, -5 },
    { "BUILD_MAP", ALL, 300, false, -599 },
    { "UNPACK_EX", ALL, 0x0203, false, 5 },
    { "RAISE_VARARGS", ALL, 2, false, -2 },
    { "SETUP_FINALLY", 8, 10, 0, true, 6 },
    { "SETUP_FINALLY", 8, 10, 0, false, 0 },
    { "SETUP_WITH", 8, 10, 0, true, 6 },
    { "SETUP_WITH", 8, 10, 0, false, 1 },
    { "SETUP_ASYNC_WITH", 8, 10, 0, true, 5 },
    { "SETUP_ASYNC_WITH", 8, 10, 0, false, 0 },
    { "CALL_FINALLY", 8, 8, 0, true, 1 },
    { "CALL_FINALLY", 8, 8, 0, false, 0 },
    { "FOR_ITER", ALL, 0, false, 1 },
    { "FOR_ITER", 8, 11, 0, true, -1 },
    { "FOR_ITER", 12, 15, 0, true, 1 },
    /* Table models: MAKE_FUNCTION pops one per flag bit (<= 3.12), FORMAT_VALUE
     * tests bit 2, BUILD_SLICE tests arg == 3 (<= 3.13). */
    { "MAKE_FUNCTION", 8, 10, 0x0f, false, -5 },
    { "MAKE_FUNCTION", 8, 10, 0x08, false, -2 },
    { "MAKE_FUNCTION", 12, 12, 0x0f, false, -4 },
    { "FORMAT_VALUE", 8, 12, 4, false, -1 },
    { "FORMAT_VALUE", 8, 12, 0x104, false, -1 },
    { "FORMAT_VALUE", 8, 12, 3, false, 0 },
    { "BUILD_SLICE", 8, 13, 2, false, -1 },
    { "BUILD_SLICE", 8, 13, 3, false, -2 },
    { "BUILD_SLICE", 8, 13, 0x103, false, -1 },
};
#undef ALL

START_TEST(test_stack_effects)
{
    int checked = 0;
    for (size_t i = 0; i < sizeof effects / sizeof effects[0]; i++) {
        for (int minor = effects[i].from; minor <= effects[i].to; minor++) {
            const struct lz_version *v = version_of_minor(minor);
            int op = op_by_name(v, effects[i].name);
            ck_assert_msg(op != ABSENT, "3.%d lacks %s", minor, effects[i].name);
            int got = lz_stack_effect(v, op, effects[i].arg, effects[i].jump);
            ck_assert_msg(got == effects[i].effect, "3.%d %s %u jump=%d: effect %d, want %d", minor,
                          effects[i].name, effects[i].arg, effects[i].jump, got, effects[i].effect);
            checked++;
        }
    }
    ck_assert_int_gt(checked, 300);
}
END_TEST

static Suite *tables_suite(void)
{
    Suite *s = suite_create("tables");
    TCase *tc = tcase_create("lookup refuses unknown input");
    tcase_add_test(tc, test_lookup_unknown);
    tcase_add_test(tc, test_stack_effect_refuses);
    tcase_add_test(tc, test_stack_effect_clamped);
    suite_add_tcase(s, tc);

    tc = tcase_create("lookup finds every version");
    tcase_add_test(tc, test_lookup_known);
    suite_add_tcase(s, tc);

    tc = tcase_create("opcode numbers match the reference");
    tcase_add_loop_test(tc, test_opcode_numbers, 0, NVERSIONS);
    tcase_add_loop_test(tc, test_wellknown_consistent, 0, NVERSIONS);
    suite_add_tcase(s, tc);

    tc = tcase_create("inline caches match the reference");
    tcase_add_loop_test(tc, test_inline_caches, 0, NVERSIONS);
    suite_add_tcase(s, tc);

    tc = tcase_create("jump kinds match the reference");
    tcase_add_loop_test(tc, test_jump_kinds, 0, NVERSIONS);
    suite_add_tcase(s, tc);

    tc = tcase_create("flags match the reference");
    tcase_add_test(tc, test_flag_facts);
    tcase_add_loop_test(tc, test_table_invariants, 0, NVERSIONS);
    tcase_add_loop_test(tc, test_namespace_classes, 0, NVERSIONS);
    tcase_add_test(tc, test_flags_width);
    suite_add_tcase(s, tc);

    tc = tcase_create("stack effects match the reference");
    tcase_add_test(tc, test_stack_effects);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(tables_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
