/* code_edit.c - inserting, replacing and re-aiming instructions.
 *
 * Every reference between instructions has a back-reference list on its
 * target (in_jumpers for jumps, in_handles for 3.11+ handlers), so "move
 * everything aimed at X to Y" costs the number of references, not a scan of
 * the code: inserting a NOP before each of n instructions stays O(n).
 * New instructions copy the location, handler and block of an "anchor"
 * instruction unless the caller asks otherwise (LZ_EDIT_OWN_LOCATION), so
 * tracebacks and line numbers of untouched code never change
 * (bytecode-formats.md 10.8-10.9).
 */
#include <string.h>

#include "lz_code_int.h"

/* ---- back-reference lists ---------------------------------------------- */

void lz_ref_link_jump(struct lz_instr *j, struct lz_instr *target)
{
    j->in_target = target;
    j->in_jnext = target->in_jumpers;
    target->in_jumpers = j;
}

void lz_ref_unlink_jump(struct lz_instr *j)
{
    struct lz_instr **p;

    if (!j->in_target)
        return;
    for (p = &j->in_target->in_jumpers; *p; p = &(*p)->in_jnext) {
        if (*p == j) {
            *p = j->in_jnext;
            break;
        }
    }
    j->in_target = NULL;
    j->in_jnext = NULL;
}

void lz_ref_link_handler(struct lz_instr *in, struct lz_instr *target)
{
    in->in_exc.x_target = target;
    in->in_xnext = target->in_handles;
    target->in_handles = in;
}

void lz_ref_unlink_handler(struct lz_instr *in)
{
    struct lz_instr **p;

    if (!in->in_exc.x_target)
        return;
    for (p = &in->in_exc.x_target->in_handles; *p; p = &(*p)->in_xnext) {
        if (*p == in) {
            *p = in->in_xnext;
            break;
        }
    }
    in->in_exc.x_target = NULL;
    in->in_xnext = NULL;
}

/* Re-aim every reference of one kind from `from` to `to`, except those held
 * by instructions still in a sequence (a new sequence may jump to its own
 * anchor on purpose). */
static void move_jumpers(struct lz_instr *from, struct lz_instr *to)
{
    struct lz_instr *j = from->in_jumpers, *keep = NULL, *next;

    for (; j; j = next) {
        next = j->in_jnext;
        if (j->in_flags & LZ_INSTR_INSEQ) {
            j->in_jnext = keep;
            keep = j;
        } else {
            lz_ref_link_jump(j, to);
        }
    }
    from->in_jumpers = keep;
}

static void move_handled(struct lz_instr *from, struct lz_instr *to)
{
    struct lz_instr *in = from->in_handles, *keep = NULL, *next;

    for (; in; in = next) {
        next = in->in_xnext;
        if (in->in_flags & LZ_INSTR_INSEQ) {
            in->in_xnext = keep;
            keep = in;
        } else {
            lz_ref_link_handler(in, to);
        }
    }
    from->in_handles = keep;
}

/* Append `from`'s lnotab events to `*to` (a list head); they now take
 * effect at the new instruction's opcode unit. */
static void move_events(struct lz_lnevent **from, struct lz_lnevent **to, bool rebase)
{
    struct lz_lnevent **tail = to;

    if (!*from)
        return;
    while (*tail)
        tail = &(*tail)->ev_next;
    *tail = *from;
    *from = NULL;
    if (rebase)
        for (struct lz_lnevent *e = *tail; e; e = e->ev_next)
            e->ev_rel = LZ_EV_AT_START;
}

/* ---- sequences ----------------------------------------------------------- */

struct lz_instr *lz_instr_alloc(struct lz_code *c)
{
    struct lz_instr *in = lz_arena_calloc(c->c_arena, 1, sizeof *in);

    if (in)
        in->in_orig_unit = LZ_INSTR_NEW;
    return in;
}

