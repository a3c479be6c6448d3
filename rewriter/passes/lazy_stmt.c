/* lazy_stmt.c - find the import statements of a module's top-level code.
 *
 * CPython 3.8-3.15 compile every import statement to the same shape, which
 * is what we recognise (anything else stays eager, reason "shape"):
 *
 *   level  fromlist  IMPORT_NAME mod   then
 *     STORE_NAME a                                   import a / import a.b
 *     IMPORT_FROM b (ROT_TWO|SWAP 2; POP_TOP; IMPORT_FROM c)* STORE_NAME d; POP_TOP
 *                                                    import a.b.c as d
 *     (IMPORT_FROM x; STORE_NAME y)+ POP_TOP         from m import x as y, ...
 *     IMPORT_STAR | CALL_INTRINSIC_1 + POP_TOP       from m import *
 *
 * where `level` is LOAD_CONST int or (3.14+) LOAD_SMALL_INT and `fromlist`
 * is LOAD_CONST None / LOAD_COMMON_CONSTANT (3.15) or a LOAD_CONST tuple.
 *
 * Besides the statements this file finds the regions they sit in: code an
 * exception handler covers or that runs as a handler (never lazy), bodies
 * of `if TYPE_CHECKING:` (never run) and of `if __name__ == "__main__":`
 * (not run on import), and the constant lists assigned to __all__ and
 * __lazy_modules__.
 */
#include <string.h>

#include "lazy_int.h"
#include "lz_code_int.h"

static const struct lz_obj *name_arg(const struct lz_code *c, const struct lz_instr *in)
{
    uint32_t i = in->in_arg >> c->c_ver->v_ops[in->in_op].oi_nameshift;

    return i < c->c_names->u.o_seq.n ? c->c_names->u.o_seq.items[i] : NULL;
}

static const struct lz_obj *const_arg(const struct lz_code *c, const struct lz_instr *in)
{
    if (!in || in->in_op != c->c_ver->v_op.LOAD_CONST || !c->c_consts ||
        in->in_arg >= c->c_consts->u.o_seq.n)
        return NULL;
    return c->c_consts->u.o_seq.items[in->in_arg];
}

static bool is_op(const struct lz_instr *in, int op)
{
    return in && op >= 0 && in->in_op == op;
}

static bool is_name_op(const struct lz_code *c, const struct lz_instr *in, int op,
                       const char *name)
{
    return is_op(in, op) && lz_obj_is_str(name_arg(c, in), name);
}

/* A module-level binding: STORE_NAME, or STORE_GLOBAL when a function of
 * the module declares the name global. */
static bool is_store(const struct lz_code *c, const struct lz_instr *in)
{
    return is_op(in, c->c_ver->v_op.STORE_NAME) || is_op(in, c->c_ver->v_op.STORE_GLOBAL);
}

const char *lazy_strdup(struct lz_arena *arena, const struct lz_obj *s)
{
    char *out;

    if (!s || s->o_kind != LZ_K_STR)
        return NULL;
    out = lz_arena_alloc(arena, s->u.o_raw.size + 1);
    if (!out)
        return NULL;
    memcpy(out, s->u.o_raw.data, s->u.o_raw.size);
    out[s->u.o_raw.size] = '\0';
    return out;
}

/* ---- regions ------------------------------------------------------------ */

/* Code a handler runs: from every handler entry, follow the flow until the
 * handler gives the exception up (POP_EXCEPT, 3.8 END_FINALLY) or leaves
 * (return, raise).  On 3.11+ the exception table already covers except
 * bodies; on 3.8-3.10 a bare `except E:` body has no block of its own, so
 * this walk is what finds it. */
