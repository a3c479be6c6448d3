/* marshal_read.c - decode a marshal stream into a graph of struct lz_obj.
 *
 * Layered like CPython's Python/marshal.c reader: one cursor (struct reader)
 * over a memory span, byte primitives that check the bytes left, and one
 * dispatch switch (read_object).  What differs, because lazyc must write the
 * same bytes back and must survive hostile files:
 *
 *   - every node keeps its type byte and FLAG_REF bit (bytecode-formats.md
 *     section 3.2); scalar payloads point into the input buffer (no copy);
 *   - every flagged object reserves its reference slot before its children
 *     are read and fills it afterwards, so a TYPE_REF to an unfilled slot -
 *     a forward reference or a cycle through a container still being read -
 *     is refused as "invalid reference";
 *   - every claimed count or length is compared with the bytes left before
 *     anything is allocated (each item takes at least one byte);
 *   - nesting is bounded by LZ_MARSHAL_DEPTH_MAX.
 *
 * Code-object field orders: bytecode-formats.md section 3.3.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lz_marshal.h"
#include "marshal_int.h"

#define REFS_MIN_CAP 64
#define DICT_MIN_CAP 16

struct reader {
    const uint8_t *r_buf;          /* borrowed: the whole input */
    size_t r_end;                  /* bytes of r_buf that may be read */
    size_t r_pos;                  /* next byte to read */
    struct lz_arena *r_arena;      /* borrowed: every node goes here */
    const struct lz_pyver *r_ver;
    struct lz_obj **r_refs;        /* owned (lz_malloc); NULL = reserved, not filled */
    size_t r_nrefs, r_refcap;
    int r_depth;                   /* objects currently open */
    struct lz_error *r_err;
};

static int read_object(struct reader *r, struct lz_obj **out, bool null_ok);

/* ------------------------------------------------------------ helpers --- */

static size_t bytes_left(const struct reader *r)
{
    return r->r_end - r->r_pos;
}

static int fail_nomem(struct reader *r)
{
    return lz_error_set(r->r_err, LZ_ENOMEM, "marshal: out of memory at offset 0x%zx",
                        r->r_pos);
}

static int fail_truncated(struct reader *r, const char *what, size_t at, size_t need)
{
    return lz_error_set(r->r_err, LZ_EINPUT,
                        "marshal: truncated %s at offset 0x%zx: needs %zu bytes, %zu left",
                        what, at, need, bytes_left(r));
}

static uint8_t get_u8(struct reader *r)
{
    return r->r_buf[r->r_pos++];
}

static uint32_t get_u32(struct reader *r)
{
    const uint8_t *p = r->r_buf + r->r_pos;

    r->r_pos += 4;
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16
           | (uint32_t)p[3] << 24;
}

/* Read a uint32 field of `what` starting at `at`, or fail if truncated. */
static int read_u32(struct reader *r, const char *what, size_t at, uint32_t *v)
{
    if (bytes_left(r) < 4)
        return fail_truncated(r, what, at, 4);
    *v = get_u32(r);
    return LZ_OK;
}

static struct lz_obj *new_node(struct reader *r, int kind, uint8_t code, bool flag)
{
    struct lz_obj *o = lz_arena_alloc(r->r_arena, sizeof *o);

    if (o == NULL)
        return NULL;
    memset(o, 0, sizeof *o);
    o->o_kind = (uint8_t)kind;
    o->o_code = code;
    o->o_ref = flag;
    return o;
}

