/* code_assemble.c - an instruction list -> a code object.
 *
 * The only place where offsets exist.  lz_code_assemble() runs:
 *   resolve_jump_offsets   unit offsets and EXTENDED_ARG counts to a fixed
 *                          point, jump opargs (4.2, 10.3-10.5)
 *   emit_code              co_code with prefixes and zeroed caches (4.1, 4.3)
 *   emit_line_table        per-unit locations -> lz_lines_encode (5)
 *   emit_exception_table   3.11+ per-unit handlers -> lz_exctable_encode (6.2)
 *   lz_code_stackdepth     co_stacksize = max(original, recomputed) (7)
 *   build_code_node        copy-on-write code object, or the original node
 *                          when every field came out identical
 * Sections refer to shared/reference/bytecode-formats.md.
 */
#include <string.h>

#include "lz_code_int.h"

struct assembler {
    struct lz_code *a_code;
    const struct lz_version *a_ver;
    size_t a_nunits;          /* total code units once offsets are fixed */
    struct lz_buf a_co_code;  /* new co_code */
    struct lz_buf a_lines;    /* new line table */
    struct lz_buf a_exc;      /* new exception table (3.11+) */
    int32_t a_stacksize;
    struct lz_error *a_err;
};

static void assembler_init(struct assembler *a, struct lz_code *c, struct lz_error *err)
{
    memset(a, 0, sizeof *a);
    a->a_code = c;
    a->a_ver = c->c_ver;
    a->a_err = err;
    lz_buf_init(&a->a_co_code);
    lz_buf_init(&a->a_lines);
    lz_buf_init(&a->a_exc);
}

static void assembler_fini(struct assembler *a)
{
    lz_buf_fini(&a->a_co_code);
    lz_buf_fini(&a->a_lines);
    lz_buf_fini(&a->a_exc);
}

static int out_of_memory(struct assembler *a)
{
    return lz_error_set(a->a_err, LZ_ENOMEM, "out of memory assembling '%s'",
                        a->a_code->c_name);
}

static size_t instr_units(const struct lz_instr *in)
{
    return (size_t)in->in_nprefix + 1 + in->in_ncache;
}

/* ---- resolve_jump_offsets ------------------------------------------------ */

/* Place every instruction; returns false if the code grew past the limit. */
static bool assign_offsets(struct assembler *a)
{
    size_t unit = 0;

    for (struct lz_instr *in = a->a_code->c_first; in; in = in->in_next) {
        in->in_unit = (uint32_t)unit;
        unit += instr_units(in);
        if (unit > UINT32_MAX / 4)
            return false;
    }
    a->a_nunits = unit;
    return true;
}

/* The oparg that makes jump `in` land on its target at the current offsets. */
static int jump_arg(struct assembler *a, const struct lz_instr *in, uint32_t *arg)
{
    const struct lz_version *v = a->a_ver;
    uint16_t f = v->v_ops[in->in_op].oi_flags;
    int64_t end = (int64_t)in->in_unit + in->in_nprefix + 1 + in->in_ncache;
    int64_t target = in->in_target->in_unit, units;

    if (f & LZ_OPF_JABS)
        units = target;
    else if (f & LZ_OPF_JBACK)
        units = end - target;
    else
        units = target - end;
    if (units < 0)
        return lz_error_set(a->a_err, LZ_EUSAGE,
                            "assembling '%s': %s at unit %u cannot reach unit %lld in its "
                            "direction", a->a_code->c_name, lz_code_opname(a->a_code, in->in_op),
                            in->in_unit, (long long)target);
    /* v_jump_unit bytes per oparg step, 2 bytes per code unit */
    *arg = (uint32_t)(units * 2 / v->v_jump_unit);
    return LZ_OK;
}

/* Prefix counts only ever grow (start at the decoded count, raise to what
 * the oparg needs), so every offset only grows and each round either
 * changes nothing - the fixed point - or adds at least one prefix.  A jump
 * has at most LZ_CODE_PREFIX_MAX prefixes, so there are at most
 * LZ_CODE_PREFIX_MAX * njumps + 1 rounds; in practice two or three. */
