/* lz_opcodes.h - per-version instruction facts, generated from real interpreters.
 *
 * One table per CPython version lives in opcodes_3XX.c, written by
 * tools/gen_opcodes.py from that interpreter's `opcode` and `dis` modules
 * (never by hand).  Passes ask these tables; they never compare version
 * numbers.  The magic number selects a `const struct lz_version *` once.
 */
#ifndef LZ_OPCODES_H
#define LZ_OPCODES_H

#include <stdbool.h>
#include <stdint.h>

#include "lz_pyver.h"

/* struct lz_opinfo.oi_flags */
enum {
    LZ_OPF_EXISTS    = 1u << 0,   /* an on-disk opcode of this version */
    LZ_OPF_ARG       = 1u << 1,   /* uses its oparg (may take EXTENDED_ARG) */
    LZ_OPF_JREL      = 1u << 2,   /* relative jump, forward */
    LZ_OPF_JBACK     = 1u << 3,   /* relative jump, backward (3.11+) */
    LZ_OPF_JABS      = 1u << 4,   /* absolute jump (3.8-3.10) */
    LZ_OPF_NAME      = 1u << 5,   /* oparg (after LZ_OPF_NAMESHIFT) indexes co_names */
    LZ_OPF_CONST     = 1u << 6,   /* oparg indexes co_consts */
    LZ_OPF_LOCAL     = 1u << 7,   /* oparg indexes the fast locals */
    LZ_OPF_FREE      = 1u << 8,   /* oparg indexes cell/free variables */
    LZ_OPF_COMPARE   = 1u << 9,   /* oparg is a comparison */
    LZ_OPF_NOFALL    = 1u << 10,  /* never falls through: return, raise, unconditional jump */
    LZ_OPF_UNCOND    = 1u << 11,  /* unconditional jump (subset of NOFALL) */
    LZ_OPF_SETUP     = 1u << 12,  /* pushes a block whose handler is the target (3.8-3.10) */
    LZ_OPF_LOCAL2    = 1u << 13,  /* oparg packs two local indexes (3.13+ LOAD_FAST_LOAD_FAST) */
    /* Namespace classes of LZ_OPF_NAME opcodes: at most one each (opcodes.c) */
    LZ_OPF_GLOBAL_LOAD   = 1u << 14,  /* LOAD_NAME, LOAD_GLOBAL, 3.12+ LOAD_FROM_DICT_OR_GLOBALS */
    LZ_OPF_GLOBAL_STORE  = 1u << 15,  /* STORE_NAME, STORE_GLOBAL */
    LZ_OPF_GLOBAL_DELETE = 1u << 16,  /* DELETE_NAME, DELETE_GLOBAL */
    LZ_OPF_IMPORT        = 1u << 17,  /* IMPORT_NAME (3.15: nameshift 2, low bits flags) */
    LZ_OPF_IMPORT_FROM   = 1u << 18,  /* IMPORT_FROM */
};

/* Stack effect as a function of the oparg, fitted and verified against
 * dis.stack_effect by the generator:
 *   effect = ef_base + ef_lo * (arg & 0xff) + ef_hi * (arg >> 8)      if ef_lut is NULL
 *   effect = ef_lut[arg & 0xff] + ef_hi * (arg >> 8)                   if ef_lut, !ef_lut_exact
 *   effect = arg < 256 ? ef_lut[arg]
 *                      : ef_base + ef_lo * (arg & 0xff) + ef_hi * (arg >> 8)   if ef_lut_exact
 * (ef_hi is 16 bits: BUILD_TUPLE n has ef_hi -256, 3.8 BUILD_MAP n -512;
 * ef_lut_exact exists for <= 3.13 BUILD_SLICE, whose effect tests arg == 3.) */
struct lz_effect {
    int16_t ef_base;
    int8_t ef_lo;
    int16_t ef_hi;
    const int8_t *ef_lut;   /* 256 entries or NULL */
    bool ef_lut_exact;      /* ef_lut covers opargs 0..255 only (see above) */
};

struct lz_opinfo {
    const char *oi_name;        /* NULL if the opcode does not exist */
    uint32_t oi_flags;          /* LZ_OPF_* */
    uint8_t oi_ncache;          /* inline CACHE code units after it (3.11+) */
    uint8_t oi_nameshift;       /* LZ_OPF_NAME: namei = arg >> shift (LOAD_GLOBAL 1, 3.15 IMPORT_NAME 2 ...) */
    bool oi_effect_valid;       /* dis.stack_effect is defined for it */
    struct lz_effect oi_effect[2];  /* [0] fall through, [1] jump taken */
};

