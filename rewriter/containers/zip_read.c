/* zip_read.c - zip archives from untrusted bytes, and the in-memory entry list.
 *
 * A read checks two views of the archive against each other:
 *   1. our own parse of the end record (+ ZIP64 locator and record) and of the
 *      central directory: prefix, entry order, names, modes, methods, times,
 *      sizes; then every local header (signature, name, method) and the layout
 *      (each entry's header and data before the central directory, no two
 *      entries overlapping - overlap is how "better zip bombs" multiply data)
 *   2. libarchive's seekable zip reader for the contents (inflate), matched to
 *      the central directory by name: every entry must get data exactly once,
 *      exactly as many bytes as declared, with the declared CRC-32.
 * Declared sizes are checked against zl_max_total and against deflate's best
 * possible ratio before anything is allocated for them.
 *
 * Names.  '/'-separated UTF-8.  A name with bytes >= 0x80 must carry general
 * purpose bit 11 (UTF-8): without it Python's zipfile decodes it as cp437 and
 * libarchive by the locale, so the same bytes would name different modules for
 * different readers - such archives are refused (Python's zipfile sets bit 11
 * for every non-ASCII name it writes).  Refused too: empty names, NUL,
 * backslashes, a leading '/', empty, "." and ".." components.
 *
 * Attributes.  With "version made by" host 3 (Unix) the mode is the top half
 * of the external attributes; otherwise (or when that half is 0) a name ending
 * in '/' is S_IFDIR|0755 and anything else S_IFREG|0644.  The trailing '/' is
 * what makes a directory (as for zipimport and Python's zipfile): a Unix
 * directory mode on a name without it is refused, symbolic links and other
 * special files are refused.
 *
 * Times.  The "UT" extra field's mtime when the central directory has one (read
 * as unsigned 32 bits, so up to 2106), else the DOS date and time read as UTC.
 *
 * The name index is an open-addressing (linear probing) hash table of entry
 * positions, keyed with SipHash and a per-index random key so crafted names
 * cannot collide on purpose.
 */
#include <archive.h>
#include <archive_entry.h>
#include <inttypes.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>

#include "lz_pyc.h"
#include "lz_zip.h"
#include "zip_int.h"

/* Deflate emits at most 258 bytes per match and a match costs at least two
 * bits (length and distance codes), so no stream inflates beyond 1032:1 of
 * its compressed size (plus a block's worth).  A declared size past that is a
 * lie, refused before anything is allocated for it. */
#define DEFLATE_MAX_RATIO 1032u
#define DEFLATE_RATIO_SLACK 1032u

/* Longest stretch of a name quoted in a message. */
#define NAME_QUOTE_MAX 120

#define INDEX_MIN_SLOTS 16

/* ----------------------------------------------------------- messages --- */

/* Valid UTF-8 (no overlong forms, surrogates or code points past U+10FFFF). */
static bool utf8_valid(const uint8_t *s, size_t n)
{
    size_t i = 0;

    while (i < n) {
        uint8_t c = s[i];
        size_t len;
        uint32_t cp;

        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf) {
            len = 2;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            len = 3;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            len = 4;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (n - i < len)
            return false;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return false;
            cp = cp << 6 | (s[i + k] & 0x3f);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += len;
    }
    return true;
}

/* `name` in double quotes for a message: printable ASCII as is, UTF-8 as is
 * when the whole name is valid UTF-8, other bytes as \xNN; long names cut. */
static const char *quote_name(char *out, size_t cap, const uint8_t *name, size_t n)
{
    bool raw_utf8 = utf8_valid(name, n);
    size_t o = 0, i;

    out[o++] = '"';
    for (i = 0; i < n && i < NAME_QUOTE_MAX && o + 8 < cap; i++) {
        uint8_t c = name[i];

        if (c == '"' || c == '\\') {
            out[o++] = '\\';
            out[o++] = (char)c;
        } else if ((c >= 0x20 && c < 0x7f) || (c >= 0x80 && raw_utf8)) {
            out[o++] = (char)c;
        } else {
            o += (size_t)snprintf(out + o, cap - o, "\\x%02x", c);
        }
    }
    /* Never end inside a UTF-8 sequence. */
    while (raw_utf8 && i < n && i > 0 && (name[i] & 0xc0) == 0x80) {
        o--;
        i--;
    }
    out[o++] = '"';
    if (i < n) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
    return out;
}

#define QUOTE_SIZE (NAME_QUOTE_MAX * 4 + 8)

static const char *method_name(unsigned method)
{
    switch (method) {
    case 1: return "shrink";
    case 6: return "implode";
    case 9: return "deflate64";
    case 12: return "bzip2";
    case 14: return "LZMA";
    case 93: return "zstd";
    case 95: return "xz";
    case 98: return "PPMd";
    default: return "unknown";
    }
}

/* -------------------------------------------------------------- names --- */

/* LZ_EINPUT unless `name` is a safe relative '/'-separated path (see the
 * header comment); `utf8` says whether the archive flags it UTF-8. */
static int check_name(const uint8_t *name, size_t n, bool utf8, struct lz_error *err)
{
    char q[QUOTE_SIZE];
    bool ascii = true;
    size_t start = 0;

    if (n == 0)
        return lz_error_set(err, LZ_EINPUT, "zip: entry with an empty name");
    quote_name(q, sizeof q, name, n);
    if (memchr(name, '\0', n) != NULL)
        return lz_error_set(err, LZ_EINPUT, "zip: entry name %s contains a NUL byte", q);
    for (size_t i = 0; i < n; i++)
        ascii &= name[i] < 0x80;
    if (!ascii && !utf8)
        return lz_error_set(err, LZ_EINPUT,
                            "zip: entry name %s is not ASCII and not flagged UTF-8 (bit 11); "
                            "its encoding is ambiguous", q);
    if (!ascii && !utf8_valid(name, n))
        return lz_error_set(err, LZ_EINPUT, "zip: entry name %s is not valid UTF-8", q);
    if (memchr(name, '\\', n) != NULL)
        return lz_error_set(err, LZ_EINPUT, "zip: entry name %s contains a backslash", q);
    if (name[0] == '/')
        return lz_error_set(err, LZ_EINPUT, "zip: entry name %s is an absolute path", q);
    /* Components; a final '/' (directory) leaves one empty last component. */
    for (size_t i = 0; i <= n; i++) {
        size_t len;

        if (i < n && name[i] != '/')
            continue;
        len = i - start;
        if (len == 0 && i < n)
            return lz_error_set(err, LZ_EINPUT, "zip: entry name %s has an empty path component", q);
        if (len == 2 && name[start] == '.' && name[start + 1] == '.')
            return lz_error_set(err, LZ_EINPUT, "zip: entry name %s climbs out with \"..\"", q);
        if (len == 1 && name[start] == '.')
            return lz_error_set(err, LZ_EINPUT, "zip: entry name %s has a \".\" component", q);
        start = i + 1;
    }
    return LZ_OK;
}

