/* marshal_write.c - encode a graph of struct lz_obj back into marshal bytes.
 *
 * Like CPython's WFILE writer, emitters return nothing: the first failure is
 * recorded in struct writer (w_status, plus the buffer's own sticky
 * b_failed) and checked once at the end.
 *
 * Reference numbering (bytecode-formats.md section 3.2).  CPython decides
 * FLAG_REF from refcounts, which cannot be recomputed, so every node carries
 * the flag it was read with (o_ref).  A pre-pass counts how often each node
 * occurs in write order; the write pass then emits a node inline the first
 * time - flagged if o_ref is set or it occurs more than once - and as a
 * TYPE_REF to its fresh index afterwards.  Indices go to flagged nodes in
 * write order, pre-order, exactly as the reader assigns them, so an
 * unmodified graph re-encodes to the identical bytes and an edited one gets
 * consistent numbers.  None/True/False/Ellipsis/StopIteration are never
 * numbered or referenced (CPython writes them bare).
 */
#include <stdint.h>
#include <string.h>

#include "lz_marshal.h"
#include "marshal_int.h"

#define SEEN_MIN_CAP 1024

enum seen_state { SEEN_COUNTED, SEEN_WRITING, SEEN_WRITTEN };

/* 16 bytes per node: the table is the writer's hot spot. */
struct seen {
    const struct lz_obj *s_obj;    /* NULL = empty slot */
    uint16_t s_count;              /* occurrences in write order, saturating at 2 */
    uint16_t s_state;              /* enum seen_state */
    uint32_t s_index;              /* reference index + 1 once written flagged, else 0 */
};

struct writer {
    struct lz_buf *w_out;          /* borrowed */
    const struct lz_pyver *w_ver;
    struct seen *w_seen;           /* owned (lz_malloc): open-addressing table */
    size_t w_cap, w_used;          /* w_cap is a power of two */
    uint32_t w_nrefs;              /* reference indices handed out */
    int w_depth;
    int w_status;                  /* first failure; LZ_OK while all is well */
    struct lz_error *w_err;
};

/* --------------------------------------------------------- seen table --- */

static size_t ptr_hash(const void *p)
{
    uint64_t h = (uint64_t)(uintptr_t)p;

    h ^= h >> 33;
    h *= UINT64_C(0xff51afd7ed558ccd);
    h ^= h >> 33;
    return (size_t)h;
}

static bool seen_grow(struct writer *w)
{
    size_t cap = w->w_cap ? w->w_cap * 2 : SEEN_MIN_CAP, bytes;
    struct seen *t;

    if (!lz_ckd_mul(&bytes, cap, sizeof *t))
        return false;
    t = lz_malloc(bytes);
    if (t == NULL)
        return false;
    memset(t, 0, bytes);
    for (size_t i = 0; i < w->w_cap; i++) {
        size_t j;

        if (w->w_seen[i].s_obj == NULL)
            continue;
        for (j = ptr_hash(w->w_seen[i].s_obj) & (cap - 1); t[j].s_obj != NULL;
             j = (j + 1) & (cap - 1))
            ;
        t[j] = w->w_seen[i];
    }
    lz_free(w->w_seen);
    w->w_seen = t;
    w->w_cap = cap;
    return true;
}

/* The entry of o, created (count 0) if absent; NULL on out of memory. */
static struct seen *seen_get(struct writer *w, const struct lz_obj *o)
{
    size_t j;

    if (w->w_cap == 0 || (w->w_used + 1) * 2 > w->w_cap) {
        if (!seen_grow(w))
            return NULL;
    }
    for (j = ptr_hash(o) & (w->w_cap - 1); w->w_seen[j].s_obj != NULL;
         j = (j + 1) & (w->w_cap - 1)) {
        if (w->w_seen[j].s_obj == o)
            return &w->w_seen[j];
    }
    w->w_seen[j].s_obj = o;
    w->w_seen[j].s_count = 0;
    w->w_seen[j].s_index = 0;
    w->w_seen[j].s_state = SEEN_COUNTED;
    w->w_used++;
    return &w->w_seen[j];
}

