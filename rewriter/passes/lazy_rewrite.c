/* lazy_rewrite.c - compile the decisions of lazy_policy.c into bytecode.
 *
 * 3.15: set PEP 810's lazy bit (IMPORT_NAME oparg bit 0) on each lazy
 * statement; the interpreter does everything else.
 *
 * 3.8-3.14, top-level code object:
 *
 *   prologue      LOAD_CONST level; LOAD_CONST ('attach',)
 *                 IMPORT_NAME _lazyc_runtime; LOAD_METHOD attach
 *                 LOAD_CONST flags; LOAD_CONST (lazy names); CALL 2
 *                 STORE_NAME __lazyc__
 *   statement     LOAD_CONST spec; LOAD_NAME __lazyc__; LOAD_CONST line
 *                 STORE_SUBSCR                     (__lazyc__[line] = spec)
 *
 * and in every code object, each load of a lazy name gets a NameError
 * handler placed after the last instruction:
 *
 *   3.11+  the load's exception-table entry points at
 *            POP_TOP; LOAD_GLOBAL __lazyc__; LOAD_ATTR name; JUMP_BACKWARD after
 *          (LOAD_ATTR's method form / LOAD_METHOD when the load pushes NULL
 *          too, so the stack matches).  The hot path is the original code.
 *   3.8-3.10  SETUP_FINALLY H; load; POP_BLOCK, with
 *            H: POP_TOP x3; LOAD_GLOBAL __lazyc__; LOAD_ATTR name; ROT_FOUR
 *               POP_EXCEPT; JUMP_ABSOLUTE after
 *          (the runtime runs while the NameError is still the handled
 *          exception, so it can re-raise anything else unchanged).
 *
 * The spec tuple is (module, level, fromlist or None, ((name, path), ...))
 * as rewriter/runtime/_lazyc_runtime.py documents.  A module-level
 * __getattr__ / __dir__ of the module itself is renamed to
 * __lazyc_getattr__ / __lazyc_dir__ so the runtime's own can chain to it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lazy_int.h"
#include "lz_code_int.h"
#include "lz_pipeline.h"

enum { ATTACH_OWN_GETATTR = 1, ATTACH_OWN_DIR = 2 };

struct rewrite {
    struct lazy_analysis *r_a;
    bool r_native;                 /* 3.15: set the lazy bit, nothing else */
};

/* ---- small emitters -------------------------------------------------------- */

static int const_index(struct lz_code *c, struct lz_obj *o, uint32_t *idx, struct lz_error *err)
{
    if (!o)
        return lz_error_set(err, LZ_ENOMEM, "out of memory editing '%s'", c->c_name);
    return lz_code_add_const(c, o, idx, err);
}

/* Index of an int constant, reusing one the code already has. */
static int int_const(struct lz_code *c, int32_t v, uint32_t *idx, struct lz_error *err)
{
    for (size_t i = 0; i < c->c_consts->u.o_seq.n; i++) {
        const struct lz_obj *o = c->c_consts->u.o_seq.items[i];
        if (o->o_kind == LZ_K_INT && o->u.o_int == v) {
            *idx = (uint32_t)i;
            return LZ_OK;
        }
    }
    return const_index(c, lz_obj_new_int(c->c_obj_arena, v), idx, err);
}

static struct lz_obj *str_obj(struct lz_code *c, const char *s)
{
    return lz_obj_new_str(c->c_obj_arena, s, strlen(s), false);
}

static int name_index(struct lz_code *c, const char *s, uint32_t *idx, struct lz_error *err)
{
    return lz_code_add_name(c, s, strlen(s), idx, err);
}

/* Emit a name instruction with its index in place (nameshift) plus low bits. */
static struct lz_instr *emit_name(struct lz_code *c, struct lz_seq *s, int op, uint32_t idx,
                                  uint32_t low)
{
    return lz_seq_emit(c, s, op, idx << c->c_ver->v_ops[op].oi_nameshift | low);
}

