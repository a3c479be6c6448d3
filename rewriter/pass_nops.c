/* pass_nops.c - debug pass: a NOP before every instruction.
 *
 * The engine's acceptance test: the rewritten pyc must behave exactly like
 * the original, and `dis` must show the same instructions, targets, lines
 * and handlers plus the NOPs.  Each NOP takes the location and handler of
 * the instruction it precedes, and jumps and handlers aimed at that
 * instruction land on the NOP.
 *
 * Where the interpreter inspects neighbouring instructions, nothing may be
 * inserted.  The rules (bytecode-formats.md 10.6-10.7, and found by running
 * the rewritten stdlib and test snippets on every version):
 *
 *  - 3.11+: not before the first RESUME, nor anywhere in the prologue in
 *    front of it (MAKE_CELL, COPY_FREE_VARS, RETURN_GENERATOR; POP_TOP).
 *    Frames are set up to start there, and the interpreter takes "before
 *    RESUME" to mean "not started yet".
 *  - 3.11+: not before any RESUME.  After YIELD_VALUE the generator code
 *    reads the next instruction (RESUME's oparg tells a plain yield from
 *    yield-from/await: gi_yieldfrom, throw() and close() depend on it).
 *  - 3.11: not between SEND and its YIELD_VALUE: throw() into a finished
 *    sub-iterator backs up one unit from the YIELD_VALUE to find SEND.
 *  - 3.11: not between PRECALL and CALL: specialised PRECALLs jump over
 *    the CALL by a fixed amount.
 *  - 3.11/3.12: not after KW_NAMES: it hands its names to the next
 *    (PRECALL and) CALL.
 *  - 3.12+: not before END_FOR: FOR_ITER's target must be the END_FOR it
 *    skips (the specialised forms assert it), and END_FOR is reached only
 *    that way.  3.13: FOR_ITER skips END_FOR and the POP_TOP after it;
 *    3.14+: END_FOR and POP_ITER: nothing between those pairs either.
 *  - 3.14+: not before NOT_TAKEN: branch monitoring expects it right after
 *    the conditional jump (or FOR_ITER) it belongs to.
 */
#include "lz_code_int.h"
#include "lz_pipeline.h"
#include <stdlib.h>
#include <string.h>

/* Is `op` the well-known opcode `known` (absent opcodes are -1)? */
static bool is(int op, int known)
{
    return known >= 0 && op == known;
}

/* The first instruction a NOP may precede: after the first RESUME
 * (3.11+), else the first instruction. */
static struct lz_instr *body_start(const struct lz_code *c)
{
    int resume = c->c_ver->v_op.RESUME;

    if (resume < 0)
        return c->c_first;
    for (struct lz_instr *in = c->c_first; in; in = in->in_next)
        if (in->in_op == resume)
            return in->in_next;
    return c->c_first;   /* no RESUME: forged, but nothing to protect */
}

/* May a NOP go between `prev` (the original predecessor, or NULL) and `in`? */
static bool nop_allowed(const struct lz_code *c, const struct lz_instr *prev,
                        const struct lz_instr *in)
{
    const struct lz_wellknown *k = &c->c_ver->v_op;
    int op = in->in_op, pop = prev ? prev->in_op : -1;
    const char *dis = getenv("NOPRULE_OFF");
    if (dis && strstr(dis, "resume") && is(op, k->RESUME)) return true;
    if (dis && strstr(dis, "endfor") && is(op, k->END_FOR)) return true;
    if (dis && strstr(dis, "nottaken") && is(op, k->NOT_TAKEN)) return true;
    if (dis && strstr(dis, "kwnames") && is(pop, k->KW_NAMES)) return true;
    if (dis && strstr(dis, "precall") && is(pop, k->PRECALL)) return true;
    if (dis && strstr(dis, "send") && is(pop, k->SEND)) return true;
    if (dis && strstr(dis, "popiter") && is(pop, k->END_FOR)) return true;

    if (is(op, k->RESUME) || is(op, k->END_FOR) || is(op, k->NOT_TAKEN))
        return false;
    if (is(pop, k->KW_NAMES) || is(pop, k->PRECALL))
        return false;
    if (is(pop, k->SEND) && c->c_ver->v_op.CLEANUP_THROW < 0)   /* 3.11 only */
        return false;
    if (is(pop, k->END_FOR) && (is(op, k->POP_TOP) || is(op, k->POP_ITER)))
        return false;
    return true;
}

int lz_pass_insert_debug_nops(struct lz_code *c, void *ctx, struct lz_error *err)
{
    const struct lz_version *v = c->c_ver;
    struct lz_instr *prev = NULL, *in, *next;
    struct lz_seq s;

    in = body_start(c);
    if (in)
        prev = in->in_prev;
    for (; in; prev = in, in = next) {
        next = in->in_next;
        if (!nop_allowed(c, prev, in))
            continue;
        lz_seq_init(&s);
        lz_seq_emit(c, &s, v->v_op.NOP, 0);
        LZ_TRY(lz_code_insert_before(c, in, &s, LZ_EDIT_TAKE_REFS, err));
    }
    return LZ_OK;
}

const struct lz_pipeline_pass lz_pass_debug_nops = {
    .p_name = "insert_debug_nops",
    .p_run = lz_pass_insert_debug_nops,
    .p_ctx = NULL,
};