/* The entry of o, or NULL if the pre-pass never met it. */
static struct seen *seen_find(const struct writer *w, const struct lz_obj *o)
{
    if (w->w_cap == 0)
        return NULL;
    for (size_t j = ptr_hash(o) & (w->w_cap - 1); w->w_seen[j].s_obj != NULL;
         j = (j + 1) & (w->w_cap - 1)) {
        if (w->w_seen[j].s_obj == o)
            return &w->w_seen[j];
    }
    return NULL;
}

/* ------------------------------------------------------------ errors ---- */

static void fail(struct writer *w, int code, const char *msg, const char *detail)
{
    if (w->w_status != LZ_OK)
        return;
    w->w_status = lz_error_set(w->w_err, code, "marshal: cannot write: %s%s", msg, detail);
}

static void fail_nomem(struct writer *w)
{
    fail(w, LZ_ENOMEM, "out of memory", "");
}

/* --------------------------------------------------- children walking --- */

/* Calls fn(w, child) for each child in marshal stream order. */
typedef void (*child_fn)(struct writer *w, const struct lz_obj *child);

static void code_children(struct writer *w, const struct lz_codeobj *co, child_fn fn)
{
    const struct lz_obj *f38[] = {
        co->co_code, co->co_consts, co->co_names, co->co_varnames, co->co_freevars,
        co->co_cellvars, co->co_filename, co->co_name, co->co_linetable,
    };
    const struct lz_obj *f311[] = {
        co->co_code, co->co_consts, co->co_names, co->co_localsplusnames,
        co->co_localspluskinds, co->co_filename, co->co_name, co->co_qualname,
        co->co_linetable, co->co_exceptiontable,
    };
    bool l38 = w->w_ver->pv_code_layout == LZ_CODE_LAYOUT_38;
    const struct lz_obj *const *f = l38 ? f38 : f311;
    size_t n = l38 ? sizeof f38 / sizeof f38[0] : sizeof f311 / sizeof f311[0];

    for (size_t i = 0; i < n; i++)
        if (f[i] != NULL)
            fn(w, f[i]);
}

static bool has_seq(const struct lz_obj *o)
{
    switch (o->o_kind) {
    case LZ_K_TUPLE: case LZ_K_LIST: case LZ_K_SET: case LZ_K_FROZENSET:
    case LZ_K_SLICE: case LZ_K_DICT: case LZ_K_FROZENDICT:
        return true;
    }
    return false;
}

static size_t seq_len(const struct lz_obj *o)
{
    bool dict = o->o_kind == LZ_K_DICT || o->o_kind == LZ_K_FROZENDICT;

    return dict ? o->u.o_seq.n * 2 : o->u.o_seq.n;
}

/* ------------------------------------------------------------ pre-pass -- */

static void count_node(struct writer *w, const struct lz_obj *o)
{
    struct seen *s;

    if (w->w_status != LZ_OK)
        return;
    if (o == NULL) {
        fail(w, LZ_EINPUT, "NULL child in the object graph", "");
        return;
    }
    if (lz_kind_is_singleton(o->o_kind))
        return;
    s = seen_get(w, o);
    if (s == NULL) {
        fail_nomem(w);
        return;
    }
    if (s->s_count > 0) {
        s->s_count = 2;             /* children already counted */
        return;
    }
    s->s_count = 1;
    if (++w->w_depth > LZ_MARSHAL_DEPTH_MAX) {
        fail(w, LZ_EINPUT, "nesting deeper than the depth limit", "");
        return;
    }
    if (o->o_kind == LZ_K_CODE && o->u.o_codeobj != NULL)
        code_children(w, o->u.o_codeobj, count_node);
    else if (has_seq(o))
        for (size_t i = 0, n = seq_len(o); i < n; i++)
            count_node(w, o->u.o_seq.items[i]);
    w->w_depth--;
}

/* ------------------------------------------------------------ emitters -- */

static void emit_u8(struct writer *w, uint8_t v)
{
    lz_buf_byte(w->w_out, v);
}