void lz_seq_init(struct lz_seq *s)
{
    memset(s, 0, sizeof *s);
}

struct lz_instr *lz_seq_emit(struct lz_code *c, struct lz_seq *s, int op, uint32_t arg)
{
    const struct lz_version *v = c->c_ver;
    struct lz_instr *in;

    if (s->s_status < 0)
        return NULL;
    if (op < 0 || op > 255 || !(v->v_ops[op].oi_flags & LZ_OPF_EXISTS) ||
        op == v->v_op.EXTENDED_ARG || op == v->v_op.CACHE ||
        (arg > 0xff && !(v->v_ops[op].oi_flags & LZ_OPF_ARG))) {
        s->s_status = LZ_EUSAGE;
        return NULL;
    }
    in = lz_instr_alloc(c);
    if (!in) {
        s->s_status = LZ_ENOMEM;
        return NULL;
    }
    in->in_op = (uint8_t)op;
    in->in_arg = arg;
    in->in_ncache = v->v_ops[op].oi_ncache;
    in->in_flags = LZ_INSTR_INSEQ;
    in->in_loc.l_line = LZ_NO_LINE;
    in->in_loc.l_end_line = in->in_loc.l_col = in->in_loc.l_end_col = LZ_NO_COL;
    in->in_prev = s->s_last;
    if (s->s_last)
        s->s_last->in_next = in;
    else
        s->s_first = in;
    s->s_last = in;
    s->s_n++;
    return in;
}

static int seq_status(struct lz_code *c, const struct lz_seq *s, struct lz_error *err)
{
    if (s->s_status == LZ_ENOMEM)
        return lz_error_set(err, LZ_ENOMEM, "out of memory editing '%s'", c->c_name);
    if (s->s_status < 0)
        return lz_error_set(err, LZ_EUSAGE,
                            "editing '%s': a new instruction has an unknown opcode or a "
                            "too large argument", c->c_name);
    return LZ_OK;
}

/* Copy the anchor's location and handler into every new instruction, and
 * give them the block active where they go. */
static void apply_anchor(struct lz_seq *s, const struct lz_instr *anchor,
                         struct lz_instr *block, unsigned flags)
{
    for (struct lz_instr *in = s->s_first; in; in = in->in_next) {
        if (!(flags & LZ_EDIT_OWN_LOCATION)) {
            in->in_loc = anchor->in_loc;
            lz_ref_unlink_handler(in);
            if (anchor->in_exc.x_target) {
                in->in_exc.x_depth = anchor->in_exc.x_depth;
                in->in_exc.x_lasti = anchor->in_exc.x_lasti;
                lz_ref_link_handler(in, anchor->in_exc.x_target);
            }
        }
        if (!in->in_block)
            in->in_block = block;
    }
}

void lz_seq_copy_location(struct lz_seq *s, const struct lz_instr *from)
{
    apply_anchor(s, from, from->in_block, 0);
}

/* Link the sequence between prev and next (either may be NULL). */
static void splice(struct lz_code *c, struct lz_seq *s, struct lz_instr *prev,
                   struct lz_instr *next)
{
    s->s_first->in_prev = prev;
    s->s_last->in_next = next;
    if (prev)
        prev->in_next = s->s_first;
    else
        c->c_first = s->s_first;
    if (next)
        next->in_prev = s->s_last;
    else
        c->c_last = s->s_last;
    c->c_ninstr += s->s_n;
    c->c_modified = true;
}

static void release_seq(struct lz_seq *s)
{
    for (struct lz_instr *in = s->s_first; in; in = in->in_next) {
        in->in_flags &= (uint8_t)~LZ_INSTR_INSEQ;
        if (in == s->s_last)
            break;
    }
    lz_seq_init(s);
}

/* The block active after `x` runs (3.8-3.10): a SETUP opens its own, a
 * POP_BLOCK closes the innermost (whose in_block is its enclosing one). */
