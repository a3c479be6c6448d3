/* lines_int.h - internals shared by the line-table codecs (lines*.c).
 *
 * lines.c validates the arguments of the public entry points, allocates the
 * per-unit array and dispatches to one `struct lz_lines_ops` per format,
 * selected by `v->v_lines`.  Each format module (lines_lnotab.c,
 * lines_linetable.c, lines_locations.c) exports exactly one ops table.
 * Nothing here is part of the public API (lz_lines.h); tests may include it.
 */
#ifndef LZ_LINES_INT_H
#define LZ_LINES_INT_H

#include "lz_lines.h"

/* Largest code object the codecs accept, in code units: byte addresses
 * (2 * units) and unit counts must fit the 32-bit fields of the tables
 * (lnotab/linetable addresses, lz_lnotab_event.ev_unit) with room for the
 * sums the encoders form.  CPython itself limits co_code to INT_MAX bytes. */
#define LZ_LINES_MAX_UNITS ((size_t)1 << 30)

/* Everything an encoder needs; filled by lz_lines_encode. */
struct lz_lines_enc {
    const struct lz_version *le_version;
    const struct lz_loc *le_locs;                /* le_nunits entries */
    const uint8_t *le_run_starts;                /* le_nunits entries or NULL */
    size_t le_nunits;
    int32_t le_firstlineno;
    const struct lz_lnotab_event *le_events;     /* lnotab only; NULL = synthesise */
    size_t le_nevents;
};

struct lz_lines_ops {
    const char *lo_name;    /* "lnotab", "linetable", "location table" */
    /* Fill out->lt_locs (already allocated, lt_nunits entries, zeroed) and,
     * for lnotab, out->lt_events (allocated in `arena`). */
    int (*lo_decode)(const uint8_t *table, size_t size, int32_t firstlineno,
                     struct lz_arena *arena, struct lz_linetab *out,
                     struct lz_error *err);
    /* Append the encoded table to `out`; the caller checks out->b_failed. */
    int (*lo_encode)(const struct lz_lines_enc *enc, struct lz_buf *out,
                     struct lz_error *err);
};

extern const struct lz_lines_ops lz_lines_lnotab_ops;
extern const struct lz_lines_ops lz_lines_linetable_ops;
extern const struct lz_lines_ops lz_lines_locations_ops;

/* Two locations describe the same source range (all "no location" units are
 * equal whatever their other fields hold). */
static inline int lz_loc_equal(const struct lz_loc *a, const struct lz_loc *b)
{
    if (a->l_line == LZ_NO_LINE || b->l_line == LZ_NO_LINE)
        return a->l_line == b->l_line;
    return a->l_line == b->l_line && a->l_end_line == b->l_end_line
        && a->l_col == b->l_col && a->l_end_col == b->l_end_col;
}

#endif