static bool is_dir_name(const char *name, size_t len)
{
    return len > 0 && name[len - 1] == '/';
}

/* -------------------------------------------------------------- index --- */

struct zip_index {
    size_t *zx_slots;       /* entry position + 1; 0 = empty */
    size_t zx_mask;         /* slot count - 1; the count is a power of two */
    uint64_t zx_k0, zx_k1;  /* SipHash key */
};

static struct zip_index *index_new(void)
{
    struct zip_index *x = lz_malloc(sizeof *x);

    if (x == NULL)
        return NULL;
    x->zx_slots = lz_malloc(INDEX_MIN_SLOTS * sizeof *x->zx_slots);
    if (x->zx_slots == NULL) {
        lz_free(x);
        return NULL;
    }
    memset(x->zx_slots, 0, INDEX_MIN_SLOTS * sizeof *x->zx_slots);
    x->zx_mask = INDEX_MIN_SLOTS - 1;
    /* The key only spreads names over slots; a fixed fallback costs nothing
     * but flooding resistance. */
    if (getrandom(&x->zx_k0, sizeof x->zx_k0, GRND_NONBLOCK) != sizeof x->zx_k0 ||
        getrandom(&x->zx_k1, sizeof x->zx_k1, GRND_NONBLOCK) != sizeof x->zx_k1) {
        x->zx_k0 = 0x6c617a79637a6970u;
        x->zx_k1 = 0x696e6465786b6579u;
    }
    return x;
}

static void index_free(struct zip_index *x)
{
    if (x != NULL)
        lz_free(x->zx_slots);
    lz_free(x);
}

static size_t index_home(const struct zip_index *x, const char *name, size_t len)
{
    return (size_t)lz_siphash(1, 3, x->zx_k0, x->zx_k1, name, len) & x->zx_mask;
}

/* The slot holding `name`, or the empty slot where it would go. */
static size_t *index_slot(const struct lz_zip *zip, const char *name, size_t len)
{
    const struct zip_index *x = zip->z_index;
    size_t s = index_home(x, name, len);

    for (;;) {
        size_t v = x->zx_slots[s];

        if (v == 0)
            return &x->zx_slots[s];
        if (strncmp(zip->z_entries[v - 1].ze_name, name, len) == 0 &&
            zip->z_entries[v - 1].ze_name[len] == '\0')
            return &x->zx_slots[s];
        s = (s + 1) & x->zx_mask;
    }
}

static bool index_has(const struct lz_zip *zip, const char *name, size_t len)
{
    return *index_slot(zip, name, len) != 0;
}

/* Rehash all entries into `slots` slots (a power of two). */
static int index_rebuild(struct lz_zip *zip, size_t slots)
{
    struct zip_index *x = zip->z_index;
    size_t *fresh, bytes;

    if (!lz_ckd_mul(&bytes, slots, sizeof *fresh) || (fresh = lz_malloc(bytes)) == NULL)
        return LZ_ENOMEM;
    memset(fresh, 0, bytes);
    lz_free(x->zx_slots);
    x->zx_slots = fresh;
    x->zx_mask = slots - 1;
    for (size_t i = 0; i < zip->z_count; i++) {
        const char *name = zip->z_entries[i].ze_name;

        *index_slot(zip, name, strlen(name)) = i + 1;
    }
    return LZ_OK;
}

/* Room for `count` entries at a load factor of at most 1/2. */
static int index_reserve(struct lz_zip *zip, size_t count)
{
    const struct zip_index *x = zip->z_index;
    size_t slots = x->zx_mask + 1;

    if (count <= slots / 2)
        return LZ_OK;
    while (slots / 2 < count) {
        if (slots > SIZE_MAX / 4)
            return LZ_ENOMEM;
        slots *= 2;
    }
    return index_rebuild(zip, slots);
}

/* Add `delta` (+1 or -1) to every stored position >= from. */
static void index_shift(struct zip_index *x, size_t from, int delta)
{
    for (size_t s = 0; s <= x->zx_mask; s++)
        if (x->zx_slots[s] != 0 && x->zx_slots[s] - 1 >= from)
            x->zx_slots[s] += (size_t)(ptrdiff_t)delta;
}

/* Remove entry i's slot; later slots of the probe run move back into the
 * hole when their home allows it, so lookups never need tombstones. */
static void index_delete(struct lz_zip *zip, size_t i)
{
    struct zip_index *x = zip->z_index;
    const char *name = zip->z_entries[i].ze_name;
    size_t hole = (size_t)(index_slot(zip, name, strlen(name)) - x->zx_slots);
    size_t s = hole;

    for (;;) {
        size_t v, home;

        s = (s + 1) & x->zx_mask;
        v = x->zx_slots[s];
        if (v == 0)
            break;
        name = zip->z_entries[v - 1].ze_name;
        home = index_home(x, name, strlen(name));
        /* v may fill the hole unless its home lies cyclically in (hole, s]. */
        if (((s - home) & x->zx_mask) >= ((s - hole) & x->zx_mask)) {
            x->zx_slots[hole] = v;
            hole = s;
        }
    }
    x->zx_slots[hole] = 0;
}

/* --------------------------------------------------------- entry list --- */

struct lz_zip *lz_zip_new(void)
{
    struct lz_zip *zip = lz_malloc(sizeof *zip);

    if (zip == NULL)
        return NULL;
    memset(zip, 0, sizeof *zip);
    zip->z_index = index_new();
    if (zip->z_index == NULL) {
        lz_free(zip);
        return NULL;
    }
    return zip;
}

