/* lines_lnotab.c - 3.8 / 3.9 co_lnotab (bytecode-formats.md section 5.1).
 *
 * The table is a list of (byte_inc, line_inc) pairs: byte_inc unsigned,
 * line_inc signed; the line of byte address A is co_firstlineno plus the
 * line_incs of every pair whose cumulative address is <= A.
 *
 * Decoding yields one line per code unit and the raw pairs as "events":
 * (255, 0) address carries are folded into the pair that follows them (every
 * (255, 0) pair except the table's last one is a carry), every other pair is
 * one event anchored at the code unit where it takes effect.  Line splits
 * ((0, 127) ... continuation pairs) and pure address pairs ((n, 0)) stay
 * separate events, so re-emitting the events reproduces the table.
 *
 * Encoding walks the units in order with a running line `cur` (starting at
 * co_firstlineno).  At each unit u, the events anchored at u form a group
 * whose line increments sum to S; T is the unit's wanted line:
 *   - group present and cur + S == T: the group is re-emitted verbatim (the
 *     identity case: this is what makes an unmodified table byte-identical);
 *   - otherwise, if T != cur: the group (if any) is dropped and one pair set
 *     for T - cur is synthesised at u with the compiler's rules;
 *   - otherwise (T == cur, the group would move the line away): the group is
 *     dropped.
 * Why this keeps later lines right: every decision leaves cur == T, so each
 * group is judged against the real running line, never against deltas that
 * an earlier synthesised pair has already applied.  Example: the engine
 * inserts unit X before B, copying B's line L, and leaves B's event (+d) at
 * B.  X differs from cur, so (X, +d) is synthesised; at B the group would give
 * L + d != L, and since T == cur it is dropped: the line now starts at X,
 * which is what tracing should report.  If the engine instead moves the event
 * to X, it is re-emitted verbatim at X and B needs nothing.  Dropping a pair
 * whose increment is non-zero never loses information a unit needs: the lines
 * of all units are checked one by one.  Events anchored at nunits (the end of
 * the code, possible after the 3.8 peephole pass removed trailing code) are
 * re-emitted verbatim after the last unit; they affect no unit.
 *
 * Address deltas and line splits follow the 3.8 / 3.9 compiler
 * (assemble_lnotab): a delta D > 255 bytes becomes D / 255 pairs (255, 0)
 * and a remainder (D % 255, ...); a line delta above 127 or below -128 becomes
 * (D, k) (0, k) ... with k = 127 or -128, n = d / 127 or -d / 128 such pairs in
 * all, then (0, d - n * k) even when that rest is 0.
 *
 * Tables the compiler cannot produce but that are still well-formed (e.g.
 * (255, 0) (255, 3), where the compiler writes (255, 0) (255, 0) (0, 3))
 * decode to the same lines and re-encode to the compiler's form; the bytes
 * differ.
 * Refused: odd length, a pair ending at an odd address (no instruction
 * starts there), addresses beyond the code, lines outside int32.
 */
#include "lines_int.h"

#include <inttypes.h>

#define LNOTAB_ADDR_MAX 255   /* largest byte_inc of one pair */
#define LNOTAB_LINE_MAX 127   /* line_inc range of one pair */
#define LNOTAB_LINE_MIN (-128)

/* ---- decoding ----------------------------------------------------------- */

static int lnotab_decode(const uint8_t *t, size_t size, int32_t firstlineno,
                         struct lz_arena *arena, struct lz_linetab *out,
                         struct lz_error *err)
{
    size_t npairs = size / 2, i, u = 0, codelen = out->lt_nunits * 2;
    uint64_t addr = 0, carry = 0;
    int64_t line = firstlineno;
    struct lz_lnotab_event *ev;

    if (size % 2 != 0)
        return lz_error_set(err, LZ_EINPUT, "lnotab: odd length %zu", size);
    ev = lz_arena_calloc(arena, npairs + 1, sizeof(*ev));
    if (ev == NULL)
        return lz_error_set(err, LZ_ENOMEM, "lnotab: out of memory for %zu pairs", npairs);
    out->lt_events = ev;
    out->lt_nevents = 0;
    for (i = 0; i < npairs; i++) {
        uint8_t b = t[2 * i];
        int8_t inc = (int8_t)t[2 * i + 1];

        if (b == LNOTAB_ADDR_MAX && inc == 0 && i + 1 < npairs) {
            carry += LNOTAB_ADDR_MAX;
            continue;
        }
        addr += carry + b;
        carry = 0;
        if (addr > codelen)
            return lz_error_set(err, LZ_EINPUT,
                                "lnotab: pair at offset %zu reaches byte %" PRIu64
                                " beyond the code (%zu bytes)", 2 * i, addr, codelen);
        if (addr % 2 != 0)
            return lz_error_set(err, LZ_EINPUT,
                                "lnotab: pair at offset %zu ends at odd byte address %" PRIu64,
                                2 * i, addr);
        for (; u < addr / 2; u++)
            out->lt_locs[u].l_line = (int32_t)line;
        line += inc;
        if (line <= INT32_MIN || line > INT32_MAX)
            return lz_error_set(err, LZ_EINPUT,
                                "lnotab: line %" PRId64 " out of range at offset %zu",
                                line, 2 * i);
        ev[out->lt_nevents].ev_unit = (uint32_t)(addr / 2);
        ev[out->lt_nevents].ev_line_inc = inc;
        out->lt_nevents++;
    }
    for (; u < out->lt_nunits; u++)
        out->lt_locs[u].l_line = (int32_t)line;
    for (u = 0; u < out->lt_nunits; u++) {
        out->lt_locs[u].l_end_line = LZ_NO_COL;
        out->lt_locs[u].l_col = LZ_NO_COL;
        out->lt_locs[u].l_end_col = LZ_NO_COL;
    }
    return LZ_OK;
}

