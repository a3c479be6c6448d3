/* lines_locations.c - 3.11+ location table, PEP 657 (bytecode-formats.md 5.3).
 *
 * A list of entries, each covering 1-8 code units.  First byte: bit 7 set
 * (entry start), bits 6-3 the code, bits 2-0 length - 1.  The running line
 * starts at co_firstlineno.
 *   0-9   short     1 byte b: col = code * 8 + (b >> 4 & 7), end_col = col + (b & 15)
 *   10-12 one line  2 bytes col, end_col; line += code - 10
 *   13    no column svarint dline
 *   14    long      svarint dline, varint end_line - line, varint col + 1,
 *                   varint end_col + 1 (0 = no column)
 *   15    none      no location; the running line is unchanged
 * varints: 6-bit groups, least significant first, 0x40 = more follow;
 * svarint: u >> 1, negated if u & 1.  No byte inside an entry has bit 7 set.
 *
 * Encoding uses the compiler's choice (byte-identical on every stdlib code
 * object): none -> 15; no columns on one line -> 13; one line, same line,
 * col < 80, 0 <= end_col - col < 16 -> short; one line, 0 <= dline < 3,
 * col and end_col < 128 -> one-line; else long.  The only departure: a
 * location with exactly one of its two columns missing is written in long
 * form (the compiler would write 13 and lose the other column; no decoded
 * compiler table holds such a location).  An unknown end line (LZ_NO_COL)
 * means "same as line".
 *
 * Runs: 3.11 writes one run per instruction (run_starts), 3.12+ merges
 * adjacent units with equal locations (v_merge_location_runs); runs longer
 * than 8 units are split into 8-unit entries repeating the location (the
 * repeats have dline 0).  The module's RESUME (line 0, end line 1, columns
 * 0/0) is just a long-form entry here.
 *
 * Refused on decoding: a byte that should start an entry but lacks bit 7, an
 * entry cut short by the end of the table or by an entry-start byte, varints
 * above 32 bits, lines or columns outside int32, entries past the code, a
 * table that does not cover exactly nunits units.  Non-minimal varints and
 * other non-compiler encodings decode fine and re-encode in compiler form.
 */
#include "lines_int.h"

#include <inttypes.h>

#define LOC_ENTRY_START 0x80      /* bit 7 of an entry's first byte */
#define LOC_MAX_LEN 8             /* code units per entry */
#define LOC_VARINT_MORE 0x40
#define LOC_VARINT_BITS 6
#define LOC_VARINT_MAX_SHIFT 30   /* 6 groups: enough for 32 bits */
#define LOC_CODE_ONE_LINE 10      /* codes 10-12: line += code - 10 */
#define LOC_CODE_NO_COLUMN 13
#define LOC_CODE_LONG 14
#define LOC_CODE_NONE 15
#define LOC_SHORT_COL_MAX 80      /* short form: col < 80 (codes 0-9 x 8) */
#define LOC_SHORT_WIDTH_MAX 16    /* short form: end_col - col < 16 */
#define LOC_ONE_LINE_COL_MAX 128  /* one-line form: col, end_col < 128 */
#define LOC_ONE_LINE_DELTA_MAX 3  /* one-line form: 0 <= dline < 3 */

/* ---- decoding ----------------------------------------------------------- */

struct loc_reader {
    const uint8_t *r_t;
    size_t r_size;
    size_t r_pos;
    size_t r_entry;      /* offset of the entry being read, for messages */
};

static int loc_byte(struct loc_reader *r, uint8_t *b, struct lz_error *err)
{
    if (r->r_pos >= r->r_size)
        return lz_error_set(err, LZ_EINPUT,
                            "location table: entry at offset %zu truncated at end of table (%zu bytes)",
                            r->r_entry, r->r_size);
    *b = r->r_t[r->r_pos];
    if (*b & LOC_ENTRY_START)
        return lz_error_set(err, LZ_EINPUT,
                            "location table: entry at offset %zu cut short by byte 0x%02x at offset %zu",
                            r->r_entry, *b, r->r_pos);
    r->r_pos++;
    return LZ_OK;
}