/* Load attribute `idx` of TOS; with `push_null`, in the layout a
 * NULL-pushing LOAD_GLOBAL of this version has (LOAD_METHOD on 3.11,
 * LOAD_ATTR's method bit on 3.12+). */
static void emit_load_attr(struct lz_code *c, struct lz_seq *s, uint32_t idx, bool push_null)
{
    const struct lz_wellknown *k = &c->c_ver->v_op;

    if (push_null && k->LOAD_METHOD >= 0)
        emit_name(c, s, k->LOAD_METHOD, idx, 0);
    else
        emit_name(c, s, k->LOAD_ATTR, idx, push_null ? 1 : 0);
}

/* Call the method loaded by emit_load_attr(push_null) with `n` arguments. */
static void emit_call_method(struct lz_code *c, struct lz_seq *s, uint32_t n)
{
    const struct lz_wellknown *k = &c->c_ver->v_op;

    if (k->CALL_METHOD >= 0) {
        lz_seq_emit(c, s, k->CALL_METHOD, n);
        return;
    }
    if (k->PRECALL >= 0)
        lz_seq_emit(c, s, k->PRECALL, n);
    lz_seq_emit(c, s, k->CALL, n);
}

/* ---- what to touch ----------------------------------------------------------- */

static bool is_global_load(const struct lz_version *v, int op)
{
    return (v->v_ops[op].oi_flags & LZ_OPF_GLOBAL_LOAD) != 0;
}

static bool is_global_delete(const struct lz_version *v, int op)
{
    return (v->v_ops[op].oi_flags & LZ_OPF_GLOBAL_DELETE) != 0;
}

/* Name ops that address the module namespace from this code object. */
static bool is_module_name_op(const struct lz_code *c, int op)
{
    const struct lz_wellknown *k = &c->c_ver->v_op;

    if (op == k->LOAD_GLOBAL || op == k->STORE_GLOBAL || op == k->DELETE_GLOBAL)
        return true;
    return c->c_nesting == 0 && (op == k->LOAD_NAME || op == k->STORE_NAME || op == k->DELETE_NAME);
}

static uint32_t name_of(const struct lz_code *c, const struct lz_instr *in)
{
    return in->in_arg >> c->c_ver->v_ops[in->in_op].oi_nameshift;
}

/* The instruction's co_names index is in range (hostile code may say otherwise). */
static bool name_ok(const struct lz_code *c, const struct lz_instr *in)
{
    return name_of(c, in) < c->c_names->u.o_seq.n;
}

static bool in_lazy_statement(const struct lazy_analysis *a, uint32_t unit)
{
    for (size_t i = 0; i < a->a_nstmts; i++) {
        const struct lazy_stmt *s = &a->a_stmts[i];
        if (!s->s_nested && s->s_why == LZ_WHY_LAZY && unit >= s->s_first_unit &&
            unit < s->s_last_unit)
            return true;
    }
    return false;
}

/* ---- guards ---------------------------------------------------------------- */

struct site {
    struct lz_instr *g_in;
    int32_t g_depth;
};

static int guard_exception_table(struct rewrite *r, struct lz_code *c, const struct site *g,
                                 uint32_t handle, struct lz_error *err)
{
    const struct lz_version *v = c->c_ver;
    struct lz_instr *in = g->g_in, *first, *jump;
    bool del = is_global_delete(v, in->in_op);
    bool push_null = in->in_op == v->v_op.LOAD_GLOBAL &&
                     v->v_ops[in->in_op].oi_nameshift == 1 && (in->in_arg & 1);
    int pops = (v->v_op.LOAD_FROM_DICT_OR_GLOBALS >= 0 &&
                in->in_op == v->v_op.LOAD_FROM_DICT_OR_GLOBALS) ? 1 : 0;
    struct lz_seq s;

    if (g->g_depth < pops || (del && c->c_ver->v_op.DELETE_ATTR < 0))
        return lz_error_set(err, LZ_EINPUT, "'%s': cannot guard %s", c->c_name,
                            lz_code_opname(c, in->in_op));
    lz_seq_init(&s);
    first = lz_seq_emit(c, &s, v->v_op.POP_TOP, 0);
    emit_name(c, &s, v->v_op.LOAD_GLOBAL, handle, 0);
    if (del)
        lz_seq_emit(c, &s, c->c_ver->v_op.DELETE_ATTR, name_of(c, in));
    else
        emit_load_attr(c, &s, name_of(c, in), push_null);
    jump = lz_seq_emit(c, &s, v->v_op.JUMP_BACKWARD, 0);
    if (!first || !jump)
        return lz_error_set(err, LZ_ENOMEM, "out of memory guarding '%s'", c->c_name);
    lz_code_set_target(jump, in->in_next);
    lz_seq_copy_location(&s, in);
    LZ_TRY(lz_code_insert_after(c, c->c_last, &s, LZ_EDIT_OWN_LOCATION, err));
    lz_code_set_handler(in, first, (uint16_t)(g->g_depth - pops), false);
    return LZ_OK;
}

