/* exctable.c - 3.11+ exception table (bytecode-formats.md section 6.2).
 *
 * Entries of four varints: start, size, target (all in code units) and
 * depth << 1 | lasti.  Varints here are big-endian: 6-bit groups, most
 * significant first, 0x40 = more groups follow; the first byte of every
 * entry additionally has 0x80 set, and no other byte does.  Entries are
 * sorted by start and never overlap (nested try blocks are flattened), so
 * the table is equivalent to one handler per code unit.
 *
 * Decoding expands it to that per-unit form; encoding writes maximal runs of
 * units with equal (target, depth, lasti), which reproduces the compiler's
 * table byte for byte.  Refused: a byte that should start an entry but lacks
 * the 0x80 marker (or a marker inside an entry), truncated varints, varints
 * above 32 bits, empty ranges, entries that overlap or are out of order,
 * ranges past the code, targets outside the code, depths above 65535.
 */
#include "lz_lines.h"

#include <inttypes.h>

#define EXC_ENTRY_START 0x80
#define EXC_VARINT_MORE 0x40
#define EXC_VARINT_BITS 6
#define EXC_VARINT_MAX_GROUPS 6   /* 36 bits: anything above 32 is refused */
#define EXC_DEPTH_MAX UINT16_MAX

/* ---- decoding ----------------------------------------------------------- */

struct exc_reader {
    const uint8_t *x_t;
    size_t x_size;
    size_t x_pos;
    size_t x_entry;     /* offset of the entry being read */
};

/* One varint; `first` is set for the entry's first varint (0x80 expected). */
static int exc_varint(struct exc_reader *r, bool first, uint32_t *val, const char *what,
                      struct lz_error *err)
{
    uint64_t v = 0;
    int groups = 0;
    uint8_t b;

    do {
        if (r->x_pos >= r->x_size)
            return lz_error_set(err, LZ_EINPUT,
                                "exception table: entry at offset %zu truncated in its %s",
                                r->x_entry, what);
        b = r->x_t[r->x_pos];
        if (first && groups == 0) {
            if (!(b & EXC_ENTRY_START))
                return lz_error_set(err, LZ_EINPUT,
                                    "exception table: byte 0x%02x at offset %zu does not start an entry",
                                    b, r->x_pos);
        } else if (b & EXC_ENTRY_START) {
            return lz_error_set(err, LZ_EINPUT,
                                "exception table: entry at offset %zu cut short in its %s "
                                "by byte 0x%02x at offset %zu", r->x_entry, what, b, r->x_pos);
        }
        if (++groups > EXC_VARINT_MAX_GROUPS)
            return lz_error_set(err, LZ_EINPUT,
                                "exception table: %s of entry at offset %zu longer than 32 bits",
                                what, r->x_entry);
        v = v << EXC_VARINT_BITS | (b & (EXC_VARINT_MORE - 1));
        r->x_pos++;
    } while (b & EXC_VARINT_MORE);
    if (v > UINT32_MAX)
        return lz_error_set(err, LZ_EINPUT,
                            "exception table: %s of entry at offset %zu longer than 32 bits",
                            what, r->x_entry);
    *val = (uint32_t)v;
    return LZ_OK;
}

int lz_exctable_decode(const uint8_t *table, size_t size, size_t nunits,
                       struct lz_arena *arena, struct lz_handler **out,
                       struct lz_error *err)
{
    struct exc_reader r = { table, size, 0, 0 };
    struct lz_handler *h;
    uint64_t prev_end = 0, end;
    uint32_t start, len, target, dl;
    size_t u;
    int rc;

