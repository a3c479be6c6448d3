/* lz_pyc.h - a .pyc file: the 16-byte header (PEP 552) and its code object.
 *
 *   1. lz_pyc_parse(data, size, &pyc, &err)   copies data; refuses unknown magic,
 *                                             bad flags, truncation, trailing bytes
 *   2. work on pyc->pc_code (nodes go in pyc->pc_arena)
 *   3. lz_pyc_serialize(pyc, &buf, &err)      header (unchanged) + marshal
 *   4. lz_pyc_free(pyc)                        lz_pyc_free(NULL) is harmless
 */
#ifndef LZ_PYC_H
#define LZ_PYC_H

#include <stddef.h>
#include <stdint.h>

#include "lz_alloc.h"
#include "lz_error.h"
#include "lz_marshal.h"
#include "lz_pyver.h"

#define LZ_PYC_HEADER_SIZE 16
#define LZ_PYC_FLAG_HASH 0x1u          /* hash-based pyc */
#define LZ_PYC_FLAG_CHECK_SOURCE 0x2u  /* with HASH: validate against the source */

struct lz_pyc {
    const struct lz_pyver *pc_ver;            /* from the magic */
    uint8_t pc_header[LZ_PYC_HEADER_SIZE];    /* as read; written back unchanged */
    uint32_t pc_flags;                        /* header word 1 */
    struct lz_obj *pc_code;                   /* top-level code object */
    struct lz_arena *pc_arena;                /* owns the file copy and every node */
};

int lz_pyc_parse(const uint8_t *data, size_t size, struct lz_pyc **out,
                 struct lz_error *err);
int lz_pyc_serialize(const struct lz_pyc *pyc, struct lz_buf *out,
                     struct lz_error *err);
void lz_pyc_free(struct lz_pyc *pyc);

/* Source hash for a hash-based pyc header: SipHash keyed (k0 = magic word
 * incl. "\r\n" as a little-endian uint32, k1 = 0), 2-4 rounds for 3.8-3.10
 * and 1-3 for 3.11+; equals importlib.util.source_hash(). */
void lz_pyc_source_hash(const struct lz_pyver *ver, const uint8_t *src,
                        size_t size, uint8_t out[8]);

/* SipHash-c-d of [data, data+size) with key (k0, k1). */
uint64_t lz_siphash(int c_rounds, int d_rounds, uint64_t k0, uint64_t k1,
                    const void *data, size_t size);

#endif