static int loc_varint(struct loc_reader *r, uint32_t *val, struct lz_error *err)
{
    uint64_t v = 0;
    unsigned shift = 0;
    uint8_t b = 0;
    int rc;

    for (;;) {
        if ((rc = loc_byte(r, &b, err)) != LZ_OK)
            return rc;
        v |= (uint64_t)(b & (LOC_VARINT_MORE - 1)) << shift;
        if (!(b & LOC_VARINT_MORE))
            break;
        shift += LOC_VARINT_BITS;
        if (shift > LOC_VARINT_MAX_SHIFT)
            return lz_error_set(err, LZ_EINPUT,
                                "location table: varint longer than 32 bits at offset %zu",
                                r->r_pos - 1);
    }
    if (v > UINT32_MAX)
        return lz_error_set(err, LZ_EINPUT,
                            "location table: varint longer than 32 bits at offset %zu",
                            r->r_pos - 1);
    *val = (uint32_t)v;
    return LZ_OK;
}

static int loc_svarint(struct loc_reader *r, int64_t *val, struct lz_error *err)
{
    uint32_t u;
    int rc = loc_varint(r, &u, err);

    if (rc == LZ_OK)
        *val = (u & 1) ? -(int64_t)(u >> 1) : (int64_t)(u >> 1);
    return rc;
}

static int loc_check_line(const struct loc_reader *r, int64_t line, struct lz_error *err)
{
    if (line <= INT32_MIN || line > INT32_MAX)
        return lz_error_set(err, LZ_EINPUT,
                            "location table: line %" PRId64 " out of range in entry at offset %zu",
                            line, r->r_entry);
    return LZ_OK;
}

/* A column stored plus one (0 = none). */
static int loc_col_plus1(const struct loc_reader *r, uint32_t v, int32_t *col,
                         struct lz_error *err)
{
    if (v > (uint32_t)INT32_MAX + 1u)
        return lz_error_set(err, LZ_EINPUT,
                            "location table: column %" PRIu32 " out of range in entry at offset %zu",
                            v, r->r_entry);
    *col = (int32_t)((int64_t)v - 1);
    return LZ_OK;
}

/* Read the entry at r->r_pos; *len receives its unit count. */
static int loc_entry(struct loc_reader *r, int64_t *line, struct lz_loc *loc, size_t *len,
                     struct lz_error *err)
{
    uint8_t head = r->r_t[r->r_pos], b, c;
    int code = (head >> 3) & 15;
    int64_t d;
    uint32_t u1, u2, u3;
    int rc;