const char *lz_kind_name(int kind)
{
    switch (kind) {
    case LZ_K_NULL: return "NULL";
    case LZ_K_NONE: return "None";
    case LZ_K_FALSE: return "False";
    case LZ_K_TRUE: return "True";
    case LZ_K_ELLIPSIS: return "Ellipsis";
    case LZ_K_STOPITER: return "StopIteration";
    case LZ_K_INT: return "int";
    case LZ_K_LONG: return "int";
    case LZ_K_FLOAT: return "float";
    case LZ_K_COMPLEX: return "complex";
    case LZ_K_BYTES: return "bytes";
    case LZ_K_STR: return "str";
    case LZ_K_TUPLE: return "tuple";
    case LZ_K_LIST: return "list";
    case LZ_K_DICT: return "dict";
    case LZ_K_SET: return "set";
    case LZ_K_FROZENSET: return "frozenset";
    case LZ_K_CODE: return "code";
    case LZ_K_SLICE: return "slice";
    case LZ_K_FROZENDICT: return "frozendict";
    }
    return "unknown object";
}

/* ------------------------------------------------------------- refs ---- */

static int ref_reserve(struct reader *r, size_t *idx)
{
    if (r->r_nrefs == r->r_refcap) {
        size_t cap = r->r_refcap ? r->r_refcap * 2 : REFS_MIN_CAP;
        size_t bytes;
        struct lz_obj **p;

        if (!lz_ckd_mul(&bytes, cap, sizeof *p))
            return fail_nomem(r);
        p = lz_realloc(r->r_refs, bytes);
        if (p == NULL)
            return fail_nomem(r);
        r->r_refs = p;
        r->r_refcap = cap;
    }
    *idx = r->r_nrefs;
    r->r_refs[r->r_nrefs++] = NULL;
    return LZ_OK;
}

static int read_ref(struct reader *r, size_t at, struct lz_obj **out)
{
    uint32_t idx;
    int rc = read_u32(r, "reference", at, &idx);

    if (rc != LZ_OK)
        return rc;
    if (idx >= r->r_nrefs)
        return lz_error_set(r->r_err, LZ_EINPUT,
                            "marshal: invalid reference %u at offset 0x%zx (%zu objects flagged so far)",
                            idx, at, r->r_nrefs);
    if (r->r_refs[idx] == NULL)
        return lz_error_set(r->r_err, LZ_EINPUT,
                            "marshal: invalid reference %u at offset 0x%zx (object still being read)",
                            idx, at);
    *out = r->r_refs[idx];
    return LZ_OK;
}

/* ----------------------------------------------------------- scalars --- */

/* Python float literal as marshal's legacy text form holds it:
 * [sign] (digits [. digits] | . digits) [e [sign] digits] | [sign] inf|infinity|nan. */
static bool float_text_ok(const uint8_t *s, size_t n)
{
    size_t i = 0, digits = 0;

    if (i < n && (s[i] == '+' || s[i] == '-'))
        i++;
    if (n - i == 3 || n - i == 8) {
        char word[9] = { 0 };

        for (size_t k = 0; k < n - i; k++)
            word[k] = (char)(s[i + k] | 0x20);
        if (!strcmp(word, "inf") || !strcmp(word, "nan") || !strcmp(word, "infinity"))
            return true;
    }
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++, digits++;
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++, digits++;
    }
    if (digits == 0)
        return false;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        size_t exp_digits = 0;

        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++, exp_digits++;
        if (exp_digits == 0)
            return false;
    }
    return i == n;
}

/* One legacy text float: length byte + text. */
static int read_float_text(struct reader *r, size_t at)
{
    size_t n;

    if (bytes_left(r) < 1)
        return fail_truncated(r, "float", at, 1);
    n = get_u8(r);
    if (bytes_left(r) < n)
        return fail_truncated(r, "float", at, n);
    if (!float_text_ok(r->r_buf + r->r_pos, n))
        return lz_error_set(r->r_err, LZ_EINPUT,
                            "marshal: malformed float text at offset 0x%zx", at);
    r->r_pos += n;
    return LZ_OK;
}