static struct lz_instr *block_after(const struct lz_code *c, const struct lz_instr *x)
{
    const struct lz_version *v = c->c_ver;

    if (v->v_ops[x->in_op].oi_flags & LZ_OPF_SETUP)
        return (struct lz_instr *)x;
    if (x->in_op == v->v_op.POP_BLOCK && x->in_block)
        return x->in_block->in_block;
    return x->in_block;
}

/* ---- insert / replace ---------------------------------------------------- */

int lz_code_insert_before(struct lz_code *c, struct lz_instr *x, struct lz_seq *s,
                          unsigned flags, struct lz_error *err)
{
    LZ_TRY(seq_status(c, s, err));
    if (!s->s_first)
        return LZ_OK;
    apply_anchor(s, x, x->in_block, flags);
    if (flags & LZ_EDIT_TAKE_JUMPS)
        move_jumpers(x, s->s_first);
    if (flags & LZ_EDIT_TAKE_HANDLERS)
        move_handled(x, s->s_first);
    move_events(&x->in_events, &s->s_first->in_events, true);
    splice(c, s, x->in_prev, x);
    release_seq(s);
    return LZ_OK;
}

int lz_code_insert_after(struct lz_code *c, struct lz_instr *x, struct lz_seq *s,
                         unsigned flags, struct lz_error *err)
{
    LZ_TRY(seq_status(c, s, err));
    if (!s->s_first)
        return LZ_OK;
    apply_anchor(s, x, block_after(c, x), flags);
    splice(c, s, x, x->in_next);
    release_seq(s);
    return LZ_OK;
}

/* Refuse a replacement that would leave a reference into the removed range
 * (other than to `first`, which moves). */
static int check_range_refs(struct lz_code *c, struct lz_instr *first, struct lz_instr *last,
                            bool any_setup, struct lz_error *err)
{
    for (struct lz_instr *in = first;; in = in->in_next) {
        if (in != first) {
            for (struct lz_instr *j = in->in_jumpers; j; j = j->in_jnext)
                if (!(j->in_flags & LZ_INSTR_DOOMED))
                    return lz_error_set(err, LZ_EUSAGE,
                                        "editing '%s': a jump lands inside the replaced range",
                                        c->c_name);
            for (struct lz_instr *h = in->in_handles; h; h = h->in_xnext)
                if (!(h->in_flags & LZ_INSTR_DOOMED))
                    return lz_error_set(err, LZ_EUSAGE,
                                        "editing '%s': a handler starts inside the replaced "
                                        "range", c->c_name);
        }
        if (in == last)
            break;
    }
    if (any_setup) {
        for (struct lz_instr *in = c->c_first; in; in = in->in_next)
            if (!(in->in_flags & LZ_INSTR_DOOMED) && in->in_block &&
                (in->in_block->in_flags & LZ_INSTR_DOOMED))
                return lz_error_set(err, LZ_EUSAGE,
                                    "editing '%s': the replaced range opens a block used "
                                    "elsewhere", c->c_name);
    }
    return LZ_OK;
}

static void mark_range(struct lz_instr *first, struct lz_instr *last, bool on)
{
    for (struct lz_instr *in = first;; in = in->in_next) {
        if (on)
            in->in_flags |= LZ_INSTR_DOOMED;
        else
            in->in_flags &= (uint8_t)~LZ_INSTR_DOOMED;
        if (in == last)
            break;
    }
}

int lz_code_replace(struct lz_code *c, struct lz_instr *first, struct lz_instr *last,
                    struct lz_seq *s, unsigned flags, struct lz_error *err)
{
    const struct lz_version *v = c->c_ver;
    struct lz_instr *prev = first->in_prev, *next = last->in_next, *heir;
    struct lz_lnevent **events_to;
    bool any_setup = false;
    int rc;

