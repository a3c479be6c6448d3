/* lazy_scan.c - who reads, stores and deletes the imported names.
 *
 * Every code object of the module is scanned as raw bytecode (no decode:
 * most code objects of a big tree hold none of the names, and those are
 * skipped after one look at co_names).  What counts where:
 *
 *   module top level   LOAD_NAME: a read at import time, unless inside an
 *                      `if __name__ == "__main__":` body; STORE_NAME /
 *                      DELETE_NAME outside the import statements themselves
 *   class bodies       LOAD_NAME falls back to the globals: a read at import
 *                      time; STORE_NAME / DELETE_NAME bind class attributes
 *   functions          LOAD_GLOBAL (and 3.12+ LOAD_FROM_DICT_OR_GLOBALS):
 *                      a later read; STORE_GLOBAL / DELETE_GLOBAL anywhere
 *
 * String constants shaped like annotations ("np.ndarray", "Optional[Path]")
 * are searched for the names too: typing.get_type_hints() and dataclasses
 * evaluate them against the module's __dict__, where a pending name is absent.
 * Imports found in nested code objects are reported as such.
 */
#include <string.h>

#include "lazy_int.h"
#include "lz_code_int.h"

int lazy_name_find(const struct lazy_analysis *a, const uint8_t *s, size_t n)
{
    for (size_t i = 0; i < a->a_nnames; i++)
        if (a->a_names[i].n_len == n && memcmp(a->a_names[i].n_str, s, n) == 0)
            return (int)i;
    return -1;
}

int lazy_name_add(struct lazy_analysis *a, const uint8_t *s, size_t n, uint32_t *id,
                  struct lz_error *err)
{
    int found = lazy_name_find(a, s, n);
    char *copy;

    if (found >= 0) {
        *id = (uint32_t)found;
        return LZ_OK;
    }
    struct lazy_name *names = lazy_grow(a->a_arena, a->a_names, a->a_nnames, &a->a_cap_names,
                                        sizeof *names);
    copy = lz_arena_alloc(a->a_arena, n + 1);
    if (!names || !copy)
        return lz_error_set(err, LZ_ENOMEM, "out of memory listing names");
    a->a_names = names;
    memcpy(copy, s, n);
    copy[n] = '\0';
    memset(&a->a_names[a->a_nnames], 0, sizeof a->a_names[0]);
    a->a_names[a->a_nnames].n_str = copy;
    a->a_names[a->a_nnames].n_len = n;
    *id = (uint32_t)a->a_nnames++;
    return LZ_OK;
}

int32_t *lazy_names_map(const struct lazy_analysis *a, struct lz_arena *arena,
                        const struct lz_codeobj *co, bool lazy_only, bool *any)
{
    const struct lz_obj *names = co->co_names;
    size_t n = names ? names->u.o_seq.n : 0;
    int32_t *map = lz_arena_alloc(arena, (n ? n : 1) * sizeof *map);

    *any = false;
    if (!map)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        const struct lz_obj *s = names->u.o_seq.items[i];
        int id = s->o_kind == LZ_K_STR ? lazy_name_find(a, s->u.o_raw.data, s->u.o_raw.size) : -1;
        if (id >= 0 && lazy_only && !a->a_names[id].n_lazy)
            id = -1;
        map[i] = id;
        *any |= id >= 0;
    }
    return map;
}

/* ---- string annotations --------------------------------------------------- */

static bool ident_start(uint8_t ch)
{
    return ch == '_' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch >= 0x80;
}

static bool ident_char(uint8_t ch)
{
    return ident_start(ch) || (ch >= '0' && ch <= '9');
}

/* "Optional[np.ndarray]", "Path | None", "json": only identifiers, dots,
 * brackets, commas, pipes, quotes and single spaces; no sentences. */
static bool annotation_shaped(const uint8_t *s, size_t n)
{
    if (n > 2 && (s[0] == '\'' || s[0] == '"') && s[n - 1] == s[0]) {
        s++;        /* "'fractions.Fraction'": a quoted annotation under PEP 563 */
        n -= 2;
    }
    if (n == 0 || n > 200 || !ident_start(s[0]))
        return false;
    for (size_t i = 0; i < n; i++) {
        uint8_t ch = s[i];
        if (ident_char(ch) || strchr(".[],|'\"", ch))
            continue;
        if (ch == ' ' && i > 0 && strchr(",|", s[i - 1]) == NULL && (i + 1 >= n || s[i + 1] != '|'))
            return false;   /* "a b": words, not an annotation */
        if (ch != ' ')
            return false;
    }
    return true;
}