void lz_zip_free(struct lz_zip *zip)
{
    if (zip == NULL)
        return;
    for (size_t i = 0; i < zip->z_count; i++) {
        lz_free(zip->z_entries[i].ze_name);
        lz_free(zip->z_entries[i].ze_data);
    }
    lz_free(zip->z_entries);
    lz_free(zip->z_prefix);
    index_free(zip->z_index);
    lz_free(zip);
}

long lz_zip_find(const struct lz_zip *zip, const char *name)
{
    size_t v = *index_slot(zip, name, strlen(name));

    return v == 0 ? -1 : (long)(v - 1);
}

static int entries_reserve(struct lz_zip *zip, size_t count)
{
    struct lz_zip_entry *grown;
    size_t cap = zip->z_cap ? zip->z_cap : 8, bytes;

    if (count <= zip->z_cap)
        return LZ_OK;
    while (cap < count) {
        if (cap > SIZE_MAX / 2)
            return LZ_ENOMEM;
        cap *= 2;
    }
    if (!lz_ckd_mul(&bytes, cap, sizeof *grown) ||
        (grown = lz_realloc(zip->z_entries, bytes)) == NULL)
        return LZ_ENOMEM;
    zip->z_entries = grown;
    zip->z_cap = cap;
    return LZ_OK;
}

/* LZ_EINPUT if `name` (validated) cannot join: taken, or its file/directory
 * twin ("a" vs "a/") is there. */
static int check_conflicts(const struct lz_zip *zip, const char *name, struct lz_error *err)
{
    char q[QUOTE_SIZE];
    size_t len = strlen(name);
    bool dir = is_dir_name(name, len);
    bool twin;

    if (index_has(zip, name, len))
        return lz_error_set(err, LZ_EINPUT, "zip: duplicate entry %s",
                            quote_name(q, sizeof q, (const uint8_t *)name, len));
    if (dir) {
        twin = index_has(zip, name, len - 1);           /* "a/" -> "a" is a prefix */
    } else {
        char *dname = lz_malloc(len + 2);               /* "a" -> "a/" needs a copy */

        if (dname == NULL)
            return lz_error_set(err, LZ_ENOMEM, "zip: out of memory");
        memcpy(dname, name, len);
        memcpy(dname + len, "/", 2);
        twin = index_has(zip, dname, len + 1);
        lz_free(dname);
    }
    if (twin)
        return lz_error_set(err, LZ_EINPUT, "zip: %s is both a file and a directory",
                            quote_name(q, sizeof q, (const uint8_t *)name, dir ? len - 1 : len));
    return LZ_OK;
}

/* LZ_EINPUT if a parent directory of `name` is there as a file: a parent
 * "a" of "a/b" named without its '/' can only be a file entry. */
static int check_parents(const struct lz_zip *zip, const char *name, struct lz_error *err)
{
    char q[QUOTE_SIZE], q2[QUOTE_SIZE];
    size_t len = strlen(name);

    for (size_t i = 1; i + 1 < len; i++)
        if (name[i] == '/' && index_has(zip, name, i))
            return lz_error_set(err, LZ_EINPUT, "zip: %s is a file but also the parent of %s",
                                quote_name(q, sizeof q, (const uint8_t *)name, i),
                                quote_name(q2, sizeof q2, (const uint8_t *)name, len));
    return LZ_OK;
}

/* Type bits from the name (a trailing '/' makes a directory), permission
 * bits from `mode`, or the defaults when it has none. */
static uint32_t normal_mode(const char *name, size_t len, uint32_t mode)
{
    bool dir = is_dir_name(name, len);
    uint32_t perm = mode & 07777;

    if (perm == 0)
        perm = dir ? 0755 : 0644;
    return (dir ? S_IFDIR : S_IFREG) | perm;
}

/* Put a new entry (name already owned) at `at`, shifting the rest. */
static int entries_put(struct lz_zip *zip, size_t at, char *name, uint32_t mode,
                       uint16_t method, int64_t mtime, uint8_t *data, size_t size)
{
    struct lz_zip_entry *e;

    if (entries_reserve(zip, zip->z_count + 1) != LZ_OK ||
        index_reserve(zip, zip->z_count + 1) != LZ_OK)
        return LZ_ENOMEM;
    memmove(&zip->z_entries[at + 1], &zip->z_entries[at],
            (zip->z_count - at) * sizeof *zip->z_entries);
    if (at < zip->z_count)
        index_shift(zip->z_index, at, +1);
    e = &zip->z_entries[at];
    e->ze_name = name;
    e->ze_mode = mode;
    e->ze_method = method;
    e->ze_mtime = mtime;
    e->ze_data = data;
    e->ze_size = size;
    zip->z_count++;
    *index_slot(zip, name, strlen(name)) = at + 1;
    return LZ_OK;
}

int lz_zip_insert(struct lz_zip *zip, size_t at, const char *name, uint32_t mode,
                  uint16_t method, int64_t mtime, uint8_t *data, size_t size,
                  struct lz_error *err)
{
    size_t len = strlen(name);
    char *copy = NULL;
    int rc;

    if (at > zip->z_count || (method != LZ_ZIP_STORED && method != LZ_ZIP_DEFLATED)) {
        rc = lz_error_set(err, LZ_EUSAGE, "zip: bad position %zu or method %u for insert",
                          at, method);
        goto fail;
    }
    rc = check_name((const uint8_t *)name, len, true, err);
    if (rc == LZ_OK)
        rc = check_conflicts(zip, name, err);
    if (rc == LZ_OK)
        rc = check_parents(zip, name, err);
    if (rc == LZ_OK && is_dir_name(name, len) && size != 0)
        rc = lz_error_set(err, LZ_EINPUT, "zip: directory entry %s given %zu bytes of data",
                          name, size);
    if (rc != LZ_OK)
        goto fail;
    if ((copy = lz_malloc(len + 1)) == NULL)
        goto nomem;
    memcpy(copy, name, len + 1);
    if (entries_put(zip, at, copy, normal_mode(name, len, mode), method, mtime, data, size) != LZ_OK)
        goto nomem;
    return LZ_OK;
nomem:
    rc = lz_error_set(err, LZ_ENOMEM, "zip: out of memory");
fail:
    lz_free(copy);
    lz_free(data);
    return rc;
}

void lz_zip_set_data(struct lz_zip *zip, size_t i, uint8_t *data, size_t size)
{
    lz_free(zip->z_entries[i].ze_data);
    zip->z_entries[i].ze_data = data;
    zip->z_entries[i].ze_size = size;
}