static int guard_block(struct rewrite *r, struct lz_code *c, const struct site *g,
                       uint32_t handle, struct lz_error *err)
{
    const struct lz_version *v = c->c_ver;
    struct lz_instr *in = g->g_in, *first, *jump;
    bool del = is_global_delete(v, in->in_op);
    struct lz_seq s;

    if (c->c_ver->v_op.ROT_FOUR < 0 || (del && c->c_ver->v_op.DELETE_ATTR < 0))
        return lz_error_set(err, LZ_EINPUT, "'%s': cannot guard %s", c->c_name,
                            lz_code_opname(c, in->in_op));
    unsigned nesting = 0;
    for (const struct lz_instr *b = in->in_block; b; b = b->in_block)
        nesting++;
    if (nesting + 1 >= LZ_CODE_BLOCKS_MAX)
        return lz_error_set(err, LZ_EINPUT, "'%s': blocks nested too deeply to guard a "
                            "lazy name", c->c_name);
    lz_seq_init(&s);
    first = lz_seq_emit(c, &s, v->v_op.POP_TOP, 0);
    lz_seq_emit(c, &s, v->v_op.POP_TOP, 0);
    lz_seq_emit(c, &s, v->v_op.POP_TOP, 0);
    emit_name(c, &s, v->v_op.LOAD_GLOBAL, handle, 0);
    if (del) {
        lz_seq_emit(c, &s, c->c_ver->v_op.DELETE_ATTR, name_of(c, in));
    } else {
        emit_name(c, &s, v->v_op.LOAD_ATTR, name_of(c, in), 0);
        lz_seq_emit(c, &s, c->c_ver->v_op.ROT_FOUR, 0);
    }
    lz_seq_emit(c, &s, v->v_op.POP_EXCEPT, 0);
    jump = lz_seq_emit(c, &s, v->v_op.JUMP_ABSOLUTE, 0);
    if (!first || !jump)
        return lz_error_set(err, LZ_ENOMEM, "out of memory guarding '%s'", c->c_name);
    lz_seq_copy_location(&s, in);
    LZ_TRY(lz_code_insert_after(c, c->c_last, &s, LZ_EDIT_OWN_LOCATION, err));
    LZ_TRY(lz_code_start_line(c, first, in->in_loc.l_line, err));
    LZ_TRY(lz_code_wrap_in_block(c, in, first, err));
    /* in is now followed by its POP_BLOCK; resume after that. */
    lz_code_set_target(jump, in->in_next->in_next);
    return LZ_OK;
}

/* Find the loads (and, policy all, deletes) of lazy names before editing:
 * handler depths come from the original flow. */
static int collect_sites(struct rewrite *r, struct lz_code *c, const int32_t *map,
                         struct site **out, size_t *nout, struct lz_error *err)
{
    const struct lz_version *v = c->c_ver;
    size_t n = 0, cap = 0;
    struct site *sites = NULL;
    int32_t maxdepth;

    bool depths = false;