static void emit_u32(struct writer *w, uint32_t v)
{
    lz_buf_u32le(w->w_out, v);
}

static void emit_size(struct writer *w, size_t n)
{
    if (n > MT_SIZE32_MAX) {
        fail(w, LZ_EINPUT, "size does not fit a marshal int32", "");
        return;
    }
    emit_u32(w, (uint32_t)n);
}

static void write_node(struct writer *w, const struct lz_obj *o);

/* An int that does not fit 'i': CPython's 'l' form, digits of 15 bits. */
static void emit_long_from_int64(struct writer *w, int64_t v)
{
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    uint16_t digits[5];
    int n = 0;

    while (mag != 0) {
        digits[n++] = (uint16_t)(mag & 0x7fff);
        mag >>= 15;
    }
    emit_u32(w, (uint32_t)(v < 0 ? -n : n));
    for (int i = 0; i < n; i++)
        lz_buf_u16le(w->w_out, digits[i]);
}

static uint8_t default_code(const struct lz_obj *o)
{
    switch (o->o_kind) {
    case LZ_K_NONE: return MT_NONE;
    case LZ_K_FALSE: return MT_FALSE;
    case LZ_K_TRUE: return MT_TRUE;
    case LZ_K_ELLIPSIS: return MT_ELLIPSIS;
    case LZ_K_STOPITER: return MT_STOPITER;
    case LZ_K_INT: return MT_INT;
    case LZ_K_LONG: return MT_LONG;
    case LZ_K_FLOAT: return MT_BINARY_FLOAT;
    case LZ_K_COMPLEX: return MT_BINARY_COMPLEX;
    case LZ_K_BYTES: return MT_STRING;
    case LZ_K_STR: {
        bool ascii = true;

        for (size_t i = 0; i < o->u.o_raw.size; i++)
            if (o->u.o_raw.data[i] >= 0x80)
                ascii = false;
        if (!ascii)
            return MT_UNICODE;
        return o->u.o_raw.size < 256 ? MT_SHORT_ASCII : MT_ASCII;
    }
    case LZ_K_TUPLE: return o->u.o_seq.n < 256 ? MT_SMALL_TUPLE : MT_TUPLE;
    case LZ_K_LIST: return MT_LIST;
    case LZ_K_DICT: return MT_DICT;
    case LZ_K_SET: return MT_SET;
    case LZ_K_FROZENSET: return MT_FROZENSET;
    case LZ_K_CODE: return MT_CODE;
    case LZ_K_SLICE: return MT_SLICE;
    case LZ_K_FROZENDICT: return MT_FROZENDICT;
    }
    return 0;
}

static void write_code(struct writer *w, const struct lz_codeobj *co)
{
    bool l38 = w->w_ver->pv_code_layout == LZ_CODE_LAYOUT_38;

    if (co == NULL || co->co_code == NULL || co->co_consts == NULL || co->co_names == NULL
        || co->co_filename == NULL || co->co_name == NULL || co->co_linetable == NULL
        || (l38 && (co->co_varnames == NULL || co->co_freevars == NULL
                    || co->co_cellvars == NULL))
        || (!l38 && (co->co_localsplusnames == NULL || co->co_localspluskinds == NULL
                     || co->co_qualname == NULL || co->co_exceptiontable == NULL))) {
        fail(w, LZ_EINPUT, "code object lacks a field its version needs", "");
        return;
    }
    /* Field order: bytecode-formats.md section 3.3. */
    emit_u32(w, (uint32_t)co->co_argcount);
    emit_u32(w, (uint32_t)co->co_posonlyargcount);
    emit_u32(w, (uint32_t)co->co_kwonlyargcount);
    if (l38)
        emit_u32(w, (uint32_t)co->co_nlocals);
    emit_u32(w, (uint32_t)co->co_stacksize);
    emit_u32(w, (uint32_t)co->co_flags);
    write_node(w, co->co_code);
    write_node(w, co->co_consts);
    write_node(w, co->co_names);
    if (l38) {
        write_node(w, co->co_varnames);
        write_node(w, co->co_freevars);
        write_node(w, co->co_cellvars);
    } else {
        write_node(w, co->co_localsplusnames);
        write_node(w, co->co_localspluskinds);
    }
    write_node(w, co->co_filename);
    write_node(w, co->co_name);
    if (!l38)
        write_node(w, co->co_qualname);
    emit_u32(w, (uint32_t)co->co_firstlineno);
    write_node(w, co->co_linetable);
    if (!l38)
        write_node(w, co->co_exceptiontable);
}

