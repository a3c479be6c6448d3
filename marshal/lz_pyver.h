/* lz_pyver.h - what the marshal layer must know about each CPython version.
 *
 * The version of a pyc is read from its magic number, never assumed.  The
 * bytecode-level facts (opcodes, caches, tables) live in rewriter/; this file
 * only holds what reading and writing the container needs.
 * Facts: shared/reference/bytecode-formats.md sections 1-3.
 */
#ifndef LZ_PYVER_H
#define LZ_PYVER_H

#include <stdint.h>

enum lz_code_layout {
    LZ_CODE_LAYOUT_38 = 1,     /* 3.8-3.10: nlocals, varnames/freevars/cellvars, lnotab|linetable */
    LZ_CODE_LAYOUT_311 = 2,    /* 3.11+: localsplus names/kinds, qualname, exceptiontable */
};

struct lz_pyver {
    uint16_t pv_magic;           /* little-endian 16-bit value before "\r\n" */
    uint8_t pv_major, pv_minor;  /* 3, 8..15 */
    uint8_t pv_marshal_version;  /* 4; 5 adds slice (3.14); 6 adds frozendict (3.15) */
    uint8_t pv_code_layout;      /* enum lz_code_layout */
    uint8_t pv_sip_c, pv_sip_d;  /* SipHash rounds for hash-based pycs: 2,4 (<=3.10) or 1,3 */
};

/* The version whose final magic is `magic`, or NULL if we do not know it. */
const struct lz_pyver *lz_pyver_from_magic(uint16_t magic);
/* The version "3.minor", or NULL. */
const struct lz_pyver *lz_pyver_from_minor(int minor);
/* All known versions, oldest first; *count receives the number. */
const struct lz_pyver *lz_pyver_all(int *count);

#endif