    for (struct lz_instr *in = c->c_first; in; in = in->in_next) {
        if (!is_global_load(v, in->in_op) && !is_global_delete(v, in->in_op))
            continue;
        if (!name_ok(c, in) || map[name_of(c, in)] < 0)
            continue;
        if (c->c_nesting == 0 && in_lazy_statement(r->r_a, in->in_orig_unit))
            continue;
        if (v->v_exception_table && !depths) {
            /* handler depths come from the flow of the code as decoded;
             * only computed once a load needs a guard */
            LZ_TRY(lz_code_stackdepth(c, &maxdepth, err));
            depths = true;
        }
        if (v->v_exception_table && in->in_depth < 0)
            continue;   /* unreachable */
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            struct site *grown = lz_arena_alloc(c->c_arena, cap * sizeof *grown);
            if (!grown)
                return lz_error_set(err, LZ_ENOMEM, "out of memory guarding '%s'", c->c_name);
            if (n)
                memcpy(grown, sites, n * sizeof *grown);
            sites = grown;
        }
        sites[n].g_in = in;
        sites[n].g_depth = in->in_depth;
        n++;
    }
    *out = sites;
    *nout = n;
    return LZ_OK;
}

static int add_guards(struct rewrite *r, struct lz_code *c, const int32_t *map,
                      struct lz_error *err)
{
    struct site *sites = NULL;
    size_t n = 0;
    uint32_t handle;

    LZ_TRY(collect_sites(r, c, map, &sites, &n, err));
    if (n == 0)
        return LZ_OK;
    LZ_TRY(name_index(c, LZ_RUNTIME_HANDLE, &handle, err));
    for (size_t i = 0; i < n; i++) {
        if (c->c_ver->v_exception_table)
            LZ_TRY(guard_exception_table(r, c, &sites[i], handle, err));
        else
            LZ_TRY(guard_block(r, c, &sites[i], handle, err));
    }
    return LZ_OK;
}

/* ---- renames, statements, prologue ---------------------------------------- */

static int rename_dunders(struct rewrite *r, struct lz_code *c, struct lz_error *err)
{
    static const struct {
        const char *from, *to;
        int flag;
    } renames[] = {
        {"__getattr__", "__lazyc_getattr__", ATTACH_OWN_GETATTR},
        {"__dir__", "__lazyc_dir__", ATTACH_OWN_DIR},
    };
    const struct lazy_analysis *a = r->r_a;
    int flags = (a->a_defines_getattr ? ATTACH_OWN_GETATTR : 0) |
                (a->a_defines_dir ? ATTACH_OWN_DIR : 0);

    for (size_t k = 0; k < sizeof renames / sizeof *renames; k++) {
        if (!(flags & renames[k].flag))
            continue;
        uint32_t to = UINT32_MAX;
        for (struct lz_instr *in = c->c_first; in; in = in->in_next) {
            if (!is_module_name_op(c, in->in_op) || !name_ok(c, in) ||
                !lz_obj_is_str(c->c_names->u.o_seq.items[name_of(c, in)], renames[k].from))
                continue;
            if (to == UINT32_MAX)
                LZ_TRY(name_index(c, renames[k].to, &to, err));
            unsigned shift = c->c_ver->v_ops[in->in_op].oi_nameshift;
            in->in_arg = to << shift | (in->in_arg & ((1u << shift) - 1));
        }
    }
    return LZ_OK;
}

static struct lz_instr *instr_at_unit(struct lz_code *c, uint32_t unit)
{
    for (struct lz_instr *in = c->c_first; in; in = in->in_next)
        if (in->in_orig_unit == unit)
            return in;
    return NULL;
}