    *out = NULL;
    if (table == NULL && size != 0)
        return lz_error_set(err, LZ_EUSAGE, "exception table: no table bytes");
    h = lz_arena_calloc(arena, nunits + 1, sizeof(*h));
    if (h == NULL)
        return lz_error_set(err, LZ_ENOMEM, "exception table: out of memory for %zu units",
                            nunits);
    for (u = 0; u < nunits; u++)
        h[u].h_target = -1;
    while (r.x_pos < size) {
        r.x_entry = r.x_pos;
        if ((rc = exc_varint(&r, true, &start, "start", err)) != LZ_OK
            || (rc = exc_varint(&r, false, &len, "size", err)) != LZ_OK
            || (rc = exc_varint(&r, false, &target, "target", err)) != LZ_OK
            || (rc = exc_varint(&r, false, &dl, "depth", err)) != LZ_OK)
            return rc;
        end = (uint64_t)start + len;
        if (len == 0)
            return lz_error_set(err, LZ_EINPUT,
                                "exception table: entry at offset %zu covers no code", r.x_entry);
        if (start < prev_end)
            return lz_error_set(err, LZ_EINPUT,
                                "exception table: entry at offset %zu starts at unit %" PRIu32
                                ", before the end (%" PRIu64 ") of the previous one "
                                "(unsorted or overlapping)", r.x_entry, start, prev_end);
        if (end > nunits)
            return lz_error_set(err, LZ_EINPUT,
                                "exception table: entry at offset %zu covers units %" PRIu32
                                "-%" PRIu64 " beyond the code (%zu units)",
                                r.x_entry, start, end - 1, nunits);
        if (target >= nunits)
            return lz_error_set(err, LZ_EINPUT,
                                "exception table: entry at offset %zu jumps to unit %" PRIu32
                                " beyond the code (%zu units)", r.x_entry, target, nunits);
        if ((dl >> 1) > EXC_DEPTH_MAX)
            return lz_error_set(err, LZ_EINPUT,
                                "exception table: entry at offset %zu has depth %" PRIu32
                                " above %d", r.x_entry, dl >> 1, EXC_DEPTH_MAX);
        for (u = start; u < end; u++) {
            h[u].h_target = (int32_t)target;
            h[u].h_depth = (uint16_t)(dl >> 1);
            h[u].h_lasti = (uint8_t)(dl & 1);
        }
        prev_end = end;
    }
    *out = h;
    return LZ_OK;
}

/* ---- encoding ----------------------------------------------------------- */

static void exc_put_varint(struct lz_buf *out, uint32_t v, uint8_t mark)
{
    int shift = 0;

    while (shift + EXC_VARINT_BITS < 32 && (v >> (shift + EXC_VARINT_BITS)) != 0)
        shift += EXC_VARINT_BITS;
    for (; shift > 0; shift -= EXC_VARINT_BITS) {
        lz_buf_byte(out, (uint8_t)(((v >> shift) & (EXC_VARINT_MORE - 1)) | EXC_VARINT_MORE | mark));
        mark = 0;
    }
    lz_buf_byte(out, (uint8_t)((v & (EXC_VARINT_MORE - 1)) | mark));
}

static bool exc_same(const struct lz_handler *a, const struct lz_handler *b)
{
    return a->h_target == b->h_target && a->h_depth == b->h_depth
        && (a->h_lasti != 0) == (b->h_lasti != 0);
}

int lz_exctable_encode(const struct lz_handler *units, size_t nunits,
                       struct lz_buf *out, struct lz_error *err)
{
    size_t u = 0, v;

    if (units == NULL && nunits != 0)
        return lz_error_set(err, LZ_EUSAGE, "exception table: no handlers to encode");
    if (nunits > UINT32_MAX)
        return lz_error_set(err, LZ_EINPUT, "exception table: code of %zu units is too long",
                            nunits);
    if (out->b_failed)
        return lz_error_set(err, LZ_ENOMEM, "exception table: output buffer already failed");
    while (u < nunits) {
        const struct lz_handler *h = &units[u];

        if (h->h_target < 0) {
            u++;
            continue;
        }
        if ((size_t)h->h_target >= nunits)
            return lz_error_set(err, LZ_EINPUT,
                                "exception table: unit %zu has its handler at unit %" PRId32
                                ", beyond the code (%zu units)", u, h->h_target, nunits);
        for (v = u + 1; v < nunits && exc_same(&units[v], h); v++)
            ;
        exc_put_varint(out, (uint32_t)u, EXC_ENTRY_START);
        exc_put_varint(out, (uint32_t)(v - u), 0);
        exc_put_varint(out, (uint32_t)h->h_target, 0);
        exc_put_varint(out, (uint32_t)h->h_depth << 1 | (h->h_lasti != 0), 0);
        u = v;
    }
    if (out->b_failed)
        return lz_error_set(err, LZ_ENOMEM, "exception table: out of memory while encoding");
    return LZ_OK;
}
