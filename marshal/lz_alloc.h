/* lz_alloc.h - allocation, checked size arithmetic, arenas and byte buffers.
 *
 * All heap allocation goes through lz_malloc/lz_realloc so a test can make the
 * Nth allocation fail (lz_alloc_fail_after) and check that every caller turns
 * that into LZ_ENOMEM without leaking.
 *
 * Per-pyc data (marshal nodes, instruction lists) lives in one arena that is
 * dropped when the file is done:
 *
 *   1. a = lz_arena_new();
 *   2. p = lz_arena_alloc(a, n);   ... many times; never freed one by one
 *   3. lz_arena_free(a);           frees everything; lz_arena_free(NULL) is a no-op
 */
#ifndef LZ_ALLOC_H
#define LZ_ALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void *lz_malloc(size_t size);               /* NULL on failure (or injected failure) */
void *lz_realloc(void *p, size_t size);
void lz_free(void *p);

/* Test hook: the (n+1)th allocation from now on fails; n < 0 disables. */
void lz_alloc_fail_after(long n);

/* Checked arithmetic: return false (and leave *out unspecified) on overflow. */
static inline bool lz_ckd_add(size_t *out, size_t a, size_t b)
{
    return !__builtin_add_overflow(a, b, out);
}
static inline bool lz_ckd_mul(size_t *out, size_t a, size_t b)
{
    return !__builtin_mul_overflow(a, b, out);
}

struct lz_arena;

struct lz_arena *lz_arena_new(void);          /* NULL on out of memory */
void lz_arena_free(struct lz_arena *arena);
/* 16-byte aligned, uninitialised; NULL on out of memory. */
void *lz_arena_alloc(struct lz_arena *arena, size_t size);
/* n * size bytes, zeroed; NULL on overflow or out of memory. */
void *lz_arena_calloc(struct lz_arena *arena, size_t n, size_t size);
/* Copy of [data, data+size) in the arena. */
void *lz_arena_dup(struct lz_arena *arena, const void *data, size_t size);
/* Bytes handed out so far (for peak-memory reports). */
size_t lz_arena_used(const struct lz_arena *arena);

/* Growable byte buffer with a sticky error: appends after a failure are
 * ignored, so emitters stay void and the caller checks b_failed once. */
struct lz_buf {
    uint8_t *b_data;    /* owned; lz_buf_fini frees it */
    size_t b_len;
    size_t b_cap;
    bool b_failed;      /* an allocation failed; contents are incomplete */
};

void lz_buf_init(struct lz_buf *b);
void lz_buf_fini(struct lz_buf *b);
void lz_buf_reset(struct lz_buf *b);        /* length 0, keeps capacity and clears b_failed */
void lz_buf_put(struct lz_buf *b, const void *data, size_t n);
void lz_buf_byte(struct lz_buf *b, uint8_t v);
void lz_buf_u16le(struct lz_buf *b, uint16_t v);
void lz_buf_u32le(struct lz_buf *b, uint32_t v);

#endif
