/* marshal_obj.c - building and inspecting marshal nodes.
 *
 * New nodes choose the type byte CPython's writer would use for an equal
 * object (bytecode-formats.md section 3.1, "Writer choices").  Their payloads
 * are copied into the arena, so callers may pass transient buffers.
 */
#include <string.h>

#include "lz_marshal.h"
#include "marshal_int.h"

static struct lz_obj *node(struct lz_arena *a, int kind, uint8_t code)
{
    struct lz_obj *o = lz_arena_alloc(a, sizeof *o);

    if (o == NULL)
        return NULL;
    memset(o, 0, sizeof *o);
    o->o_kind = (uint8_t)kind;
    o->o_code = code;
    return o;
}

struct lz_obj *lz_obj_new_int(struct lz_arena *a, int32_t v)
{
    struct lz_obj *o = node(a, LZ_K_INT, MT_INT);

    if (o != NULL)
        o->u.o_int = v;
    return o;
}

struct lz_obj *lz_obj_new_str(struct lz_arena *a, const char *s, size_t n, bool interned)
{
    bool ascii = true;
    uint8_t code;
    struct lz_obj *o;

    for (size_t i = 0; i < n; i++)
        if ((uint8_t)s[i] >= 0x80)
            ascii = false;
    if (!ascii)
        code = interned ? MT_INTERNED : MT_UNICODE;
    else if (n < 256)
        code = interned ? MT_SHORT_ASCII_INTERNED : MT_SHORT_ASCII;
    else
        code = interned ? MT_ASCII_INTERNED : MT_ASCII;
    o = node(a, LZ_K_STR, code);
    if (o == NULL)
        return NULL;
    o->u.o_raw.data = lz_arena_dup(a, s, n);
    if (o->u.o_raw.data == NULL)
        return NULL;
    o->u.o_raw.size = n;
    return o;
}

struct lz_obj *lz_obj_new_bytes(struct lz_arena *a, const uint8_t *p, size_t n)
{
    struct lz_obj *o = node(a, LZ_K_BYTES, MT_STRING);

    if (o == NULL)
        return NULL;
    o->u.o_raw.data = lz_arena_dup(a, p, n);
    if (o->u.o_raw.data == NULL)
        return NULL;
    o->u.o_raw.size = n;
    return o;
}

struct lz_obj *lz_obj_new_tuple(struct lz_arena *a, size_t n)
{
    struct lz_obj *o = node(a, LZ_K_TUPLE, n < 256 ? MT_SMALL_TUPLE : MT_TUPLE);

    if (o == NULL)
        return NULL;
    if (n > 0) {
        o->u.o_seq.items = lz_arena_calloc(a, n, sizeof *o->u.o_seq.items);
        if (o->u.o_seq.items == NULL)
            return NULL;
    }
    o->u.o_seq.n = n;
    return o;
}

struct lz_obj *lz_obj_new_singleton(struct lz_arena *a, enum lz_kind kind)
{
    static const uint8_t codes[] = {
        [LZ_K_NONE] = MT_NONE, [LZ_K_FALSE] = MT_FALSE, [LZ_K_TRUE] = MT_TRUE,
        [LZ_K_ELLIPSIS] = MT_ELLIPSIS, [LZ_K_STOPITER] = MT_STOPITER,
    };

    if (!lz_kind_is_singleton(kind))
        return NULL;
    return node(a, kind, codes[kind]);
}

struct lz_obj *lz_obj_copy_code(struct lz_arena *a, const struct lz_obj *code)
{
    struct lz_obj *o;
    struct lz_codeobj *co;

    if (code == NULL || code->o_kind != LZ_K_CODE)
        return NULL;
    o = lz_arena_dup(a, code, sizeof *code);
    co = lz_arena_dup(a, code->u.o_codeobj, sizeof *co);
    if (o == NULL || co == NULL)
        return NULL;
    o->u.o_codeobj = co;
    return o;
}