/* Type byte already emitted; write what follows it. */
static void write_payload(struct writer *w, const struct lz_obj *o, uint8_t code)
{
    switch (code) {
    case MT_INT:
        emit_u32(w, (uint32_t)(int32_t)o->u.o_int);
        return;
    case MT_INT64:
        emit_u32(w, (uint32_t)(uint64_t)o->u.o_int);
        emit_u32(w, (uint32_t)((uint64_t)o->u.o_int >> 32));
        return;
    case MT_LONG:
        if (o->o_kind == LZ_K_INT)
            emit_long_from_int64(w, o->u.o_int);
        else
            lz_buf_put(w->w_out, o->u.o_raw.data, o->u.o_raw.size);
        return;
    case MT_BINARY_FLOAT: case MT_BINARY_COMPLEX: case MT_FLOAT: case MT_COMPLEX:
        lz_buf_put(w->w_out, o->u.o_raw.data, o->u.o_raw.size);
        return;
    case MT_SHORT_ASCII: case MT_SHORT_ASCII_INTERNED:
        emit_u8(w, (uint8_t)o->u.o_raw.size);
        lz_buf_put(w->w_out, o->u.o_raw.data, o->u.o_raw.size);
        return;
    case MT_STRING: case MT_ASCII: case MT_ASCII_INTERNED: case MT_UNICODE: case MT_INTERNED:
        emit_size(w, o->u.o_raw.size);
        lz_buf_put(w->w_out, o->u.o_raw.data, o->u.o_raw.size);
        return;
    case MT_SMALL_TUPLE:
        emit_u8(w, (uint8_t)o->u.o_seq.n);
        break;
    case MT_TUPLE: case MT_LIST: case MT_SET: case MT_FROZENSET:
        emit_size(w, o->u.o_seq.n);
        break;
    case MT_CODE:
        write_code(w, o->u.o_codeobj);
        return;
    }
    if (has_seq(o)) {
        for (size_t i = 0, n = seq_len(o); i < n && w->w_status == LZ_OK; i++)
            write_node(w, o->u.o_seq.items[i]);
    }
    if (code == MT_DICT || code == MT_FROZENDICT)
        emit_u8(w, MT_NULL);
}

/* Is `code` a valid type byte for node o in this version?  Returns the byte
 * to write (0 if o cannot be written). */
static uint8_t checked_code(struct writer *w, const struct lz_obj *o)
{
    uint8_t code = o->o_code ? o->o_code : default_code(o);
    size_t raw = o->u.o_raw.size;

    switch (o->o_kind) {
    case LZ_K_INT:
        if (code == MT_INT64)
            return code;
        /* ints that outgrow int32 are written the way CPython would */
        return o->u.o_int >= INT32_MIN && o->u.o_int <= INT32_MAX ? MT_INT : MT_LONG;
    case LZ_K_LONG:
        return code == MT_LONG && raw >= 4 ? code : 0;
    case LZ_K_FLOAT:
        return (code == MT_BINARY_FLOAT && raw == 8) || (code == MT_FLOAT && raw >= 1)
               ? code : 0;
    case LZ_K_COMPLEX:
        return (code == MT_BINARY_COMPLEX && raw == 16) || (code == MT_COMPLEX && raw >= 2)
               ? code : 0;
    case LZ_K_BYTES:
        return code == MT_STRING ? code : 0;
    case LZ_K_STR:
        if (code == MT_SHORT_ASCII || code == MT_SHORT_ASCII_INTERNED)
            return raw < 256 ? code : 0;
        return code == MT_ASCII || code == MT_ASCII_INTERNED || code == MT_UNICODE
               || code == MT_INTERNED ? code : 0;
    case LZ_K_TUPLE:
        if (code == MT_SMALL_TUPLE)
            return o->u.o_seq.n < 256 ? code : 0;
        return code == MT_TUPLE ? code : 0;
    case LZ_K_SLICE:
        if (w->w_ver->pv_marshal_version < 5) {
            fail(w, LZ_EINPUT, "slice objects need marshal version 5 (3.14+)", "");
            return 0;
        }
        return o->u.o_seq.n == 3 ? MT_SLICE : 0;
    case LZ_K_FROZENDICT:
        if (w->w_ver->pv_marshal_version < 6) {
            fail(w, LZ_EINPUT, "frozendict objects need marshal version 6 (3.15+)", "");
            return 0;
        }
        return MT_FROZENDICT;
    }
    return default_code(o) == code || lz_kind_is_singleton(o->o_kind) ? default_code(o) : 0;
}