/* Opcode numbers the engine and passes need by name; -1 where the version
 * lacks the opcode. */
struct lz_wellknown {
    int16_t CACHE, NOP, EXTENDED_ARG, RESUME, POP_TOP, PUSH_NULL;
    int16_t LOAD_CONST, LOAD_SMALL_INT, LOAD_COMMON_CONSTANT, LOAD_NAME, LOAD_GLOBAL;
    int16_t LOAD_ATTR, LOAD_METHOD, LOAD_FAST, STORE_NAME, STORE_GLOBAL, STORE_FAST;
    int16_t DELETE_NAME, DELETE_GLOBAL, IMPORT_NAME, IMPORT_FROM, IMPORT_STAR;
    int16_t CALL_INTRINSIC_1, CALL_FUNCTION, CALL_METHOD, PRECALL, CALL, KW_NAMES, CALL_KW;
    int16_t ROT_TWO, DUP_TOP, SWAP, COPY, RETURN_VALUE, RETURN_CONST, BUILD_TUPLE;
    int16_t SETUP_FINALLY, SETUP_WITH, SETUP_ASYNC_WITH, POP_BLOCK, POP_EXCEPT;
    int16_t PUSH_EXC_INFO, CHECK_EXC_MATCH, RERAISE, WITH_EXCEPT_START;
    int16_t FOR_ITER, END_FOR, POP_ITER, SEND, END_SEND, END_ASYNC_FOR, NOT_TAKEN;
    int16_t GEN_START, RETURN_GENERATOR, MAKE_CELL, COPY_FREE_VARS;
    int16_t JUMP_FORWARD, JUMP_BACKWARD, JUMP_ABSOLUTE, BEGIN_FINALLY, END_FINALLY;
    int16_t CALL_FINALLY, POP_FINALLY, CLEANUP_THROW;
    int16_t LOAD_FROM_DICT_OR_GLOBALS, STORE_SUBSCR, TO_BOOL, COMPARE_OP, IS_OP;
    int16_t POP_JUMP_IF_FALSE, POP_JUMP_IF_TRUE, POP_JUMP_FORWARD_IF_FALSE, LIST_EXTEND, SET_UPDATE;
    int16_t BUILD_LIST, BUILD_SET, LIST_TO_TUPLE, STORE_ATTR, LOAD_BUILD_CLASS, MAKE_FUNCTION;
    int16_t GET_ITER, GET_AITER, GET_AWAITABLE, BEFORE_ASYNC_WITH, LOAD_SPECIAL;
    int16_t ROT_FOUR, DELETE_ATTR, CALL_FUNCTION_KW, BUILD_CONST_KEY_MAP;
};

enum lz_linetable_format {
    LZ_LINES_LNOTAB = 1,      /* 3.8-3.9 co_lnotab */
    LZ_LINES_LINETABLE = 2,   /* 3.10 PEP 626 */
    LZ_LINES_LOCATIONS = 3,   /* 3.11+ PEP 657 location table */
};

struct lz_version {
    uint16_t v_magic;             /* pyc magic of this version (matches lz_pyver) */
    uint8_t v_minor;              /* 8 .. 15 */
    const char *v_name;           /* "3.12" */
    const char *v_interpreter;    /* full version the table was generated from, "3.12.1" */
    uint8_t v_have_argument;      /* opcodes >= this take an argument (<= 3.12) */
    uint8_t v_jump_unit;          /* 1: jump args in bytes (3.8-3.9); 2: in code units */
    uint8_t v_lines;              /* enum lz_linetable_format */
    bool v_exception_table;       /* 3.11+: co_exceptiontable; else SETUP_* blocks */
    bool v_merge_location_runs;   /* 3.12+: adjacent equal locations share a run */
    uint8_t v_gen_start_depth;    /* stack depth at entry of generators: 1 on 3.10-3.12, else 0 */
    struct lz_wellknown v_op;
    struct lz_opinfo v_ops[256];
};

/* The table for a pyc version, or NULL if lazyc has none. */
const struct lz_version *lz_version_for(const struct lz_pyver *pyver);
const struct lz_version *lz_version_from_magic(uint16_t magic);

/* Stack effect of (op, arg) on the fall-through (jump = false) or jump edge. */
int lz_stack_effect(const struct lz_version *v, int op, uint32_t arg, bool jump);

static inline bool lz_op_is_jump(const struct lz_version *v, int op)
{
    return (v->v_ops[op].oi_flags & (LZ_OPF_JREL | LZ_OPF_JBACK | LZ_OPF_JABS)) != 0;
}

#endif