/* (module, level, fromlist, ((name, path), ...)) */
static struct lz_obj *spec_tuple(struct lz_code *c, const struct lazy_analysis *a,
                                 const struct lazy_stmt *s)
{
    struct lz_arena *ar = c->c_obj_arena;
    struct lz_obj *t = lz_obj_new_tuple(ar, 4), *binds = lz_obj_new_tuple(ar, s->s_nbinds);
    struct lz_obj *from = s->s_from ? lz_obj_new_tuple(ar, s->s_nfrom)
                                    : lz_obj_new_singleton(ar, LZ_K_NONE);

    if (!t || !binds || !from)
        return NULL;
    t->u.o_seq.items[0] = str_obj(c, s->s_module);
    t->u.o_seq.items[1] = lz_obj_new_int(ar, (int32_t)s->s_level);
    t->u.o_seq.items[2] = from;
    t->u.o_seq.items[3] = binds;
    for (size_t i = 0; s->s_from && i < s->s_nfrom; i++)
        if (!(from->u.o_seq.items[i] = str_obj(c, s->s_fromnames[i])))
            return NULL;
    for (size_t i = 0; i < s->s_nbinds; i++) {
        struct lz_obj *pair = lz_obj_new_tuple(ar, 2);
        if (!pair)
            return NULL;
        pair->u.o_seq.items[0] = str_obj(c, a->a_names[s->s_binds[i].b_name].n_str);
        pair->u.o_seq.items[1] = str_obj(c, s->s_binds[i].b_path);
        if (!pair->u.o_seq.items[0] || !pair->u.o_seq.items[1])
            return NULL;
        binds->u.o_seq.items[i] = pair;
    }
    for (int i = 0; i < 2; i++)
        if (!t->u.o_seq.items[i])
            return NULL;
    return t;
}

static int replace_statement(struct lz_code *c, const struct lazy_analysis *a,
                             const struct lazy_stmt *s, uint32_t handle, struct lz_error *err)
{
    struct lz_instr *first = instr_at_unit(c, s->s_first_unit);
    struct lz_instr *last = first;
    uint32_t spec, line;
    struct lz_seq seq;

    while (last && last->in_next && last->in_next->in_orig_unit < s->s_last_unit)
        last = last->in_next;
    if (!first || !last)
        return lz_error_set(err, LZ_EINPUT, "'%s': import at line %u moved", c->c_name,
                            s->s_line);
    LZ_TRY(const_index(c, spec_tuple(c, a, s), &spec, err));
    LZ_TRY(int_const(c, (int32_t)s->s_line, &line, err));
    lz_seq_init(&seq);
    lz_seq_emit(c, &seq, c->c_ver->v_op.LOAD_CONST, spec);
    emit_name(c, &seq, c->c_ver->v_op.LOAD_NAME, handle, 0);
    lz_seq_emit(c, &seq, c->c_ver->v_op.LOAD_CONST, line);
    lz_seq_emit(c, &seq, c->c_ver->v_op.STORE_SUBSCR, 0);
    return lz_code_replace(c, first, last, &seq, 0, err);
}

/* The names the module binds lazily, for attach(): its handle answers
 * only those (anything else probing it gets AttributeError). */
static struct lz_obj *lazy_names_tuple(struct lz_code *c, const struct lazy_analysis *a)
{
    size_t n = 0, k = 0;
    struct lz_obj *t;

    for (size_t i = 0; i < a->a_nnames; i++)
        n += a->a_names[i].n_lazy;
    t = lz_obj_new_tuple(c->c_obj_arena, n);
    for (size_t i = 0; t && i < a->a_nnames; i++)
        if (a->a_names[i].n_lazy && !(t->u.o_seq.items[k++] = str_obj(c, a->a_names[i].n_str)))
            return NULL;
    return t;
}

static int add_prologue(struct lz_code *c, const struct lazy_analysis *a, uint32_t handle,
                        struct lz_error *err)
{
    const struct lz_wellknown *k = &c->c_ver->v_op;
    struct lz_instr *anchor = c->c_first;
    struct lz_obj *fromlist = lz_obj_new_tuple(c->c_obj_arena, 1);
    uint32_t level, from, runtime, attach, flags, names;
    struct lz_seq s;

