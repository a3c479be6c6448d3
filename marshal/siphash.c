/* siphash.c - SipHash-c-d and the source hash of hash-based pycs.
 *
 * SipHash (Aumasson and Bernstein, 2012) with a variable number of
 * compression (c) and finalisation (d) rounds.  CPython keys it with the
 * pyc magic word and zero and uses 2-4 up to 3.10, 1-3 from 3.11
 * (bytecode-formats.md section 2); lz_pyc_source_hash picks by version.
 */
#include <stdint.h>
#include <string.h>

#include "lz_pyc.h"

#define ROTL64(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

struct sip_state {
    uint64_t v0, v1, v2, v3;
};

static void sip_round(struct sip_state *s)
{
    s->v0 += s->v1;
    s->v1 = ROTL64(s->v1, 13);
    s->v1 ^= s->v0;
    s->v0 = ROTL64(s->v0, 32);
    s->v2 += s->v3;
    s->v3 = ROTL64(s->v3, 16);
    s->v3 ^= s->v2;
    s->v0 += s->v3;
    s->v3 = ROTL64(s->v3, 21);
    s->v3 ^= s->v0;
    s->v2 += s->v1;
    s->v1 = ROTL64(s->v1, 17);
    s->v1 ^= s->v2;
    s->v2 = ROTL64(s->v2, 32);
}

static void sip_compress(struct sip_state *s, int c_rounds, uint64_t m)
{
    s->v3 ^= m;
    for (int i = 0; i < c_rounds; i++)
        sip_round(s);
    s->v0 ^= m;
}

static uint64_t load_le64(const uint8_t *p)
{
    uint64_t v = 0;

    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

uint64_t lz_siphash(int c_rounds, int d_rounds, uint64_t k0, uint64_t k1,
                    const void *data, size_t size)
{
    const uint8_t *p = data;
    struct sip_state s = {
        k0 ^ UINT64_C(0x736f6d6570736575), k1 ^ UINT64_C(0x646f72616e646f6d),
        k0 ^ UINT64_C(0x6c7967656e657261), k1 ^ UINT64_C(0x7465646279746573),
    };
    size_t whole = size & ~(size_t)7;
    uint64_t last = (uint64_t)(size & 0xff) << 56;

    for (size_t i = 0; i < whole; i += 8)
        sip_compress(&s, c_rounds, load_le64(p + i));
    for (size_t i = whole; i < size; i++)
        last |= (uint64_t)p[i] << (8 * (i - whole));
    sip_compress(&s, c_rounds, last);

    s.v2 ^= 0xff;
    for (int i = 0; i < d_rounds; i++)
        sip_round(&s);
    return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}

void lz_pyc_source_hash(const struct lz_pyver *ver, const uint8_t *src,
                        size_t size, uint8_t out[8])
{
    /* k0 is the whole magic word: 16-bit number then "\r\n". */
    uint64_t k0 = (uint64_t)ver->pv_magic | ((uint64_t)'\r' << 16)
                  | ((uint64_t)'\n' << 24);
    uint64_t h = lz_siphash(ver->pv_sip_c, ver->pv_sip_d, k0, 0, src, size);

    for (int i = 0; i < 8; i++)
        out[i] = (uint8_t)(h >> (8 * i));
}