    r->r_entry = r->r_pos;
    if (!(head & LOC_ENTRY_START))
        return lz_error_set(err, LZ_EINPUT,
                            "location table: byte 0x%02x at offset %zu does not start an entry",
                            head, r->r_pos);
    r->r_pos++;
    *len = (size_t)(head & 7) + 1;
    if (code < LOC_CODE_ONE_LINE) {
        if ((rc = loc_byte(r, &b, err)) != LZ_OK)
            return rc;
        loc->l_line = (int32_t)*line;
        loc->l_end_line = (int32_t)*line;
        loc->l_col = code * 8 + ((b >> 4) & 7);
        loc->l_end_col = loc->l_col + (b & 15);
        return LZ_OK;
    }
    if (code < LOC_CODE_NO_COLUMN) {
        if ((rc = loc_byte(r, &b, err)) != LZ_OK || (rc = loc_byte(r, &c, err)) != LZ_OK)
            return rc;
        *line += code - LOC_CODE_ONE_LINE;
        if ((rc = loc_check_line(r, *line, err)) != LZ_OK)
            return rc;
        loc->l_line = (int32_t)*line;
        loc->l_end_line = (int32_t)*line;
        loc->l_col = b;
        loc->l_end_col = c;
        return LZ_OK;
    }
    if (code == LOC_CODE_NO_COLUMN) {
        if ((rc = loc_svarint(r, &d, err)) != LZ_OK)
            return rc;
        *line += d;
        if ((rc = loc_check_line(r, *line, err)) != LZ_OK)
            return rc;
        loc->l_line = (int32_t)*line;
        loc->l_end_line = (int32_t)*line;
        loc->l_col = LZ_NO_COL;
        loc->l_end_col = LZ_NO_COL;
        return LZ_OK;
    }
    if (code == LOC_CODE_LONG) {
        if ((rc = loc_svarint(r, &d, err)) != LZ_OK || (rc = loc_varint(r, &u1, err)) != LZ_OK
            || (rc = loc_varint(r, &u2, err)) != LZ_OK || (rc = loc_varint(r, &u3, err)) != LZ_OK)
            return rc;
        *line += d;
        if ((rc = loc_check_line(r, *line, err)) != LZ_OK
            || (rc = loc_check_line(r, *line + u1, err)) != LZ_OK
            || (rc = loc_col_plus1(r, u2, &loc->l_col, err)) != LZ_OK
            || (rc = loc_col_plus1(r, u3, &loc->l_end_col, err)) != LZ_OK)
            return rc;
        loc->l_line = (int32_t)*line;
        loc->l_end_line = (int32_t)(*line + u1);
        return LZ_OK;
    }
    loc->l_line = LZ_NO_LINE;
    loc->l_end_line = LZ_NO_COL;
    loc->l_col = LZ_NO_COL;
    loc->l_end_col = LZ_NO_COL;
    return LZ_OK;
}

static int locations_decode(const uint8_t *t, size_t size, int32_t firstlineno,
                            struct lz_arena *arena, struct lz_linetab *out,
                            struct lz_error *err)
{
    struct loc_reader r = { t, size, 0, 0 };
    size_t u = 0, len, n = out->lt_nunits;
    int64_t line = firstlineno;
    struct lz_loc loc;
    int rc;

    (void)arena;
    while (r.r_pos < size) {
        if ((rc = loc_entry(&r, &line, &loc, &len, err)) != LZ_OK)
            return rc;
        if (len > n - u)
            return lz_error_set(err, LZ_EINPUT,
                                "location table: entry at offset %zu covers units %zu-%zu "
                                "beyond the code (%zu units)", r.r_entry, u, u + len - 1, n);
        for (; len > 0; len--)
            out->lt_locs[u++] = loc;
    }
    if (u != n)
        return lz_error_set(err, LZ_EINPUT, "location table: covers %zu of %zu code units",
                            u, n);
    return LZ_OK;
}

/* ---- encoding ----------------------------------------------------------- */

static void loc_put_varint(struct lz_buf *out, uint64_t v)
{
    while (v >= LOC_VARINT_MORE) {
        lz_buf_byte(out, (uint8_t)((v & (LOC_VARINT_MORE - 1)) | LOC_VARINT_MORE));
        v >>= LOC_VARINT_BITS;
    }
    lz_buf_byte(out, (uint8_t)v);
}

static void loc_put_svarint(struct lz_buf *out, int64_t v)
{
    loc_put_varint(out, v < 0 ? ((uint64_t)-v << 1) | 1 : (uint64_t)v << 1);
}

static void loc_put_head(struct lz_buf *out, int code, size_t len)
{
    lz_buf_byte(out, (uint8_t)(LOC_ENTRY_START | code << 3 | (int)(len - 1)));
}

/* The location the encoder writes for `in`: an unknown end line is the
 * line itself, and a unit without a line carries nothing else. */
static struct lz_loc loc_normal(const struct lz_loc *in)
{
    struct lz_loc l = *in;

    if (l.l_line == LZ_NO_LINE) {
        l.l_end_line = l.l_col = l.l_end_col = LZ_NO_COL;
    } else if (l.l_end_line == LZ_NO_COL) {
        l.l_end_line = l.l_line;
    }
    return l;
}