static int mark_handler_code(struct lz_code *c, uint8_t *mark, struct lz_error *err)
{
    const struct lz_version *v = c->c_ver;
    size_t n = c->c_ninstr, top = 0;
    struct lz_instr **stack = lz_malloc((n ? n : 1) * 2 * sizeof *stack);

    if (!stack)
        return lz_error_set(err, LZ_ENOMEM, "out of memory analysing '%s'", c->c_name);
    for (struct lz_instr *in = c->c_first; in; in = in->in_next) {
        struct lz_instr *h = v->v_exception_table ? in->in_exc.x_target
                           : (v->v_ops[in->in_op].oi_flags & LZ_OPF_SETUP) ? in->in_target
                           : NULL;
        if (h && !(mark[h->in_id] & 2)) {
            mark[h->in_id] |= 2;
            stack[top++] = h;
        }
    }
    while (top) {
        struct lz_instr *in = stack[--top];
        struct lz_instr *next[2] = {NULL, NULL};
        uint32_t fl = v->v_ops[in->in_op].oi_flags;

        mark[in->in_id] |= 1;
        if (is_op(in, v->v_op.POP_EXCEPT) || is_op(in, v->v_op.END_FINALLY))
            continue;
        if (!(fl & LZ_OPF_NOFALL))
            next[0] = in->in_next;
        if (in->in_target && !(fl & LZ_OPF_SETUP))
            next[1] = in->in_target;
        for (int k = 0; k < 2; k++)
            if (next[k] && !(mark[next[k]->in_id] & 2) && top < 2 * n) {
                mark[next[k]->in_id] |= 2;
                stack[top++] = next[k];
            }
    }
    lz_free(stack);
    return LZ_OK;
}

/* The conditional jump of `if COND:` whose test ends at `in`, or NULL. */
static struct lz_instr *if_false_jump(const struct lz_code *c, struct lz_instr *in)
{
    const struct lz_wellknown *k = &c->c_ver->v_op;
    struct lz_instr *j = in->in_next;

    if (is_op(j, k->TO_BOOL))
        j = j->in_next;
    if (is_op(j, k->POP_JUMP_IF_FALSE) || is_op(j, k->POP_JUMP_FORWARD_IF_FALSE))
        return j;
    return NULL;
}

/* Mark [jump, target) of `if TYPE_CHECKING:` (bit 4 of mark) and record
 * `if __name__ == "__main__":` bodies as unit ranges. */
static int mark_if_bodies(struct lazy_analysis *a, struct lz_code *c, uint8_t *mark,
                          struct lz_error *err)
{
    const struct lz_wellknown *k = &c->c_ver->v_op;

    for (struct lz_instr *in = c->c_first; in; in = in->in_next) {
        struct lz_instr *j = NULL;
        bool main_guard = false;

        if (is_name_op(c, in, k->LOAD_NAME, "TYPE_CHECKING") ||
            (is_name_op(c, in, k->LOAD_ATTR, "TYPE_CHECKING") &&
             is_name_op(c, in->in_prev, k->LOAD_NAME, "typing"))) {
            j = if_false_jump(c, in);
        } else if (is_op(in, k->COMPARE_OP) && in->in_prev && in->in_prev->in_prev) {
            const struct lz_instr *x = in->in_prev->in_prev, *y = in->in_prev;
            const struct lz_obj *cx = const_arg(c, x), *cy = const_arg(c, y);
            if ((is_name_op(c, x, k->LOAD_NAME, "__name__") && lz_obj_is_str(cy, "__main__")) ||
                (is_name_op(c, y, k->LOAD_NAME, "__name__") && lz_obj_is_str(cx, "__main__"))) {
                j = if_false_jump(c, in);
                main_guard = true;
            }
        }
        if (!j || !j->in_target || j->in_target->in_id <= j->in_id)
            continue;
        if (!main_guard) {
            for (struct lz_instr *b = j->in_next; b && b != j->in_target; b = b->in_next)
                mark[b->in_id] |= 4;
            continue;
        }
        struct lazy_range body = {
            .r_start = j->in_next ? j->in_next->in_orig_unit : 0,
            .r_end = j->in_target->in_orig_unit,
        };
        struct lazy_range *r = lazy_append(a->a_arena, a->a_main, a->a_nmain, sizeof *r, &body);
        if (!r)
            return lz_error_set(err, LZ_ENOMEM, "out of memory analysing '%s'", c->c_name);
        a->a_main = r;
        a->a_nmain++;
    }
    return LZ_OK;
}

/* ---- constant lists: __all__ and __lazy_modules__ ------------------------ */

static int add_string(struct lazy_analysis *a, const char ***list, size_t *n,
                      const struct lz_obj *s, struct lz_error *err)
{
    const char *copy = lazy_strdup(a->a_arena, s);
    const char **grown = copy ? lazy_append(a->a_arena, *list, *n, sizeof *grown, &copy) : NULL;

    if (!grown)
        return lz_error_set(err, LZ_ENOMEM, "out of memory reading constant lists");
    *list = grown;
    (*n)++;
    return LZ_OK;
}

