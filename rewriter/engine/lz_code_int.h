/* lz_code_int.h - internals shared by the code_*.c files of the engine.
 *
 * Not for passes: they use lz_code.h.  Here live the helpers that keep the
 * back-reference lists (in_jumpers, in_handles) consistent and the common
 * early-return macro of the engine's drivers.
 */
#ifndef LZ_CODE_INT_H
#define LZ_CODE_INT_H

#include "lz_code.h"

/* Chain fallible steps: the first failure returns its status. */
#define LZ_TRY(call)                 \
    do {                             \
        int lz_try_rc_ = (call);     \
        if (lz_try_rc_ < 0)          \
            return lz_try_rc_;       \
    } while (0)

/* Private in_flags bits (LZ_INSTR_REACHED is bit 0, public). */
enum {
    LZ_INSTR_QUEUED = 1u << 1,   /* stackdepth.c: on the worklist */
    LZ_INSTR_INSEQ = 1u << 6,    /* code_edit.c: still in a detached sequence */
    LZ_INSTR_DOOMED = 1u << 7,   /* code_edit.c: inside a range being replaced */
};

/* Link / unlink `j` in the jumper list of its target (j->in_target). */
void lz_ref_link_jump(struct lz_instr *j, struct lz_instr *target);
void lz_ref_unlink_jump(struct lz_instr *j);
/* Link / unlink `in` in the handled list of in->in_exc.x_target. */
void lz_ref_link_handler(struct lz_instr *in, struct lz_instr *target);
void lz_ref_unlink_handler(struct lz_instr *in);

/* Fresh zeroed instruction in the code's work arena; NULL on out of memory. */
struct lz_instr *lz_instr_alloc(struct lz_code *c);

/* code_share.c: new byte nodes, found again by the original node they
 * replace (see there).  lz_share_add returns LZ_OK or LZ_ENOMEM. */
struct lz_share *lz_share_new(void);
void lz_share_free(struct lz_share *sh);
struct lz_obj *lz_share_find(const struct lz_share *sh, const struct lz_obj *orig,
                             const uint8_t *data, size_t size);
int lz_share_add(struct lz_share *sh, const struct lz_obj *orig, struct lz_obj *made);

/* Number of EXTENDED_ARG prefixes an oparg needs. */
static inline unsigned lz_prefixes_for(uint32_t arg)
{
    return arg <= 0xff ? 0 : arg <= 0xffff ? 1 : arg <= 0xffffff ? 2 : 3;
}

/* co_flags bits that make a code object a generator-like frame. */
#define LZ_CO_GENERATOR 0x20
#define LZ_CO_COROUTINE 0x80
#define LZ_CO_ASYNC_GENERATOR 0x200
#define LZ_CO_GENLIKE (LZ_CO_GENERATOR | LZ_CO_COROUTINE | LZ_CO_ASYNC_GENERATOR)

#endif
