/* pass_nops.c - debug pass: a NOP before every instruction.
 *
 * The engine's acceptance test: the rewritten pyc must behave exactly like
 * the original, and `dis` must show the same instructions, targets, lines
 * and handlers plus the NOPs.  Each NOP takes the location and handler of
 * the instruction it precedes, and jumps and handlers aimed at that
 * instruction land on the NOP.
 *
 * Where the interpreter inspects neighbouring instructions, nothing may be
 * inserted.  Each rule names the test that fails without it
 * (tests/engine/snippets/, run by tests/engine/run_nops.py; found by
 * switching the rule off) - see also bytecode-formats.md 10.6-10.7:
 *
 *  - 3.11+: not before the first RESUME, nor in the prologue in front of it
 *    (MAKE_CELL, COPY_FREE_VARS, RETURN_GENERATOR; POP_TOP): frames start
 *    there, and "before the first RESUME" means "not started yet".
 *  - 3.11+: not before any RESUME.  After a YIELD_VALUE the generator code
 *    reads the next instruction: 3.11/3.12 tell yield-from/await from a
 *    plain yield by it (gi_yieldfrom, send/throw delegation: gens.py);
 *    3.13+ close() takes its no-run fast path only when it finds the RESUME
 *    (otherwise the generator is resumed to raise GeneratorExit, which
 *    tracing sees: tracing.py).
 *  - 3.11: not between SEND and its YIELD_VALUE: throw() into a
 *    sub-iterator that returns backs up one unit from the YIELD_VALUE to
 *    find SEND's jump (gens.py, "throw into returning sub").
 *  - 3.11: not between PRECALL and CALL: specialised PRECALLs jump over the
 *    CALL by a fixed distance (gens.py, jumps.py).
 *  - 3.11/3.12: not between KW_NAMES and the call it belongs to.  KW_NAMES
 *    parks its tuple in an interpreter variable that only the call
 *    instructions consume; a NOP in between did not break a release build
 *    in our tests, but the compiler never separates them and the
 *    specialiser reads them as a pair, so we do not either.
 *  - 3.12+: not before END_FOR: FOR_ITER's target must be the END_FOR it
 *    jumps over (comps.py, big.py).  3.13 FOR_ITER also skips the POP_TOP
 *    after END_FOR (comps.py); 3.14+ branch monitoring reports the exit of
 *    a for loop from the instruction before POP_ITER (monitoring_312.py).
 *  - 3.12+: not before FOR_ITER.  Under sys.settrace the instruction that
 *    starts a line runs through INSTRUMENTED_LINE and is not specialised;
 *    a NOP there makes FOR_ITER an ordinary instruction that 3.13+
 *    specialise to FOR_ITER_GEN, whose exhausted generator returns
 *    through END_FOR and reports an extra StopIteration 'exception' event
 *    (tracing.py).  3.12 does not show it; included for simplicity.
 *  - 3.12+: not before END_SEND: 3.14+ reports async-for branches relative
 *    to it (END_ASYNC_FOR's oparg counts back to it; monitoring_312.py).
 *  - not before END_ASYNC_FOR: it is the exception handler of an async
 *    for loop, and 3.12+ make every handler start a line except
 *    END_ASYNC_FOR; a NOP there would add a line event when the loop ends
 *    (tracing.py).  Needed from 3.12; applied everywhere for simplicity
 *    (END_ASYNC_FOR runs once per loop, so no coverage is lost).
 *  - 3.14+: not between LOAD_SPECIAL and CALL: 3.15 takes no pending
 *    interrupt at the end of the CALL that runs __enter__ (recognised by
 *    the LOAD_SPECIAL before it), so that an interrupt lands inside the
 *    with block and __exit__ runs (withs.py, _testinternalcapi's
 *    SelfInterruptingContextManager; 3.14 included for simplicity).
 *  - 3.14+: not before NOT_TAKEN: branch monitoring takes the instruction
 *    before NOT_TAKEN as the branch (monitoring_312.py).
 *
 * 3.8-3.10 have no neighbour rules in the interpreter loop, but their
 * debugger jump (frame.f_lineno = N, pdb's `jump`) checks the target by
 * scanning the bytecode as the compiler laid it out; getting that wrong
 * crashes the interpreter.  And 3.8-3.10 GET_AWAITABLE reads its
 * neighbours for its error message:
 *  - 3.8-3.9 (co_lnotab): an instruction that starts a line keeps starting
 *    it: its NOP goes at the end of the previous line instead (inserted
 *    after the predecessor, jumps still land on the instruction).  The
 *    debugger jump refuses "except" lines by the opcode found at the line
 *    start, and 3.9 decides whether to trace a line at a handler by
 *    whether the raising instruction started its line (tracing.py).
 *    Only lnotab instructions carry line events, so the test needs no
 *    version check.
 *  - 3.8-3.10: not before the handler a SETUP_* jumps to (jumping a with
 *    block inside finally: jumping.py crashes 3.8 without it).
 *  - 3.9/3.10: not right after GET_ITER / GET_AITER (the jump check reads
 *    them with the call that consumes the iterator: jumping.py crashes).
 *    Tested as "has a block stack" (3.8-3.10), 3.8 included.
 *  - 3.8-3.10: not before GET_AWAITABLE without an oparg, nor before the
 *    instruction in front of it: it names "__aenter__" / "__aexit__" in
 *    its TypeError from the two opcodes before it (withs.py).
 * 3.10's GEN_START at entry takes a NOP fine.
 */
