/* pyver.c - the table of CPython versions lazyc knows.
 *
 * Facts: shared/reference/bytecode-formats.md section 1 (final magic numbers,
 * marshal versions, code-object layouts) and section 2 (SipHash rounds of
 * hash-based pycs).  Pre-release magics are deliberately absent: a pyc from
 * an alpha interpreter is refused rather than guessed at.
 */
#include <stddef.h>

#include "lz_pyver.h"

static const struct lz_pyver versions[] = {
    /* magic  maj min  marshal layout              sip c,d */
    { 3413, 3, 8, 4, LZ_CODE_LAYOUT_38, 2, 4 },
    { 3425, 3, 9, 4, LZ_CODE_LAYOUT_38, 2, 4 },
    { 3439, 3, 10, 4, LZ_CODE_LAYOUT_38, 2, 4 },
    { 3495, 3, 11, 4, LZ_CODE_LAYOUT_311, 1, 3 },
    { 3531, 3, 12, 4, LZ_CODE_LAYOUT_311, 1, 3 },
    { 3571, 3, 13, 4, LZ_CODE_LAYOUT_311, 1, 3 },
    { 3627, 3, 14, 5, LZ_CODE_LAYOUT_311, 1, 3 },
    { 3666, 3, 15, 6, LZ_CODE_LAYOUT_311, 1, 3 },
};

#define VERSION_COUNT ((int)(sizeof versions / sizeof versions[0]))

const struct lz_pyver *lz_pyver_from_magic(uint16_t magic)
{
    for (int i = 0; i < VERSION_COUNT; i++)
        if (versions[i].pv_magic == magic)
            return &versions[i];
    return NULL;
}

const struct lz_pyver *lz_pyver_from_minor(int minor)
{
    for (int i = 0; i < VERSION_COUNT; i++)
        if (versions[i].pv_minor == minor)
            return &versions[i];
    return NULL;
}

const struct lz_pyver *lz_pyver_all(int *count)
{
    if (count != NULL)
        *count = VERSION_COUNT;
    return versions;
}