/* 'l': int32 signed digit count, then |count| 15-bit digits. */
static int read_long(struct reader *r, size_t at, struct lz_obj *o)
{
    size_t start = r->r_pos, ndig;
    uint32_t raw;
    int32_t n;
    int rc = read_u32(r, "long int", at, &raw);

    if (rc != LZ_OK)
        return rc;
    n = (int32_t)raw;
    if (n == INT32_MIN)
        return lz_error_set(r->r_err, LZ_EINPUT,
                            "marshal: long int digit count out of range at offset 0x%zx", at);
    ndig = (size_t)(n < 0 ? -(int64_t)n : n);
    if (bytes_left(r) / 2 < ndig)
        return lz_error_set(r->r_err, LZ_EINPUT,
                            "marshal: long int of %zu digits at offset 0x%zx, %zu bytes left",
                            ndig, at, bytes_left(r));
    for (size_t i = 0; i < ndig; i++) {
        const uint8_t *p = r->r_buf + r->r_pos + 2 * i;
        unsigned d = p[0] | (unsigned)p[1] << 8;

        if (d >= 0x8000)
            return lz_error_set(r->r_err, LZ_EINPUT,
                                "marshal: long int digit out of range at offset 0x%zx", at);
        if (i == ndig - 1 && d == 0)
            return lz_error_set(r->r_err, LZ_EINPUT,
                                "marshal: unnormalized long int at offset 0x%zx", at);
    }
    r->r_pos += 2 * ndig;
    o->u.o_raw.data = r->r_buf + start;
    o->u.o_raw.size = r->r_pos - start;
    return LZ_OK;
}

/* UTF-8 as CPython writes it with "surrogatepass": surrogates allowed,
 * overlong forms and code points above U+10FFFF refused. */
static bool utf8_ok(const uint8_t *s, size_t n)
{
    size_t i = 0;

    while (i < n) {
        uint8_t c = s[i];
        size_t len;
        uint8_t lo = 0x80, hi = 0xbf;

        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf)
            len = 2;
        else if (c >= 0xe0 && c <= 0xef)
            len = 3;
        else if (c >= 0xf0 && c <= 0xf4)
            len = 4;
        else
            return false;
        if (c == 0xe0)
            lo = 0xa0;
        else if (c == 0xf0)
            lo = 0x90;
        else if (c == 0xf4)
            hi = 0x8f;
        if (n - i < len)
            return false;
        if (s[i + 1] < lo || s[i + 1] > hi)
            return false;
        for (size_t k = 2; k < len; k++)
            if ((s[i + k] & 0xc0) != 0x80)
                return false;
        i += len;
    }
    return true;
}

/* Strings and bytes: the payload stays in the input buffer. */
static int read_string(struct reader *r, size_t at, uint8_t code, struct lz_obj *o)
{
    size_t n;
    const char *what = code == MT_STRING ? "bytes" : "str";

    if (code == MT_SHORT_ASCII || code == MT_SHORT_ASCII_INTERNED) {
        if (bytes_left(r) < 1)
            return fail_truncated(r, what, at, 1);
        n = get_u8(r);
    } else {
        uint32_t raw = 0;
        int rc = read_u32(r, what, at, &raw);

        if (rc != LZ_OK)
            return rc;
        if (raw > MT_SIZE32_MAX || raw > bytes_left(r))
            return lz_error_set(r->r_err, LZ_EINPUT,
                                "marshal: %s of %u bytes at offset 0x%zx, %zu bytes left",
                                what, raw, at, bytes_left(r));
        n = raw;
    }
    if (n > bytes_left(r))
        return lz_error_set(r->r_err, LZ_EINPUT,
                            "marshal: %s of %zu bytes at offset 0x%zx, %zu bytes left",
                            what, n, at, bytes_left(r));
    o->u.o_raw.data = r->r_buf + r->r_pos;
    o->u.o_raw.size = n;
    if (code == MT_UNICODE || code == MT_INTERNED) {
        if (!utf8_ok(o->u.o_raw.data, n))
            return lz_error_set(r->r_err, LZ_EINPUT,
                                "marshal: str at offset 0x%zx is not valid UTF-8", at);
    } else if (code != MT_STRING) {
        for (size_t i = 0; i < n; i++)
            if (o->u.o_raw.data[i] >= 0x80)
                return lz_error_set(r->r_err, LZ_EINPUT,
                                    "marshal: non-ASCII byte in ASCII str at offset 0x%zx", at);
    }
    r->r_pos += n;
    return LZ_OK;
}

