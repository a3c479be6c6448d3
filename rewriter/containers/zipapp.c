/* zipapp.c - recognise stdlib zipapps, pex and shiv archives; keep their
 * launch data (PEX-INFO, environment.json) true to the rewritten contents.
 *
 * The cache keys matter more than anything else here: pex and shiv extract
 * an archive once and reuse the extraction for every later run whose key
 * matches, so a rewritten archive that kept the original's keys would run
 * the original's files on any machine with a warm cache.
 *
 * pex facts (pex 1.5.3 as Debian ships it; pex/util.py CacheHelper and
 * pex/pex_builder.py, read for this): a key is sha1 over the sorted relative
 * names joined with nothing, then each file's bytes in that order; .pyc files
 * are skipped.  code_hash covers the chroot before PEX-INFO, .bootstrap/ and
 * __main__.py are added and skips every name starting with "."; a
 * distribution's fingerprint covers its `.deps/<dist>/` directory.  Because
 * pycs do not count, pex's own keys would not change when only bytecode
 * does; lazyc therefore uses the same algorithm with .pyc files included.
 * Before touching anything the stored keys are recomputed (either variant),
 * so a pex whose keys come from another algorithm is refused, not guessed.
 */
#include "lz_zipapp.h"

#include <jansson.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct lz_zipapp {
    enum lz_zipapp_kind za_kind;
    struct lz_zipapp_root *za_roots;   /* owned */
    size_t za_nroots;
    json_t *za_meta;                   /* parsed PEX-INFO / environment.json; owned */
    long za_meta_index;                /* its entry */
};

#define PEX_INFO "PEX-INFO"
#define PEX_DEPS ".deps/"
#define SHIV_ENV "environment.json"
#define SHIV_SITE "site-packages/"

/* Files of the pex root that pex's code_hash never covered: written after it. */
static const char *const pex_code_skip[] = {PEX_INFO, "__main__.py", "__main__.pyc", NULL};

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

static bool is_dir(const struct lz_zip_entry *e)
{
    return ends_with(e->ze_name, "/");
}

/* ---- roots ---------------------------------------------------------------- */

static int add_root(struct lz_zipapp *za, const char *prefix, size_t len, unsigned place,
                    struct lz_error *err)
{
    struct lz_zipapp_root *grown = lz_realloc(za->za_roots, (za->za_nroots + 1) * sizeof *grown);
    char *copy = lz_malloc(len + 1);

    if (grown)
        za->za_roots = grown;
    if (!grown || !copy) {
        lz_free(copy);
        return lz_error_set(err, LZ_ENOMEM, "out of memory");
    }
    memcpy(copy, prefix, len);
    copy[len] = '\0';
    za->za_roots[za->za_nroots++] = (struct lz_zipapp_root){copy, place};
    return LZ_OK;
}

long lz_zipapp_root_of(const struct lz_zipapp *za, const char *name)
{
    long best = -1;
    size_t best_len = 0;

    if (za->za_kind == LZ_ZIPAPP_PEX &&
        (starts_with(name, ".bootstrap/") || strcmp(name, "__main__.py") == 0))
        return -1;
    for (size_t r = 0; r < za->za_nroots; r++) {
        size_t n = strlen(za->za_roots[r].zr_prefix);
        if (starts_with(name, za->za_roots[r].zr_prefix) && (best < 0 || n > best_len)) {
            best = (long)r;
            best_len = n;
        }
    }
    /* pex: .deps/ content outside a known distribution is no module root. */
    if (best >= 0 && za->za_kind == LZ_ZIPAPP_PEX && best_len == 0 && starts_with(name, PEX_DEPS))
        return -1;
    return best;
}

/* ---- hashing ---------------------------------------------------------------- */

struct name_ref {
    const char *nr_name;
    size_t nr_index;
};

static int cmp_names(const void *a, const void *b)
{
    return strcmp(((const struct name_ref *)a)->nr_name, ((const struct name_ref *)b)->nr_name);
}

static void to_hex(const unsigned char *md, unsigned n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (unsigned i = 0; i < n; i++) {
        out[2 * i] = digits[md[i] >> 4];
        out[2 * i + 1] = digits[md[i] & 15];
    }
    out[2 * n] = '\0';
}

