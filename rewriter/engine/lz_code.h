/* lz_code.h - one code object as an editable list of instructions.
 *
 * The engine turns co_code into a doubly linked list of struct lz_instr in
 * which jump targets, exception handlers (3.11+), enclosing blocks (3.8-3.10)
 * and lnotab line events (3.8-3.9) all point at instructions, never at
 * offsets.  Passes insert and replace instructions through the calls below;
 * the assembler alone computes offsets, EXTENDED_ARG prefixes, jump opargs,
 * caches, line and exception tables and co_stacksize.
 * Formats: shared/reference/bytecode-formats.md sections 4-7.
 *
 * Life cycle (rewriter/pipeline.c does this for every code object of a pyc):
 *   1. work = lz_arena_new();
 *   2. lz_code_decode(ver, work, pyc->pc_arena, code_node, &code, &err);
 *   3. edit: lz_seq_emit() new instructions into a struct lz_seq, then
 *      lz_code_insert_before/after() or lz_code_replace() it; lz_code_add_*;
 *   4. lz_code_assemble(code, &new_node, &err): new_node is the original node
 *      when nothing changed, else a copy-on-write code object in pc_arena;
 *   5. lz_arena_free(work)   (the instruction list dies with it).
 *
 * Reading: every field of struct lz_instr may be read.  Writing: in_arg of an
 * instruction that is not a jump may be changed directly; everything else
 * (order, targets, handlers, events) only through these calls, which keep
 * the back-reference lists consistent.  lz_code_check() verifies all of it.
 */
#ifndef LZ_CODE_H
#define LZ_CODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lz_alloc.h"
#include "lz_error.h"
#include "lz_marshal.h"
#include "lz_lines.h"
#include "lz_opcodes.h"

/* Hostile-input limit on len(co_code)/2.  The largest stdlib code objects
 * (3.8-3.15, test suites included) have ~22 000 code units and CPython's own
 * assembler tolerates far more, but every unit may cost an instruction
 * record (136 bytes) here, so 2^21 units (4 MiB of bytecode in ONE code
 * object) keeps a hostile pyc's worst case near 300 MiB. */
#define LZ_CODE_UNITS_MAX ((size_t)1 << 21)
/* CPython's CO_MAXBLOCKS: deeper SETUP_* nesting is a compile error, so a
 * deeper block stack (3.8-3.10) only comes from a forged pyc. */
#define LZ_CODE_BLOCKS_MAX 20
/* An oparg needs at most three EXTENDED_ARG prefixes (32 bits). */
#define LZ_CODE_PREFIX_MAX 3

struct lz_instr;
struct lz_share;

/* 3.11+: the exception handler of one instruction (from co_exceptiontable). */
struct lz_exc {
    struct lz_instr *x_target;   /* first instruction of the handler; NULL = none */
    uint16_t x_depth;            /* stack depth to unwind to */
    uint8_t x_lasti;             /* push the raising offset first */
};

/* 3.8-3.9: one raw co_lnotab pair, kept so an unmodified table re-encodes
 * byte-identically (bytecode-formats.md 5.1).  Anchored to an instruction:
 * it takes effect at the instruction's first unit (ev_rel ==
 * LZ_EV_AT_START; where the compiler puts them, and where they stay when
 * the assembler adds prefixes), or ev_rel units after its opcode unit
 * (negative = on a later EXTENDED_ARG prefix; real 3.8 decorator code has
 * an event on the opcode unit of a prefixed instruction). */
struct lz_lnevent {
    struct lz_lnevent *ev_next;  /* next event of the same instruction, in order */
    int8_t ev_line_inc;
    int8_t ev_rel;
};

#define LZ_EV_AT_START INT8_MIN

struct lz_instr {
    struct lz_instr *in_prev, *in_next;  /* list order; NULL at the ends */
    uint8_t in_op;                       /* opcode (never EXTENDED_ARG or CACHE) */
    uint8_t in_ncache;                   /* inline CACHE units after it (table) */
    uint8_t in_nprefix_min;              /* EXTENDED_ARG prefixes to emit at least:
                                          * as decoded (3.8/3.9 keep non-minimal
                                          * ones, 3.10 NOPs stale ones: their
                                          * in_arg is the stale oparg), 0 for
                                          * new instructions */
    uint8_t in_flags;                    /* LZ_INSTR_* */
    uint32_t in_arg;                     /* full oparg; a jump's is recomputed */

    struct lz_instr *in_target;          /* jump target (lz_op_is_jump), else NULL */
    struct lz_instr *in_jnext;           /* next jump with the same in_target */
    struct lz_instr *in_jumpers;         /* head: jumps aimed at this instruction */