    LZ_TRY(seq_status(c, s, err));
    for (struct lz_instr *in = first; in != last; in = in->in_next)
        if (!in)
            return lz_error_set(err, LZ_EUSAGE, "editing '%s': replace range is not in order",
                                c->c_name);
    heir = s->s_first ? s->s_first : next;
    if (!heir && (first->in_jumpers || first->in_handles))
        return lz_error_set(err, LZ_EUSAGE,
                            "editing '%s': deleting the last instruction, which is a jump "
                            "target", c->c_name);
    mark_range(first, last, true);
    for (struct lz_instr *in = first;; in = in->in_next) {
        any_setup |= (v->v_ops[in->in_op].oi_flags & LZ_OPF_SETUP) != 0;
        if (in == last)
            break;
    }
    rc = check_range_refs(c, first, last, any_setup, err);
    if (rc < 0) {
        mark_range(first, last, false);
        return rc;
    }

    if (s->s_first)
        apply_anchor(s, first, first->in_block, flags);
    /* References held by the removed instructions go away first, so the
     * moves below only carry references from outside the range. */
    for (struct lz_instr *in = first;; in = in->in_next) {
        lz_ref_unlink_jump(in);
        lz_ref_unlink_handler(in);
        if (in == last)
            break;
    }
    if (heir) {
        move_jumpers(first, heir);
        move_handled(first, heir);
    }
    events_to = heir ? &heir->in_events : &c->c_end_events;
    for (struct lz_instr *in = first;; in = in->in_next) {
        move_events(&in->in_events, events_to, heir != NULL);
        c->c_ninstr--;
        if (in == last)
            break;
    }
    if (s->s_first) {
        splice(c, s, prev, next);
        release_seq(s);
    } else {
        if (prev)
            prev->in_next = next;
        else
            c->c_first = next;
        if (next)
            next->in_prev = prev;
        else
            c->c_last = prev;
        c->c_modified = true;
    }
    first->in_prev = last->in_next = NULL;
    return LZ_OK;
}

/* ---- references ------------------------------------------------------------ */

void lz_code_set_target(struct lz_instr *j, struct lz_instr *target)
{
    lz_ref_unlink_jump(j);
    if (target)
        lz_ref_link_jump(j, target);
}

void lz_code_set_handler(struct lz_instr *in, struct lz_instr *target, uint16_t depth,
                         bool lasti)
{
    lz_ref_unlink_handler(in);
    in->in_exc.x_depth = target ? depth : 0;
    in->in_exc.x_lasti = target ? lasti : 0;
    if (target)
        lz_ref_link_handler(in, target);
}

int lz_code_wrap_in_block(struct lz_code *c, struct lz_instr *x, struct lz_instr *handler,
                          struct lz_error *err)
{
    const struct lz_version *v = c->c_ver;
    struct lz_instr *setup;
    struct lz_seq s;

    if (v->v_exception_table || v->v_op.SETUP_FINALLY < 0 || v->v_op.POP_BLOCK < 0)
        return lz_error_set(err, LZ_EUSAGE, "editing '%s': %s has no SETUP_FINALLY blocks",
                            c->c_name, v->v_name);
    if (lz_op_is_jump(v, x->in_op) || (v->v_ops[x->in_op].oi_flags & LZ_OPF_NOFALL))
        return lz_error_set(err, LZ_EUSAGE, "editing '%s': cannot wrap %s, it does not "
                            "fall through", c->c_name, lz_code_opname(c, x->in_op));
    lz_seq_init(&s);
    setup = lz_seq_emit(c, &s, v->v_op.SETUP_FINALLY, 0);
    if (setup)
        lz_code_set_target(setup, handler);
    LZ_TRY(lz_code_insert_before(c, x, &s, LZ_EDIT_TAKE_JUMPS, err));
    x->in_block = setup;
    lz_seq_emit(c, &s, v->v_op.POP_BLOCK, 0);
    return lz_code_insert_after(c, x, &s, 0, err);
}