/* Sorted entries below `prefix` (names relative to it) that pass the filters. */
static int select_files(const struct lz_zip *zip, const char *prefix, bool skip_dot,
                        const char *const *skip, bool with_pyc, struct name_ref **out,
                        size_t *count, struct lz_error *err)
{
    size_t plen = strlen(prefix), n = 0;
    struct name_ref *refs = lz_malloc((zip->z_count ? zip->z_count : 1) * sizeof *refs);

    if (!refs)
        return lz_error_set(err, LZ_ENOMEM, "out of memory");
    for (size_t i = 0; i < zip->z_count; i++) {
        const struct lz_zip_entry *e = &zip->z_entries[i];
        const char *rel = e->ze_name + plen;
        bool skipped = false;
        if (!starts_with(e->ze_name, prefix) || is_dir(e) || (skip_dot && rel[0] == '.') ||
            (!with_pyc && ends_with(rel, ".pyc")))
            continue;
        for (const char *const *s = skip; s && *s && !skipped; s++)
            skipped = strcmp(rel, *s) == 0;
        if (!skipped)
            refs[n++] = (struct name_ref){rel, i};
    }
    qsort(refs, n, sizeof *refs, cmp_names);
    *out = refs;
    *count = n;
    return LZ_OK;
}

int lz_zipapp_pex_hash(const struct lz_zip *zip, const char *prefix, bool skip_dot,
                       const char *const *skip, bool with_pyc, char out[41], struct lz_error *err)
{
    struct name_ref *refs = NULL;
    size_t n = 0;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned mdlen = 0;
    int rc = select_files(zip, prefix, skip_dot, skip, with_pyc, &refs, &n, err);
    EVP_MD_CTX *ctx = rc == LZ_OK ? EVP_MD_CTX_new() : NULL;
    bool ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) == 1;

    /* The names first, joined with nothing, then every file's bytes. */
    for (size_t i = 0; ok && i < n; i++)
        ok = EVP_DigestUpdate(ctx, refs[i].nr_name, strlen(refs[i].nr_name)) == 1;
    for (size_t i = 0; ok && i < n; i++) {
        const struct lz_zip_entry *e = &zip->z_entries[refs[i].nr_index];
        ok = e->ze_size == 0 || EVP_DigestUpdate(ctx, e->ze_data, e->ze_size) == 1;
    }
    ok = ok && EVP_DigestFinal_ex(ctx, md, &mdlen) == 1 && mdlen == 20;
    if (rc == LZ_OK && !ok)
        rc = lz_error_set(err, LZ_ENOMEM, "sha1 failed (libcrypto)");
    if (rc == LZ_OK)
        to_hex(md, mdlen, out);
    EVP_MD_CTX_free(ctx);
    lz_free(refs);
    return rc;
}

/* shiv's new build_id: sha256 over the old id, then every site-packages
 * name and its bytes (sorted), each followed by a NUL so no two trees hash
 * alike by concatenation. */
static int shiv_build_id(const struct lz_zip *zip, const char *old_id, char out[65],
                         struct lz_error *err)
{
    struct name_ref *refs = NULL;
    size_t n = 0;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned mdlen = 0;
    int rc = select_files(zip, SHIV_SITE, false, NULL, true, &refs, &n, err);
    EVP_MD_CTX *ctx = rc == LZ_OK ? EVP_MD_CTX_new() : NULL;
    bool ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 &&
              EVP_DigestUpdate(ctx, "lazyc\0", 6) == 1 &&
              EVP_DigestUpdate(ctx, old_id, strlen(old_id) + 1) == 1;

    for (size_t i = 0; ok && i < n; i++) {
        const struct lz_zip_entry *e = &zip->z_entries[refs[i].nr_index];
        ok = EVP_DigestUpdate(ctx, refs[i].nr_name, strlen(refs[i].nr_name) + 1) == 1 &&
             (e->ze_size == 0 || EVP_DigestUpdate(ctx, e->ze_data, e->ze_size) == 1) &&
             EVP_DigestUpdate(ctx, "", 1) == 1;
    }
    ok = ok && EVP_DigestFinal_ex(ctx, md, &mdlen) == 1 && mdlen == 32;
    if (rc == LZ_OK && !ok)
        rc = lz_error_set(err, LZ_ENOMEM, "sha256 failed (libcrypto)");
    if (rc == LZ_OK)
        to_hex(md, mdlen, out);
    EVP_MD_CTX_free(ctx);
    lz_free(refs);
    return rc;
}

/* Does `stored` equal pex's key for these files, or lazyc's (pycs counted)? */
static int check_pex_key(const struct lz_zip *zip, const char *prefix, bool skip_dot,
                         const char *const *skip, const char *stored, const char *what,
                         struct lz_error *err)
{
    char h[41];
    int rc = lz_zipapp_pex_hash(zip, prefix, skip_dot, skip, false, h, err);