    if (k->RESUME >= 0)
        for (struct lz_instr *in = c->c_first; in; in = in->in_next)
            if (in->in_op == k->RESUME) {
                anchor = in->in_next;
                break;
            }
    if (!anchor || !fromlist || !(fromlist->u.o_seq.items[0] = str_obj(c, "attach")))
        return lz_error_set(err, LZ_ENOMEM, "out of memory editing '%s'", c->c_name);
    LZ_TRY(int_const(c, (int32_t)a->a_mod->lm_place.lp_runtime_level, &level, err));
    LZ_TRY(const_index(c, fromlist, &from, err));
    LZ_TRY(name_index(c, a->a_mod->lm_place.lp_runtime_name ? a->a_mod->lm_place.lp_runtime_name
                                                             : LZ_RUNTIME_MODULE, &runtime, err));
    LZ_TRY(name_index(c, "attach", &attach, err));
    LZ_TRY(int_const(c, (a->a_defines_getattr ? ATTACH_OWN_GETATTR : 0) |
                        (a->a_defines_dir ? ATTACH_OWN_DIR : 0), &flags, err));
    LZ_TRY(const_index(c, lazy_names_tuple(c, a), &names, err));
    lz_seq_init(&s);
    lz_seq_emit(c, &s, k->LOAD_CONST, level);
    lz_seq_emit(c, &s, k->LOAD_CONST, from);
    emit_name(c, &s, k->IMPORT_NAME, runtime, 0);
    emit_load_attr(c, &s, attach, true);
    lz_seq_emit(c, &s, k->LOAD_CONST, flags);
    lz_seq_emit(c, &s, k->LOAD_CONST, names);
    emit_call_method(c, &s, 2);
    emit_name(c, &s, k->STORE_NAME, handle, 0);
    return lz_code_insert_before(c, anchor, &s, 0, err);
}

/* ---- the pass ----------------------------------------------------------------- */

static int set_native_bits(struct rewrite *r, struct lz_code *c, struct lz_error *err)
{
    for (size_t i = 0; i < r->r_a->a_nstmts; i++) {
        const struct lazy_stmt *s = &r->r_a->a_stmts[i];
        struct lz_instr *imp;
        if (s->s_nested || s->s_why != LZ_WHY_LAZY)
            continue;
        imp = instr_at_unit(c, s->s_import_unit);
        if (!imp || imp->in_op != c->c_ver->v_op.IMPORT_NAME)
            return lz_error_set(err, LZ_EINPUT, "'%s': import at line %u moved", c->c_name,
                                s->s_line);
        imp->in_arg |= 1;
    }
    return LZ_OK;
}

static int lazy_pass(struct lz_code *c, void *ctx, struct lz_error *err)
{
    struct rewrite *r = ctx;
    struct lazy_analysis *a = r->r_a;
    uint32_t handle;
    bool any;
    int32_t *map;

    if (r->r_native)
        return c->c_nesting == 0 ? set_native_bits(r, c, err) : LZ_OK;
    map = lazy_names_map(a, c->c_arena, c->c_co, true, &any);
    if (!map)
        return lz_error_set(err, LZ_ENOMEM, "out of memory editing '%s'", c->c_name);
    if (any)
        LZ_TRY(add_guards(r, c, map, err));
    LZ_TRY(rename_dunders(r, c, err));
    if (c->c_nesting != 0)
        return LZ_OK;
    LZ_TRY(name_index(c, LZ_RUNTIME_HANDLE, &handle, err));
    for (size_t i = 0; i < a->a_nstmts; i++)
        if (!a->a_stmts[i].s_nested && a->a_stmts[i].s_why == LZ_WHY_LAZY)
            LZ_TRY(replace_statement(c, a, &a->a_stmts[i], handle, err));
    return add_prologue(c, a, handle, err);
}

/* Decode only the top-level code object and those that mention a lazy
 * name (or a module __getattr__/__dir__ being renamed). */