static bool in_list(const char *const *list, size_t n, const uint8_t *s, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(list[i]) == len && memcmp(list[i], s, len) == 0)
            return true;
    return false;
}

/* Mark the names that start a dotted path inside the string.  A bare
 * identifier ("json") counts only where annotations are (bare_ok): such
 * strings are everywhere else too (prog="json", "json" in sys.modules). */
static void scan_string(struct lazy_analysis *a, const struct lz_obj *str, bool bare_ok)
{
    const uint8_t *s = str->u.o_raw.data;
    size_t n = str->u.o_raw.size;
    bool bare = true;

    if (!annotation_shaped(s, n))
        return;
    for (size_t i = 0; i < n && bare; i++)
        bare = ident_char(s[i]) || ((i == 0 || i == n - 1) && (s[i] == '\'' || s[i] == '"'));
    if (bare && (!bare_ok || in_list(a->a_all, a->a_nall, s, n)))
        return;     /* a bare name in __all__ is an export, not an annotation */
    for (size_t i = 0; i < n;) {
        if (!ident_start(s[i]) || (i > 0 && (s[i - 1] == '.' || ident_char(s[i - 1])))) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < n && ident_char(s[j]))
            j++;
        int id = lazy_name_find(a, s + i, j - i);
        if (id >= 0)
            a->a_names[id].n_annotation = true;
        i = j;
    }
}

/* Tuples of strings are 3.10+ annotation tuples ("x", "Path", "return",
 * "int") among others: their bare names count. */
static void scan_strings(struct lazy_analysis *a, const struct lz_obj *o, unsigned depth,
                         bool bare_ok)
{
    if (o->o_kind == LZ_K_STR) {
        scan_string(a, o, bare_ok);
    } else if (depth < 4 && (o->o_kind == LZ_K_TUPLE || o->o_kind == LZ_K_FROZENSET)) {
        for (size_t i = 0; i < o->u.o_seq.n; i++)
            scan_strings(a, o->u.o_seq.items[i], depth + 1, true);
    }
}

/* ---- bytecode ------------------------------------------------------------- */

enum access { ACC_NONE, ACC_LOAD, ACC_STORE, ACC_DELETE };

static enum access access_of(const struct lz_version *v, int op, bool *global_op)
{
    const struct lz_wellknown *k = &v->v_op;
    uint32_t fl = v->v_ops[op].oi_flags;

    *global_op = op == k->LOAD_GLOBAL || op == k->STORE_GLOBAL || op == k->DELETE_GLOBAL ||
                 op == k->LOAD_FROM_DICT_OR_GLOBALS;
    if (fl & LZ_OPF_GLOBAL_LOAD)
        return ACC_LOAD;
    if (fl & LZ_OPF_GLOBAL_STORE)
        return ACC_STORE;
    if (fl & LZ_OPF_GLOBAL_DELETE)
        return ACC_DELETE;
    return ACC_NONE;
}

static bool in_ranges(const struct lazy_range *r, size_t n, uint32_t unit)
{
    for (size_t i = 0; i < n; i++)
        if (unit >= r[i].r_start && unit < r[i].r_end)
            return true;
    return false;
}

static bool in_statement(const struct lazy_analysis *a, uint32_t unit)
{
    for (size_t i = 0; i < a->a_nstmts; i++)
        if (!a->a_stmts[i].s_nested && unit >= a->a_stmts[i].s_first_unit &&
            unit < a->a_stmts[i].s_last_unit)
            return true;
    return false;
}

/* Line of code unit `unit` of `co` (decoding its line table once). */
static uint32_t line_at(const struct lazy_analysis *a, const struct lz_codeobj *co,
                        struct lz_linetab *lt, bool *have, size_t unit, struct lz_arena *scratch)
{
    size_t nunits = co->co_code->u.o_raw.size / 2;