    struct lz_exc in_exc;                /* 3.11+ handler */
    struct lz_instr *in_xnext;           /* next instruction with the same handler */
    struct lz_instr *in_handles;         /* head: instructions whose handler starts here */

    struct lz_instr *in_block;           /* 3.8-3.10: innermost SETUP_* active on entry
                                          * (for a SETUP_* itself: the enclosing one) */
    struct lz_loc in_loc;                /* location of the opcode unit */
    struct lz_lnevent *in_events;        /* 3.8-3.9 lnotab events anchored here */

    uint32_t in_orig_unit;               /* first unit in the decoded co_code,
                                          * LZ_INSTR_NEW for inserted ones */
    /* Scratch owned by whichever analysis runs (numbering, assembler,
     * stack depth); meaningless between calls. */
    uint32_t in_id;
    uint32_t in_unit;                    /* assembler: first unit (prefixes included) */
    int32_t in_depth;                    /* stack depth at entry, -1 = not reached */
    uint8_t in_nprefix;                  /* assembler: EXTENDED_ARG prefixes emitted */
    uint8_t in_visits;                   /* stack depth: times (re)queued */
};

#define LZ_INSTR_NEW UINT32_MAX

enum {
    LZ_INSTR_REACHED = 1u << 0,  /* 3.8-3.10: the block flow pass reached it */
};

struct lz_code {
    const struct lz_version *c_ver;
    struct lz_arena *c_arena;            /* instructions, scratch (work arena) */
    struct lz_arena *c_obj_arena;        /* new marshal nodes (the pyc's arena) */
    const struct lz_obj *c_node;         /* the decoded code node (never modified) */
    const struct lz_codeobj *c_co;       /* c_node->u.o_codeobj */
    char c_name[128];                    /* qualname (3.11+) or name, for messages */

    struct lz_instr *c_first, *c_last;
    size_t c_ninstr;
    size_t c_orig_nunits;                /* len(co_code) / 2 as decoded */
    size_t c_orig_ninstr;

    struct lz_obj *c_consts;             /* current co_consts (copy-on-write) */
    struct lz_obj *c_names;              /* current co_names (copy-on-write) */
    struct lz_lnevent *c_end_events;     /* lnotab events at the end of the code */
    size_t c_block_conflicts;            /* 3.8-3.10: instructions reached with two
                                          * different block stacks (first one kept) */
    unsigned c_nesting;                  /* 0 = the pyc's top-level code object;
                                          * set by the pipeline */
    struct lz_share *c_share;            /* byte nodes shared across code objects
                                          * (code_share.c), set by the pipeline;
                                          * NULL = every new table gets its node */
    bool c_modified;                     /* an edit happened */
};

/* ---- decode (code_decode.c) ------------------------------------------- */

/* Decode the code node `node` (kind LZ_K_CODE).  Instructions live in
 * `work`; new marshal nodes made by later edits go to `obj_arena`.  Returns
 * LZ_EINPUT for malformed bytecode (message names the code object and the
 * byte offset) or LZ_ENOMEM. */
int lz_code_decode(const struct lz_version *v, struct lz_arena *work,
                   struct lz_arena *obj_arena, const struct lz_obj *node,
                   struct lz_code **out, struct lz_error *err);

/* ---- edit (code_edit.c) ----------------------------------------------- */

/* A detached chain of new instructions, built in order, then spliced in by
 * one of the insert/replace calls (which empty it). */
struct lz_seq {
    struct lz_instr *s_first, *s_last;
    size_t s_n;
    int s_status;           /* sticky: first failure of lz_seq_emit, else LZ_OK */
};

void lz_seq_init(struct lz_seq *s);
/* Append a new instruction (caches from the table).  On failure (unknown
 * opcode, EXTENDED_ARG/CACHE, out of memory) returns NULL and makes the
 * sequence fail at insertion time. */
struct lz_instr *lz_seq_emit(struct lz_code *c, struct lz_seq *s, int op, uint32_t arg);

/* Give every instruction of `s` the location, 3.11+ handler and 3.8-3.10
 * block of `from`; then insert with LZ_EDIT_OWN_LOCATION. */
void lz_seq_copy_location(struct lz_seq *s, const struct lz_instr *from);

/* Flags for the insert and replace calls. */
enum {
    /* Jumps aimed at the anchor now land on the first inserted instruction. */
    LZ_EDIT_TAKE_JUMPS = 1u << 0,
    /* 3.11+ handlers starting at the anchor now start at the inserted code. */
    LZ_EDIT_TAKE_HANDLERS = 1u << 1,
    LZ_EDIT_TAKE_REFS = LZ_EDIT_TAKE_JUMPS | LZ_EDIT_TAKE_HANDLERS,
    /* The sequence carries its own in_loc / in_exc / in_block (set by the
     * caller); without it every inserted instruction copies the anchor's. */
    LZ_EDIT_OWN_LOCATION = 1u << 2,
};