/* ---- encoding ----------------------------------------------------------- */

static void lnotab_pair(struct lz_buf *out, uint64_t addr_inc, int line_inc)
{
    lz_buf_byte(out, (uint8_t)addr_inc);
    lz_buf_byte(out, (uint8_t)(int8_t)line_inc);
}

/* The compiler's address carry: returns the delta left for the next pair. */
static uint64_t lnotab_carry(struct lz_buf *out, uint64_t delta)
{
    if (delta > LNOTAB_ADDR_MAX) {
        uint64_t n = delta / LNOTAB_ADDR_MAX, j;

        for (j = 0; j < n; j++)
            lnotab_pair(out, LNOTAB_ADDR_MAX, 0);
        delta -= n * LNOTAB_ADDR_MAX;
    }
    return delta;
}

/* One decoded event again: its address delta, carries first. */
static void lnotab_verbatim(struct lz_buf *out, uint64_t delta, int line_inc)
{
    delta = lnotab_carry(out, delta);
    lnotab_pair(out, delta, line_inc);
}

/* A new pair set for a line change of `dline` after `delta` bytes
 * (the compiler's assemble_lnotab, see the file comment). */
static void lnotab_synthesise(struct lz_buf *out, uint64_t delta, int64_t dline)
{
    delta = lnotab_carry(out, delta);
    if (dline > LNOTAB_LINE_MAX || dline < LNOTAB_LINE_MIN) {
        int k = dline > 0 ? LNOTAB_LINE_MAX : LNOTAB_LINE_MIN;
        int64_t n = dline > 0 ? dline / LNOTAB_LINE_MAX : -dline / -LNOTAB_LINE_MIN, j;

        dline -= n * k;
        lnotab_pair(out, delta, k);
        for (j = 1; j < n; j++)
            lnotab_pair(out, 0, k);
        delta = 0;
    }
    lnotab_pair(out, delta, (int)dline);
}

static int lnotab_encode(const struct lz_lines_enc *e, struct lz_buf *out,
                         struct lz_error *err)
{
    const struct lz_lnotab_event *ev = e->le_events;
    size_t ne = e->le_nevents, k = 0, j, u;
    uint64_t last = 0;    /* code unit of the last pair emitted */
    int64_t cur = e->le_firstlineno;

    for (u = 0; u < e->le_nunits; u++) {
        int64_t want = e->le_locs[u].l_line, sum = 0;

        if (want == LZ_NO_LINE)
            return lz_error_set(err, LZ_EINPUT,
                                "lnotab: code unit %zu has no line (3.8/3.9 cannot express that)",
                                u);
        if (k < ne && ev[k].ev_unit < u)
            return lz_error_set(err, LZ_EUSAGE, "lnotab: event %zu at unit %" PRIu32
                                " is out of order (at unit %zu)", k, ev[k].ev_unit, u);
        for (j = k; j < ne && ev[j].ev_unit == u; j++)
            sum += ev[j].ev_line_inc;
        if (j > k && cur + sum == want) {
            for (; k < j; k++) {
                lnotab_verbatim(out, 2 * (u - last), ev[k].ev_line_inc);
                last = u;
            }
        } else if (want != cur) {
            lnotab_synthesise(out, 2 * (u - last), want - cur);
            last = u;
        }
        cur = want;
        k = j;
    }
    for (; k < ne; k++) {
        if (ev[k].ev_unit != e->le_nunits)
            return lz_error_set(err, LZ_EUSAGE, "lnotab: event %zu at unit %" PRIu32
                                " is out of order or beyond the code (%zu units)",
                                k, ev[k].ev_unit, e->le_nunits);
        lnotab_verbatim(out, 2 * (e->le_nunits - last), ev[k].ev_line_inc);
        last = e->le_nunits;
    }
    return LZ_OK;
}

const struct lz_lines_ops lz_lines_lnotab_ops = {
    .lo_name = "lnotab",
    .lo_decode = lnotab_decode,
    .lo_encode = lnotab_encode,
};
