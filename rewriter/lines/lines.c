/* lines.c - line-table entry points: argument checks and format dispatch.
 *
 * The three formats (shared/reference/bytecode-formats.md section 5) are
 * modules behind `struct lz_lines_ops` (lines_int.h); the version table's
 * v_lines picks one.  This file owns what all of them share: the size limit,
 * the per-unit array, and the sticky-buffer check after encoding.
 */
#include "lines_int.h"

#include <string.h>

static const struct lz_lines_ops *lines_ops_for(const struct lz_version *v)
{
    switch (v->v_lines) {
    case LZ_LINES_LNOTAB: return &lz_lines_lnotab_ops;
    case LZ_LINES_LINETABLE: return &lz_lines_linetable_ops;
    case LZ_LINES_LOCATIONS: return &lz_lines_locations_ops;
    default: return NULL;
    }
}

int lz_lines_decode(const struct lz_version *v, const uint8_t *table, size_t size,
                    int32_t firstlineno, size_t nunits, struct lz_arena *arena,
                    struct lz_linetab *out, struct lz_error *err)
{
    const struct lz_lines_ops *ops;

    memset(out, 0, sizeof(*out));
    if (v == NULL || (ops = lines_ops_for(v)) == NULL)
        return lz_error_set(err, LZ_EUSAGE, "lines: version has no line-table format");
    if (table == NULL && size != 0)
        return lz_error_set(err, LZ_EUSAGE, "%s: no table bytes", ops->lo_name);
    if (nunits > LZ_LINES_MAX_UNITS)
        return lz_error_set(err, LZ_EINPUT, "%s: code of %zu units exceeds the limit of %zu",
                            ops->lo_name, nunits, LZ_LINES_MAX_UNITS);
    /* One spare entry so an empty code object still gets a valid pointer. */
    out->lt_locs = lz_arena_calloc(arena, nunits + 1, sizeof(struct lz_loc));
    if (out->lt_locs == NULL)
        return lz_error_set(err, LZ_ENOMEM, "%s: out of memory for %zu locations",
                            ops->lo_name, nunits);
    out->lt_nunits = nunits;
    return ops->lo_decode(table, size, firstlineno, arena, out, err);
}

int lz_lines_encode(const struct lz_version *v, const struct lz_loc *locs,
                    const uint8_t *run_starts, size_t nunits, int32_t firstlineno,
                    const struct lz_lnotab_event *events, size_t nevents,
                    struct lz_buf *out, struct lz_error *err)
{
    const struct lz_lines_ops *ops;
    struct lz_lines_enc enc;
    int rc;

    if (v == NULL || (ops = lines_ops_for(v)) == NULL)
        return lz_error_set(err, LZ_EUSAGE, "lines: version has no line-table format");
    if (locs == NULL && nunits != 0)
        return lz_error_set(err, LZ_EUSAGE, "%s: no locations to encode", ops->lo_name);
    if (events == NULL && nevents != 0)
        return lz_error_set(err, LZ_EUSAGE, "%s: %zu events but no array", ops->lo_name,
                            nevents);
    if (nunits > LZ_LINES_MAX_UNITS)
        return lz_error_set(err, LZ_EINPUT, "%s: code of %zu units exceeds the limit of %zu",
                            ops->lo_name, nunits, LZ_LINES_MAX_UNITS);
    if (out->b_failed)
        return lz_error_set(err, LZ_ENOMEM, "%s: output buffer already failed", ops->lo_name);
    enc.le_version = v;
    enc.le_locs = locs;
    enc.le_run_starts = run_starts;
    enc.le_nunits = nunits;
    enc.le_firstlineno = firstlineno;
    enc.le_events = events;
    enc.le_nevents = events != NULL ? nevents : 0;
    rc = ops->lo_encode(&enc, out, err);
    if (rc == LZ_OK && out->b_failed)
        return lz_error_set(err, LZ_ENOMEM, "%s: out of memory while encoding %zu units",
                            ops->lo_name, nunits);
    return rc;
}
