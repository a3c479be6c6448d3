/* code_check.c - the instruction list's invariants, as code.
 *
 * lz_code_check() verifies, and reports the first violation of:
 *   1. the list: prev/next agree, c_first/c_last/c_ninstr match, no cycle;
 *   2. each instruction: an on-disk opcode of the version (never
 *      EXTENDED_ARG or CACHE), the table's cache count, an oparg that fits
 *      in one byte when the opcode takes none (unless decoded with that many
 *      prefixes: a stale one), at most LZ_CODE_PREFIX_MAX kept prefixes;
 *   3. jumps: exactly the jump opcodes have a target, the target is in the
 *      list, forward-only opcodes aim forward and 3.11+ backward ones
 *      backward; every jump is in its target's in_jumpers list exactly once;
 *   4. handlers (3.11+ only): target in the list, in_handles lists exact
 *      (not "handler depth <= stack depth": 3.15 generator expressions
 *      cover instructions after POP_ITER, at depth 0, with a depth-2 entry);
 *   5. blocks (3.8-3.10 only): in_block is a SETUP_* in the list;
 *      lnotab events (3.8-3.9 only) sit on a unit of their instruction;
 *   6. the stack: lz_code_stackdepth() finds no underflow.
 * Debug and test builds run it after decode and after every pass
 * (pipeline.c), so a bad pass fails at its own boundary.
 */
#include <string.h>

#include "lz_code_int.h"

struct checker {
    struct lz_code *k_code;
    struct lz_instr **k_order;   /* in_id -> instruction */
    uint8_t *k_jumps_seen;       /* per in_id: times met in a jumper list */
    uint8_t *k_handled_seen;     /* per in_id: times met in a handled list */
    size_t k_n;
    struct lz_error *k_err;
};

size_t lz_code_number(struct lz_code *c)
{
    size_t n = 0;

    for (struct lz_instr *in = c->c_first; in; in = in->in_next)
        in->in_id = (uint32_t)n++;
    return n;
}

static int bad(struct checker *k, const struct lz_instr *in, const char *what)
{
    return lz_error_set(k->k_err, LZ_EINPUT, "code '%s': invariant broken at instruction #%u "
                        "(%s%s): %s", k->k_code->c_name, in ? in->in_id : 0,
                        in ? lz_code_opname(k->k_code, in->in_op) : "-",
                        in && in->in_orig_unit == LZ_INSTR_NEW ? ", inserted" : "", what);
}

static bool in_list(const struct checker *k, const struct lz_instr *in)
{
    return in && in->in_id < k->k_n && k->k_order[in->in_id] == in;
}

static int check_list(struct checker *k)
{
    struct lz_code *c = k->k_code;
    struct lz_instr *prev = NULL, *in;
    size_t n = 0;

    for (in = c->c_first; in && n <= c->c_ninstr; prev = in, in = in->in_next, n++) {
        if (in->in_prev != prev)
            return bad(k, in, "in_prev does not point at the previous instruction");
        if (n < c->c_ninstr)
            k->k_order[n] = in;
        in->in_id = (uint32_t)n;
    }
    if (n != c->c_ninstr || c->c_last != prev)
        return lz_error_set(k->k_err, LZ_EINPUT, "code '%s': list has %zu instructions, "
                            "c_ninstr says %zu (or c_last is wrong)", c->c_name, n,
                            c->c_ninstr);
    return LZ_OK;
}