    if (!*have) {
        struct lz_error ignored;
        *have = true;
        if (!co->co_linetable ||
            lz_lines_decode(a->a_ver, co->co_linetable->u.o_raw.data,
                            co->co_linetable->u.o_raw.size, co->co_firstlineno, nunits,
                            scratch, lt, &ignored) != LZ_OK)
            lt->lt_locs = NULL;
    }
    if (lt->lt_locs && unit < nunits && lt->lt_locs[unit].l_line > 0)
        return (uint32_t)lt->lt_locs[unit].l_line;
    return co->co_firstlineno > 0 ? (uint32_t)co->co_firstlineno : 0;
}

static int add_nested_import(struct lazy_analysis *a, const struct lz_codeobj *co,
                             const struct lz_obj *name, uint32_t line, struct lz_error *err)
{
    struct lazy_stmt *s = lazy_stmt_new(a);

    if (!s)
        return lz_error_set(err, LZ_ENOMEM, "out of memory listing imports");
    s->s_nested = true;
    s->s_why = LZ_WHY_NESTED;
    s->s_line = line;
    s->s_module = lazy_strdup(a->a_arena, name);
    s->s_detail = lazy_strdup(a->a_arena, co->co_qualname ? co->co_qualname : co->co_name);
    if (!s->s_module)
        s->s_module = "?";
    return LZ_OK;
}

enum {
    CONST_NAMES = 1,        /* names, not annotations: skip */
    CONST_ANNOTATION = 2,   /* loaded where an annotation is stored */
};

/* What each co_consts item is used for, from the instructions that load it:
 * the fromlist right before IMPORT_NAME and keyword-name tuples of calls
 * (KW_NAMES, or right before CALL_FUNCTION_KW / CALL_KW) hold names; a
 * string stored into __annotations__ (`x: "T"`: LOAD_CONST, LOAD_NAME
 * __annotations__) or collected by BUILD_CONST_KEY_MAP (3.8/3.9 function
 * annotations) is an annotation. */
static uint8_t *const_roles(const struct lz_version *v, const struct lz_codeobj *co,
                            struct lz_arena *scratch)
{
    const struct lz_wellknown *k = &v->v_op;
    const uint8_t *code = co->co_code->u.o_raw.data;
    size_t nunits = co->co_code->u.o_raw.size / 2, nconsts = co->co_consts->u.o_seq.n;
    size_t nnames = co->co_names->u.o_seq.n;
    uint8_t *role = lz_arena_calloc(scratch, nconsts ? nconsts : 1, 1);
    long *recent = lz_arena_calloc(scratch, 8, sizeof *recent);   /* last LOAD_CONSTs, -1 = other */
    uint32_t ext = 0;

    if (!role || !recent)
        return NULL;
    for (int i = 0; i < 8; i++)
        recent[i] = -1;
    for (size_t u = 0; u < nunits; u++) {
        int op = code[2 * u];
        uint32_t arg = code[2 * u + 1] | ext;
        ext = 0;
        if (op == k->EXTENDED_ARG) {
            ext = arg << 8;
            continue;
        }
        u += v->v_ops[op].oi_ncache;
        if (op == k->KW_NAMES && arg < nconsts)
            role[arg] |= CONST_NAMES;
        if (recent[0] >= 0 && (op == k->IMPORT_NAME || op == k->CALL_KW || op == k->CALL_FUNCTION_KW))
            role[recent[0]] |= CONST_NAMES;
        if (recent[0] >= 0 && op == k->LOAD_NAME && arg < nnames &&
            lz_obj_is_str(co->co_names->u.o_seq.items[arg], "__annotations__"))
            role[recent[0]] |= CONST_ANNOTATION;
        if (op == k->BUILD_CONST_KEY_MAP)
            for (uint32_t i = 1; i <= arg && i < 8 && recent[i] >= 0; i++)
                role[recent[i]] |= CONST_ANNOTATION;
        memmove(recent + 1, recent, 7 * sizeof *recent);
        recent[0] = op == k->LOAD_CONST && arg < nconsts ? (long)arg : -1;
    }
    return role;
}