void lz_zip_remove(struct lz_zip *zip, size_t i)
{
    index_delete(zip, i);
    lz_free(zip->z_entries[i].ze_name);
    lz_free(zip->z_entries[i].ze_data);
    memmove(&zip->z_entries[i], &zip->z_entries[i + 1],
            (zip->z_count - i - 1) * sizeof *zip->z_entries);
    zip->z_count--;
    index_shift(zip->z_index, i + 1, -1);
}

/* ============================================================ reading === */

/* An entry's bytes in the file, in file order. */
struct span {
    size_t sp_start, sp_end, sp_index;
};

/* What the central directory says about an entry beyond struct lz_zip_entry. */
struct cd_info {
    uint64_t ci_csize, ci_usize;
    uint64_t ci_local;          /* local header offset from the archive start */
    uint32_t ci_crc;
    uint16_t ci_flags;
    size_t ci_start, ci_end;    /* local header .. end of data, file offsets */
};

struct zread {
    const uint8_t *zr_data;
    size_t zr_size;
    const struct lz_zip_limits *zr_limits;
    struct lz_error *zr_err;
    size_t zr_base;             /* archive start: offsets in it count from here */
    size_t zr_end;              /* end of the end record and its comment */
    size_t zr_cd_start, zr_cd_size;
    uint64_t zr_count;          /* entries the end record announces */
    size_t zr_prefix;           /* bytes kept verbatim: up to the first local header */
    struct cd_info *zr_info;    /* per entry, in central-directory order */
    struct span *zr_spans;      /* entries in file order (libarchive's order) */
    struct lz_zip *zr_zip;
};

#define ZR_TRY(expr)                     \
    do {                                 \
        int rc_ = (expr);                \
        if (rc_ != LZ_OK)                \
            return rc_;                  \
    } while (0)

static int zr_nomem(struct zread *r)
{
    return lz_error_set(r->zr_err, LZ_ENOMEM, "zip: out of memory");
}

/* --------------------------------------------------------- end record --- */

/* The last "PK\5\6" in the final 64 KiB + 22 bytes whose comment fits in
 * the file; bytes after that comment are ignored. */
static int find_end_record(struct zread *r, size_t *pos)
{
    const uint8_t *d = r->zr_data;
    size_t lowest;

    if (r->zr_size < ZIP_END_SIZE)
        return lz_error_set(r->zr_err, LZ_EINPUT,
                            "zip: file of %zu bytes is shorter than an end of central "
                            "directory record (22 bytes)", r->zr_size);
    lowest = r->zr_size - ZIP_END_SIZE;
    lowest = lowest > ZIP_COMMENT_MAX ? lowest - ZIP_COMMENT_MAX : 0;
    for (size_t p = r->zr_size - ZIP_END_SIZE + 1; p-- > lowest;) {
        if (zip_u32(d + p) == ZIP_SIG_END &&
            zip_u16(d + p + 20) <= r->zr_size - p - ZIP_END_SIZE) {
            *pos = p;
            return LZ_OK;
        }
    }
    return lz_error_set(r->zr_err, LZ_EINPUT,
                        "zip: no end of central directory record (not a zip archive, or truncated)");
}

/* The ZIP64 end record sits right before its locator (Python's zipfile and
 * zipimport look there too); its fields replace the end record's. */
static int read_end64(struct zread *r, size_t loc, uint64_t *count, uint64_t *cd_size,
                      uint64_t *cd_offset, size_t *cd_end)
{
    const uint8_t *d = r->zr_data, *z;

    if (zip_u32(d + loc + 4) != 0 || zip_u32(d + loc + 16) > 1)
        return lz_error_set(r->zr_err, LZ_EINPUT, "zip: multi-disk archives are not supported");
    if (loc < ZIP_END64_SIZE || zip_u32(d + loc - ZIP_END64_SIZE) != ZIP_SIG_END64)
        return lz_error_set(r->zr_err, LZ_EINPUT,
                            "zip: ZIP64 end locator without a ZIP64 end record before it");
    z = d + loc - ZIP_END64_SIZE;
    if (zip_u32(z + 16) != 0 || zip_u32(z + 20) != 0 || zip_u64(z + 24) != zip_u64(z + 32))
        return lz_error_set(r->zr_err, LZ_EINPUT, "zip: multi-disk archives are not supported");
    *count = zip_u64(z + 32);
    *cd_size = zip_u64(z + 40);
    *cd_offset = zip_u64(z + 48);
    *cd_end = loc - ZIP_END64_SIZE;
    return LZ_OK;
}

/* Locate the central directory and derive where the archive starts: the
 * directory ends where the (ZIP64) end record begins, so anything before
 * `offset` bytes ahead of it is prepended data. */
static int read_end_records(struct zread *r)
{
    const uint8_t *d = r->zr_data, *e;
    size_t pos = 0, cd_end;
    uint64_t count, cd_size, cd_offset;

    ZR_TRY(find_end_record(r, &pos));
    e = d + pos;
    count = zip_u16(e + 10);
    cd_size = zip_u32(e + 12);
    cd_offset = zip_u32(e + 16);
    cd_end = pos;
    /* With a ZIP64 record its fields count, disk numbers included: writers
     * may set every end record field to -1 ("see ZIP64", APPNOTE 4.4.1.4). */
    if (pos >= ZIP_LOCATOR64_SIZE && zip_u32(d + pos - ZIP_LOCATOR64_SIZE) == ZIP_SIG_LOCATOR64)
        ZR_TRY(read_end64(r, pos - ZIP_LOCATOR64_SIZE, &count, &cd_size, &cd_offset, &cd_end));
    else if (zip_u16(e + 4) != 0 || zip_u16(e + 6) != 0 || zip_u16(e + 8) != zip_u16(e + 10))
        return lz_error_set(r->zr_err, LZ_EINPUT, "zip: multi-disk archives are not supported");
    if (cd_size > cd_end || cd_offset > cd_end - cd_size)
        return lz_error_set(r->zr_err, LZ_EINPUT,
                            "zip: central directory (%" PRIu64 " bytes at offset %" PRIu64
                            ") lies outside the %zu bytes before the end record",
                            cd_size, cd_offset, cd_end);
    r->zr_cd_size = (size_t)cd_size;
    r->zr_cd_start = cd_end - (size_t)cd_size;
    r->zr_base = r->zr_cd_start - (size_t)cd_offset;
    r->zr_end = pos + ZIP_END_SIZE + zip_u16(e + 20);
    r->zr_count = count;
    return LZ_OK;
}

