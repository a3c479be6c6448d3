/* lz_marshal.h - the marshal object graph and its reader and writer.
 *
 * A marshal stream is decoded into a DAG of struct lz_obj nodes allocated in
 * a caller-provided arena.  Every TYPE_REF is resolved to a pointer to the
 * referenced node (never a copy), and every node remembers the type byte it
 * was read with (o_code, e.g. 'z' vs 'Z' vs 'a') and whether it carried
 * FLAG_REF (o_ref).  The writer emits a node inline the first time it meets
 * it - with FLAG_REF if o_ref is set or the node occurs more than once in the
 * output - and as TYPE_REF afterwards, numbering refs afresh in write order.
 * An unmodified graph therefore re-encodes to the identical bytes, and an
 * edited graph (copy-on-write: build new nodes, never mutate a shared one)
 * gets consistent ref numbers.  See bytecode-formats.md section 3.2.
 *
 * Life cycle:
 *   1. arena = lz_arena_new();
 *   2. lz_marshal_read(arena, ver, buf, size, &consumed, &root, &err);
 *      scalar payloads point into `buf`, so `buf` must outlive the graph
 *      (lz_pyc keeps its copy of the file in the same arena);
 *   3. inspect / build nodes with lz_obj_new_* (all in the arena);
 *   4. lz_marshal_write(ver, root, &buf, &err);
 *   5. lz_arena_free(arena).
 */
#ifndef LZ_MARSHAL_H
#define LZ_MARSHAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lz_alloc.h"
#include "lz_error.h"
#include "lz_pyver.h"

/* Hostile-input limits.  CPython's own reader stops at depth 2000
 * (MAX_MARSHAL_STACK_DEPTH); real pycs nest a few dozen levels. */
#define LZ_MARSHAL_DEPTH_MAX 2000
/* One pyc's marshal data; the largest stdlib pyc is ~1.5 MB. */
#define LZ_MARSHAL_SIZE_MAX ((size_t)256 << 20)

enum lz_kind {
    LZ_K_NULL,        /* '0': only as a dict terminator; never a node */
    LZ_K_NONE,        /* 'N' */
    LZ_K_FALSE,       /* 'F' */
    LZ_K_TRUE,        /* 'T' */
    LZ_K_ELLIPSIS,    /* '.' */
    LZ_K_STOPITER,    /* 'S' */
    LZ_K_INT,         /* 'i' (int32) or legacy 'I' (int64): o_int */
    LZ_K_LONG,        /* 'l': o_raw = int32 digit count + digits, as read */
    LZ_K_FLOAT,       /* 'g' (8 raw bytes) or legacy 'f' (len byte + text): o_raw */
    LZ_K_COMPLEX,     /* 'y' (16 raw bytes) or legacy 'x': o_raw */
    LZ_K_BYTES,       /* 's': o_raw is the content */
    LZ_K_STR,         /* 'z' 'Z' 'a' 'A' 'u' 't': o_raw is the ASCII/UTF-8 content */
    LZ_K_TUPLE,       /* ')' '(' : o_seq */
    LZ_K_LIST,        /* '[' */
    LZ_K_DICT,        /* '{' : o_seq holds key, value, key, value ... */
    LZ_K_SET,         /* '<' */
    LZ_K_FROZENSET,   /* '>' */
    LZ_K_CODE,        /* 'c' : o_codeobj */
    LZ_K_SLICE,       /* ':' (marshal 5, 3.14+): o_seq of 3 (start, stop, step) */
    LZ_K_FROZENDICT,  /* '}' (marshal 6, 3.15+): like LZ_K_DICT */
};

struct lz_codeobj;

struct lz_obj {
    uint8_t o_kind;        /* enum lz_kind */
    uint8_t o_code;        /* type byte as read or chosen, FLAG_REF (0x80) stripped */
    bool o_ref;            /* written with FLAG_REF */
    union {
        int64_t o_int;                                   /* LZ_K_INT */
        struct { const uint8_t *data; size_t size; } o_raw;      /* scalars, bytes, str */
        struct { struct lz_obj **items; size_t n; } o_seq;      /* containers; DICT: 2n */
        struct lz_codeobj *o_codeobj;                    /* LZ_K_CODE */
    } u;
};