/* One entry of `len` (1-8) units; *prev is the running line. */
static void loc_put_entry(struct lz_buf *out, const struct lz_loc *l, size_t len, int64_t *prev)
{
    int64_t d;

    if (l->l_line == LZ_NO_LINE) {
        loc_put_head(out, LOC_CODE_NONE, len);
        return;
    }
    d = (int64_t)l->l_line - *prev;
    *prev = l->l_line;
    if (l->l_end_line == l->l_line && l->l_col == LZ_NO_COL && l->l_end_col == LZ_NO_COL) {
        loc_put_head(out, LOC_CODE_NO_COLUMN, len);
        loc_put_svarint(out, d);
        return;
    }
    if (l->l_end_line == l->l_line && l->l_col >= 0 && l->l_end_col >= 0) {
        if (d == 0 && l->l_col < LOC_SHORT_COL_MAX && l->l_end_col >= l->l_col
            && l->l_end_col - l->l_col < LOC_SHORT_WIDTH_MAX) {
            loc_put_head(out, l->l_col / 8, len);
            lz_buf_byte(out, (uint8_t)((l->l_col % 8) << 4 | (l->l_end_col - l->l_col)));
            return;
        }
        if (d >= 0 && d < LOC_ONE_LINE_DELTA_MAX && l->l_col < LOC_ONE_LINE_COL_MAX
            && l->l_end_col < LOC_ONE_LINE_COL_MAX) {
            loc_put_head(out, LOC_CODE_ONE_LINE + (int)d, len);
            lz_buf_byte(out, (uint8_t)l->l_col);
            lz_buf_byte(out, (uint8_t)l->l_end_col);
            return;
        }
    }
    loc_put_head(out, LOC_CODE_LONG, len);
    loc_put_svarint(out, d);
    loc_put_varint(out, (uint64_t)((int64_t)l->l_end_line - l->l_line));
    loc_put_varint(out, (uint64_t)((int64_t)l->l_col + 1));
    loc_put_varint(out, (uint64_t)((int64_t)l->l_end_col + 1));
}

static int loc_check(const struct lz_loc *l, size_t u, struct lz_error *err)
{
    if (l->l_line == LZ_NO_LINE)
        return LZ_OK;
    if (l->l_end_line < l->l_line)
        return lz_error_set(err, LZ_EINPUT,
                            "location table: unit %zu ends on line %" PRId32
                            " before its line %" PRId32, u, l->l_end_line, l->l_line);
    if (l->l_col < LZ_NO_COL || l->l_end_col < LZ_NO_COL)
        return lz_error_set(err, LZ_EINPUT,
                            "location table: unit %zu has negative columns %" PRId32 "/%" PRId32,
                            u, l->l_col, l->l_end_col);
    return LZ_OK;
}

static int locations_encode(const struct lz_lines_enc *e, struct lz_buf *out,
                            struct lz_error *err)
{
    bool merge = e->le_version->v_merge_location_runs;
    size_t u = 0, v, n = e->le_nunits;
    int64_t prev = e->le_firstlineno;
    int rc;

    if (!merge && e->le_run_starts == NULL && n != 0)
        return lz_error_set(err, LZ_EUSAGE, "location table: 3.11 needs instruction starts");
    while (u < n) {
        struct lz_loc run = loc_normal(&e->le_locs[u]), next;
        size_t len;

        if ((rc = loc_check(&run, u, err)) != LZ_OK)
            return rc;
        for (v = u + 1; v < n; v++) {
            if (!merge && e->le_run_starts[v])
                break;
            next = loc_normal(&e->le_locs[v]);
            if (!lz_loc_equal(&run, &next))
                break;
        }
        for (len = v - u; len > LOC_MAX_LEN; len -= LOC_MAX_LEN)
            loc_put_entry(out, &run, LOC_MAX_LEN, &prev);
        loc_put_entry(out, &run, len, &prev);
        u = v;
    }
    return LZ_OK;
}

const struct lz_lines_ops lz_lines_locations_ops = {
    .lo_name = "location table",
    .lo_decode = locations_decode,
    .lo_encode = locations_encode,
};