/* -------------------------------------------------- central directory --- */

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian, y >= 1970). */
static int64_t days_since_epoch(int y, int m, int d)
{
    static const int before_month[12] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };
    int64_t leaps = ((y - 1) / 4 - 1969 / 4) - ((y - 1) / 100 - 1969 / 100) +
                    ((y - 1) / 400 - 1969 / 400);
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return (int64_t)(y - 1970) * 365 + leaps + before_month[m - 1] + (leap && m > 2) + d - 1;
}

/* A DOS date and time (APPNOTE 4.4.6) read as UTC; nonsense months and days
 * are pulled into range rather than refused (only the time is affected). */
static int64_t dos_time_utc(uint16_t date, uint16_t time)
{
    int y = 1980 + (date >> 9), m = (date >> 5) & 15, d = date & 31;
    int hh = time >> 11, mm = (time >> 5) & 63, ss = (time & 31) * 2;

    if (m < 1 || m > 12)
        m = 1;
    if (d < 1)
        d = 1;
    return days_since_epoch(y, m, d) * 86400 + hh * 3600 + mm * 60 + ss;
}

/* Fields of one central directory header that need the extra field. */
struct cd_extra {
    uint64_t cx_usize, cx_csize, cx_local;
    int64_t cx_mtime;
    bool cx_has_mtime;
};

/* Walk the extra fields: ZIP64 sizes/offset for the saturated 32-bit fields
 * (in the fixed order usize, csize, offset) and the "UT" mtime.  Malformed
 * trailing bytes end the walk (some writers pad); a needed ZIP64 value that
 * is missing is an error. */
static int parse_cd_extra(struct zread *r, const uint8_t *x, size_t n, struct cd_extra *cx,
                          const char *q)
{
    bool need_u = cx->cx_usize == 0xffffffffu, need_c = cx->cx_csize == 0xffffffffu;
    bool need_l = cx->cx_local == 0xffffffffu;

    for (size_t o = 0; o + 4 <= n;) {
        uint16_t id = zip_u16(x + o), len = zip_u16(x + o + 2);
        const uint8_t *v = x + o + 4;

        if (len > n - o - 4)
            break;
        if (id == ZIP_EXTRA_ZIP64) {
            size_t k = 0;

            if (need_u && k + 8 <= len)
                cx->cx_usize = zip_u64(v + k), k += 8, need_u = false;
            if (need_c && k + 8 <= len)
                cx->cx_csize = zip_u64(v + k), k += 8, need_c = false;
            if (need_l && k + 8 <= len)
                cx->cx_local = zip_u64(v + k), k += 8, need_l = false;
        } else if (id == ZIP_EXTRA_UT && len >= 5 && (v[0] & 1)) {
            cx->cx_mtime = zip_u32(v + 1);
            cx->cx_has_mtime = true;
        }
        o += 4 + (size_t)len;
    }
    if (need_u || need_c || need_l)
        return lz_error_set(r->zr_err, LZ_EINPUT,
                            "zip: entry %s has 32-bit fields at their maximum but no ZIP64 "
                            "extra field with the values", q);
    return LZ_OK;
}

/* st_mode for an entry (see the header comment). */
static int entry_mode(struct zread *r, const uint8_t *h, const char *name, size_t len,
                      const char *q, uint32_t *mode)
{
    uint32_t ext = zip_u32(h + 38), unix_mode = ext >> 16, type;
    bool dir = is_dir_name(name, len);

    if (h[5] != ZIP_HOST_UNIX || unix_mode == 0) {
        /* MS-DOS attribute 0x10 marks a directory; libarchive trusts it. */
        if ((ext & 0x10) && !dir)
            return lz_error_set(r->zr_err, LZ_EINPUT,
                                "zip: entry %s is a directory without a trailing '/'", q);
        *mode = normal_mode(name, len, 0);
        return LZ_OK;
    }
    type = unix_mode & S_IFMT;
    if (type == S_IFLNK)
        return lz_error_set(r->zr_err, LZ_EINPUT, "zip: entry %s is a symbolic link", q);
    if (type != 0 && type != S_IFREG && type != S_IFDIR)
        return lz_error_set(r->zr_err, LZ_EINPUT,
                            "zip: entry %s is a special file (mode 0%o)", q, (unsigned)unix_mode);
    if (type == S_IFDIR && !dir)
        return lz_error_set(r->zr_err, LZ_EINPUT,
                            "zip: entry %s is a directory without a trailing '/'", q);
    *mode = normal_mode(name, len, unix_mode);
    return LZ_OK;
}

/* Sizes a reader can believe: stored sizes agree, deflate stays within its
 * best ratio, directories are empty. */
static int check_sizes(struct zread *r, uint16_t method, bool dir, uint64_t csize,
                       uint64_t usize, const char *q)
{
    if (dir && usize != 0)
        return lz_error_set(r->zr_err, LZ_EINPUT,
                            "zip: directory entry %s declares %" PRIu64 " bytes of data", q, usize);
    if (method == LZ_ZIP_STORED && csize != usize)
        return lz_error_set(r->zr_err, LZ_EINPUT,
                            "zip: stored entry %s has %" PRIu64 " compressed but %" PRIu64
                            " uncompressed bytes", q, csize, usize);
    if (method == LZ_ZIP_DEFLATED &&
        (csize > (UINT64_MAX - DEFLATE_RATIO_SLACK) / DEFLATE_MAX_RATIO ||
         usize > csize * DEFLATE_MAX_RATIO + DEFLATE_RATIO_SLACK))
        return lz_error_set(r->zr_err, LZ_EINPUT,
                            "zip: entry %s declares %" PRIu64 " bytes from %" PRIu64
                            " compressed bytes, beyond deflate's 1032:1 (zip bomb)",
                            q, usize, csize);
    return LZ_OK;
}