    if (rc == LZ_OK && strcmp(h, stored) != 0) {
        rc = lz_zipapp_pex_hash(zip, prefix, skip_dot, skip, true, h, err);
        if (rc == LZ_OK && strcmp(h, stored) != 0)
            rc = lz_error_set(err, LZ_EINPUT,
                              "pex: %s %s is not what pex 1.x computes for these files; "
                              "cannot update its cache keys", what, stored);
    }
    return rc;
}

/* ---- inspect ------------------------------------------------------------------ */

static int parse_meta(struct lz_zipapp *za, const struct lz_zip *zip, long i, const char *name,
                      struct lz_error *err)
{
    json_error_t jerr;
    const struct lz_zip_entry *e = &zip->z_entries[i];

    za->za_meta_index = i;
    za->za_meta = json_loadb((const char *)e->ze_data, e->ze_size, 0, &jerr);
    if (!za->za_meta)
        return lz_error_set(err, LZ_EINPUT, "%s: not JSON: %s (line %d)", name, jerr.text,
                            jerr.line);
    if (!json_is_object(za->za_meta))
        return lz_error_set(err, LZ_EINPUT, "%s: not a JSON object", name);
    return LZ_OK;
}

/* Is .deps/<dist>/ an egg pex imports in place (zipimport) rather than extracting? */
static bool pex_zip_safe_egg(const struct lz_zip *zip, const char *dist_prefix)
{
    char name[1100];
    if (snprintf(name, sizeof name, "%sEGG-INFO/zip-safe", dist_prefix) >= (int)sizeof name ||
        lz_zip_find(zip, name) < 0)
        return false;
    if (snprintf(name, sizeof name, "%sEGG-INFO/native_libs.txt", dist_prefix) >= (int)sizeof name)
        return false;
    return lz_zip_find(zip, name) < 0;
}

static int inspect_pex(struct lz_zipapp *za, const struct lz_zip *zip, struct lz_error *err)
{
    json_t *info = za->za_meta, *dists, *code_hash, *zip_safe;
    const char *key;
    json_t *value;
    int rc;

    if (json_object_get(info, "pex_hash"))
        return lz_error_set(err, LZ_EINPUT, "pex: PEX-INFO has pex_hash (pex 2 or later): its "
                            "cache keys are not reproduced by lazyc; only pex 1.x is supported");
    code_hash = json_object_get(info, "code_hash");
    dists = json_object_get(info, "distributions");
    if (!json_is_string(code_hash) || (dists && !json_is_object(dists)))
        return lz_error_set(err, LZ_EINPUT, "pex: PEX-INFO lacks a code_hash string or has "
                            "a malformed distributions map");
    /* Every .deps/ entry must be an unpacked chroot pex knows a key for: a
     * packed .whl (--layout packed) or an unlisted directory would be
     * fingerprinted by pex itself at run time, blind to pycs. */
    for (size_t i = 0; i < zip->z_count; i++) {
        const char *name = zip->z_entries[i].ze_name, *rest, *slash;
        if (!starts_with(name, PEX_DEPS) || strcmp(name, PEX_DEPS) == 0)
            continue;
        rest = name + strlen(PEX_DEPS);
        slash = strchr(rest, '/');
        if (!slash)
            return lz_error_set(err, LZ_EINPUT, "pex: %s is a packed distribution (--layout "
                                "packed); only unpacked .deps/ chroots are supported", name);
        char dist[512];
        size_t len = (size_t)(slash - rest);
        if (len >= sizeof dist)
            return lz_error_set(err, LZ_EINPUT, "pex: distribution name too long in %s", name);
        memcpy(dist, rest, len);
        dist[len] = '\0';
        if (!dists || !json_is_string(json_object_get(dists, dist)))
            return lz_error_set(err, LZ_EINPUT, "pex: %s%s/ has no fingerprint in PEX-INFO",
                                PEX_DEPS, dist);
    }
    rc = check_pex_key(zip, "", true, pex_code_skip, json_string_value(code_hash), "code_hash",
                       err);
    zip_safe = json_object_get(info, "zip_safe");
    /* User code runs from the zip (zipimport: legacy pycs) unless zip_safe is
     * false, when pex extracts it and the path finder wants __pycache__. */
    if (rc == LZ_OK)
        rc = add_root(za, "", 0, LZ_PLACE_LEGACY |
                      (json_is_false(zip_safe) ? LZ_PLACE_PYCACHE : 0), err);
    json_object_foreach(dists, key, value) {
        char prefix[1024];
        if (rc != LZ_OK)
            break;
        if (!json_is_string(value) || strchr(key, '/') || !key[0] ||
            snprintf(prefix, sizeof prefix, "%s%s/", PEX_DEPS, key) >= (int)sizeof prefix)
            return lz_error_set(err, LZ_EINPUT, "pex: bad distribution entry %s in PEX-INFO", key);
        rc = check_pex_key(zip, prefix, false, NULL, json_string_value(value), key, err);
        /* Wheels are never zip safe to pex 1.x: extracted, so __pycache__. */
        if (rc == LZ_OK)
            rc = add_root(za, prefix, strlen(prefix),
                          pex_zip_safe_egg(zip, prefix) ? LZ_PLACE_LEGACY | LZ_PLACE_PYCACHE
                                                         : LZ_PLACE_PYCACHE, err);
    }
    return rc;
}