/* -------------------------------------------------------- containers --- */

/* Unhashable keys and set members make CPython's loader fail; refuse the
 * obvious ones (a shallow check: nested tuples are not searched). */
static bool shallow_hashable(const struct lz_obj *o)
{
    return o->o_kind != LZ_K_LIST && o->o_kind != LZ_K_DICT && o->o_kind != LZ_K_SET;
}

/* Tuples, lists, sets, frozensets: a count, then that many objects. */
static int read_sequence(struct reader *r, size_t at, uint8_t code, struct lz_obj *o)
{
    uint32_t n = 0;
    struct lz_obj **items = NULL;

    if (code == MT_SMALL_TUPLE) {
        if (bytes_left(r) < 1)
            return fail_truncated(r, "tuple", at, 1);
        n = get_u8(r);
    } else {
        int rc = read_u32(r, lz_kind_name(o->o_kind), at, &n);

        if (rc != LZ_OK)
            return rc;
    }
    /* Each item takes at least one byte: refuse before allocating. */
    if (n > MT_SIZE32_MAX || n > bytes_left(r))
        return lz_error_set(r->r_err, LZ_EINPUT,
                            "marshal: %s of %u items at offset 0x%zx, %zu bytes left",
                            lz_kind_name(o->o_kind), n, at, bytes_left(r));
    if (n > 0) {
        items = lz_arena_calloc(r->r_arena, n, sizeof *items);
        if (items == NULL)
            return fail_nomem(r);
    }
    for (uint32_t i = 0; i < n; i++) {
        int rc = read_object(r, &items[i], false);

        if (rc != LZ_OK)
            return rc;
        if ((o->o_kind == LZ_K_SET || o->o_kind == LZ_K_FROZENSET)
            && !shallow_hashable(items[i]))
            return lz_error_set(r->r_err, LZ_EINPUT,
                                "marshal: unhashable %s in %s at offset 0x%zx",
                                lz_kind_name(items[i]->o_kind), lz_kind_name(o->o_kind), at);
    }
    o->u.o_seq.items = items;
    o->u.o_seq.n = n;
    return LZ_OK;
}

/* Dicts and frozendicts: key, value pairs up to a NULL key. */
static int read_dict(struct reader *r, size_t at, struct lz_obj *o)
{
    struct lz_obj **tmp = NULL;      /* owned until copied into the arena */
    size_t n = 0, cap = 0;
    int rc = LZ_OK;

    for (;;) {
        struct lz_obj *key, *val;

        rc = read_object(r, &key, true);
        if (rc != LZ_OK || key == NULL)
            break;
        if (!shallow_hashable(key)) {
            rc = lz_error_set(r->r_err, LZ_EINPUT,
                              "marshal: unhashable %s as %s key at offset 0x%zx",
                              lz_kind_name(key->o_kind), lz_kind_name(o->o_kind), at);
            break;
        }
        rc = read_object(r, &val, false);
        if (rc != LZ_OK)
            break;
        if (n + 2 > cap) {
            size_t ncap = cap ? cap * 2 : DICT_MIN_CAP;
            struct lz_obj **p = lz_realloc(tmp, ncap * sizeof *p);

            if (p == NULL) {
                rc = fail_nomem(r);
                break;
            }
            tmp = p;
            cap = ncap;
        }
        tmp[n++] = key;
        tmp[n++] = val;
    }
    if (rc == LZ_OK && n > 0) {
        o->u.o_seq.items = lz_arena_dup(r->r_arena, tmp, n * sizeof *tmp);
        if (o->u.o_seq.items == NULL)
            rc = fail_nomem(r);
    }
    o->u.o_seq.n = n / 2;
    lz_free(tmp);
    return rc;
}