static int scan_code(struct lazy_analysis *a, const struct lz_obj *node, unsigned depth,
                     struct lz_arena *scratch, struct lz_error *err)
{
    const struct lz_version *v = a->a_ver;
    const struct lz_codeobj *co = node->u.o_codeobj;
    bool top = depth == 0, class_body = !top && !(co->co_flags & LAZY_CO_OPTIMIZED);
    const uint8_t *code = co->co_code->u.o_raw.data;
    size_t nunits = co->co_code->u.o_raw.size / 2, nnames = co->co_names->u.o_seq.n;
    bool any;
    int32_t *map;

    if (depth > LZ_MARSHAL_DEPTH_MAX / 2)
        return lz_error_set(err, LZ_EINPUT, "code objects nested too deeply");
    /* 3.14+: a function's annotations live in its __annotate__ code object. */
    bool annotate = lz_obj_is_str(co->co_name, "__annotate__");
    uint8_t *role = const_roles(v, co, scratch);
    if (!role)
        return lz_error_set(err, LZ_ENOMEM, "out of memory scanning names");
    for (size_t i = 0; i < co->co_consts->u.o_seq.n; i++) {
        const struct lz_obj *k = co->co_consts->u.o_seq.items[i];
        if (k->o_kind == LZ_K_CODE)
            LZ_TRY(scan_code(a, k, depth + 1, scratch, err));
        else if (!(role[i] & CONST_NAMES))
            scan_strings(a, k, 0, annotate || (role[i] & CONST_ANNOTATION));
    }
    map = lazy_names_map(a, scratch, co, false, &any);
    if (!map)
        return lz_error_set(err, LZ_ENOMEM, "out of memory scanning names");
    if (!any && (top || v->v_op.IMPORT_NAME < 0))
        return LZ_OK;

    struct lz_linetab lines;
    bool have_lines = false;
    uint32_t ext = 0;
    for (size_t u = 0; u < nunits; u++) {
        int op = code[2 * u];
        uint32_t arg = code[2 * u + 1] | ext;
        const struct lz_opinfo *oi = &v->v_ops[op];
        bool global_op;

        ext = 0;
        if (op == v->v_op.EXTENDED_ARG) {
            ext = arg << 8;
            continue;
        }
        u += oi->oi_ncache;
        if (!(oi->oi_flags & LZ_OPF_NAME))
            continue;
        uint32_t ni = arg >> oi->oi_nameshift;
        if (ni >= nnames)
            continue;   /* the engine refuses it later if the code is edited */
        if (op == v->v_op.IMPORT_NAME && !top) {
            uint32_t line = line_at(a, co, &lines, &have_lines, u - oi->oi_ncache, scratch);
            LZ_TRY(add_nested_import(a, co, co->co_names->u.o_seq.items[ni], line, err));
            continue;
        }
        if (map[ni] < 0)
            continue;
        struct lazy_name *nm = &a->a_names[map[ni]];
        uint32_t opunit = (uint32_t)(u - oi->oi_ncache);
        switch (access_of(v, op, &global_op)) {
        case ACC_LOAD:
            if (global_op && !top && !class_body)
                nm->n_reads_later++;
            else if (top && in_ranges(a->a_main, a->a_nmain, opunit))
                nm->n_reads_later++;
            else
                nm->n_reads_now++;
            break;
        case ACC_STORE:
            if (top ? !in_statement(a, opunit) : global_op)
                nm->n_stores++;
            break;
        case ACC_DELETE:
            if (global_op || top)
                nm->n_deletes++;
            break;
        case ACC_NONE:
            break;
        }
    }
    return LZ_OK;
}

int lazy_scan_module(struct lazy_analysis *a, const struct lz_obj *root, struct lz_error *err)
{
    struct lz_arena *scratch = lz_arena_new();
    int rc;

    if (!scratch)
        return lz_error_set(err, LZ_ENOMEM, "out of memory scanning names");
    rc = scan_code(a, root, 0, scratch, err);
    lz_arena_free(scratch);
    for (size_t i = 0; rc == LZ_OK && i < a->a_nnames; i++)
        a->a_names[i].n_exported = in_list(a->a_all, a->a_nall,
                                           (const uint8_t *)a->a_names[i].n_str,
                                           a->a_names[i].n_len);
    return rc;
}
