/* lz_lines.h - line-number / location tables of every version, as per-code-unit data.
 *
 * The engine decodes a table into one location per code unit (one unit = 2
 * bytes) and, after editing, encodes a new per-unit array back with the
 * version's own rules.  Formats (shared/reference/bytecode-formats.md section 5):
 *   3.8-3.9  co_lnotab      (byte_inc, line_inc) pairs           lines_lnotab.c
 *   3.10     co_linetable   (byte range, line delta) pairs        lines_linetable.c
 *   3.11+    location table (PEP 657, columns and end lines)      lines_locations.c
 * Decoding an unmodified table and encoding it again gives the same bytes.
 *
 * lnotab keeps redundant pairs ((2,0) (2,0) (2,-1) where (6,-1) would do), so
 * per-unit lines are not enough to reproduce it: its decoder also returns the
 * raw pairs as "events" anchored to the code unit where they take effect, and
 * the encoder re-emits an event at the new position of its unit; a unit whose
 * line differs from the running line without an event gets a synthesised one.
 */
#ifndef LZ_LINES_H
#define LZ_LINES_H

#include <stddef.h>
#include <stdint.h>

#include "lz_alloc.h"
#include "lz_error.h"
#include "lz_opcodes.h"

#define LZ_NO_LINE INT32_MIN   /* l_line of a unit without a line (3.10+ "no location") */
#define LZ_NO_COL (-1)         /* column or end line not recorded */

struct lz_loc {
    int32_t l_line;       /* LZ_NO_LINE = no location */
    int32_t l_end_line;   /* LZ_NO_COL if unknown; 3.11+ only */
    int32_t l_col;        /* 0-based UTF-8 byte column, LZ_NO_COL if none; 3.11+ only */
    int32_t l_end_col;
};

/* lnotab only: one raw (addr, line_inc) pair after folding (255, 0) address
 * carries into the pair that follows them. */
struct lz_lnotab_event {
    uint32_t ev_unit;     /* code unit at which the pair takes effect */
    int8_t ev_line_inc;
};

struct lz_linetab {
    size_t lt_nunits;                 /* len(co_code) / 2 */
    struct lz_loc *lt_locs;           /* lt_nunits entries (arena) */
    struct lz_lnotab_event *lt_events;    /* lnotab only, in order (arena) */
    size_t lt_nevents;
};

/* Decode `table` (co_linetable / co_lnotab bytes) for a code object of
 * `nunits` code units.  Everything is allocated in `arena`.  Returns
 * LZ_EINPUT for a table that is malformed or does not cover the code. */
int lz_lines_decode(const struct lz_version *v, const uint8_t *table, size_t size,
                    int32_t firstlineno, size_t nunits, struct lz_arena *arena,
                    struct lz_linetab *out, struct lz_error *err);

/* Encode a new table.  `locs` has `nunits` entries.  `run_starts` marks the
 * first unit of every instruction (prefixes included), nunits entries,
 * because 3.11 emits one run per instruction.  lnotab: `events` are
 * re-emitted at their (already remapped) ev_unit, in order; pass NULL/0 to
 * synthesise all pairs from `locs`.  Appends to `out` (sticky error). */
int lz_lines_encode(const struct lz_version *v, const struct lz_loc *locs,
                    const uint8_t *run_starts, size_t nunits, int32_t firstlineno,
                    const struct lz_lnotab_event *events, size_t nevents,
                    struct lz_buf *out, struct lz_error *err);

/* 3.11+ exception table (bytecode-formats.md section 6.2). */
struct lz_handler {
    int32_t h_target;     /* code unit of the handler, -1 = not covered */
    uint16_t h_depth;
    uint8_t h_lasti;
};

/* Decode co_exceptiontable into one handler per code unit (nunits entries,
 * arena).  Refuses overlapping, unsorted or out-of-range entries. */
int lz_exctable_decode(const uint8_t *table, size_t size, size_t nunits,
                       struct lz_arena *arena, struct lz_handler **out,
                       struct lz_error *err);
/* Encode maximal runs of units with the same handler; uncovered units
 * (h_target < 0) get no entry. */
int lz_exctable_encode(const struct lz_handler *units, size_t nunits,
                       struct lz_buf *out, struct lz_error *err);

#endif