static int check_instr(struct checker *k, struct lz_instr *in)
{
    const struct lz_version *v = k->k_code->c_ver;
    const struct lz_opinfo *oi = &v->v_ops[in->in_op];

    if (!(oi->oi_flags & LZ_OPF_EXISTS) || in->in_op == v->v_op.EXTENDED_ARG ||
        in->in_op == v->v_op.CACHE)
        return bad(k, in, "not an on-disk instruction of this version");
    if (in->in_ncache != oi->oi_ncache)
        return bad(k, in, "wrong number of cache units");
    /* An opcode without argument may carry a stale oparg above 255 only
     * with the prefixes it was decoded with (3.10 NOPs, code_decode.c). */
    if (!(oi->oi_flags & LZ_OPF_ARG) && lz_prefixes_for(in->in_arg) > in->in_nprefix_min)
        return bad(k, in, "oparg above 255 on an opcode without argument");
    if (in->in_nprefix_min > LZ_CODE_PREFIX_MAX)
        return bad(k, in, "more than three EXTENDED_ARG prefixes");
    if (lz_op_is_jump(v, in->in_op) != (in->in_target != NULL))
        return bad(k, in, in->in_target ? "a target on a non-jump" : "a jump without target");
    if (in->in_target) {
        if (!in_list(k, in->in_target))
            return bad(k, in, "jump target is not in the list");
        if ((oi->oi_flags & LZ_OPF_JREL) && in->in_target->in_id <= in->in_id)
            return bad(k, in, "forward jump aims backward");
        if ((oi->oi_flags & LZ_OPF_JBACK) && in->in_target->in_id > in->in_id)
            return bad(k, in, "backward jump aims forward");
    }
    for (const struct lz_instr *j = in->in_jumpers; j; j = j->in_jnext) {
        if (j->in_target != in || !in_list(k, j))
            return bad(k, in, "its in_jumpers list holds a stranger");
        if (++k->k_jumps_seen[j->in_id] > 1)
            return bad(k, j, "listed twice as a jumper");
    }
    if (!v->v_exception_table && (in->in_exc.x_target || in->in_handles))
        return bad(k, in, "an exception handler before 3.11");
    if (in->in_exc.x_target && !in_list(k, in->in_exc.x_target))
        return bad(k, in, "handler is not in the list");
    for (const struct lz_instr *h = in->in_handles; h; h = h->in_xnext) {
        if (h->in_exc.x_target != in || !in_list(k, h))
            return bad(k, in, "its in_handles list holds a stranger");
        if (++k->k_handled_seen[h->in_id] > 1)
            return bad(k, h, "listed twice as handled");
    }
    if (in->in_block && (v->v_exception_table || !in_list(k, in->in_block) ||
                         !(v->v_ops[in->in_block->in_op].oi_flags & LZ_OPF_SETUP)))
        return bad(k, in, "in_block is not a SETUP_* of this code");
    for (const struct lz_lnevent *e = in->in_events; e; e = e->ev_next)
        if (v->v_lines != LZ_LINES_LNOTAB || (e->ev_rel != LZ_EV_AT_START &&
            (e->ev_rel < -LZ_CODE_PREFIX_MAX || e->ev_rel > in->in_ncache)))
            return bad(k, in, "lnotab event out of place");
    return LZ_OK;
}

static int check_refs_complete(struct checker *k)
{
    for (size_t i = 0; i < k->k_n; i++) {
        const struct lz_instr *in = k->k_order[i];
        if ((in->in_target != NULL) != (k->k_jumps_seen[i] == 1))
            return bad(k, in, "jump missing from its target's in_jumpers list");
        if ((in->in_exc.x_target != NULL) != (k->k_handled_seen[i] == 1))
            return bad(k, in, "instruction missing from its handler's in_handles list");
    }
    return LZ_OK;
}

static int check_stack(struct checker *k)
{
    int32_t depth;

    return lz_code_stackdepth(k->k_code, &depth, k->k_err);
}

static int run_checks(struct checker *k)
{
    LZ_TRY(check_list(k));
    for (size_t i = 0; i < k->k_n; i++)
        LZ_TRY(check_instr(k, k->k_order[i]));
    LZ_TRY(check_refs_complete(k));
    return check_stack(k);
}

int lz_code_check(struct lz_code *c, struct lz_error *err)
{
    struct checker k = { .k_code = c, .k_n = c->c_ninstr, .k_err = err };
    int rc;

    k.k_order = lz_malloc((k.k_n + 1) * sizeof *k.k_order);
    k.k_jumps_seen = lz_malloc(k.k_n + 1);
    k.k_handled_seen = lz_malloc(k.k_n + 1);
    if (!k.k_order || !k.k_jumps_seen || !k.k_handled_seen) {
        rc = lz_error_set(err, LZ_ENOMEM, "out of memory checking '%s'", c->c_name);
    } else {
        memset(k.k_jumps_seen, 0, k.k_n + 1);
        memset(k.k_handled_seen, 0, k.k_n + 1);
        rc = run_checks(&k);
    }
    lz_free(k.k_order);
    lz_free(k.k_jumps_seen);
    lz_free(k.k_handled_seen);
    return rc;
}