static int inspect_shiv(struct lz_zipapp *za, struct lz_error *err)
{
    json_t *id = json_object_get(za->za_meta, "build_id");

    if (!json_is_string(id))
        return lz_error_set(err, LZ_EINPUT, "shiv: environment.json has no build_id string");
    /* Old shivs always run compileall over the extraction, which replaces
     * every hash-based pyc; newer ones do so only when compile_pyc is true
     * (lazyc turns it off). */
    if (!json_object_get(za->za_meta, "compile_pyc"))
        return lz_error_set(err, LZ_EINPUT, "shiv: environment.json has no compile_pyc "
                            "(shiv before 0.1.0 recompiles every pyc on extraction)");
    return add_root(za, SHIV_SITE, strlen(SHIV_SITE), LZ_PLACE_PYCACHE, err);
}

int lz_zipapp_inspect(const struct lz_zip *zip, struct lz_zipapp **out, struct lz_error *err)
{
    struct lz_zipapp *za = lz_malloc(sizeof *za);
    long pex = lz_zip_find(zip, PEX_INFO), env = lz_zip_find(zip, SHIV_ENV);
    bool shiv_boot = false;
    int rc = LZ_OK;

    *out = NULL;
    if (!za)
        return lz_error_set(err, LZ_ENOMEM, "out of memory");
    memset(za, 0, sizeof *za);
    za->za_meta_index = -1;
    for (size_t i = 0; i < zip->z_count && !shiv_boot; i++)
        shiv_boot = starts_with(zip->z_entries[i].ze_name, "_bootstrap/");
    if (pex >= 0) {
        za->za_kind = LZ_ZIPAPP_PEX;
        rc = parse_meta(za, zip, pex, PEX_INFO, err);
        if (rc == LZ_OK)
            rc = inspect_pex(za, zip, err);
    } else if (env >= 0 && shiv_boot) {
        za->za_kind = LZ_ZIPAPP_SHIV;
        rc = parse_meta(za, zip, env, SHIV_ENV, err);
        if (rc == LZ_OK)
            rc = inspect_shiv(za, err);
    } else if (lz_zip_find(zip, "__main__.py") >= 0 || lz_zip_find(zip, "__main__.pyc") >= 0) {
        za->za_kind = LZ_ZIPAPP_PLAIN;
        rc = add_root(za, "", 0, LZ_PLACE_LEGACY, err);
    } else {
        rc = lz_error_set(err, LZ_EINPUT, "not a runnable zip: no __main__.py at the root "
                          "(nor PEX-INFO or shiv's environment.json)");
    }
    if (rc != LZ_OK) {
        lz_zipapp_free(za);
        return rc;
    }
    *out = za;
    return LZ_OK;
}

void lz_zipapp_free(struct lz_zipapp *za)
{
    if (!za)
        return;
    for (size_t r = 0; r < za->za_nroots; r++)
        lz_free(za->za_roots[r].zr_prefix);
    lz_free(za->za_roots);
    json_decref(za->za_meta);
    lz_free(za);
}

enum lz_zipapp_kind lz_zipapp_kind(const struct lz_zipapp *za)
{
    return za->za_kind;
}

const char *lz_zipapp_kind_name(enum lz_zipapp_kind kind)
{
    switch (kind) {
    case LZ_ZIPAPP_PEX: return "pex";
    case LZ_ZIPAPP_SHIV: return "shiv";
    default: return "zipapp";
    }
}