/* Insert `s` before `x`.  lnotab events of `x` move to the first inserted
 * instruction (so it gets x's line); jumps and handlers per `flags`.
 * Metadata source ("anchor") is x.  On 3.8-3.9 lines come from the lnotab
 * events alone (in_loc of new instructions is not encoded): inserted code
 * has the line in force where it lands. */
int lz_code_insert_before(struct lz_code *c, struct lz_instr *x, struct lz_seq *s,
                          unsigned flags, struct lz_error *err);
/* Insert `s` after `x` (reached only by falling through x).  Anchor: x;
 * the block (3.8-3.10) is the one active after x. */
int lz_code_insert_after(struct lz_code *c, struct lz_instr *x, struct lz_seq *s,
                         unsigned flags, struct lz_error *err);
/* Replace first..last (inclusive, in list order) by `s` (may be empty).
 * Jumps, handlers and events aimed at `first` move to the first new
 * instruction (or, for an empty `s`, to the one after `last`); any other
 * reference into the range is LZ_EUSAGE.  Anchor: first. */
int lz_code_replace(struct lz_code *c, struct lz_instr *first, struct lz_instr *last,
                    struct lz_seq *s, unsigned flags, struct lz_error *err);

/* Aim jump `j` (in the list or in a sequence) at `target`. */
void lz_code_set_target(struct lz_instr *j, struct lz_instr *target);
/* 3.11+ only (lz_code_check reports it elsewhere): make `target` the
 * handler of `in` (an exception-table entry covering just that
 * instruction; the innermost handler wins, so this replaces the handler it
 * had).  target NULL removes it. */
void lz_code_set_handler(struct lz_instr *in, struct lz_instr *target,
                         uint16_t depth, bool lasti);
/* 3.8-3.10: wrap `x` in "SETUP_FINALLY handler; x; POP_BLOCK" - the block
 * equivalent of lz_code_set_handler.  Jumps aimed at x land on the SETUP.
 * x must fall through (not a jump, return or raise). */
int lz_code_wrap_in_block(struct lz_code *c, struct lz_instr *x,
                          struct lz_instr *handler, struct lz_error *err);

/* Make `in` (an instruction a pass added, already in the list) run as
 * line `line`.  3.10+ encode in_loc as it is; on 3.8-3.9, where only
 * lnotab events count, this adds the events that move from the line of the
 * instruction before it to `line` (for code a pass appends after the last
 * instruction, such as handlers). */
int lz_code_start_line(struct lz_code *c, struct lz_instr *in, int32_t line,
                       struct lz_error *err);

/* Index of name `s` in co_names, appending it (copy-on-write) if absent. */
int lz_code_add_name(struct lz_code *c, const char *s, size_t n, uint32_t *index,
                     struct lz_error *err);
/* Index of constant node `o` in co_consts (same node), appending if absent. */
int lz_code_add_const(struct lz_code *c, struct lz_obj *o, uint32_t *index,
                      struct lz_error *err);
/* Replace co_consts by `tuple` (the pipeline's rebuilt tuple of children). */
void lz_code_set_consts(struct lz_code *c, struct lz_obj *tuple);

/* ---- assemble (code_assemble.c) --------------------------------------- */

/* Build the code object.  *out = c->c_node itself when code, line table,
 * exception table, stack size, consts and names all come out identical;
 * else a copy (lz_obj_copy_code) with new byte nodes in c_obj_arena. */
int lz_code_assemble(struct lz_code *c, struct lz_obj **out, struct lz_error *err);

/* ---- analyses --------------------------------------------------------- */

/* Number the instructions 0..n-1 in list order (in_id); returns n. */
size_t lz_code_number(struct lz_code *c);
/* Maximum stack depth by flow analysis (bytecode-formats.md section 7).
 * LZ_EINPUT on a stack underflow or depths that keep growing. */
int lz_code_stackdepth(struct lz_code *c, int32_t *depth, struct lz_error *err);
/* Verify the invariants listed in code_check.c.  LZ_EINPUT with the first
 * violation.  Debug and test builds assert it after decode and every pass. */
int lz_code_check(struct lz_code *c, struct lz_error *err);

/* The instruction's name in this version ("LOAD_CONST"), for messages. */
const char *lz_code_opname(const struct lz_code *c, int op);

#endif
