/* code_decode.c - co_code and its tables -> an instruction list.
 *
 * Steps, each a small function chained in lz_code_decode():
 *   split_instructions    units -> instructions: EXTENDED_ARG folded into the
 *                         oparg (prefix count kept, also before an opcode
 *                         without argument), caches checked and attached
 *   resolve_jump_targets  jump opargs -> instruction pointers (4.2)
 *   attach_handlers       3.11+ co_exceptiontable -> per-instruction handler (6.2)
 *   attach_locations      line/location table -> in_loc; lnotab events (5)
 *   label_blocks          3.8-3.10 block-stack flow pass -> in_block (6.1)
 * Every refusal names the code object and the byte offset.
 * Sections refer to shared/reference/bytecode-formats.md.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lz_code_int.h"

struct decoder {
    struct lz_code *d_code;
    const struct lz_version *d_ver;
    const uint8_t *d_bytes;        /* co_code */
    size_t d_nunits;
    struct lz_instr *d_instrs;     /* decoded instructions, in order (arena) */
    size_t d_ninstr;
    struct lz_instr **d_start;     /* unit -> instruction starting there, or NULL */
    struct lz_error *d_err;
};

static int refuse(struct decoder *d, size_t unit, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int refuse(struct decoder *d, size_t unit, const char *fmt, ...)
{
    char what[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return lz_error_set(d->d_err, LZ_EINPUT, "code '%s': %s at offset 0x%zx",
                        d->d_code->c_name, what, unit * 2);
}

/* First unit of the instruction's opcode (after its prefixes). */
static size_t opcode_unit(const struct lz_instr *in)
{
    return in->in_orig_unit + in->in_nprefix_min;
}

static void copy_name(struct lz_code *c)
{
    const struct lz_obj *s = c->c_co->co_qualname ? c->c_co->co_qualname : c->c_co->co_name;
    size_t n = 0;

    if (s && s->o_kind == LZ_K_STR) {
        for (; n < s->u.o_raw.size && n + 1 < sizeof c->c_name; n++) {
            uint8_t ch = s->u.o_raw.data[n];
            c->c_name[n] = (ch >= 0x20 && ch < 0x7f) ? (char)ch : '?';
        }
    }
    c->c_name[n] = '\0';
}

/* ---- split_instructions ------------------------------------------------ */

/* An upper bound of the instruction count, so the instruction array is not
 * sized by code units (3.11+ code is more than half caches).  Mirrors
 * split_instructions' walk without checking anything. */
static size_t count_instructions(const struct decoder *d)
{
    const struct lz_version *v = d->d_ver;
    size_t n = 0, u = 0;

    while (u < d->d_nunits) {
        while (u < d->d_nunits && d->d_bytes[2 * u] == v->v_op.EXTENDED_ARG)
            u++;
        if (u < d->d_nunits)
            u += 1 + v->v_ops[d->d_bytes[2 * u]].oi_ncache;
        n++;
    }
    return n;
}

static int split_instructions(struct decoder *d)
{
    const struct lz_version *v = d->d_ver;
    size_t u = 0;

    while (u < d->d_nunits) {
        struct lz_instr *in = &d->d_instrs[d->d_ninstr];
        size_t start = u, prefixes = 0;
        uint32_t arg = 0;
        int op;

        while (d->d_bytes[2 * u] == v->v_op.EXTENDED_ARG) {
            if (prefixes == LZ_CODE_PREFIX_MAX)
                return refuse(d, start, "more than %d EXTENDED_ARG prefixes", LZ_CODE_PREFIX_MAX);
            arg = (arg << 8) | d->d_bytes[2 * u + 1];
            prefixes++;
            if (++u == d->d_nunits)
                return refuse(d, start, "truncated EXTENDED_ARG at the end of the code");
        }
        op = d->d_bytes[2 * u];
        arg = (arg << 8) | d->d_bytes[2 * u + 1];
        if (op == v->v_op.CACHE)
            return refuse(d, u, "CACHE unit where an instruction should start");
        if (!(v->v_ops[op].oi_flags & LZ_OPF_EXISTS))
            return refuse(d, u, "opcode %d does not exist in %s", op, v->v_name);
        /* Prefixes before an opcode without argument are accepted and kept
         * (in_arg holds the whole stale oparg, in_nprefix_min the prefix
         * count, so the assembler writes them back): the interpreter
         * ignores the oparg, and CPython 3.10's assembler emits them when
         * its optimiser turns an instruction with a large oparg into a NOP
         * (e.g. a folded LOAD_CONST 450 -> EXTENDED_ARG 1; NOP 194). */
        in->in_op = (uint8_t)op;
        in->in_arg = arg;
        in->in_nprefix_min = (uint8_t)prefixes;
        in->in_ncache = v->v_ops[op].oi_ncache;
        in->in_orig_unit = (uint32_t)start;
        u++;
        if (in->in_ncache > d->d_nunits - u)
            return refuse(d, start, "%s needs %u cache units, the code ends first",
                          v->v_ops[op].oi_name, in->in_ncache);
        for (size_t k = 0; k < in->in_ncache; k++, u++) {
            if (d->d_bytes[2 * u] != 0 || d->d_bytes[2 * u + 1] != 0)
                return refuse(d, u, "cache unit of %s is not zero", v->v_ops[op].oi_name);
        }
        d->d_start[start] = in;
        d->d_ninstr++;
    }
    return LZ_OK;
}

static void link_list(struct decoder *d)
{
    struct lz_code *c = d->d_code;

    for (size_t i = 0; i < d->d_ninstr; i++) {
        struct lz_instr *in = &d->d_instrs[i];
        in->in_prev = i ? &d->d_instrs[i - 1] : NULL;
        in->in_next = i + 1 < d->d_ninstr ? &d->d_instrs[i + 1] : NULL;
        in->in_id = (uint32_t)i;
    }
    c->c_first = d->d_ninstr ? &d->d_instrs[0] : NULL;
    c->c_last = d->d_ninstr ? &d->d_instrs[d->d_ninstr - 1] : NULL;
    c->c_ninstr = c->c_orig_ninstr = d->d_ninstr;
}

/* ---- resolve_jump_targets (4.2) ---------------------------------------- */

/* The instruction starting at unit `t`, or a refusal naming the jump. */
static int instr_at(struct decoder *d, const struct lz_instr *from, int64_t t,
                    const char *what, struct lz_instr **out)
{
    if (t < 0 || (uint64_t)t >= d->d_nunits)
        return refuse(d, from->in_orig_unit, "%s target 0x%llx out of range (code is 0x%zx bytes)",
                      what, (long long)t * 2, d->d_nunits * 2);
    if (!d->d_start[t])
        return refuse(d, from->in_orig_unit, "%s target 0x%llx is inside an instruction",
                      what, (long long)t * 2);
    *out = d->d_start[t];
    return LZ_OK;
}

static int resolve_jump_targets(struct decoder *d)
{
    const struct lz_version *v = d->d_ver;

    for (size_t i = 0; i < d->d_ninstr; i++) {
        struct lz_instr *in = &d->d_instrs[i];
        uint16_t f = v->v_ops[in->in_op].oi_flags;
        int64_t end = (int64_t)opcode_unit(in) + 1 + in->in_ncache, target;
        int64_t delta = (int64_t)in->in_arg * v->v_jump_unit;   /* in bytes */
        struct lz_instr *t;

        if (!lz_op_is_jump(v, in->in_op))
            continue;
        if (delta % 2)
            return refuse(d, in->in_orig_unit, "%s argument %u is an odd byte count",
                          v->v_ops[in->in_op].oi_name, in->in_arg);
        delta /= 2;
        if (f & LZ_OPF_JABS)
            target = delta;
        else if (f & LZ_OPF_JBACK)
            target = end - delta;
        else
            target = end + delta;
        LZ_TRY(instr_at(d, in, target, v->v_ops[in->in_op].oi_name, &t));
        lz_ref_link_jump(in, t);
    }
    return LZ_OK;
}

/* ---- attach_handlers (6.2) --------------------------------------------- */

static int attach_handlers(struct decoder *d)
{
    const struct lz_codeobj *co = d->d_code->c_co;
    struct lz_handler *units;

    if (!d->d_ver->v_exception_table)
        return LZ_OK;
    if (!co->co_exceptiontable || co->co_exceptiontable->o_kind != LZ_K_BYTES)
        return refuse(d, 0, "no exception table");
    LZ_TRY(lz_exctable_decode(co->co_exceptiontable->u.o_raw.data,
                              co->co_exceptiontable->u.o_raw.size, d->d_nunits,
                              d->d_code->c_arena, &units, d->d_err));
    for (size_t i = 0; i < d->d_ninstr; i++) {
        struct lz_instr *in = &d->d_instrs[i];
        /* The interpreter looks up the unit of the opcode itself; prefixes
         * and caches never raise.  The compiler covers whole instructions
         * anyway (verified on every stdlib code object). */
        const struct lz_handler *h = &units[opcode_unit(in)];
        struct lz_instr *t;

        if (h->h_target < 0)
            continue;
        LZ_TRY(instr_at(d, in, h->h_target, "exception handler", &t));
        in->in_exc.x_depth = h->h_depth;
        in->in_exc.x_lasti = h->h_lasti;
        lz_ref_link_handler(in, t);
    }
    return LZ_OK;
}

/* ---- attach_locations (5) ---------------------------------------------- */

static int attach_events(struct decoder *d, const struct lz_linetab *lt)
{
    struct lz_code *c = d->d_code;
    struct lz_lnevent **tail = &c->c_end_events;
    size_t i = 0;

    for (size_t e = 0; e < lt->lt_nevents; e++) {
        const struct lz_lnotab_event *ev = &lt->lt_events[e];
        struct lz_lnevent *ne;
        int64_t rel = 0;

        if (ev->ev_unit > d->d_nunits)
            return refuse(d, ev->ev_unit, "line table event beyond the code");
        ne = lz_arena_calloc(c->c_arena, 1, sizeof *ne);
        if (!ne)
            return lz_error_set(d->d_err, LZ_ENOMEM, "out of memory decoding '%s'", c->c_name);
        ne->ev_line_inc = ev->ev_line_inc;
        if (ev->ev_unit < d->d_nunits) {
            struct lz_instr *in;
            /* events come in unit order (lnotab address steps are unsigned) */
            while (i + 1 < d->d_ninstr && d->d_instrs[i + 1].in_orig_unit <= ev->ev_unit)
                i++;
            in = &d->d_instrs[i];
            rel = (int64_t)ev->ev_unit - (int64_t)opcode_unit(in);
            if (rel < -LZ_CODE_PREFIX_MAX || rel > in->in_ncache ||
                ev->ev_unit < in->in_orig_unit)
                return refuse(d, ev->ev_unit, "line table events out of order");
            ne->ev_rel = ev->ev_unit == in->in_orig_unit ? LZ_EV_AT_START : (int8_t)rel;
            for (tail = &in->in_events; *tail; tail = &(*tail)->ev_next)
                ;
        } else {
            for (tail = &c->c_end_events; *tail; tail = &(*tail)->ev_next)
                ;
        }
        *tail = ne;
    }
    return LZ_OK;
}

static int attach_locations(struct decoder *d)
{
    const struct lz_codeobj *co = d->d_code->c_co;
    struct lz_linetab lt;

    if (!co->co_linetable || co->co_linetable->o_kind != LZ_K_BYTES)
        return refuse(d, 0, "no line table");
    LZ_TRY(lz_lines_decode(d->d_ver, co->co_linetable->u.o_raw.data,
                           co->co_linetable->u.o_raw.size, co->co_firstlineno,
                           d->d_nunits, d->d_code->c_arena, &lt, d->d_err));
    if (lt.lt_nunits != d->d_nunits)
        return refuse(d, 0, "line table covers %zu units, code has %zu", lt.lt_nunits,
                      d->d_nunits);
    for (size_t i = 0; i < d->d_ninstr; i++)
        d->d_instrs[i].in_loc = lt.lt_locs[opcode_unit(&d->d_instrs[i])];
    return attach_events(d, &lt);
}

/* ---- label_blocks (6.1) ------------------------------------------------ */

/* A persistent block stack: pushing shares the tail, so copying a stack
 * along a jump is one pointer. */
struct blk {
    struct lz_instr *b_setup;
    const struct blk *b_up;
    unsigned b_depth;
};

static bool same_stack(const struct blk *a, const struct blk *b)
{
    for (; a && b; a = a->b_up, b = b->b_up)
        if (a == b)
            return true;
        else if (a->b_setup != b->b_setup)
            return false;
    return a == b;
}

struct blockflow {
    struct lz_code *bf_code;
    const struct blk **bf_at;      /* in_id -> stack on entry */
    struct lz_instr **bf_work;     /* LIFO; each instruction enters once */
    size_t bf_nwork;
};

/* First arrival wins; a later one with another stack is only counted. */
static void reach_with(struct blockflow *bf, struct lz_instr *in, const struct blk *stack)
{
    if (!(in->in_flags & LZ_INSTR_REACHED)) {
        in->in_flags |= LZ_INSTR_REACHED;
        bf->bf_at[in->in_id] = stack;
        bf->bf_work[bf->bf_nwork++] = in;
    } else if (!same_stack(bf->bf_at[in->in_id], stack)) {
        bf->bf_code->c_block_conflicts++;
    }
}

/* Propagate SETUP_* / POP_BLOCK along control flow from the entry: SETUP
 * pushes on the fall-through edge, its handler starts with the stack as
 * before the SETUP, POP_BLOCK pops, jumps copy.  Each instruction keeps the
 * stack it was first reached with (the compiler makes them agree). */
static int label_blocks(struct decoder *d)
{
    const struct lz_version *v = d->d_ver;
    struct lz_code *c = d->d_code;
    struct blockflow bf = { .bf_code = c };

    if (v->v_exception_table || d->d_ninstr == 0)
        return LZ_OK;
    bf.bf_at = lz_arena_calloc(c->c_arena, d->d_ninstr, sizeof *bf.bf_at);
    bf.bf_work = lz_arena_calloc(c->c_arena, d->d_ninstr, sizeof *bf.bf_work);
    if (!bf.bf_at || !bf.bf_work)
        return lz_error_set(d->d_err, LZ_ENOMEM, "out of memory decoding '%s'", c->c_name);

    reach_with(&bf, &d->d_instrs[0], NULL);
    while (bf.bf_nwork) {
        struct lz_instr *in = bf.bf_work[--bf.bf_nwork];
        uint16_t f = v->v_ops[in->in_op].oi_flags;
        const struct blk *s = bf.bf_at[in->in_id], *next = s;

        in->in_block = s ? s->b_setup : NULL;
        if (f & LZ_OPF_SETUP) {
            struct blk *b;
            if ((s ? s->b_depth : 0) >= LZ_CODE_BLOCKS_MAX)
                return refuse(d, in->in_orig_unit, "more than %d nested blocks",
                              LZ_CODE_BLOCKS_MAX);
            b = lz_arena_alloc(c->c_arena, sizeof *b);
            if (!b)
                return lz_error_set(d->d_err, LZ_ENOMEM, "out of memory decoding '%s'",
                                    c->c_name);
            b->b_setup = in;
            b->b_up = s;
            b->b_depth = s ? s->b_depth + 1 : 1;
            next = b;
        } else if (in->in_op == v->v_op.POP_BLOCK) {
            if (!s)
                return refuse(d, in->in_orig_unit, "POP_BLOCK with no block");
            next = s->b_up;
        }
        if (in->in_target)
            reach_with(&bf, in->in_target, s);
        if (!(f & LZ_OPF_NOFALL) && in->in_next)
            reach_with(&bf, in->in_next, next);
    }
    return LZ_OK;
}

/* ---- driver ------------------------------------------------------------- */

static int check_node(const struct lz_version *v, const struct lz_obj *node,
                      struct lz_error *err)
{
    const struct lz_codeobj *co;

    if (!node || node->o_kind != LZ_K_CODE || !node->u.o_codeobj)
        return lz_error_set(err, LZ_EUSAGE, "lz_code_decode: not a code object");
    co = node->u.o_codeobj;
    if (!co->co_code || co->co_code->o_kind != LZ_K_BYTES || !co->co_consts ||
        co->co_consts->o_kind != LZ_K_TUPLE || !co->co_names ||
        co->co_names->o_kind != LZ_K_TUPLE)
        return lz_error_set(err, LZ_EINPUT, "code object without code, consts or names");
    return LZ_OK;
}

int lz_code_decode(const struct lz_version *v, struct lz_arena *work,
                   struct lz_arena *obj_arena, const struct lz_obj *node,
                   struct lz_code **out, struct lz_error *err)
{
    struct decoder d = { .d_ver = v, .d_err = err };
    struct lz_code *c;
    size_t size;

    *out = NULL;
    LZ_TRY(check_node(v, node, err));
    c = lz_arena_calloc(work, 1, sizeof *c);
    if (!c)
        return lz_error_set(err, LZ_ENOMEM, "out of memory decoding a code object");
    c->c_ver = v;
    c->c_arena = work;
    c->c_obj_arena = obj_arena;
    c->c_node = node;
    c->c_co = node->u.o_codeobj;
    c->c_consts = c->c_co->co_consts;
    c->c_names = c->c_co->co_names;
    copy_name(c);
    d.d_code = c;

    size = c->c_co->co_code->u.o_raw.size;
    d.d_bytes = c->c_co->co_code->u.o_raw.data;
    d.d_nunits = size / 2;
    if (size % 2)
        return refuse(&d, size / 2, "odd code length %zu", size);
    if (d.d_nunits > LZ_CODE_UNITS_MAX)
        return refuse(&d, 0, "%zu code units, more than the limit %zu", d.d_nunits,
                      LZ_CODE_UNITS_MAX);
    c->c_orig_nunits = d.d_nunits;
    d.d_instrs = lz_arena_calloc(work, count_instructions(&d) + 1, sizeof *d.d_instrs);
    d.d_start = lz_arena_calloc(work, d.d_nunits ? d.d_nunits : 1, sizeof *d.d_start);
    if (!d.d_instrs || !d.d_start)
        return lz_error_set(err, LZ_ENOMEM, "out of memory decoding '%s' (%zu units)",
                            c->c_name, d.d_nunits);

    LZ_TRY(split_instructions(&d));
    link_list(&d);
    LZ_TRY(resolve_jump_targets(&d));
    LZ_TRY(attach_handlers(&d));
    LZ_TRY(attach_locations(&d));
    LZ_TRY(label_blocks(&d));
    *out = c;
    return LZ_OK;
}
