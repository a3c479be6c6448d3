/* lz_zip.h - a zip archive held in memory: read from untrusted bytes,
 * edited as a list of entries, written back as a clean, deterministic zip.
 *
 *   1. lz_zip_read(data, size, &limits, &zip, &err)   parses the end record and
 *      central directory itself (prefix bytes, order, attributes, methods),
 *      reads the contents with libarchive, refuses hostile archives
 *   2. edit zip->z_entries (lz_zip_find / lz_zip_insert / lz_zip_remove)
 *   3. lz_zip_write(zip, &wopts, &buf, &err)          prefix + zip into `buf`
 *   4. lz_zip_free(zip)
 *
 * Errors are one line naming the cause (the caller adds the file name).
 */
#ifndef LZ_ZIP_H
#define LZ_ZIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lz_alloc.h"
#include "lz_error.h"

#define LZ_ZIP_STORED 0
#define LZ_ZIP_DEFLATED 8

struct lz_zip_entry {
    char *ze_name;          /* UTF-8 path as stored, '/' separated; directories end in '/'; owned */
    uint32_t ze_mode;       /* st_mode (type + permission bits) from the external
                               attributes; S_IFREG|0644 / S_IFDIR|0755 when the
                               archive has no Unix attributes */
    uint16_t ze_method;     /* LZ_ZIP_STORED or LZ_ZIP_DEFLATED */
    int64_t ze_mtime;       /* seconds since the epoch, UTC */
    uint8_t *ze_data;       /* contents (lz_malloc'd, owned; NULL for directories) */
    size_t ze_size;
};

struct lz_zip {
    uint8_t *z_prefix;      /* bytes before the archive (shebang, script, ELF...); owned */
    size_t z_prefix_len;
    struct lz_zip_entry *z_entries;   /* central-directory order; owned */
    size_t z_count, z_cap;
    void *z_index;          /* name lookup, private */
};

/* What a reader accepts before it calls an archive a bomb. */
struct lz_zip_limits {
    uint64_t zl_max_total;      /* sum of uncompressed sizes */
    uint64_t zl_max_entries;
};
#define LZ_ZIP_DEFAULT_MAX_TOTAL ((uint64_t)2 << 30)   /* 2 GiB */
#define LZ_ZIP_DEFAULT_MAX_ENTRIES 1000000u

/* Parse a whole archive file.  LZ_EINPUT with a one-line cause for: no end
 * record, a central directory out of range or inconsistent with the local
 * headers, names that are absolute or climb out with "..", backslashes or
 * NUL in names, symbolic links and other non-regular entries, duplicate
 * names, encrypted entries, methods other than stored/deflate, sizes past
 * `limits` or contents larger than declared; LZ_ENOMEM. */
int lz_zip_read(const uint8_t *data, size_t size, const struct lz_zip_limits *limits,
                struct lz_zip **out, struct lz_error *err);
struct lz_zip *lz_zip_new(void);
void lz_zip_free(struct lz_zip *zip);

/* Index of the entry named `name`, or -1. */
long lz_zip_find(const struct lz_zip *zip, const char *name);
/* Insert a new entry at position `at` (0..z_count), taking ownership of
 * `data` (also on failure).  The name is copied.  LZ_EINPUT if the name
 * already exists, LZ_ENOMEM. */
int lz_zip_insert(struct lz_zip *zip, size_t at, const char *name, uint32_t mode,
                  uint16_t method, int64_t mtime, uint8_t *data, size_t size,
                  struct lz_error *err);
/* Replace the contents of entry i (takes ownership of `data`). */
void lz_zip_set_data(struct lz_zip *zip, size_t i, uint8_t *data, size_t size);
void lz_zip_remove(struct lz_zip *zip, size_t i);

struct lz_zip_write_opts {
    bool zw_fixed_mtime;     /* give every entry zw_mtime (SOURCE_DATE_EPOCH) */
    int64_t zw_mtime;        /* clamped to 1980-01-01 .. 2107 */
};
/* SOURCE_DATE_EPOCH from the environment into `o` (unset: entries keep their
 * own times).  LZ_EUSAGE if it is set but not a number. */
int lz_zip_write_opts_from_env(struct lz_zip_write_opts *o, struct lz_error *err);

/* Set the process time zone to UTC (setenv("TZ", "UTC0") + tzset(), once):
 * libarchive turns mtimes into DOS times with localtime(), and output must
 * not depend on where it is made.  This is process-wide - every later
 * localtime() in the process sees UTC - and setenv is not thread-safe, so
 * call it before starting threads; lz_zip_write calls it too. */
void lz_zip_write_init(void);

/* Append prefix + archive to `out`: entries in order, each with its method,
 * mode, time (DOS time in UTC) and UTF-8 flagged name; sizes set, ZIP64 only
 * when needed, no trailing padding.  Same input, same bytes. */
int lz_zip_write(const struct lz_zip *zip, const struct lz_zip_write_opts *o,
                 struct lz_buf *out, struct lz_error *err);

/* sha256 of `data` as a wheel RECORD hash: "sha256=" + urlsafe base64
 * without padding, NUL-terminated into out[72]. */
void lz_record_hash(const uint8_t *data, size_t size, char out[72]);

#endif