static void write_node(struct writer *w, const struct lz_obj *o)
{
    struct seen *s;
    uint8_t code;
    bool flag;

    if (w->w_status != LZ_OK)
        return;
    if (o == NULL) {
        fail(w, LZ_EINPUT, "NULL child in the object graph", "");
        return;
    }
    code = checked_code(w, o);
    if (code == 0) {
        fail(w, LZ_EINPUT, "node with an impossible type code for its kind: ",
             lz_kind_name(o->o_kind));
        return;
    }
    if (lz_kind_is_singleton(o->o_kind)) {
        /* the reader counts leaves as a nesting level too */
        if (w->w_depth >= LZ_MARSHAL_DEPTH_MAX)
            fail(w, LZ_EINPUT, "nesting deeper than the depth limit", "");
        emit_u8(w, (uint8_t)(code | (o->o_ref ? MT_FLAG_REF : 0)));
        return;
    }
    /* The pre-pass inserted every node, so the table no longer changes and
     * `s` stays valid while the payload is written. */
    s = seen_find(w, o);
    if (s == NULL) {
        fail(w, LZ_EINPUT, "node missed by the counting pass", "");
        return;
    }
    if (s->s_state == SEEN_WRITING) {
        fail(w, LZ_EINPUT, "cycle in the object graph through a ", lz_kind_name(o->o_kind));
        return;
    }
    if (s->s_state == SEEN_WRITTEN) {
        if (s->s_index == 0) {
            fail(w, LZ_EINPUT, "shared node written without a reference slot", "");
            return;
        }
        emit_u8(w, MT_REF);
        emit_u32(w, s->s_index - 1);
        return;
    }
    flag = o->o_ref || s->s_count > 1;
    if (flag) {
        if (w->w_nrefs >= MT_SIZE32_MAX) {
            fail(w, LZ_EINPUT, "more references than a marshal int32 can number", "");
            return;
        }
        s->s_index = ++w->w_nrefs;
    }
    s->s_state = SEEN_WRITING;
    emit_u8(w, (uint8_t)(code | (flag ? MT_FLAG_REF : 0)));
    if (++w->w_depth > LZ_MARSHAL_DEPTH_MAX)
        fail(w, LZ_EINPUT, "nesting deeper than the depth limit", "");
    else
        write_payload(w, o, code);
    w->w_depth--;
    s->s_state = SEEN_WRITTEN;
}

/* -------------------------------------------------------- entry point --- */

int lz_marshal_write(const struct lz_pyver *ver, const struct lz_obj *root,
                     struct lz_buf *out, struct lz_error *err)
{
    struct writer w = { .w_out = out, .w_ver = ver, .w_err = err };

    count_node(&w, root);
    w.w_depth = 0;
    if (w.w_status == LZ_OK)
        write_node(&w, root);
    lz_free(w.w_seen);
    if (w.w_status == LZ_OK && out->b_failed)
        w.w_status = lz_error_set(err, LZ_ENOMEM, "marshal: out of memory while writing");
    return w.w_status;
}