/* Strings of the constant expression stored by `store`: the LOAD_CONSTs
 * (of str, or of tuples/frozensets of str) and list/tuple/set builders
 * right before it. */
static int collect_strings(struct lazy_analysis *a, const struct lz_code *c,
                           const struct lz_instr *store, const char ***list, size_t *n,
                           struct lz_error *err)
{
    const struct lz_wellknown *k = &c->c_ver->v_op;

    for (const struct lz_instr *in = store->in_prev; in; in = in->in_prev) {
        const struct lz_obj *o = const_arg(c, in);
        if (o && o->o_kind == LZ_K_STR) {
            LZ_TRY(add_string(a, list, n, o, err));
            continue;
        }
        if (o && (o->o_kind == LZ_K_TUPLE || o->o_kind == LZ_K_FROZENSET)) {
            for (size_t i = 0; i < o->u.o_seq.n; i++)
                if (o->u.o_seq.items[i]->o_kind == LZ_K_STR)
                    LZ_TRY(add_string(a, list, n, o->u.o_seq.items[i], err));
            continue;
        }
        if (is_op(in, k->BUILD_LIST) || is_op(in, k->BUILD_TUPLE) || is_op(in, k->BUILD_SET) ||
            is_op(in, k->LIST_EXTEND) || is_op(in, k->SET_UPDATE) || is_op(in, k->LIST_TO_TUPLE))
            continue;
        break;
    }
    return LZ_OK;
}

/* ---- statements ---------------------------------------------------------- */

void *lazy_grow(struct lz_arena *arena, void *items, size_t n, size_t *cap, size_t size)
{
    void *grown;

    if (n < *cap)
        return items;
    grown = lz_arena_calloc(arena, *cap ? *cap * 2 : 16, size);
    if (!grown)
        return NULL;
    if (n)
        memcpy(grown, items, n * size);
    *cap = *cap ? *cap * 2 : 16;
    return grown;
}

void *lazy_append(struct lz_arena *arena, const void *items, size_t n, size_t size,
                  const void *item)
{
    char *out = lz_arena_calloc(arena, n + 1, size);

    if (!out)
        return NULL;
    if (n)
        memcpy(out, items, n * size);
    memcpy(out + n * size, item, size);
    return out;
}

struct lazy_stmt *lazy_stmt_new(struct lazy_analysis *a)
{
    struct lazy_stmt *s = lazy_grow(a->a_arena, a->a_stmts, a->a_nstmts, &a->a_cap_stmts,
                                    sizeof *s);
    if (!s)
        return NULL;
    a->a_stmts = s;
    s = &a->a_stmts[a->a_nstmts++];
    memset(s, 0, sizeof *s);
    return s;
}

static int add_bind(struct lazy_analysis *a, struct lazy_stmt *s, const struct lz_obj *name,
                    const char *path, struct lz_error *err)
{
    struct lazy_bind bind = {.b_path = path}, *b;

    if (!name || name->o_kind != LZ_K_STR)
        return lz_error_set(err, LZ_EINPUT, "import statement names a co_names entry that "
                            "does not exist");
    if (!path)
        return lz_error_set(err, LZ_ENOMEM, "out of memory listing imports");
    LZ_TRY(lazy_name_add(a, name->u.o_raw.data, name->u.o_raw.size, &bind.b_name, err));
    if (!(b = lazy_append(a->a_arena, s->s_binds, s->s_nbinds, sizeof *b, &bind)))
        return lz_error_set(err, LZ_ENOMEM, "out of memory listing imports");
    s->s_binds = b;
    s->s_nbinds++;
    a->a_names[bind.b_name].n_binders++;
    return LZ_OK;
}

/* "b.c" from the IMPORT_FROM chain of `import a.b.c as d`. */
static const char *join_path(struct lz_arena *arena, const char *left, const struct lz_obj *right)
{
    if (!right || right->o_kind != LZ_K_STR)
        return NULL;
    size_t l = strlen(left), r = right->u.o_raw.size;
    char *out = lz_arena_alloc(arena, l + 1 + r + 1);

    if (!out)
        return NULL;
    memcpy(out, left, l);
    if (l)
        out[l++] = '.';
    memcpy(out + l, right->u.o_raw.data, r);
    out[l + r] = '\0';
    return out;
}

/* Match the statement around IMPORT_NAME `imp`.  Returns its last
 * instruction, or NULL (shape not recognised; s->s_why = SHAPE). */