#include "lz_code_int.h"
#include "lz_passes.h"

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

/* Is `in` the handler a 3.8-3.10 SETUP_* jumps to? */
static bool is_block_handler(const struct lz_code *c, const struct lz_instr *in)
{
    for (const struct lz_instr *j = in->in_jumpers; j; j = j->in_jnext)
        if (c->c_ver->v_ops[j->in_op].oi_flags & LZ_OPF_SETUP)
            return true;
    return false;
}

/* GET_AWAITABLE without an oparg (3.8-3.10) words its error from the two
 * instructions before it; from 3.11 the oparg says __aenter__/__aexit__
 * and nothing is read.  Both facts come from the table: the opcode number
 * and whether this version's GET_AWAITABLE has LZ_OPF_ARG. */
static bool awaitable_without_arg(const struct lz_code *c, const struct lz_instr *in)
{
    const struct lz_version *v = c->c_ver;

    return is(in->in_op, v->v_op.GET_AWAITABLE) && !(v->v_ops[in->in_op].oi_flags & LZ_OPF_ARG);
}

/* May a NOP go between `prev` (the original predecessor, or NULL) and `in`? */
static bool nop_allowed(const struct lz_code *c, const struct lz_instr *prev,
                        const struct lz_instr *in)
{
    const struct lz_wellknown *k = &c->c_ver->v_op;
    int op = in->in_op, pop = prev ? prev->in_op : -1;

    if (is(op, k->RESUME) || is(op, k->END_FOR) || is(op, k->END_SEND) ||
        is(op, k->END_ASYNC_FOR) || is(op, k->NOT_TAKEN))
        return false;
    if (is(pop, k->KW_NAMES) || is(pop, k->PRECALL))
        return false;
    if (is(pop, k->SEND) && k->CLEANUP_THROW < 0)   /* 3.11: SEND without CLEANUP_THROW */
        return false;
    if (is(pop, k->END_FOR) && (is(op, k->POP_TOP) || is(op, k->POP_ITER)))
        return false;
    if (is(op, k->FOR_ITER) && k->END_FOR >= 0)
        return false;
    if (is(pop, k->LOAD_SPECIAL) && is(op, k->CALL))
        return false;
    if (!c->c_ver->v_exception_table && (is(pop, k->GET_ITER) || is(pop, k->GET_AITER)))
        return false;
    if (awaitable_without_arg(c, in) || (in->in_next && awaitable_without_arg(c, in->in_next)))
        return false;
    if (is_block_handler(c, in))
        return false;
    /* 3.8-3.10 hold back signals and thread switches while the next
     * instruction is one of these, so nothing can interrupt between
     * acquiring a resource and entering its block (`with open(p) as f`).
     * A NOP in front would reopen that window. */
    if (!c->c_ver->v_exception_table &&
        ((c->c_ver->v_ops[op].oi_flags & LZ_OPF_SETUP) || is(op, k->BEFORE_ASYNC_WITH)))
        return false;
    return true;
}

int lz_pass_insert_debug_nops(struct lz_code *c, void *ctx, struct lz_error *err)
{
    const struct lz_version *v = c->c_ver;
    struct lz_instr *prev = NULL, *in, *next;
    struct lz_seq s;

    (void)ctx;
    in = body_start(c);
    if (in)
        prev = in->in_prev;
    for (; in; prev = in, in = next) {
        next = in->in_next;
        if (!nop_allowed(c, prev, in))
            continue;
        lz_seq_init(&s);
        lz_seq_emit(c, &s, v->v_op.NOP, 0);
        if (!in->in_events) {
            LZ_TRY(lz_code_insert_before(c, in, &s, LZ_EDIT_TAKE_REFS, err));
        } else if (prev) {
            /* lnotab line start: the NOP ends the previous line instead */
            LZ_TRY(lz_code_insert_after(c, prev, &s, 0, err));
        }
    }
    return LZ_OK;
}

const struct lz_pipeline_pass lz_pass_debug_nops = {
    .p_name = "insert_debug_nops",
    .p_run = lz_pass_insert_debug_nops,
    .p_ctx = NULL,
};