bool lz_obj_is_str(const struct lz_obj *o, const char *s)
{
    size_t n = strlen(s);

    return o != NULL && o->o_kind == LZ_K_STR && o->u.o_raw.size == n
           && (n == 0 || memcmp(o->u.o_raw.data, s, n) == 0);
}

static bool raw_equal(const struct lz_obj *a, const struct lz_obj *b)
{
    return a->u.o_raw.size == b->u.o_raw.size &&
           (a->u.o_raw.size == 0 || memcmp(a->u.o_raw.data, b->u.o_raw.data, a->u.o_raw.size) == 0);
}

static bool code_equal(const struct lz_codeobj *a, const struct lz_codeobj *b, int depth)
{
    const struct lz_obj *const fa[] = {
        a->co_code, a->co_consts, a->co_names, a->co_varnames, a->co_freevars, a->co_cellvars,
        a->co_localsplusnames, a->co_localspluskinds, a->co_filename, a->co_name,
        a->co_qualname, a->co_linetable, a->co_exceptiontable,
    };
    const struct lz_obj *const fb[] = {
        b->co_code, b->co_consts, b->co_names, b->co_varnames, b->co_freevars, b->co_cellvars,
        b->co_localsplusnames, b->co_localspluskinds, b->co_filename, b->co_name,
        b->co_qualname, b->co_linetable, b->co_exceptiontable,
    };

    if (a->co_argcount != b->co_argcount || a->co_posonlyargcount != b->co_posonlyargcount ||
        a->co_kwonlyargcount != b->co_kwonlyargcount || a->co_nlocals != b->co_nlocals ||
        a->co_stacksize != b->co_stacksize || a->co_flags != b->co_flags ||
        a->co_firstlineno != b->co_firstlineno)
        return false;
    for (size_t i = 0; i < sizeof fa / sizeof fa[0]; i++)
        if (!lz_obj_equal_depth(fa[i], fb[i], depth + 1))
            return false;
    return true;
}

/* Marshal stores a set in iteration order, which follows the string hash
 * seed of the process that compiled it: compare as sets (items are distinct). */
static bool set_equal(const struct lz_obj *a, const struct lz_obj *b, int depth)
{
    if (a->u.o_seq.n != b->u.o_seq.n)
        return false;
    for (size_t i = 0; i < a->u.o_seq.n; i++) {
        bool found = false;
        for (size_t j = 0; j < b->u.o_seq.n && !found; j++)
            found = lz_obj_equal_depth(a->u.o_seq.items[i], b->u.o_seq.items[j], depth + 1);
        if (!found)
            return false;
    }
    return true;
}

bool lz_obj_equal_depth(const struct lz_obj *a, const struct lz_obj *b, int depth)
{
    if (a == b)
        return true;
    if (!a || !b || a->o_kind != b->o_kind || depth > LZ_MARSHAL_DEPTH_MAX)
        return false;
    switch (a->o_kind) {
    case LZ_K_INT:
        return a->u.o_int == b->u.o_int;
    case LZ_K_LONG:
    case LZ_K_FLOAT:
    case LZ_K_COMPLEX:
        return a->o_code == b->o_code && raw_equal(a, b);
    case LZ_K_BYTES:
    case LZ_K_STR:
        return raw_equal(a, b);
    case LZ_K_SET:
    case LZ_K_FROZENSET:
        return set_equal(a, b, depth);
    case LZ_K_TUPLE: case LZ_K_LIST: case LZ_K_DICT: case LZ_K_SLICE: case LZ_K_FROZENDICT:
        if (a->u.o_seq.n != b->u.o_seq.n)
            return false;
        for (size_t i = 0; i < a->u.o_seq.n; i++)
            if (!lz_obj_equal_depth(a->u.o_seq.items[i], b->u.o_seq.items[i], depth + 1))
                return false;
        return true;
    case LZ_K_CODE:
        return code_equal(a->u.o_codeobj, b->u.o_codeobj, depth);
    default:
        return true;   /* singletons */
    }
}
