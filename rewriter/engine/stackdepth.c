/* stackdepth.c - maximum value-stack depth by flow analysis.
 *
 * bytecode-formats.md section 7: a worklist over instructions with an entry
 * depth.  The entry starts at 0, or at v_gen_start_depth for generators,
 * coroutines and async generators (3.10-3.12 receive the first sent value on
 * the stack).  A jump gives its target depth + effect(jump); the next
 * instruction gets depth + effect(fall through) unless the instruction never
 * falls through.  3.11+ exception handlers are seeded with the entry's
 * depth + lasti + 1 (the exception, and the offset if lasti).  3.8-3.10
 * handlers are reached through the SETUP_* jump edge, whose effect is the
 * handler's entry depth.  3.14+ END_ASYNC_FOR is flagged as a backward jump
 * only for branch monitoring: no edge.
 *
 * Compiler output reaches every instruction with one depth.  If a later
 * path brings a larger one the instruction is queued again (the result
 * stays an upper bound); an instruction whose depth keeps growing is a loop
 * that pushes more than it pops - forged bytecode - and is refused after
 * DEPTH_REVISITS_MAX rounds, as is any path that pops an empty stack.
 */
#include "lz_code_int.h"

/* How often one instruction may be re-queued with a larger depth. */
#define DEPTH_REVISITS_MAX 8

struct flow {
    struct lz_code *f_code;
    struct lz_instr **f_work;   /* LIFO worklist; each instruction at most once */
    size_t f_nwork;
    int64_t f_max;
    struct lz_error *f_err;
};

static int depth_error(struct flow *f, const struct lz_instr *in, const char *what, int64_t d)
{
    return lz_error_set(f->f_err, LZ_EINPUT, "code '%s': %s (depth %lld) at %s%s%u",
                        f->f_code->c_name, what, (long long)d,
                        lz_code_opname(f->f_code, in->in_op),
                        in->in_orig_unit == LZ_INSTR_NEW ? " (inserted), instruction #" :
                        ", offset ",
                        in->in_orig_unit == LZ_INSTR_NEW ? in->in_id : in->in_orig_unit * 2);
}

static int reach(struct flow *f, struct lz_instr *in, int64_t depth, const struct lz_instr *from)
{
    if (depth < 0)
        return depth_error(f, from, "stack underflow", depth);
    if (depth > f->f_max)
        f->f_max = depth;
    if (depth <= in->in_depth)
        return LZ_OK;
    if (in->in_depth >= 0 && ++in->in_visits > DEPTH_REVISITS_MAX)
        return depth_error(f, in, "stack depth keeps growing", depth);
    in->in_depth = (int32_t)(depth > INT32_MAX ? INT32_MAX : depth);
    if (!(in->in_flags & LZ_INSTR_QUEUED)) {
        in->in_flags |= LZ_INSTR_QUEUED;
        f->f_work[f->f_nwork++] = in;
    }
    return LZ_OK;
}

static int seed(struct flow *f)
{
    struct lz_code *c = f->f_code;
    const struct lz_version *v = c->c_ver;
    int64_t start = (c->c_co->co_flags & LZ_CO_GENLIKE) ? v->v_gen_start_depth : 0;

    if (!c->c_first)
        return LZ_OK;
    LZ_TRY(reach(f, c->c_first, start, c->c_first));
    for (struct lz_instr *in = c->c_first; in; in = in->in_next)
        if (in->in_exc.x_target)
            LZ_TRY(reach(f, in->in_exc.x_target,
                         (int64_t)in->in_exc.x_depth + in->in_exc.x_lasti + 1, in));
    return LZ_OK;
}

static int propagate(struct flow *f)
{
    const struct lz_version *v = f->f_code->c_ver;

    while (f->f_nwork) {
        struct lz_instr *in = f->f_work[--f->f_nwork];
        int64_t d = in->in_depth;
        uint16_t fl = v->v_ops[in->in_op].oi_flags;

        in->in_flags &= (uint8_t)~LZ_INSTR_QUEUED;
        if (in->in_target && in->in_op != v->v_op.END_ASYNC_FOR)
            LZ_TRY(reach(f, in->in_target,
                         d + lz_stack_effect(v, in->in_op, in->in_arg, true), in));
        if (!(fl & LZ_OPF_NOFALL)) {
            int64_t next = d + lz_stack_effect(v, in->in_op, in->in_arg, false);
            if (next < 0)
                return depth_error(f, in, "stack underflow", next);
            if (next > f->f_max)
                f->f_max = next;
            if (in->in_next)
                LZ_TRY(reach(f, in->in_next, next, in));
        }
    }
    return LZ_OK;
}

int lz_code_stackdepth(struct lz_code *c, int32_t *depth, struct lz_error *err)
{
    struct flow f = { .f_code = c, .f_err = err };
    size_t n = lz_code_number(c);
    int rc;

    *depth = 0;
    f.f_work = lz_malloc((n ? n : 1) * sizeof *f.f_work);
    if (!f.f_work)
        return lz_error_set(err, LZ_ENOMEM, "out of memory computing the stack of '%s'",
                            c->c_name);
    for (struct lz_instr *in = c->c_first; in; in = in->in_next) {
        in->in_depth = -1;
        in->in_visits = 0;
        in->in_flags &= (uint8_t)~LZ_INSTR_QUEUED;
    }
    rc = seed(&f);
    if (rc == LZ_OK)
        rc = propagate(&f);
    lz_free(f.f_work);
    if (rc == LZ_OK)
        *depth = (int32_t)(f.f_max > INT32_MAX ? INT32_MAX : f.f_max);
    return rc;
}
