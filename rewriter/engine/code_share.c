/* code_share.c - keep byte nodes shared the way the compiler shared them.
 *
 * CPython 3.10+ merges equal co_code / co_linetable / co_exceptiontable
 * bytes of different code objects into one object (bpo-42217), and marshal
 * then writes it once and refers to it.  When the assembler rebuilds such a
 * table, every code object would get its own copy; this map remembers, per
 * original node, the new nodes made from it, so a code object whose new
 * bytes equal those made earlier from the same original node shares that
 * node again.  Sharing is never created where the input had none.
 *
 * Open addressing keyed by the original node's address; one original may
 * have several entries (code objects that shared a table and were edited
 * differently).  Lives for one pipeline run (one pyc).
 */
#include <string.h>

#include "lz_code_int.h"

#define SHARE_INITIAL_SLOTS 256   /* power of two */

struct share_entry {
    const struct lz_obj *se_orig;   /* NULL = empty slot */
    struct lz_obj *se_made;
};

struct lz_share {
    struct share_entry *sh_slots;
    size_t sh_nslots;               /* power of two */
    size_t sh_used;
};

struct lz_share *lz_share_new(void)
{
    struct lz_share *sh = lz_malloc(sizeof *sh);

    if (!sh)
        return NULL;
    sh->sh_nslots = SHARE_INITIAL_SLOTS;
    sh->sh_used = 0;
    sh->sh_slots = lz_malloc(sh->sh_nslots * sizeof *sh->sh_slots);
    if (!sh->sh_slots) {
        lz_free(sh);
        return NULL;
    }
    memset(sh->sh_slots, 0, sh->sh_nslots * sizeof *sh->sh_slots);
    return sh;
}

void lz_share_free(struct lz_share *sh)
{
    if (sh) {
        lz_free(sh->sh_slots);
        lz_free(sh);
    }
}

static size_t slot_of(const struct lz_share *sh, const struct lz_obj *orig)
{
    uintptr_t h = (uintptr_t)orig;

    h ^= h >> 17;
    h *= (uintptr_t)0x9e3779b97f4a7c15ull;
    return (size_t)(h >> 7) & (sh->sh_nslots - 1);
}

struct lz_obj *lz_share_find(const struct lz_share *sh, const struct lz_obj *orig,
                             const uint8_t *data, size_t size)
{
    for (size_t i = slot_of(sh, orig);; i = (i + 1) & (sh->sh_nslots - 1)) {
        const struct share_entry *e = &sh->sh_slots[i];
        if (!e->se_orig)
            return NULL;
        if (e->se_orig == orig && e->se_made->u.o_raw.size == size &&
            (size == 0 || memcmp(e->se_made->u.o_raw.data, data, size) == 0))
            return e->se_made;
    }
}

static void put(struct share_entry *slots, size_t nslots, const struct lz_share *sh,
                const struct lz_obj *orig, struct lz_obj *made)
{
    size_t i = slot_of(sh, orig);

    while (slots[i].se_orig)
        i = (i + 1) & (nslots - 1);
    slots[i].se_orig = orig;
    slots[i].se_made = made;
}

int lz_share_add(struct lz_share *sh, const struct lz_obj *orig, struct lz_obj *made)
{
    if (2 * (sh->sh_used + 1) > sh->sh_nslots) {   /* keep the load under 1/2 */
        size_t n = sh->sh_nslots * 2;
        struct share_entry *slots, *old = sh->sh_slots;
        size_t old_n = sh->sh_nslots;

        if (n > SIZE_MAX / sizeof *slots || !(slots = lz_malloc(n * sizeof *slots)))
            return LZ_ENOMEM;
        memset(slots, 0, n * sizeof *slots);
        sh->sh_slots = slots;
        sh->sh_nslots = n;
        for (size_t i = 0; i < old_n; i++)
            if (old[i].se_orig)
                put(slots, n, sh, old[i].se_orig, old[i].se_made);
        lz_free(old);
    }
    put(sh->sh_slots, sh->sh_nslots, sh, orig, made);
    sh->sh_used++;
    return LZ_OK;
}
