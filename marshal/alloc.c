/* alloc.c - the allocation hook, arenas and growable byte buffers.
 *
 * Every heap allocation of the project goes through lz_malloc/lz_realloc so
 * that a test can fail the Nth one (lz_alloc_fail_after) and check the
 * LZ_ENOMEM path, as SQLite's fault simulator does.
 */
#include <stdlib.h>
#include <string.h>

#include "lz_alloc.h"

/* ---------------------------------------------------------------- hook --- */

/* Allocations left before the injected failure; negative = no injection.
 * The failure is one-shot: after it fires, injection is disabled again. */
static long fail_countdown = -1;

void lz_alloc_fail_after(long n)
{
    fail_countdown = n;
}

static bool injected_failure(void)
{
    if (fail_countdown < 0)
        return false;
    if (fail_countdown == 0) {
        fail_countdown = -1;
        return true;
    }
    fail_countdown--;
    return false;
}

void *lz_malloc(size_t size)
{
    if (injected_failure())
        return NULL;
    return malloc(size ? size : 1);
}

void *lz_realloc(void *p, size_t size)
{
    if (injected_failure())
        return NULL;
    return realloc(p, size ? size : 1);
}

void lz_free(void *p)
{
    free(p);
}

/* --------------------------------------------------------------- arena --- */

#define ARENA_ALIGN 16
/* Chunk payload size; an allocation larger than ARENA_BIG_SIZE gets a chunk
 * of its own so the current chunk is not abandoned half empty. */
#define ARENA_CHUNK_SIZE ((size_t)64 << 10)
#define ARENA_BIG_SIZE (ARENA_CHUNK_SIZE / 4)

struct arena_chunk {
    struct arena_chunk *ch_next;
    size_t ch_size;                 /* payload bytes */
    size_t ch_used;                 /* payload bytes handed out */
    _Alignas(ARENA_ALIGN) unsigned char ch_data[];
};

struct lz_arena {
    struct arena_chunk *a_head;     /* current chunk first; big ones behind it */
    size_t a_used;                  /* bytes handed out, for reports */
};

struct lz_arena *lz_arena_new(void)
{
    struct lz_arena *a = lz_malloc(sizeof *a);

    if (a == NULL)
        return NULL;
    a->a_head = NULL;
    a->a_used = 0;
    return a;
}

void lz_arena_free(struct lz_arena *arena)
{
    struct arena_chunk *c, *next;

    if (arena == NULL)
        return;
    for (c = arena->a_head; c != NULL; c = next) {
        next = c->ch_next;
        lz_free(c);
    }
    lz_free(arena);
}

static struct arena_chunk *chunk_new(size_t payload)
{
    size_t total;
    struct arena_chunk *c;

    if (!lz_ckd_add(&total, sizeof *c, payload))
        return NULL;
    c = lz_malloc(total);
    if (c == NULL)
        return NULL;
    c->ch_next = NULL;
    c->ch_size = payload;
    c->ch_used = 0;
    return c;
}

void *lz_arena_alloc(struct lz_arena *arena, size_t size)
{
    struct arena_chunk *c = arena->a_head;
    size_t need;

    /* Round up to the alignment; size 0 still yields a usable pointer. */
    if (size == 0)
        size = 1;
    if (!lz_ckd_add(&need, size, ARENA_ALIGN - 1))
        return NULL;
    need &= ~(size_t)(ARENA_ALIGN - 1);

    if (need > ARENA_BIG_SIZE) {
        struct arena_chunk *big = chunk_new(need);

        if (big == NULL)
            return NULL;
        big->ch_used = need;
        if (c != NULL) {            /* keep filling the current chunk */
            big->ch_next = c->ch_next;
            c->ch_next = big;
        } else {
            arena->a_head = big;
        }
        arena->a_used += need;
        return big->ch_data;
    }
    if (c == NULL || c->ch_size - c->ch_used < need) {
        c = chunk_new(ARENA_CHUNK_SIZE);
        if (c == NULL)
            return NULL;
        c->ch_next = arena->a_head;
        arena->a_head = c;
    }
    c->ch_used += need;
    arena->a_used += need;
    return c->ch_data + c->ch_used - need;
}

void *lz_arena_calloc(struct lz_arena *arena, size_t n, size_t size)
{
    size_t total;
    void *p;

    if (!lz_ckd_mul(&total, n, size))
        return NULL;
    p = lz_arena_alloc(arena, total);
    if (p != NULL)
        memset(p, 0, total);
    return p;
}

void *lz_arena_dup(struct lz_arena *arena, const void *data, size_t size)
{
    void *p = lz_arena_alloc(arena, size);

    if (p != NULL && size > 0)
        memcpy(p, data, size);
    return p;
}

size_t lz_arena_used(const struct lz_arena *arena)
{
    return arena ? arena->a_used : 0;
}

/* ----------------------------------------------------------------- buf --- */

#define BUF_MIN_CAP 256

void lz_buf_init(struct lz_buf *b)
{
    b->b_data = NULL;
    b->b_len = 0;
    b->b_cap = 0;
    b->b_failed = false;
}

void lz_buf_fini(struct lz_buf *b)
{
    lz_free(b->b_data);
    lz_buf_init(b);
}

void lz_buf_reset(struct lz_buf *b)
{
    b->b_len = 0;
    b->b_failed = false;
}

/* Make room for n more bytes; false (and b_failed set) if impossible. */
static bool buf_reserve(struct lz_buf *b, size_t n)
{
    size_t need, cap;
    uint8_t *p;

    if (b->b_failed)
        return false;
    if (!lz_ckd_add(&need, b->b_len, n)) {
        b->b_failed = true;
        return false;
    }
    if (need <= b->b_cap)
        return true;
    cap = b->b_cap ? b->b_cap : BUF_MIN_CAP;
    while (cap < need) {
        if (!lz_ckd_mul(&cap, cap, 2)) {
            cap = need;
            break;
        }
    }
    p = lz_realloc(b->b_data, cap);
    if (p == NULL) {
        b->b_failed = true;
        return false;
    }
    b->b_data = p;
    b->b_cap = cap;
    return true;
}

void lz_buf_put(struct lz_buf *b, const void *data, size_t n)
{
    if (n == 0 || !buf_reserve(b, n))
        return;
    memcpy(b->b_data + b->b_len, data, n);
    b->b_len += n;
}

void lz_buf_byte(struct lz_buf *b, uint8_t v)
{
    if (b->b_len < b->b_cap && !b->b_failed) {
        b->b_data[b->b_len++] = v;
        return;
    }
    lz_buf_put(b, &v, 1);
}

void lz_buf_u16le(struct lz_buf *b, uint16_t v)
{
    uint8_t t[2] = { (uint8_t)v, (uint8_t)(v >> 8) };

    lz_buf_put(b, t, sizeof t);
}

void lz_buf_u32le(struct lz_buf *b, uint32_t v)
{
    uint8_t t[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
                     (uint8_t)(v >> 24) };

    lz_buf_put(b, t, sizeof t);
}
