/* lz_passes.h - the passes lazyc ships (run by engine/lz_pipeline.h). */
#ifndef LZ_PASSES_H
#define LZ_PASSES_H

#include "lz_pipeline.h"

/* Debug pass (pass_nops.c): a NOP before every instruction where the
 * version allows one; jumps and handlers land on the NOP.  The result must
 * behave exactly like the original. */
int lz_pass_insert_debug_nops(struct lz_code *code, void *ctx, struct lz_error *err);
extern const struct lz_pipeline_pass lz_pass_debug_nops;

#endif