/* ------------------------------------------------------ code objects --- */

enum field_kind { FK_BYTES, FK_TUPLE, FK_NAMES, FK_STR };

static const char *const field_expect[] = {
    [FK_BYTES] = "bytes", [FK_TUPLE] = "tuple", [FK_NAMES] = "tuple of str",
    [FK_STR] = "str",
};

static int read_long_field(struct reader *r, size_t code_at, const char *name, int32_t *v)
{
    uint32_t raw;

    if (bytes_left(r) < 4)
        return lz_error_set(r->r_err, LZ_EINPUT,
                            "marshal: truncated code object at offset 0x%zx: %s needs 4 bytes, %zu left",
                            code_at, name, bytes_left(r));
    raw = get_u32(r);
    *v = (int32_t)raw;
    return LZ_OK;
}

/* Read one object field of a code object and check its kind. */
static int read_field(struct reader *r, const char *name, enum field_kind fk,
                      struct lz_obj **out)
{
    size_t at = r->r_pos;
    struct lz_obj *o;
    int rc = read_object(r, &o, false);
    bool ok;

    if (rc != LZ_OK)
        return rc;
    switch (fk) {
    case FK_BYTES: ok = o->o_kind == LZ_K_BYTES; break;
    case FK_STR: ok = o->o_kind == LZ_K_STR; break;
    default: ok = o->o_kind == LZ_K_TUPLE; break;
    }
    if (!ok)
        return lz_error_set(r->r_err, LZ_EINPUT,
                            "marshal: code object field %s at offset 0x%zx has type %s, expected %s",
                            name, at, lz_kind_name(o->o_kind), field_expect[fk]);
    if (fk == FK_NAMES) {
        for (size_t i = 0; i < o->u.o_seq.n; i++)
            if (o->u.o_seq.items[i]->o_kind != LZ_K_STR)
                return lz_error_set(r->r_err, LZ_EINPUT,
                                    "marshal: code object field %s at offset 0x%zx: item %zu has type %s, expected str",
                                    name, at, i, lz_kind_name(o->u.o_seq.items[i]->o_kind));
    }
    *out = o;
    return LZ_OK;
}

#define TRY(expr) do { int rc_ = (expr); if (rc_ != LZ_OK) return rc_; } while (0)

/* Field order: bytecode-formats.md section 3.3. */
static int read_code_38(struct reader *r, size_t at, struct lz_codeobj *co)
{
    TRY(read_long_field(r, at, "co_argcount", &co->co_argcount));
    TRY(read_long_field(r, at, "co_posonlyargcount", &co->co_posonlyargcount));
    TRY(read_long_field(r, at, "co_kwonlyargcount", &co->co_kwonlyargcount));
    TRY(read_long_field(r, at, "co_nlocals", &co->co_nlocals));
    TRY(read_long_field(r, at, "co_stacksize", &co->co_stacksize));
    TRY(read_long_field(r, at, "co_flags", &co->co_flags));
    TRY(read_field(r, "co_code", FK_BYTES, &co->co_code));
    TRY(read_field(r, "co_consts", FK_TUPLE, &co->co_consts));
    TRY(read_field(r, "co_names", FK_NAMES, &co->co_names));
    TRY(read_field(r, "co_varnames", FK_NAMES, &co->co_varnames));
    TRY(read_field(r, "co_freevars", FK_NAMES, &co->co_freevars));
    TRY(read_field(r, "co_cellvars", FK_NAMES, &co->co_cellvars));
    TRY(read_field(r, "co_filename", FK_STR, &co->co_filename));
    TRY(read_field(r, "co_name", FK_STR, &co->co_name));
    TRY(read_long_field(r, at, "co_firstlineno", &co->co_firstlineno));
    TRY(read_field(r, r->r_ver->pv_minor >= 10 ? "co_linetable" : "co_lnotab",
                   FK_BYTES, &co->co_linetable));
    if (co->co_nlocals < 0)
        return lz_error_set(r->r_err, LZ_EINPUT,
                            "marshal: code object at offset 0x%zx: negative co_nlocals %d",
                            at, co->co_nlocals);
    return LZ_OK;
}

