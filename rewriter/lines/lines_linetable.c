/* lines_linetable.c - 3.10 co_linetable, PEP 626 (bytecode-formats.md 5.2).
 *
 * The table is a list of (sdelta, ldelta) byte pairs: sdelta (0-254 from the
 * compiler) is the number of code *bytes* the range covers, ldelta the signed
 * change of the running line (which starts at co_firstlineno), or -128 for a
 * range without a line (the running line is then left alone).  Pairs with
 * sdelta 0 only move the line.  The ranges must cover co_code exactly.
 *
 * Encoding (the compiler's rule, byte-identical on the stdlib): merge units
 * with equal lines into ranges; for each range ldelta = line - previous line
 * (previous = the last range that had a line); emit (0, 127) / (0, -127)
 * while ldelta is out of range; then (254, ldelta) pieces while more than 254
 * bytes are left, ldelta becoming 0 (-128 for no line) after the first; then
 * (rest, ldelta).
 *
 * Refused: odd length, a range of an odd number of bytes (it would end inside
 * an instruction), ranges beyond the code or not reaching its end, lines
 * outside int32.  Well-formed tables the compiler would not write (unmerged
 * ranges of one line, (0, -128) pairs) decode to the same lines and encode to
 * the compiler's form.
 */
#include "lines_int.h"

#include <inttypes.h>

#define LINETABLE_NO_LINE (-128)   /* ldelta of a range without a line */
#define LINETABLE_RANGE_MAX 254    /* largest sdelta the compiler writes */
#define LINETABLE_LINE_MAX 127     /* |ldelta| of one pair (-128 is taken) */

static int linetable_decode(const uint8_t *t, size_t size, int32_t firstlineno,
                            struct lz_arena *arena, struct lz_linetab *out,
                            struct lz_error *err)
{
    size_t i, u, codelen = out->lt_nunits * 2;
    uint64_t addr = 0;
    int64_t line = firstlineno;

    (void)arena;
    if (size % 2 != 0)
        return lz_error_set(err, LZ_EINPUT, "linetable: odd length %zu", size);
    for (i = 0; i < size; i += 2) {
        uint8_t sd = t[i];
        int8_t ld = (int8_t)t[i + 1];
        int32_t range_line = LZ_NO_LINE;

        if (sd % 2 != 0)
            return lz_error_set(err, LZ_EINPUT,
                                "linetable: range of odd length %u at offset %zu", sd, i);
        if (ld != LINETABLE_NO_LINE) {
            line += ld;
            if (line <= INT32_MIN || line > INT32_MAX)
                return lz_error_set(err, LZ_EINPUT,
                                    "linetable: line %" PRId64 " out of range at offset %zu",
                                    line, i);
            range_line = (int32_t)line;
        }
        if (addr + sd > codelen)
            return lz_error_set(err, LZ_EINPUT,
                                "linetable: range at offset %zu ends at byte %" PRIu64
                                " beyond the code (%zu bytes)", i, addr + sd, codelen);
        for (u = addr / 2; u < (addr + sd) / 2; u++) {
            out->lt_locs[u].l_line = range_line;
            out->lt_locs[u].l_end_line = LZ_NO_COL;
            out->lt_locs[u].l_col = LZ_NO_COL;
            out->lt_locs[u].l_end_col = LZ_NO_COL;
        }
        addr += sd;
    }
    if (addr != codelen)
        return lz_error_set(err, LZ_EINPUT, "linetable: covers %" PRIu64 " of %zu code bytes",
                            addr, codelen);
    return LZ_OK;
}

static void linetable_pair(struct lz_buf *out, uint64_t sdelta, int ldelta)
{
    lz_buf_byte(out, (uint8_t)sdelta);
    lz_buf_byte(out, (uint8_t)(int8_t)ldelta);
}

static int linetable_encode(const struct lz_lines_enc *e, struct lz_buf *out,
                            struct lz_error *err)
{
    size_t u = 0, v, n = e->le_nunits;
    int64_t prev = e->le_firstlineno;

    (void)err;
    while (u < n) {
        int32_t line = e->le_locs[u].l_line;
        uint64_t bytes;
        int64_t ld;

        for (v = u + 1; v < n && e->le_locs[v].l_line == line; v++)
            ;
        bytes = 2 * (uint64_t)(v - u);
        if (line == LZ_NO_LINE) {
            ld = LINETABLE_NO_LINE;
        } else {
            ld = (int64_t)line - prev;
            prev = line;
            for (; ld > LINETABLE_LINE_MAX; ld -= LINETABLE_LINE_MAX)
                linetable_pair(out, 0, LINETABLE_LINE_MAX);
            for (; ld < -LINETABLE_LINE_MAX; ld += LINETABLE_LINE_MAX)
                linetable_pair(out, 0, -LINETABLE_LINE_MAX);
        }
        for (; bytes > LINETABLE_RANGE_MAX; bytes -= LINETABLE_RANGE_MAX) {
            linetable_pair(out, LINETABLE_RANGE_MAX, (int)ld);
            ld = line == LZ_NO_LINE ? LINETABLE_NO_LINE : 0;
        }
        linetable_pair(out, bytes, (int)ld);
        u = v;
    }
    return LZ_OK;
}

const struct lz_lines_ops lz_lines_linetable_ops = {
    .lo_name = "linetable",
    .lo_decode = linetable_decode,
    .lo_encode = linetable_encode,
};