static bool lazy_wants(const struct lz_codeobj *co, unsigned depth, void *ctx)
{
    struct rewrite *r = ctx;
    const struct lazy_analysis *a = r->r_a;
    const struct lz_obj *names = co->co_names;

    if (depth == 0)
        return true;
    if (r->r_native)
        return false;
    for (size_t i = 0; i < names->u.o_seq.n; i++) {
        const struct lz_obj *s = names->u.o_seq.items[i];
        int id = lazy_name_find(a, s->u.o_raw.data, s->u.o_raw.size);
        if (id >= 0 && (a->a_names[id].n_lazy ||
                        (a->a_defines_getattr && lz_obj_is_str(s, "__getattr__")) ||
                        (a->a_defines_dir && lz_obj_is_str(s, "__dir__"))))
            return true;
    }
    return false;
}

/* ---- driver --------------------------------------------------------------- */

void lz_lazy_module_init(struct lz_lazy_module *m, const struct lz_lazy_options *opts,
                         const struct lz_lazy_place *place)
{
    memset(m, 0, sizeof *m);
    m->lm_opts = *opts;
    m->lm_place = *place;
}

void lz_lazy_module_fini(struct lz_lazy_module *m)
{
    lz_free(m->lm_stmts);
    m->lm_stmts = NULL;
    m->lm_nstmts = 0;
}

static void describe(const struct lazy_analysis *a, const struct lazy_stmt *s,
                     struct lz_lazy_stmt *out)
{
    char *p = out->st_text;
    size_t left = sizeof out->st_text;
    int n;

    memset(out, 0, sizeof *out);
    out->st_line = s->s_line;
    out->st_why = s->s_why;
    snprintf(out->st_target, sizeof out->st_target, "%s", s->s_target ? s->s_target : "");
    snprintf(out->st_detail, sizeof out->st_detail, "%s", s->s_detail ? s->s_detail : "");
    if (s->s_why == LZ_WHY_STAR) {
        snprintf(p, left, "from %.*s%s import *", (int)s->s_level, "..........................",
                 s->s_module);
        return;
    }
    if (s->s_nested || s->s_why == LZ_WHY_SHAPE) {
        snprintf(p, left, "import %s", s->s_module ? s->s_module : "?");
        return;
    }
    if (s->s_from) {
        n = snprintf(p, left, "from %.*s%s import ", (int)s->s_level, "..........................",
                     s->s_module);
    } else {
        n = snprintf(p, left, "import %s", s->s_module);
    }
    for (size_t i = 0; n > 0 && (size_t)n < left && i < s->s_nbinds; i++) {
        const struct lazy_bind *b = &s->s_binds[i];
        const char *name = a->a_names[b->b_name].n_str;
        int k;
        p += n, left -= (size_t)n;
        if (s->s_from)
            k = strcmp(name, b->b_path) == 0
                    ? snprintf(p, left, "%s%s", i ? ", " : "", name)
                    : snprintf(p, left, "%s%s as %s", i ? ", " : "", b->b_path, name);
        else
            k = b->b_path[0] || strncmp(name, s->s_module, strcspn(s->s_module, ".")) != 0 ||
                        name[strcspn(s->s_module, ".")] != '\0'
                    ? snprintf(p, left, " as %s", name) : 0;
        n = k;
    }
}

static int record(struct lz_lazy_module *m, const struct lazy_analysis *a, struct lz_error *err)
{
    m->lm_stmts = a->a_nstmts ? lz_malloc(a->a_nstmts * sizeof *m->lm_stmts) : NULL;
    if (a->a_nstmts && !m->lm_stmts)
        return lz_error_set(err, LZ_ENOMEM, "out of memory reporting imports");
    m->lm_nstmts = a->a_nstmts;
    for (size_t i = 0; i < a->a_nstmts; i++) {
        describe(a, &a->a_stmts[i], &m->lm_stmts[i]);
        m->lm_counts[a->a_stmts[i].s_why]++;
    }
    return LZ_OK;
}

static int stmt_line_cmp(const void *x, const void *y)
{
    const struct lz_lazy_stmt *a = x, *b = y;
    return (a->st_line > b->st_line) - (a->st_line < b->st_line);
}