static int read_code_311(struct reader *r, size_t at, struct lz_codeobj *co)
{
    TRY(read_long_field(r, at, "co_argcount", &co->co_argcount));
    TRY(read_long_field(r, at, "co_posonlyargcount", &co->co_posonlyargcount));
    TRY(read_long_field(r, at, "co_kwonlyargcount", &co->co_kwonlyargcount));
    TRY(read_long_field(r, at, "co_stacksize", &co->co_stacksize));
    TRY(read_long_field(r, at, "co_flags", &co->co_flags));
    TRY(read_field(r, "co_code", FK_BYTES, &co->co_code));
    TRY(read_field(r, "co_consts", FK_TUPLE, &co->co_consts));
    TRY(read_field(r, "co_names", FK_NAMES, &co->co_names));
    TRY(read_field(r, "co_localsplusnames", FK_NAMES, &co->co_localsplusnames));
    TRY(read_field(r, "co_localspluskinds", FK_BYTES, &co->co_localspluskinds));
    TRY(read_field(r, "co_filename", FK_STR, &co->co_filename));
    TRY(read_field(r, "co_name", FK_STR, &co->co_name));
    TRY(read_field(r, "co_qualname", FK_STR, &co->co_qualname));
    TRY(read_long_field(r, at, "co_firstlineno", &co->co_firstlineno));
    TRY(read_field(r, "co_linetable", FK_BYTES, &co->co_linetable));
    TRY(read_field(r, "co_exceptiontable", FK_BYTES, &co->co_exceptiontable));
    if (co->co_localsplusnames->u.o_seq.n != co->co_localspluskinds->u.o_raw.size)
        return lz_error_set(r->r_err, LZ_EINPUT,
                            "marshal: code object at offset 0x%zx: %zu localsplus names but %zu kinds",
                            at, co->co_localsplusnames->u.o_seq.n,
                            co->co_localspluskinds->u.o_raw.size);
    return LZ_OK;
}

static int read_code(struct reader *r, size_t at, struct lz_obj *o)
{
    struct lz_codeobj *co = lz_arena_calloc(r->r_arena, 1, sizeof *co);

    if (co == NULL)
        return fail_nomem(r);
    if (r->r_ver->pv_code_layout == LZ_CODE_LAYOUT_38)
        TRY(read_code_38(r, at, co));
    else
        TRY(read_code_311(r, at, co));
    if (co->co_argcount < 0 || co->co_posonlyargcount < 0 || co->co_kwonlyargcount < 0
        || co->co_stacksize < 0)
        return lz_error_set(r->r_err, LZ_EINPUT,
                            "marshal: code object at offset 0x%zx: negative argument count or stack size",
                            at);
    if (co->co_code->u.o_raw.size % 2 != 0)
        return lz_error_set(r->r_err, LZ_EINPUT,
                            "marshal: code object at offset 0x%zx: co_code has odd length %zu",
                            at, co->co_code->u.o_raw.size);
    o->u.o_codeobj = co;
    return LZ_OK;
}

/* ---------------------------------------------------------- dispatch --- */