/* One central directory header at *pp (bounded by `end`) into entry i. */
static int read_cd_entry(struct zread *r, const uint8_t **pp, const uint8_t *end, size_t i)
{
    const uint8_t *h = *pp;
    char q[QUOTE_SIZE], *name;
    size_t n, x, c;
    uint16_t flags, method;
    uint32_t mode = 0;
    struct cd_extra cx;
    struct cd_info *ci = &r->zr_info[i];
    int rc;

    if ((size_t)(end - h) < ZIP_CENTRAL_SIZE || zip_u32(h) != ZIP_SIG_CENTRAL)
        return lz_error_set(r->zr_err, LZ_EINPUT,
                            "zip: central directory entry %zu of %" PRIu64 " at offset 0x%zx is "
                            "truncated or has no signature", i + 1, r->zr_count,
                            (size_t)(h - r->zr_data));
    n = zip_u16(h + 28);
    x = zip_u16(h + 30);
    c = zip_u16(h + 32);
    if (ZIP_CENTRAL_SIZE + n + x + c > (size_t)(end - h))
        return lz_error_set(r->zr_err, LZ_EINPUT,
                            "zip: central directory entry %zu of %" PRIu64 " runs past the "
                            "directory's end", i + 1, r->zr_count);
    flags = zip_u16(h + 8);
    method = zip_u16(h + 10);
    ZR_TRY(check_name(h + ZIP_CENTRAL_SIZE, n, flags & ZIP_FLAG_UTF8, r->zr_err));
    quote_name(q, sizeof q, h + ZIP_CENTRAL_SIZE, n);
    if ((flags & (ZIP_FLAG_ENCRYPTED | ZIP_FLAG_STRONG_ENCRYPTION | ZIP_FLAG_MASKED_CD)) ||
        method == 99)
        return lz_error_set(r->zr_err, LZ_EINPUT, "zip: entry %s is encrypted", q);
    if (method != LZ_ZIP_STORED && method != LZ_ZIP_DEFLATED)
        return lz_error_set(r->zr_err, LZ_EINPUT,
                            "zip: entry %s uses compression method %u (%s); only stored (0) "
                            "and deflate (8) are supported", q, method, method_name(method));
    if ((name = lz_malloc(n + 1)) == NULL)
        return zr_nomem(r);
    memcpy(name, h + ZIP_CENTRAL_SIZE, n);
    name[n] = '\0';
    cx = (struct cd_extra){ .cx_usize = zip_u32(h + 24), .cx_csize = zip_u32(h + 20),
                            .cx_local = zip_u32(h + 42) };
    rc = parse_cd_extra(r, h + ZIP_CENTRAL_SIZE + n, x, &cx, q);
    if (rc == LZ_OK)
        rc = entry_mode(r, h, name, n, q, &mode);
    if (rc == LZ_OK)
        rc = check_sizes(r, method, is_dir_name(name, n), cx.cx_csize, cx.cx_usize, q);
    if (rc == LZ_OK)
        rc = check_conflicts(r->zr_zip, name, r->zr_err);
    if (rc == LZ_OK && cx.cx_usize > SIZE_MAX)
        rc = zr_nomem(r);
    if (rc == LZ_OK &&
        entries_put(r->zr_zip, i, name, mode, method,
                    cx.cx_has_mtime ? cx.cx_mtime : dos_time_utc(zip_u16(h + 14), zip_u16(h + 12)),
                    NULL, (size_t)cx.cx_usize) != LZ_OK)
        rc = zr_nomem(r);
    if (rc != LZ_OK) {
        lz_free(name);
        return rc;
    }
    *ci = (struct cd_info){ .ci_csize = cx.cx_csize, .ci_usize = cx.cx_usize,
                            .ci_local = cx.cx_local, .ci_crc = zip_u32(h + 16),
                            .ci_flags = flags };
    *pp = h + ZIP_CENTRAL_SIZE + n + x + c;
    return LZ_OK;
}

/* All central directory headers, into r->zr_zip and r->zr_info. */
static int read_central_directory(struct zread *r)
{
    const uint8_t *p = r->zr_data + r->zr_cd_start, *end = p + r->zr_cd_size;
    uint64_t total = 0;
    size_t bytes;

    if (r->zr_count > r->zr_limits->zl_max_entries)
        return lz_error_set(r->zr_err, LZ_EINPUT,
                            "zip: %" PRIu64 " entries, more than the limit of %" PRIu64,
                            r->zr_count, r->zr_limits->zl_max_entries);
    /* Check the count against the bytes before sizing anything by it. */
    if (r->zr_count > r->zr_cd_size / ZIP_CENTRAL_SIZE)
        return lz_error_set(r->zr_err, LZ_EINPUT,
                            "zip: a central directory of %zu bytes cannot hold %" PRIu64
                            " entries", r->zr_cd_size, r->zr_count);
    if (!lz_ckd_mul(&bytes, (size_t)r->zr_count, sizeof *r->zr_info) ||
        (r->zr_info = lz_malloc(bytes)) == NULL ||
        entries_reserve(r->zr_zip, (size_t)r->zr_count) != LZ_OK ||
        index_reserve(r->zr_zip, (size_t)r->zr_count) != LZ_OK)
        return zr_nomem(r);
    for (size_t i = 0; i < r->zr_count; i++) {
        ZR_TRY(read_cd_entry(r, &p, end, i));
        if (__builtin_add_overflow(total, r->zr_info[i].ci_usize, &total))
            total = UINT64_MAX;
    }
    if (total > r->zr_limits->zl_max_total)
        return lz_error_set(r->zr_err, LZ_EINPUT,
                            "zip: entries declare %" PRIu64 " bytes uncompressed, more than "
                            "the limit of %" PRIu64, total, r->zr_limits->zl_max_total);
    for (size_t i = 0; i < r->zr_count; i++)
        ZR_TRY(check_parents(r->zr_zip, r->zr_zip->z_entries[i].ze_name, r->zr_err));
    return LZ_OK;
}

/* ------------------------------------------------------------- layout --- */

/* Entry i's local header: inside the archive data, signed, same name and
 * method as the central directory; sets ci_start/ci_end. */