size_t lz_zipapp_nroots(const struct lz_zipapp *za)
{
    return za->za_nroots;
}

const struct lz_zipapp_root *lz_zipapp_root(const struct lz_zipapp *za, size_t r)
{
    return r < za->za_nroots ? &za->za_roots[r] : NULL;
}

/* ---- update ------------------------------------------------------------------- */

static int set_string(json_t *obj, const char *key, const char *value, bool *changed,
                      struct lz_error *err)
{
    const char *old = json_string_value(json_object_get(obj, key));
    if (old && strcmp(old, value) == 0)
        return LZ_OK;
    *changed = true;
    if (json_object_set_new(obj, key, json_string(value)) != 0)
        return lz_error_set(err, LZ_ENOMEM, "out of memory");
    return LZ_OK;
}

static int update_pex(struct lz_zipapp *za, const struct lz_zip *zip, char *changed,
                      size_t changed_size, struct lz_error *err)
{
    json_t *dists = json_object_get(za->za_meta, "distributions"), *value;
    const char *key;
    char h[41];
    bool code = false;
    size_t nfp = 0;
    int rc = lz_zipapp_pex_hash(zip, "", true, pex_code_skip, true, h, err);

    if (rc == LZ_OK)
        rc = set_string(za->za_meta, "code_hash", h, &code, err);
    json_object_foreach(dists, key, value) {
        char prefix[1024];
        bool one = false;
        if (rc != LZ_OK)
            break;
        snprintf(prefix, sizeof prefix, "%s%s/", PEX_DEPS, key);
        rc = lz_zipapp_pex_hash(zip, prefix, false, NULL, true, h, err);
        if (rc == LZ_OK)
            rc = set_string(dists, key, h, &one, err);
        nfp += one;
    }
    if (changed && changed_size)
        snprintf(changed, changed_size, "%s%s%zu fingerprint%s", code ? "code_hash" : "",
                 code ? ", " : "", nfp, nfp == 1 ? "" : "s");
    return rc;
}

static int update_shiv(struct lz_zipapp *za, const struct lz_zip *zip, char *changed,
                       size_t changed_size, struct lz_error *err)
{
    char id[65];
    bool any = false, compile = json_is_true(json_object_get(za->za_meta, "compile_pyc"));
    int rc = shiv_build_id(zip, json_string_value(json_object_get(za->za_meta, "build_id")), id,
                           err);

    if (rc == LZ_OK)
        rc = set_string(za->za_meta, "build_id", id, &any, err);
    if (rc == LZ_OK && compile && json_object_set_new(za->za_meta, "compile_pyc", json_false()))
        rc = lz_error_set(err, LZ_ENOMEM, "out of memory");
    if (changed && changed_size)
        snprintf(changed, changed_size, "build_id%s", compile ? ", compile_pyc off" : "");
    return rc;
}

int lz_zipapp_update(struct lz_zipapp *za, struct lz_zip *zip, char *changed, size_t changed_size,
                     struct lz_error *err)
{
    const char *meta_name = za->za_kind == LZ_ZIPAPP_PEX ? PEX_INFO : SHIV_ENV;
    long i;
    int rc;

    if (changed && changed_size)
        changed[0] = '\0';
    if (za->za_kind == LZ_ZIPAPP_PLAIN)
        return LZ_OK;
    /* The caller may have inserted entries: find the metadata again. */
    i = lz_zip_find(zip, meta_name);
    if (i < 0)
        return lz_error_set(err, LZ_EUSAGE, "%s vanished from the archive", meta_name);
    rc = za->za_kind == LZ_ZIPAPP_PEX ? update_pex(za, zip, changed, changed_size, err)
                                       : update_shiv(za, zip, changed, changed_size, err);
    if (rc != LZ_OK)
        return rc;
    /* Python's json.dumps separators (", " and ": ") and ASCII escapes, keys
     * in the order they were read: an unchanged key set gives the same text
     * pex wrote, apart from the hashes. */
    char *text = json_dumps(za->za_meta, JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
    if (!text)
        return lz_error_set(err, LZ_ENOMEM, "out of memory");
    size_t n = strlen(text);
    uint8_t *data = lz_malloc(n ? n : 1);
    if (!data) {
        free(text);
        return lz_error_set(err, LZ_ENOMEM, "out of memory");
    }
    memcpy(data, text, n);
    free(text);
    lz_zip_set_data(zip, (size_t)i, data, n);
    return LZ_OK;
}
