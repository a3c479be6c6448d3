/* marshal_int.h - internals shared by the marshal and pyc files (not public).
 *
 * Type codes: bytecode-formats.md section 3.1.
 */
#ifndef LZ_MARSHAL_INT_H
#define LZ_MARSHAL_INT_H

#include "lz_marshal.h"

#define MT_FLAG_REF 0x80
#define MT_NULL '0'
#define MT_NONE 'N'
#define MT_FALSE 'F'
#define MT_TRUE 'T'
#define MT_STOPITER 'S'
#define MT_ELLIPSIS '.'
#define MT_INT 'i'
#define MT_INT64 'I'          /* legacy: read, written back only as read */
#define MT_FLOAT 'f'          /* legacy text float */
#define MT_BINARY_FLOAT 'g'
#define MT_COMPLEX 'x'        /* legacy text complex */
#define MT_BINARY_COMPLEX 'y'
#define MT_LONG 'l'
#define MT_STRING 's'         /* bytes */
#define MT_INTERNED 't'
#define MT_REF 'r'
#define MT_TUPLE '('
#define MT_LIST '['
#define MT_DICT '{'
#define MT_CODE 'c'
#define MT_UNICODE 'u'
#define MT_SET '<'
#define MT_FROZENSET '>'
#define MT_SLICE ':'          /* marshal version 5 (3.14+) */
#define MT_FROZENDICT '}'     /* marshal version 6 (3.15+) */
#define MT_ASCII 'a'
#define MT_ASCII_INTERNED 'A'
#define MT_SMALL_TUPLE ')'
#define MT_SHORT_ASCII 'z'
#define MT_SHORT_ASCII_INTERNED 'Z'

/* Largest count or length a marshal int32 field may carry (CPython's
 * SIZE32_MAX); the reader also bounds every count by the bytes left. */
#define MT_SIZE32_MAX 0x7fffffffu

/* lz_marshal_read over buf[start..size): offsets in messages are positions
 * in buf, so a pyc reports file offsets.  *consumed counts from `start`. */
int lz_marshal_read_at(struct lz_arena *arena, const struct lz_pyver *ver,
                       const uint8_t *buf, size_t size, size_t start,
                       size_t *consumed, struct lz_obj **out,
                       struct lz_error *err);

/* "tuple", "code object" ... for messages. */
const char *lz_kind_name(int kind);

/* True for kinds that never take a reference slot (None, True ...). */
static inline bool lz_kind_is_singleton(int kind)
{
    return kind == LZ_K_NONE || kind == LZ_K_FALSE || kind == LZ_K_TRUE
           || kind == LZ_K_ELLIPSIS || kind == LZ_K_STOPITER;
}

#endif