int lz_code_start_line(struct lz_code *c, struct lz_instr *in, int32_t line,
                       struct lz_error *err)
{
    const struct lz_instr *prev = in->in_prev;
    int32_t delta;

    in->in_loc.l_line = line;
    if (c->c_ver->v_lines != LZ_LINES_LNOTAB || !prev || prev->in_loc.l_line == LZ_NO_LINE ||
        line == LZ_NO_LINE)
        return LZ_OK;
    delta = line - prev->in_loc.l_line;
    while (delta != 0) {
        int32_t step = delta > 127 ? 127 : delta < -128 ? -128 : delta;
        struct lz_lnevent *e = lz_arena_calloc(c->c_arena, 1, sizeof *e), **tail = &in->in_events;
        if (!e)
            return lz_error_set(err, LZ_ENOMEM, "out of memory editing '%s'", c->c_name);
        e->ev_line_inc = (int8_t)step;
        e->ev_rel = LZ_EV_AT_START;
        while (*tail)
            tail = &(*tail)->ev_next;
        *tail = e;
        delta -= step;
    }
    return LZ_OK;
}

/* ---- names and constants (copy-on-write tuples) -------------------------- */

static int append_item(struct lz_code *c, struct lz_obj **tuple, struct lz_obj *item,
                       uint32_t *index, struct lz_error *err)
{
    size_t n = (*tuple)->u.o_seq.n;
    struct lz_obj *t;

    if (n >= UINT32_MAX / 4)   /* leaves room for packed opargs (namei << 2) */
        return lz_error_set(err, LZ_EUSAGE, "editing '%s': tuple too large", c->c_name);
    t = lz_obj_new_tuple(c->c_obj_arena, n + 1);
    if (!t)
        return lz_error_set(err, LZ_ENOMEM, "out of memory editing '%s'", c->c_name);
    /* The new tuple takes the old one's place, FLAG_REF included (the
     * writer picks ')' or '(' from the length). */
    t->o_ref = (*tuple)->o_ref;
    if (n)
        memcpy(t->u.o_seq.items, (*tuple)->u.o_seq.items, n * sizeof *t->u.o_seq.items);
    t->u.o_seq.items[n] = item;
    *tuple = t;
    *index = (uint32_t)n;
    c->c_modified = true;
    return LZ_OK;
}

int lz_code_add_name(struct lz_code *c, const char *s, size_t n, uint32_t *index,
                     struct lz_error *err)
{
    const struct lz_obj *names = c->c_names;
    struct lz_obj *str;

    for (size_t i = 0; i < names->u.o_seq.n; i++) {
        const struct lz_obj *o = names->u.o_seq.items[i];
        if (o->o_kind == LZ_K_STR && o->u.o_raw.size == n &&
            (n == 0 || memcmp(o->u.o_raw.data, s, n) == 0)) {
            *index = (uint32_t)i;
            return LZ_OK;
        }
    }
    str = lz_obj_new_str(c->c_obj_arena, s, n, true);
    if (!str)
        return lz_error_set(err, LZ_ENOMEM, "out of memory editing '%s'", c->c_name);
    return append_item(c, &c->c_names, str, index, err);
}

int lz_code_add_const(struct lz_code *c, struct lz_obj *o, uint32_t *index,
                      struct lz_error *err)
{
    const struct lz_obj *consts = c->c_consts;

    for (size_t i = 0; i < consts->u.o_seq.n; i++) {
        if (consts->u.o_seq.items[i] == o) {
            *index = (uint32_t)i;
            return LZ_OK;
        }
    }
    return append_item(c, &c->c_consts, o, index, err);
}

void lz_code_set_consts(struct lz_code *c, struct lz_obj *tuple)
{
    c->c_consts = tuple;
}

const char *lz_code_opname(const struct lz_code *c, int op)
{
    const char *n = (op >= 0 && op < 256) ? c->c_ver->v_ops[op].oi_name : NULL;
    return n ? n : "<unknown opcode>";
}