static struct lz_instr *match_tail(struct lazy_analysis *a, struct lz_code *c,
                                   struct lz_instr *imp, struct lazy_stmt *s,
                                   struct lz_error *err, int *rc)
{
    const struct lz_wellknown *k = &c->c_ver->v_op;
    struct lz_instr *in = imp->in_next;

    *rc = LZ_OK;
    if (s->s_from) {
        if (is_op(in, k->IMPORT_STAR)) {
            s->s_why = LZ_WHY_STAR;
            return in;
        }
        if (is_op(in, k->CALL_INTRINSIC_1) && s->s_nfrom == 1 && strcmp(s->s_fromnames[0], "*") == 0) {
            s->s_why = LZ_WHY_STAR;
            return is_op(in->in_next, k->POP_TOP) ? in->in_next : in;
        }
        while (is_op(in, k->IMPORT_FROM) && is_store(c, in->in_next)) {
            const char *path = lazy_strdup(a->a_arena, name_arg(c, in));
            if ((*rc = add_bind(a, s, name_arg(c, in->in_next), path, err)) < 0)
                return NULL;
            in = in->in_next->in_next;
        }
        if (s->s_nbinds && is_op(in, k->POP_TOP))
            return in;
        return NULL;
    }
    if (is_store(c, in)) {
        const struct lz_obj *top = name_arg(c, in);
        if ((*rc = add_bind(a, s, top, "", err)) < 0)
            return NULL;
        return in;
    }
    const char *path = "";
    while (is_op(in, k->IMPORT_FROM)) {
        const struct lz_obj *attr = name_arg(c, in);
        if (!attr || attr->o_kind != LZ_K_STR)
            return NULL;    /* a name index out of range: not a statement we know */
        if (!(path = join_path(a->a_arena, path, attr))) {
            *rc = lz_error_set(err, LZ_ENOMEM, "out of memory listing imports");
            return NULL;
        }
        in = in->in_next;
        if (is_store(c, in) && is_op(in->in_next, k->POP_TOP)) {
            if ((*rc = add_bind(a, s, name_arg(c, in), path, err)) < 0)
                return NULL;
            return in->in_next;
        }
        bool swap = is_op(in, k->ROT_TWO) || (is_op(in, k->SWAP) && in->in_arg == 2);
        if (!swap || !is_op(in->in_next, k->POP_TOP))
            return NULL;
        in = in->in_next->in_next;
    }
    return NULL;
}

static bool read_level(const struct lz_code *c, const struct lz_instr *in, uint32_t *level)
{
    const struct lz_obj *o = const_arg(c, in);

    if (o && o->o_kind == LZ_K_INT && o->u.o_int >= 0 && o->u.o_int < 1000) {
        *level = (uint32_t)o->u.o_int;
        return true;
    }
    if (is_op(in, c->c_ver->v_op.LOAD_SMALL_INT)) {
        *level = in->in_arg;
        return true;
    }
    return false;
}

/* fromlist: true with *names for a tuple, true with n = 0 for None. */
static int read_fromlist(struct lazy_analysis *a, const struct lz_code *c,
                         const struct lz_instr *in, struct lazy_stmt *s, bool *ok,
                         struct lz_error *err)
{
    const struct lz_obj *o = const_arg(c, in);

    *ok = false;
    if (is_op(in, c->c_ver->v_op.LOAD_COMMON_CONSTANT) || (o && o->o_kind == LZ_K_NONE)) {
        *ok = true;
        return LZ_OK;
    }
    if (!o || o->o_kind != LZ_K_TUPLE || o->u.o_seq.n == 0)
        return LZ_OK;
    s->s_from = true;
    s->s_fromnames = lz_arena_calloc(a->a_arena, o->u.o_seq.n, sizeof *s->s_fromnames);
    if (!s->s_fromnames)
        return lz_error_set(err, LZ_ENOMEM, "out of memory listing imports");
    for (size_t i = 0; i < o->u.o_seq.n; i++) {
        if (!(s->s_fromnames[i] = lazy_strdup(a->a_arena, o->u.o_seq.items[i])))
            return LZ_OK;   /* not a str: not an import we understand */
    }
    s->s_nfrom = o->u.o_seq.n;
    *ok = true;
    return LZ_OK;
}