/* The kind a type code makes, or -1 for codes this version cannot hold. */
static int kind_of_code(const struct lz_pyver *ver, uint8_t code)
{
    switch (code) {
    case MT_NONE: return LZ_K_NONE;
    case MT_FALSE: return LZ_K_FALSE;
    case MT_TRUE: return LZ_K_TRUE;
    case MT_ELLIPSIS: return LZ_K_ELLIPSIS;
    case MT_STOPITER: return LZ_K_STOPITER;
    case MT_INT: case MT_INT64: return LZ_K_INT;
    case MT_LONG: return LZ_K_LONG;
    case MT_FLOAT: case MT_BINARY_FLOAT: return LZ_K_FLOAT;
    case MT_COMPLEX: case MT_BINARY_COMPLEX: return LZ_K_COMPLEX;
    case MT_STRING: return LZ_K_BYTES;
    case MT_SHORT_ASCII: case MT_SHORT_ASCII_INTERNED: case MT_ASCII:
    case MT_ASCII_INTERNED: case MT_UNICODE: case MT_INTERNED: return LZ_K_STR;
    case MT_TUPLE: case MT_SMALL_TUPLE: return LZ_K_TUPLE;
    case MT_LIST: return LZ_K_LIST;
    case MT_DICT: return LZ_K_DICT;
    case MT_SET: return LZ_K_SET;
    case MT_FROZENSET: return LZ_K_FROZENSET;
    case MT_CODE: return LZ_K_CODE;
    case MT_SLICE: return ver->pv_marshal_version >= 5 ? LZ_K_SLICE : -1;
    case MT_FROZENDICT: return ver->pv_marshal_version >= 6 ? LZ_K_FROZENDICT : -1;
    }
    return -1;
}

static int unknown_code(struct reader *r, uint8_t code, size_t at)
{
    const struct lz_pyver *v = r->r_ver;

    if (code == MT_SLICE)
        return lz_error_set(r->r_err, LZ_EINPUT,
                            "marshal: slice (type code ':') at offset 0x%zx needs marshal version 5 (3.14+), not %d.%d",
                            at, v->pv_major, v->pv_minor);
    if (code == MT_FROZENDICT)
        return lz_error_set(r->r_err, LZ_EINPUT,
                            "marshal: frozendict (type code '}') at offset 0x%zx needs marshal version 6 (3.15+), not %d.%d",
                            at, v->pv_major, v->pv_minor);
    return lz_error_set(r->r_err, LZ_EINPUT,
                        "marshal: unknown type code 0x%02x at offset 0x%zx", code, at);
}

/* Payload of a node whose type byte has been read. */
static int read_payload(struct reader *r, size_t at, struct lz_obj *o)
{
    switch (o->o_code) {
    case MT_INT:
        if (bytes_left(r) < 4)
            return fail_truncated(r, "int", at, 4);
        o->u.o_int = (int32_t)get_u32(r);
        return LZ_OK;
    case MT_INT64: {
        uint64_t v;

        if (bytes_left(r) < 8)
            return fail_truncated(r, "int", at, 8);
        v = get_u32(r);
        v |= (uint64_t)get_u32(r) << 32;
        o->u.o_int = (int64_t)v;
        return LZ_OK;
    }
    case MT_LONG:
        return read_long(r, at, o);
    case MT_BINARY_FLOAT:
    case MT_BINARY_COMPLEX: {
        size_t n = o->o_code == MT_BINARY_FLOAT ? 8 : 16;

        if (bytes_left(r) < n)
            return fail_truncated(r, lz_kind_name(o->o_kind), at, n);
        o->u.o_raw.data = r->r_buf + r->r_pos;
        o->u.o_raw.size = n;
        r->r_pos += n;
        return LZ_OK;
    }
    case MT_FLOAT:
    case MT_COMPLEX: {
        size_t start = r->r_pos;

        TRY(read_float_text(r, at));
        if (o->o_code == MT_COMPLEX)
            TRY(read_float_text(r, at));
        o->u.o_raw.data = r->r_buf + start;
        o->u.o_raw.size = r->r_pos - start;
        return LZ_OK;
    }
    case MT_STRING: case MT_SHORT_ASCII: case MT_SHORT_ASCII_INTERNED: case MT_ASCII:
    case MT_ASCII_INTERNED: case MT_UNICODE: case MT_INTERNED:
        return read_string(r, at, o->o_code, o);
    case MT_TUPLE: case MT_SMALL_TUPLE: case MT_LIST: case MT_SET: case MT_FROZENSET:
        return read_sequence(r, at, o->o_code, o);
    case MT_DICT: case MT_FROZENDICT:
        return read_dict(r, at, o);
    case MT_CODE:
        return read_code(r, at, o);
    case MT_SLICE: {
        struct lz_obj **items = lz_arena_calloc(r->r_arena, 3, sizeof *items);

        if (items == NULL)
            return fail_nomem(r);
        for (int i = 0; i < 3; i++)
            TRY(read_object(r, &items[i], false));
        o->u.o_seq.items = items;
        o->u.o_seq.n = 3;
        return LZ_OK;
    }
    }
    return LZ_OK;   /* singletons: no payload */
}