static int check_local_header(struct zread *r, size_t i)
{
    struct cd_info *ci = &r->zr_info[i];
    const struct lz_zip_entry *e = &r->zr_zip->z_entries[i];
    size_t avail = r->zr_cd_start - r->zr_base, n = strlen(e->ze_name), off, x;
    const uint8_t *h;
    char q[QUOTE_SIZE];

    quote_name(q, sizeof q, (const uint8_t *)e->ze_name, n);
    if (ci->ci_local > avail || avail - ci->ci_local < ZIP_LOCAL_SIZE)
        return lz_error_set(r->zr_err, LZ_EINPUT,
                            "zip: local header of %s at offset %" PRIu64 " lies outside the "
                            "%zu bytes before the central directory", q, ci->ci_local, avail);
    off = r->zr_base + (size_t)ci->ci_local;
    h = r->zr_data + off;
    if (zip_u32(h) != ZIP_SIG_LOCAL)
        return lz_error_set(r->zr_err, LZ_EINPUT,
                            "zip: no local header signature for %s at offset %" PRIu64,
                            q, ci->ci_local);
    x = zip_u16(h + 28);
    if (zip_u16(h + 26) != n || ZIP_LOCAL_SIZE + n > avail - ci->ci_local ||
        memcmp(h + ZIP_LOCAL_SIZE, e->ze_name, n) != 0)
        return lz_error_set(r->zr_err, LZ_EINPUT,
                            "zip: local header at offset %" PRIu64 " does not name %s as the "
                            "central directory does", ci->ci_local, q);
    if (zip_u16(h + 8) != e->ze_method)
        return lz_error_set(r->zr_err, LZ_EINPUT,
                            "zip: local header of %s gives method %u, the central directory %u",
                            q, zip_u16(h + 8), e->ze_method);
    if (ZIP_LOCAL_SIZE + n + x > avail - ci->ci_local ||
        ci->ci_csize > avail - ci->ci_local - ZIP_LOCAL_SIZE - n - x)
        return lz_error_set(r->zr_err, LZ_EINPUT,
                            "zip: data of %s runs into the central directory", q);
    ci->ci_start = off;
    ci->ci_end = off + ZIP_LOCAL_SIZE + n + x + (size_t)ci->ci_csize;
    return LZ_OK;
}

static int by_start(const void *a, const void *b)
{
    const struct span *x = a, *y = b;

    if (x->sp_start != y->sp_start)
        return x->sp_start < y->sp_start ? -1 : 1;
    return x->sp_index < y->sp_index ? -1 : 1;
}

/* Local headers, no two entries sharing bytes, and the prefix: everything
 * before the first local header (or the central directory) is kept. */
static int check_layout(struct zread *r)
{
    size_t count = r->zr_zip->z_count, bytes;
    struct span *spans;
    int rc = LZ_OK;

    r->zr_prefix = r->zr_cd_start;
    if (count == 0)
        return LZ_OK;
    for (size_t i = 0; i < count; i++)
        ZR_TRY(check_local_header(r, i));
    if (!lz_ckd_mul(&bytes, count, sizeof *spans) || (spans = lz_malloc(bytes)) == NULL)
        return zr_nomem(r);
    for (size_t i = 0; i < count; i++)
        spans[i] = (struct span){ r->zr_info[i].ci_start, r->zr_info[i].ci_end, i };
    r->zr_spans = spans;
    qsort(spans, count, sizeof *spans, by_start);
    r->zr_prefix = spans[0].sp_start;
    for (size_t k = 1; k < count && rc == LZ_OK; k++) {
        char q1[QUOTE_SIZE], q2[QUOTE_SIZE];
        const char *n1 = r->zr_zip->z_entries[spans[k - 1].sp_index].ze_name;
        const char *n2 = r->zr_zip->z_entries[spans[k].sp_index].ze_name;

        if (spans[k].sp_start < spans[k - 1].sp_end)
            rc = lz_error_set(r->zr_err, LZ_EINPUT, "zip: entries %s and %s overlap in the file",
                              quote_name(q1, sizeof q1, (const uint8_t *)n1, strlen(n1)),
                              quote_name(q2, sizeof q2, (const uint8_t *)n2, strlen(n2)));
    }
    return rc;
}

/* ----------------------------------------------------------- contents --- */

/* CRC-32 (ISO 3309, as zip uses it) a nibble at a time: a 16-entry table
 * (generated from the reflected polynomial 0xEDB88320) keeps it constant
 * data, so no initialisation races between threads. */
static uint32_t crc32_update(uint32_t crc, const uint8_t *p, size_t n)
{
    static const uint32_t nibble[16] = {
        0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac, 0x76dc4190, 0x6b6b51f4,
        0x4db26158, 0x5005713c, 0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
        0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
    };

    crc = ~crc;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        crc = (crc >> 4) ^ nibble[crc & 15];
        crc = (crc >> 4) ^ nibble[crc & 15];
    }
    return ~crc;
}

const char *zip_archive_message(struct archive *a, char msg[ZIP_MESSAGE_MAX])
{
    const char *text = archive_error_string(a);
    size_t n;

    snprintf(msg, ZIP_MESSAGE_MAX, "%s", text ? text : "unknown error");
    for (n = 0; msg[n] != '\0'; n++)
        if ((unsigned char)msg[n] < 0x20 || msg[n] == 0x7f)
            msg[n] = ' ';
    while (n > 0 && msg[n - 1] == ' ')
        msg[--n] = '\0';
    return msg;
}

static int libarchive_error(struct zread *r, struct archive *a, const char *q)
{
    char msg[ZIP_MESSAGE_MAX];

    zip_archive_message(a, msg);
    if (q == NULL)
        return lz_error_set(r->zr_err, LZ_EINPUT, "zip: libarchive: %s", msg);
    return lz_error_set(r->zr_err, LZ_EINPUT, "zip: entry %s: libarchive: %s", q, msg);
}

/* The contents of entry i from libarchive: exactly the declared size (read
 * into a buffer of that size, then one more byte must not come), then the
 * declared CRC. */