static int resolve_jump_offsets(struct assembler *a)
{
    struct lz_code *c = a->a_code;
    size_t njumps = 0, rounds, round;
    bool changed = true;

    for (struct lz_instr *in = c->c_first; in; in = in->in_next) {
        unsigned need = 0;
        if (in->in_target)
            njumps++;
        else
            need = lz_prefixes_for(in->in_arg);
        in->in_nprefix = (uint8_t)(need > in->in_nprefix_min ? need : in->in_nprefix_min);
    }
    rounds = LZ_CODE_PREFIX_MAX * njumps + 1;
    for (round = 0; changed && round < rounds; round++) {
        changed = false;
        if (!assign_offsets(a))
            return lz_error_set(a->a_err, LZ_EINPUT, "assembling '%s': code too large",
                                c->c_name);
        for (struct lz_instr *in = c->c_first; in; in = in->in_next) {
            unsigned need;
            if (!in->in_target)
                continue;
            LZ_TRY(jump_arg(a, in, &in->in_arg));
            need = lz_prefixes_for(in->in_arg);
            if (need > in->in_nprefix) {
                in->in_nprefix = (uint8_t)need;
                changed = true;
            }
        }
    }
    /* The bound is a proof, not a guess: reaching it is a bug. */
    if (changed)
        return lz_error_set(a->a_err, LZ_EUSAGE, "assembling '%s': jump offsets did not "
                            "settle in %zu rounds", c->c_name, rounds);
    return LZ_OK;
}

/* ---- emit_code ----------------------------------------------------------- */

static int emit_code(struct assembler *a)
{
    const struct lz_version *v = a->a_ver;
    struct lz_buf *b = &a->a_co_code;

    for (const struct lz_instr *in = a->a_code->c_first; in; in = in->in_next) {
        for (unsigned k = in->in_nprefix; k > 0; k--) {
            lz_buf_byte(b, (uint8_t)v->v_op.EXTENDED_ARG);
            lz_buf_byte(b, (uint8_t)(in->in_arg >> (8 * k)));
        }
        lz_buf_byte(b, in->in_op);
        lz_buf_byte(b, (uint8_t)in->in_arg);
        for (unsigned k = 0; k < in->in_ncache; k++)
            lz_buf_u16le(b, 0);
    }
    return b->b_failed ? out_of_memory(a) : LZ_OK;
}

/* ---- emit_line_table ----------------------------------------------------- */

/* 3.8/3.9: the raw lnotab pairs, re-anchored to the new units: at the
 * instruction's new first unit, or at the same distance from its opcode
 * unit, clamped into the instruction; order is kept. */
static struct lz_lnotab_event *collect_events(struct assembler *a, size_t *count)
{
    struct lz_code *c = a->a_code;
    struct lz_lnotab_event *ev;
    size_t n = 0, i = 0;
    uint32_t last = 0;

    for (const struct lz_instr *in = c->c_first; in; in = in->in_next)
        for (const struct lz_lnevent *e = in->in_events; e; e = e->ev_next)
            n++;
    for (const struct lz_lnevent *e = c->c_end_events; e; e = e->ev_next)
        n++;
    ev = lz_arena_calloc(c->c_arena, n ? n : 1, sizeof *ev);
    if (!ev)
        return NULL;
    for (const struct lz_instr *in = c->c_first; in; in = in->in_next) {
        int64_t lo = in->in_unit, hi = lo + (int64_t)instr_units(in) - 1;
        for (const struct lz_lnevent *e = in->in_events; e; e = e->ev_next) {
            int64_t u = e->ev_rel == LZ_EV_AT_START ? lo : lo + in->in_nprefix + e->ev_rel;
            u = u < lo ? lo : u > hi ? hi : u;
            last = (uint32_t)u > last ? (uint32_t)u : last;
            ev[i].ev_unit = last;
            ev[i++].ev_line_inc = e->ev_line_inc;
        }
    }
    for (const struct lz_lnevent *e = c->c_end_events; e; e = e->ev_next) {
        ev[i].ev_unit = (uint32_t)a->a_nunits;
        ev[i++].ev_line_inc = e->ev_line_inc;
    }
    *count = n;
    return ev;
}

static int emit_line_table(struct assembler *a)
{
    struct lz_code *c = a->a_code;
    struct lz_lnotab_event *events = NULL;
    size_t nevents = 0, nunits = a->a_nunits;
    struct lz_loc *locs = lz_arena_calloc(c->c_arena, nunits + 1, sizeof *locs);
    uint8_t *starts = lz_arena_calloc(c->c_arena, nunits + 1, 1);

    if (!locs || !starts)
        return out_of_memory(a);
    for (const struct lz_instr *in = c->c_first; in; in = in->in_next) {
        starts[in->in_unit] = 1;
        for (size_t u = in->in_unit; u < in->in_unit + instr_units(in); u++)
            locs[u] = in->in_loc;
    }
    if (a->a_ver->v_lines == LZ_LINES_LNOTAB) {
        /* lnotab lines follow the events: replay them so every unit's line
         * agrees with the pairs and the encoder re-emits them verbatim. */
        int64_t line = c->c_co->co_firstlineno;
        size_t e = 0;
        events = collect_events(a, &nevents);
        if (!events)
            return out_of_memory(a);
        for (size_t u = 0; u < nunits; u++) {
            for (; e < nevents && events[e].ev_unit == u; e++)
                line += events[e].ev_line_inc;
            locs[u].l_line = (int32_t)line;
            locs[u].l_end_line = locs[u].l_col = locs[u].l_end_col = LZ_NO_COL;
        }
    }
    return lz_lines_encode(a->a_ver, locs, starts, nunits, c->c_co->co_firstlineno,
                           events, nevents, &a->a_lines, a->a_err);
}