static int analyse(struct lazy_analysis *a, const struct lz_pyc *pyc, struct lz_error *err)
{
    struct lz_code *top;
    struct lz_arena *work = lz_arena_new();
    int rc;

    if (!work)
        return lz_error_set(err, LZ_ENOMEM, "out of memory analysing imports");
    rc = lz_code_decode(a->a_ver, work, a->a_arena, pyc->pc_code, &top, err);
    if (rc == LZ_OK) {
        const struct lz_obj *names = pyc->pc_code->u.o_codeobj->co_names;
        for (size_t i = 0; i < names->u.o_seq.n; i++)
            a->a_already |= lz_obj_is_str(names->u.o_seq.items[i], LZ_RUNTIME_HANDLE);
        if (!a->a_already)
            rc = lazy_find_statements(a, top, err);
    }
    lz_arena_free(work);
    if (rc == LZ_OK && !a->a_already)
        rc = lazy_prepare(a, err);
    if (rc == LZ_OK && !a->a_already)
        rc = lazy_scan_module(a, pyc->pc_code, err);
    if (rc == LZ_OK && !a->a_already)
        lazy_decide(a);
    return rc;
}

int lz_lazy_rewrite(struct lz_pyc *pyc, struct lz_lazy_module *m, struct lz_error *err)
{
    const struct lz_version *v = lz_version_for(pyc->pc_ver);
    struct lazy_analysis a = {.a_ver = v, .a_mod = m};
    struct rewrite r = {.r_a = &a};
    size_t nlazy;
    int rc;

    if (!v)
        return lz_error_set(err, LZ_EINPUT, "no instruction table for Python %d.%d",
                            pyc->pc_ver->pv_major, pyc->pc_ver->pv_minor);
    if (!pyc->pc_code || pyc->pc_code->o_kind != LZ_K_CODE)
        return lz_error_set(err, LZ_EINPUT, "the pyc does not hold a code object");
    if (!(a.a_arena = lz_arena_new()))
        return lz_error_set(err, LZ_ENOMEM, "out of memory analysing imports");
    rc = analyse(&a, pyc, err);
    if (rc == LZ_OK)
        rc = record(m, &a, err);
    if (rc == LZ_OK && m->lm_nstmts > 1)
        qsort(m->lm_stmts, m->lm_nstmts, sizeof *m->lm_stmts, stmt_line_cmp);
    m->lm_already = a.a_already;
    nlazy = m->lm_counts[LZ_WHY_LAZY];
    if (rc == LZ_OK && nlazy && !a.a_already && !m->lm_opts.lo_dry_run) {
        struct lz_pipeline_pass pass = {
            .p_name = "lazy_imports", .p_run = lazy_pass, .p_wants = lazy_wants, .p_ctx = &r,
        };
        const struct lz_obj *before = pyc->pc_code;
        /* IMPORT_NAME packs PEP 810's flags below the name index (3.15+). */
        r.r_native = v->v_ops[v->v_op.IMPORT_NAME].oi_nameshift == 2;
        rc = lz_pipeline_run(pyc, &pass, 1, NULL, err);
        m->lm_changed = rc == LZ_OK && pyc->pc_code != before;
        m->lm_needs_runtime = m->lm_changed && !r.r_native;
    }
    lz_arena_free(a.a_arena);
    return rc;
}

const struct lz_runtime_pyc *lz_runtime_pyc_for(unsigned minor)
{
    for (const struct lz_runtime_pyc *p = lz_runtime_pycs; p->rp_minor; p++) {
        const struct lz_pyver *ver;
        uint8_t hash[8];
        if (p->rp_minor != minor || p->rp_len < LZ_PYC_HEADER_SIZE)
            continue;
        ver = lz_pyver_from_magic((uint16_t)(p->rp_data[0] | p->rp_data[1] << 8));
        if (!ver)
            return NULL;
        lz_pyc_source_hash(ver, (const uint8_t *)lz_runtime_source, lz_runtime_source_len, hash);
        return memcmp(hash, p->rp_data + 8, 8) == 0 ? p : NULL;
    }
    return NULL;
}
