/* lz_pipeline.h - run passes over every code object of a pyc.
 *
 * A pass edits one decoded code object (struct lz_code, lz_code.h).  The
 * pipeline visits the top-level code object and, recursively through
 * co_consts, every nested one (functions, classes, lambdas, comprehensions),
 * children before their parent, and rebuilds a parent's co_consts tuple
 * (copy-on-write) only when a child changed.  Per code object:
 *
 *     decode -> [check] -> pass 1 -> [check] -> ... -> assemble
 *
 * where [check] is lz_code_check(), run in debug and test builds only.
 *
 * Usage:
 *   1. lz_pyc_parse(data, size, &pyc, &err);
 *   2. lz_pipeline_run(pyc, passes, npasses, &stats, &err);
 *      on success pyc->pc_code is the new root (the old one if nothing changed);
 *   3. lz_pyc_serialize(pyc, &buf, &err);  lz_pyc_free(pyc).
 * With npasses == 0 the run decodes and re-assembles everything: a
 * round trip that must leave every node as it was.
 */
#ifndef LZ_PIPELINE_H
#define LZ_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>

#include "lz_error.h"
#include "lz_pyc.h"
#include "lz_code.h"

/* Code objects nest as code -> co_consts tuple -> code: two marshal levels
 * each, so the reader's depth limit already bounds this; checked anyway. */
#define LZ_PIPELINE_DEPTH_MAX (LZ_MARSHAL_DEPTH_MAX / 2)

/* A pass: edit `code` in place through the lz_code.h calls; return LZ_OK or
 * a negative status with `err` filled.  `ctx` is the pass's own state. */
typedef int (*lz_pass_fn)(struct lz_code *code, void *ctx, struct lz_error *err);

/* Should the pass see this code object?  `depth` 0 is the pyc's top-level
 * code object.  A code object no pass wants is not decoded at all (its
 * nested code objects are still visited). */
typedef bool (*lz_pass_wants_fn)(const struct lz_codeobj *co, unsigned depth, void *ctx);

struct lz_pipeline_pass {
    const char *p_name;    /* for messages: "insert_debug_nops" */
    lz_pass_fn p_run;
    lz_pass_wants_fn p_wants;   /* NULL: every code object */
    void *p_ctx;
};

struct lz_pipeline_stats {
    size_t ps_codes;          /* code objects decoded */
    size_t ps_changed;        /* code objects that came out different */
    size_t ps_instr_before;   /* instructions, EXTENDED_ARG and caches not counted */
    size_t ps_instr_after;
    size_t ps_units_before;   /* code units (2 bytes each), everything counted */
    size_t ps_units_after;
};

/* Run `passes` in order over every code object of `pyc` and replace
 * pyc->pc_code.  Stats are added to *stats (may be NULL).  On failure
 * pyc->pc_code is unchanged; the message names the code object (and the
 * pass, if one failed). */
int lz_pipeline_run(struct lz_pyc *pyc, const struct lz_pipeline_pass *passes, size_t npasses,
                    struct lz_pipeline_stats *stats, struct lz_error *err);

#endif