/* Can [first, last] be replaced as one unit?  Nothing may jump into it or
 * carry a line event inside it, and one handler covers all of it. */
static bool replaceable(const struct lz_instr *first, const struct lz_instr *last)
{
    for (const struct lz_instr *in = first; in; in = in->in_next) {
        if (in != first && (in->in_jumpers || in->in_events || in->in_handles))
            return false;
        if (in->in_exc.x_target != first->in_exc.x_target || in->in_block != first->in_block)
            return false;
        if (in == last)
            return true;
    }
    return false;
}

static int add_statement(struct lazy_analysis *a, struct lz_code *c, struct lz_instr *imp,
                         const uint8_t *mark, struct lz_error *err)
{
    struct lz_instr *p1 = imp->in_prev, *p0 = p1 ? p1->in_prev : NULL, *last = NULL;
    struct lazy_stmt *s;
    bool ok = false;
    int rc = LZ_OK;

    if (!(s = lazy_stmt_new(a)))
        return lz_error_set(err, LZ_ENOMEM, "out of memory listing imports");
    s->s_module = lazy_strdup(a->a_arena, name_arg(c, imp));
    s->s_line = imp->in_loc.l_line > 0 ? (uint32_t)imp->in_loc.l_line : 0;
    s->s_import_unit = imp->in_orig_unit;
    s->s_first_unit = s->s_last_unit = imp->in_orig_unit;
    if (!s->s_module)
        return lz_error_set(err, LZ_ENOMEM, "out of memory listing imports");
    if (p0 && read_level(c, p0, &s->s_level))
        LZ_TRY(read_fromlist(a, c, p1, s, &ok, err));
    if (ok)
        last = match_tail(a, c, imp, s, err, &rc);
    if (rc < 0)
        return rc;
    if (!last || !replaceable(p0, last)) {
        if (s->s_why == LZ_WHY_LAZY)
            s->s_why = LZ_WHY_SHAPE;
        return LZ_OK;
    }
    s->s_first_unit = p0->in_orig_unit;
    s->s_last_unit = last->in_next ? last->in_next->in_orig_unit : (uint32_t)c->c_orig_nunits;
    if (p0->in_loc.l_line > 0)
        s->s_line = (uint32_t)p0->in_loc.l_line;
    if (s->s_why != LZ_WHY_LAZY)
        return LZ_OK;
    if (strcmp(s->s_module, "__future__") == 0 && s->s_level == 0)
        s->s_why = LZ_WHY_FUTURE;
    else if (mark[p0->in_id] & 1 || (c->c_ver->v_exception_table ? p0->in_exc.x_target != NULL
                                                                  : p0->in_block != NULL))
        s->s_why = LZ_WHY_HANDLER;
    else if (mark[p0->in_id] & 4)
        s->s_why = LZ_WHY_TYPE_CHECKING;
    return LZ_OK;
}

int lazy_find_statements(struct lazy_analysis *a, struct lz_code *c, struct lz_error *err)
{
    const struct lz_wellknown *k = &c->c_ver->v_op;
    size_t n = lz_code_number(c);
    uint8_t *mark = lz_arena_calloc(a->a_arena, n ? n : 1, 1);
    int rc;

    if (!mark)
        return lz_error_set(err, LZ_ENOMEM, "out of memory analysing '%s'", c->c_name);
    LZ_TRY(mark_handler_code(c, mark, err));
    LZ_TRY(mark_if_bodies(a, c, mark, err));
    for (struct lz_instr *in = c->c_first; in; in = in->in_next) {
        if (is_op(in, k->IMPORT_NAME)) {
            LZ_TRY(add_statement(a, c, in, mark, err));
        } else if (is_op(in, k->STORE_NAME)) {
            const struct lz_obj *name = name_arg(c, in);
            if (lz_obj_is_str(name, "__all__"))
                rc = collect_strings(a, c, in, &a->a_all, &a->a_nall, err);
            else if (lz_obj_is_str(name, "__lazy_modules__")) {
                a->a_has_declared = true;
                rc = collect_strings(a, c, in, &a->a_declared, &a->a_ndeclared, err);
            } else {
                a->a_defines_getattr |= lz_obj_is_str(name, "__getattr__");
                a->a_defines_dir |= lz_obj_is_str(name, "__dir__");
                rc = LZ_OK;
            }
            if (rc < 0)
                return rc;
        }
    }
    return LZ_OK;
}
