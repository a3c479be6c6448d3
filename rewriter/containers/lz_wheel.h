/* lz_wheel.h - wheel files: names and tags, WHEEL, RECORD.
 *
 *   1. lz_wheel_open(zip, "pip-23.2.1-py3-none-any.whl", &w, &err)
 *      parses the file name, finds the one .dist-info directory (its
 *      name-version must match the file name's), parses WHEEL and checks
 *      RECORD against every entry (hash, size, nothing missing or extra)
 *   2. lz_wheel_retag(w, minor, &err)       the name and Tag lines for CPython 3.<minor>
 *   3. the caller edits the zip: lz_wheel_area(w, name, &rel) says where an
 *      entry installs (root, .data/purelib|platlib, elsewhere, dist-info)
 *   4. lz_wheel_finish(w, &zip, &err)       dist-info last with the new WHEEL,
 *      signatures dropped, a fresh RECORD last
 *   5. lz_wheel_free(w)
 *
 * Facts: shared/reference/packaging.md sections 1 (format, tags) and 7
 * (conventions of wheel, auditwheel, repairwheel).  Errors are one line
 * naming the cause; the caller adds the file name.
 */
#ifndef LZ_WHEEL_H
#define LZ_WHEEL_H

#include <stdbool.h>
#include <stddef.h>

#include "lz_error.h"
#include "lz_zip.h"

/* Longest wheel file name accepted (the parts are copied into fixed buffers). */
#define LZ_WHEEL_NAME_MAX 512

/* A parsed file name: name-version(-build)?-pytag-abitag-plattag.whl.  Tags
 * may be compressed sets ("py2.py3"). */
struct lz_wheel_name {
    char wn_name[LZ_WHEEL_NAME_MAX], wn_version[LZ_WHEEL_NAME_MAX],
        wn_build[LZ_WHEEL_NAME_MAX];   /* "" when there is none */
    char wn_py[LZ_WHEEL_NAME_MAX], wn_abi[LZ_WHEEL_NAME_MAX], wn_plat[LZ_WHEEL_NAME_MAX];
};

/* Parse a base name (no directory).  LZ_EINPUT naming what is wrong. */
int lz_wheel_parse_name(const char *filename, struct lz_wheel_name *out, struct lz_error *err);
/* Format back to "name-version(-build)-py-abi-plat.whl"; -1 if it does not fit. */
int lz_wheel_format_name(const struct lz_wheel_name *n, char *out, size_t size);
/* The tags of `in` narrowed to CPython 3.<minor> only, into `out`:
 *   pure (py3, py3Y with Y <= minor, cp3<minor>; abi none) -> cp3X-none-<plat>
 *   abi3 (cpY-abi3-plat, Y <= minor)                        -> cp3X-cp3X-<plat>
 *   cp3X-cp3X-plat                                          -> unchanged
 * (cpXY-none-any is in pip's tag list of 3.X only; py3X and abi3 are accepted
 * by later versions, which cannot load the bytecode.)  LZ_EINPUT when no tag
 * of the set installs on 3.<minor>. */
int lz_wheel_retag_name(const struct lz_wheel_name *in, unsigned minor,
                        struct lz_wheel_name *out, struct lz_error *err);
/* Distribution name normalized for comparison and identifiers: lower case,
 * runs of '-', '_' and '.' become one '_'. */
void lz_wheel_normalize(const char *name, char *out, size_t size);

struct lz_wheel;

/* Check `zip` as the wheel `filename` (base name).  LZ_EINPUT for: a name
 * that does not parse, bytes before the archive, no or several .dist-info
 * directories, a .dist-info name that is not the file's name-version, no
 * METADATA/WHEEL/RECORD, a WHEEL without Wheel-Version 1.x, and a RECORD
 * that does not describe the archive exactly ("RECORD: hash of pkg/x.py does
 * not match"); hashes must be sha256 or stronger.  LZ_ENOMEM. */
int lz_wheel_open(const struct lz_zip *zip, const char *filename, struct lz_wheel **out,
                  struct lz_error *err);
void lz_wheel_free(struct lz_wheel *w);

const struct lz_wheel_name *lz_wheel_name(const struct lz_wheel *w);
/* "pip-23.2.1" (as in the archive's .dist-info directory name). */
const char *lz_wheel_stem(const struct lz_wheel *w);
bool lz_wheel_root_is_purelib(const struct lz_wheel *w);

enum lz_wheel_area {
    LZ_WHEEL_LIB,         /* installs on sys.path: the root, .data/purelib/, .data/platlib/ */
    LZ_WHEEL_DATA,        /* other .data/ keys (scripts, headers, data): copied as they are */
    LZ_WHEEL_DIST_INFO,   /* .dist-info/: metadata */
};
/* Where `name` installs; for LZ_WHEEL_LIB *rel (may be NULL) points at the
 * path below the install root ("pkg/mod.py"), inside `name`. */
enum lz_wheel_area lz_wheel_area(const struct lz_wheel *w, const char *name, const char **rel);

/* Narrow the tags to CPython 3.<minor> (lz_wheel_retag_name) for the output
 * name and the WHEEL Tag lines. */
int lz_wheel_retag(struct lz_wheel *w, unsigned minor, struct lz_error *err);
/* The output file name (the input's until lz_wheel_retag). */
const char *lz_wheel_output_name(const struct lz_wheel *w);

/* Rebuild *zip (consumed; replaced by the result): every entry outside the
 * .dist-info directory in its order, then the .dist-info entries in theirs
 * with WHEEL's Tag lines rewritten, RECORD.jws / RECORD.p7s dropped (PEP
 * 815), and a RECORD regenerated from the final entries (sha256, size;
 * its own row "path,,"; "\n" line ends) last.  On failure *zip is freed
 * and set to NULL.  LZ_ENOMEM, LZ_EINPUT. */
int lz_wheel_finish(const struct lz_wheel *w, struct lz_zip **zip, struct lz_error *err);

/* RECORD for the file entries of `zip` in order (directories skipped), the
 * row of `record_name` empty.  Exposed for tests.  lz_malloc'd. */
int lz_wheel_make_record(const struct lz_zip *zip, const char *record_name, uint8_t **data,
                         size_t *size, struct lz_error *err);

#endif