/* ---- emit_exception_table ------------------------------------------------ */

static int emit_exception_table(struct assembler *a)
{
    struct lz_code *c = a->a_code;
    struct lz_handler *units;

    if (!a->a_ver->v_exception_table)
        return LZ_OK;
    units = lz_arena_calloc(c->c_arena, a->a_nunits + 1, sizeof *units);
    if (!units)
        return out_of_memory(a);
    for (const struct lz_instr *in = c->c_first; in; in = in->in_next) {
        struct lz_handler h = { .h_target = -1 };
        if (in->in_exc.x_target) {
            h.h_target = (int32_t)in->in_exc.x_target->in_unit;
            h.h_depth = in->in_exc.x_depth;
            h.h_lasti = in->in_exc.x_lasti;
        }
        for (size_t u = in->in_unit; u < in->in_unit + instr_units(in); u++)
            units[u] = h;
    }
    return lz_exctable_encode(units, a->a_nunits, &a->a_exc, a->a_err);
}

/* ---- build_code_node ------------------------------------------------------ */

static bool same_bytes(const struct lz_obj *o, const struct lz_buf *b)
{
    return o && o->o_kind == LZ_K_BYTES && o->u.o_raw.size == b->b_len &&
           (b->b_len == 0 || memcmp(o->u.o_raw.data, b->b_data, b->b_len) == 0);
}

/* The original node when equal; else the node an earlier code object made
 * from the same original with the same bytes (code_share.c); else a new
 * bytes node.  NULL on out of memory. */
static struct lz_obj *bytes_node(struct assembler *a, struct lz_obj *orig,
                                 const struct lz_buf *b, bool *changed)
{
    struct lz_share *share = a->a_code->c_share;
    struct lz_obj *node;

    if (same_bytes(orig, b))
        return orig;
    *changed = true;
    if (share && (node = lz_share_find(share, orig, b->b_data, b->b_len)))
        return node;
    node = lz_obj_new_bytes(a->a_code->c_obj_arena, b->b_data, b->b_len);
    if (node && share && lz_share_add(share, orig, node) < 0)
        return NULL;
    return node;
}

static int build_code_node(struct assembler *a, struct lz_obj **out)
{
    struct lz_code *c = a->a_code;
    const struct lz_codeobj *co = c->c_co;
    bool changed = c->c_consts != co->co_consts || c->c_names != co->co_names ||
                   a->a_stacksize != co->co_stacksize;
    struct lz_obj *code = bytes_node(a, co->co_code, &a->a_co_code, &changed);
    struct lz_obj *lines = bytes_node(a, co->co_linetable, &a->a_lines, &changed);
    struct lz_obj *exc = co->co_exceptiontable;
    struct lz_obj *node;
    struct lz_codeobj *nco;

    if (a->a_ver->v_exception_table)
        exc = bytes_node(a, co->co_exceptiontable, &a->a_exc, &changed);
    if (!code || !lines || (a->a_ver->v_exception_table && !exc))
        return out_of_memory(a);
    if (!changed) {
        *out = (struct lz_obj *)c->c_node;
        return LZ_OK;
    }
    node = lz_obj_copy_code(c->c_obj_arena, c->c_node);
    if (!node)
        return out_of_memory(a);
    nco = node->u.o_codeobj;
    nco->co_code = code;
    nco->co_linetable = lines;
    nco->co_exceptiontable = exc;
    nco->co_consts = c->c_consts;
    nco->co_names = c->c_names;
    nco->co_stacksize = a->a_stacksize;
    *out = node;
    return LZ_OK;
}

static int assemble(struct assembler *a, struct lz_obj **out)
{
    struct lz_code *c = a->a_code;
    int32_t depth;

    LZ_TRY(resolve_jump_offsets(a));
    LZ_TRY(emit_code(a));
    LZ_TRY(emit_line_table(a));
    LZ_TRY(emit_exception_table(a));
    LZ_TRY(lz_code_stackdepth(c, &depth, a->a_err));
    a->a_stacksize = depth > c->c_co->co_stacksize ? depth : c->c_co->co_stacksize;
    return build_code_node(a, out);
}

int lz_code_assemble(struct lz_code *c, struct lz_obj **out, struct lz_error *err)
{
    struct assembler a;
    int rc;

    *out = NULL;
    assembler_init(&a, c, err);
    rc = assemble(&a, out);
    assembler_fini(&a);
    return rc;
}
