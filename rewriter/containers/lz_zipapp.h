/* lz_zipapp.h - what kind of runnable zip an archive is, where its
 * importable roots are, and the launcher data that must change with it.
 *
 *   1. lz_zipapp_inspect(zip, &za, &err)   recognise the kind, check the launch
 *      data is something lazyc can update, list the roots
 *   2. for each entry: lz_zipapp_root_of(za, name) says which root (or none)
 *      it belongs to; the caller compiles, rewrites and adds pycs where
 *      lz_zipapp_root(za, r)->zr_place says
 *   3. lz_zipapp_update(za, zip, &err)     recompute cache keys from the final
 *      entries and replace PEX-INFO / environment.json
 *   4. lz_zipapp_free(za)
 *
 * Kinds (shared/reference/packaging.md, section 5):
 *   zipapp  stdlib zipapp: `__main__.py` at the root, imported in place by zipimport.
 *   pex     PEX-INFO at the root (pex 1.x "unzipped wheel chroot" layout): user code
 *           at the root (zipimport, or extracted under PEX_ROOT/code/<code_hash> when
 *           not zip_safe); `.deps/<dist>/` chroots extracted under
 *           PEX_ROOT/install/<dist>.<fingerprint> unless a zip-safe egg.
 *   shiv    environment.json + `_bootstrap/`: `site-packages/` extracted under
 *           ~/.shiv/<name>_<build_id>/ and imported from there.
 */
#ifndef LZ_ZIPAPP_H
#define LZ_ZIPAPP_H

#include <stdbool.h>
#include <stddef.h>

#include "lz_error.h"
#include "lz_zip.h"

enum lz_zipapp_kind {
    LZ_ZIPAPP_PLAIN,
    LZ_ZIPAPP_PEX,
    LZ_ZIPAPP_SHIV,
};

/* Where a root's pycs must go to be the ones imported. */
enum {
    LZ_PLACE_LEGACY = 1,    /* pkg/mod.pyc beside pkg/mod.py: zipimport reads only this */
    LZ_PLACE_PYCACHE = 2,   /* pkg/__pycache__/mod.<tag>.pyc: the path finder after extraction */
};

struct lz_zipapp_root {
    char *zr_prefix;        /* "" / "site-packages/" / ".deps/<dist>/"; owned */
    unsigned zr_place;      /* LZ_PLACE_* bits */
};

struct lz_zipapp;

/* LZ_EINPUT with one line when the archive is not a runnable zip lazyc
 * knows how to update: no __main__.py, a pex whose layout or cache keys
 * this pex algorithm does not reproduce (packed layout, pex_hash, a
 * fingerprint that does not match), a shiv that recompiles on extraction;
 * LZ_ENOMEM. */
int lz_zipapp_inspect(const struct lz_zip *zip, struct lz_zipapp **out, struct lz_error *err);
void lz_zipapp_free(struct lz_zipapp *za);

enum lz_zipapp_kind lz_zipapp_kind(const struct lz_zipapp *za);
const char *lz_zipapp_kind_name(enum lz_zipapp_kind kind);   /* "zipapp", "pex", "shiv" */
size_t lz_zipapp_nroots(const struct lz_zipapp *za);
const struct lz_zipapp_root *lz_zipapp_root(const struct lz_zipapp *za, size_t r);
/* The root a file entry's modules belong to (the longest prefix), or -1 for
 * the launcher's own files (pex .bootstrap/ and __main__.py, shiv _bootstrap/
 * ...), which are left alone. */
long lz_zipapp_root_of(const struct lz_zipapp *za, const char *name);

/* Recompute the launcher's cache keys over the entries as they are now and
 * replace the metadata entry (same position and attributes):
 *   pex   code_hash and every `distributions` fingerprint, with pex 1.x's own
 *         algorithm (sha1 of the sorted names, then the contents) except that
 *         .pyc files count, so the keys change exactly when bytecode changes;
 *   shiv  build_id (sha256 of the site-packages names and contents) and
 *         compile_pyc set to false (its compileall pass would overwrite the
 *         lazy pycs); `hashes` stays, the .py files are unchanged.
 * A stdlib zipapp has nothing to update.  `changed` (may be NULL) lists what
 * changed, e.g. "code_hash, 1 fingerprint". */
int lz_zipapp_update(struct lz_zipapp *za, struct lz_zip *zip, char *changed, size_t changed_size,
                     struct lz_error *err);

/* Exposed for tests: pex 1.x's hash of the files below `prefix` (names
 * relative to it, sorted), skipping directories, names that start with "."
 * when `skip_dot`, the names in `skip` (NULL-terminated), and .pyc files
 * unless `with_pyc`.  out: 40 hex digits + NUL. */
int lz_zipapp_pex_hash(const struct lz_zip *zip, const char *prefix, bool skip_dot,
                       const char *const *skip, bool with_pyc, char out[41], struct lz_error *err);

#endif