/* A code object.  Which fields exist depends on pv_code_layout; absent ones
 * are NULL / 0.  The reader checks each field's kind (co_code is bytes,
 * co_consts a tuple, names tuples of str ...), so consumers may rely on it. */
struct lz_codeobj {
    int32_t co_argcount, co_posonlyargcount, co_kwonlyargcount;
    int32_t co_nlocals;                /* 3.8-3.10 only */
    int32_t co_stacksize, co_flags, co_firstlineno;
    struct lz_obj *co_code;            /* bytes */
    struct lz_obj *co_consts;          /* tuple */
    struct lz_obj *co_names;           /* tuple of str */
    struct lz_obj *co_varnames;        /* 3.8-3.10: tuple of str */
    struct lz_obj *co_freevars;        /* 3.8-3.10 */
    struct lz_obj *co_cellvars;        /* 3.8-3.10 */
    struct lz_obj *co_localsplusnames; /* 3.11+: tuple of str */
    struct lz_obj *co_localspluskinds; /* 3.11+: bytes */
    struct lz_obj *co_filename;        /* str */
    struct lz_obj *co_name;            /* str */
    struct lz_obj *co_qualname;        /* 3.11+: str */
    struct lz_obj *co_linetable;       /* bytes: lnotab (3.8-3.9), linetable (3.10), locations (3.11+) */
    struct lz_obj *co_exceptiontable;  /* 3.11+: bytes */
};

/* Decode one object from buf[0..size).  *consumed receives the bytes used.
 * On failure returns LZ_EINPUT (message names the offset and the cause, e.g.
 * "marshal: tuple of 4294967295 items at offset 0x1c, 12 bytes left") or
 * LZ_ENOMEM; *out is then NULL and nothing needs freeing beyond the arena. */
int lz_marshal_read(struct lz_arena *arena, const struct lz_pyver *ver,
                    const uint8_t *buf, size_t size, size_t *consumed,
                    struct lz_obj **out, struct lz_error *err);

/* Append the encoding of `root` to `out`.  Returns LZ_OK, LZ_ENOMEM (out of
 * memory; `out` is incomplete) or LZ_EINPUT (a node the version cannot
 * encode, e.g. a slice before 3.14). */
int lz_marshal_write(const struct lz_pyver *ver, const struct lz_obj *root,
                     struct lz_buf *out, struct lz_error *err);

/* Node constructors (arena-allocated, NULL on out of memory).  New strings
 * choose the type byte CPython would: interned 'Z'/'A'/'t' when `interned`,
 * else 'z'/'a'/'u', by length and ASCII-ness; o_ref is left false (the writer
 * adds FLAG_REF where a node is shared, and the caller sets it where CPython
 * would, e.g. interned strings on 3.11+). */
struct lz_obj *lz_obj_new_int(struct lz_arena *a, int32_t v);
struct lz_obj *lz_obj_new_str(struct lz_arena *a, const char *s, size_t n, bool interned);
struct lz_obj *lz_obj_new_bytes(struct lz_arena *a, const uint8_t *p, size_t n);
struct lz_obj *lz_obj_new_tuple(struct lz_arena *a, size_t n);   /* items zeroed */
struct lz_obj *lz_obj_new_singleton(struct lz_arena *a, enum lz_kind kind); /* None, True ... */
/* Shallow copy of a code node with a fresh struct lz_codeobj (copy-on-write). */
struct lz_obj *lz_obj_copy_code(struct lz_arena *a, const struct lz_obj *code);

/* Helpers for consumers. */
bool lz_obj_is_str(const struct lz_obj *o, const char *s);   /* kind STR and equal to s */
/* Do two graphs decode to equal objects?  Sharing, FLAG_REF and the string
 * type byte (interned or not) are ignored: CPython's marshal sets FLAG_REF
 * by reference count, so one code object compiled twice can encode
 * differently, and sets in any order (marshal stores them in iteration
 * order, which follows the compiling process's hash seed).  Call with depth 0. */
bool lz_obj_equal_depth(const struct lz_obj *a, const struct lz_obj *b, int depth);
/* Python repr() of a constant into out (for `lazyc dump`); nested code
 * objects print as <code object NAME, file "F", line N>. */
void lz_obj_repr(const struct lz_obj *o, struct lz_buf *out);

#endif