static int read_entry_data(struct zread *r, struct archive *a, size_t i)
{
    struct lz_zip_entry *e = &r->zr_zip->z_entries[i];
    const struct cd_info *ci = &r->zr_info[i];
    size_t want = e->ze_size, got = 0;
    uint8_t *buf = NULL, extra;
    char q[QUOTE_SIZE];
    la_ssize_t n;
    uint32_t crc;

    quote_name(q, sizeof q, (const uint8_t *)e->ze_name, strlen(e->ze_name));
    if (!is_dir_name(e->ze_name, strlen(e->ze_name)) && (buf = lz_malloc(want)) == NULL)
        return zr_nomem(r);
    while (got < want && (n = archive_read_data(a, buf + got, want - got)) != 0) {
        if (n < 0) {
            lz_free(buf);
            return libarchive_error(r, a, q);
        }
        got += (size_t)n;
    }
    n = archive_read_data(a, &extra, 1);
    if (n < 0 || got < want || n > 0) {
        lz_free(buf);
        if (n < 0)
            return libarchive_error(r, a, q);
        if (n > 0)
            return lz_error_set(r->zr_err, LZ_EINPUT,
                                "zip: entry %s holds more than the %zu bytes declared", q, want);
        return lz_error_set(r->zr_err, LZ_EINPUT,
                            "zip: entry %s holds %zu bytes, %zu declared", q, got, want);
    }
    crc = crc32_update(0, buf, got);
    if (crc != ci->ci_crc) {
        lz_free(buf);
        return lz_error_set(r->zr_err, LZ_EINPUT,
                            "zip: entry %s fails its CRC check (0x%08x, 0x%08x declared)",
                            q, crc, ci->ci_crc);
    }
    e->ze_data = buf;
    return LZ_OK;
}

/* Walk libarchive's entries.  The seekable reader returns them in local
 * header order, so the k-th is the k-th span; its name, when libarchive can
 * give one, must be that entry's. */
static int read_entries(struct zread *r, struct archive *a)
{
    struct archive_entry *ae;
    size_t k = 0;
    int rc;

    while ((rc = archive_read_next_header(a, &ae)) != ARCHIVE_EOF) {
        const char *name, *want;
        char q[QUOTE_SIZE], q2[QUOTE_SIZE];
        size_t i;

        /* ARCHIVE_WARN comes with a name the locale cannot spell (see
         * read_contents); everything else is checked against the central
         * directory. */
        if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN)
            return libarchive_error(r, a, NULL);
        if (k == r->zr_zip->z_count)
            return lz_error_set(r->zr_err, LZ_EINPUT,
                                "zip: libarchive found more entries than the central "
                                "directory lists");
        i = r->zr_spans[k++].sp_index;
        want = r->zr_zip->z_entries[i].ze_name;
        name = archive_entry_pathname_utf8(ae);
        if (name != NULL && strcmp(name, want) != 0)
            return lz_error_set(r->zr_err, LZ_EINPUT,
                                "zip: libarchive found entry %s where the central directory "
                                "has %s", quote_name(q, sizeof q, (const uint8_t *)name, strlen(name)),
                                quote_name(q2, sizeof q2, (const uint8_t *)want, strlen(want)));
        ZR_TRY(read_entry_data(r, a, i));
    }
    if (k < r->zr_zip->z_count) {
        const char *name = r->zr_zip->z_entries[r->zr_spans[k].sp_index].ze_name;
        char q[QUOTE_SIZE];

        return lz_error_set(r->zr_err, LZ_EINPUT, "zip: libarchive did not return entry %s",
                            quote_name(q, sizeof q, (const uint8_t *)name, strlen(name)));
    }
    return LZ_OK;
}

/* libarchive sees the archive from its start to the end of the end record's
 * comment, so its offsets need no prefix correction and trailing bytes
 * cannot confuse its end-record search.  Only the seekable zip reader is
 * registered: it takes the central directory's word, as we do. */
static int read_contents(struct zread *r)
{
    struct archive *a;
    locale_t utf8 = newlocale(LC_ALL_MASK, "C.UTF-8", (locale_t)0), saved = (locale_t)0;
    int rc;

    /* libarchive converts names to the locale's charset and has no name at
     * all when it cannot (the C locale and a non-ASCII name).  A UTF-8
     * locale for this thread only, while libarchive runs, keeps the names
     * without touching the process locale. */
    if (utf8 != (locale_t)0)
        saved = uselocale(utf8);
    a = archive_read_new();
    if (a == NULL)
        rc = zr_nomem(r);
    else if (archive_read_support_format_zip_seekable(a) != ARCHIVE_OK ||
        archive_read_open_memory(a, r->zr_data + r->zr_base, r->zr_end - r->zr_base) != ARCHIVE_OK)
        rc = libarchive_error(r, a, NULL);
    else
        rc = read_entries(r, a);
    archive_read_free(a);
    if (utf8 != (locale_t)0) {
        uselocale(saved);
        freelocale(utf8);
    }
    return rc;
}

/* -------------------------------------------------------------- driver --- */

static int copy_prefix(struct zread *r)
{
    struct lz_zip *zip = r->zr_zip;

    if (r->zr_prefix == 0)
        return LZ_OK;
    if ((zip->z_prefix = lz_malloc(r->zr_prefix)) == NULL)
        return zr_nomem(r);
    memcpy(zip->z_prefix, r->zr_data, r->zr_prefix);
    zip->z_prefix_len = r->zr_prefix;
    return LZ_OK;
}

static int read_archive(struct zread *r)
{
    ZR_TRY(read_end_records(r));
    ZR_TRY(read_central_directory(r));
    ZR_TRY(check_layout(r));
    /* libarchive calls an archive without entries (only an end record, as
     * Python's zipfile and lz_zip_write make it) "Unrecognized archive
     * format"; there are no contents to read anyway. */
    if (r->zr_zip->z_count > 0)
        ZR_TRY(read_contents(r));
    ZR_TRY(copy_prefix(r));
    return LZ_OK;
}

int lz_zip_read(const uint8_t *data, size_t size, const struct lz_zip_limits *limits,
                struct lz_zip **out, struct lz_error *err)
{
    static const struct lz_zip_limits defaults = { LZ_ZIP_DEFAULT_MAX_TOTAL,
                                                   LZ_ZIP_DEFAULT_MAX_ENTRIES };
    struct zread r = { .zr_data = data, .zr_size = size,
                       .zr_limits = limits ? limits : &defaults, .zr_err = err };
    int rc;

    *out = NULL;
    if ((r.zr_zip = lz_zip_new()) == NULL)
        return zr_nomem(&r);
    rc = read_archive(&r);
    lz_free(r.zr_info);
    lz_free(r.zr_spans);
    if (rc != LZ_OK) {
        lz_zip_free(r.zr_zip);
        return rc;
    }
    *out = r.zr_zip;
    return LZ_OK;
}