/* Read one object.  With null_ok a '0' (dict terminator) yields *out = NULL. */
static int read_object(struct reader *r, struct lz_obj **out, bool null_ok)
{
    size_t at = r->r_pos, slot = 0;
    uint8_t code;
    bool flag;
    int kind, rc;
    struct lz_obj *o;

    *out = NULL;
    if (bytes_left(r) < 1)
        return lz_error_set(r->r_err, LZ_EINPUT,
                            "marshal: unexpected end of data at offset 0x%zx", at);
    code = get_u8(r);
    flag = (code & MT_FLAG_REF) != 0;
    code &= (uint8_t)~MT_FLAG_REF;

    if (code == MT_REF)
        return read_ref(r, at, out);
    if (code == MT_NULL) {
        if (null_ok)
            return LZ_OK;
        return lz_error_set(r->r_err, LZ_EINPUT,
                            "marshal: NULL object at offset 0x%zx outside a dict", at);
    }
    kind = kind_of_code(r->r_ver, code);
    if (kind < 0)
        return unknown_code(r, code, at);
    if (r->r_depth >= LZ_MARSHAL_DEPTH_MAX)
        return lz_error_set(r->r_err, LZ_EINPUT,
                            "marshal: nesting deeper than %d at offset 0x%zx",
                            LZ_MARSHAL_DEPTH_MAX, at);

    o = new_node(r, kind, code, flag);
    if (o == NULL)
        return fail_nomem(r);
    /* Singletons never take a slot (CPython's reader ignores their flag). */
    if (flag && !lz_kind_is_singleton(kind))
        TRY(ref_reserve(r, &slot));
    r->r_depth++;
    rc = read_payload(r, at, o);
    r->r_depth--;
    if (rc != LZ_OK)
        return rc;
    if (flag && !lz_kind_is_singleton(kind))
        r->r_refs[slot] = o;
    *out = o;
    return LZ_OK;
}

/* ------------------------------------------------------ entry points --- */

int lz_marshal_read_at(struct lz_arena *arena, const struct lz_pyver *ver,
                       const uint8_t *buf, size_t size, size_t start,
                       size_t *consumed, struct lz_obj **out,
                       struct lz_error *err)
{
    struct reader r = {
        .r_buf = buf, .r_end = size, .r_pos = start, .r_arena = arena,
        .r_ver = ver, .r_err = err,
    };
    int rc;

    *out = NULL;
    if (consumed != NULL)
        *consumed = 0;
    if (start > size)
        return lz_error_set(err, LZ_EUSAGE, "marshal: start offset beyond the data");
    if (size - start > LZ_MARSHAL_SIZE_MAX)
        return lz_error_set(err, LZ_ENOMEM,
                            "marshal: %zu bytes of marshal data exceed the limit of %zu",
                            size - start, LZ_MARSHAL_SIZE_MAX);
    rc = read_object(&r, out, false);
    lz_free(r.r_refs);
    if (rc != LZ_OK) {
        *out = NULL;
        return rc;
    }
    if (consumed != NULL)
        *consumed = r.r_pos - start;
    return LZ_OK;
}

int lz_marshal_read(struct lz_arena *arena, const struct lz_pyver *ver,
                    const uint8_t *buf, size_t size, size_t *consumed,
                    struct lz_obj **out, struct lz_error *err)
{
    return lz_marshal_read_at(arena, ver, buf, size, 0, consumed, out, err);
}
