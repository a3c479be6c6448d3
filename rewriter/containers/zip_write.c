/* zip_write.c - a clean, deterministic zip through libarchive (3.6.2 traps:
 * shared/reference/packaging.md sections 6 and 8).
 *
 * Output: the prefix verbatim, then the archive, entries in list order.  For
 * the same entries, options, libarchive and zlib the bytes are the same:
 *   - no trailing padding: bytes_in_last_block = 1 (the default pads to 10240
 *     bytes when writing through callbacks, which uv refuses)
 *   - sizes always set, so ZIP64 appears only above 4 GiB
 *   - names through hdrcharset=UTF-8 + archive_entry_set_pathname_utf8, which
 *     sets bit 11 for non-ASCII names whatever the locale
 *   - method per entry with archive_write_zip_set_compression_* before each
 *     header (the "compression" format option is only legal before the first
 *     header; between entries it kills the archive)
 *   - mode = type bits from the name + permission bits, uid/gid 0, no user or
 *     group names, no atime/ctime/birthtime; mtime clamped to what DOS time and
 *     the 32-bit "UT" field hold
 *   - DOS times in UTC: libarchive converts with localtime(), so the process
 *     time zone is set to UTC once (lz_zip_write_init).
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "lz_zip.h"
#include "zip_int.h"

/* Data is handed to libarchive in slices of this size. */
#define WRITE_SLICE_SIZE ((size_t)1 << 20)

static pthread_once_t tz_once = PTHREAD_ONCE_INIT;

static void set_tz_utc(void)
{
    /* "UTC0" is a POSIX TZ rule, so no zoneinfo file is needed. */
    setenv("TZ", "UTC0", 1);
    tzset();
}

void lz_zip_write_init(void)
{
    pthread_once(&tz_once, set_tz_utc);
}

int lz_zip_write_opts_from_env(struct lz_zip_write_opts *o, struct lz_error *err)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    char *end;
    long long v;

    o->zw_fixed_mtime = false;
    o->zw_mtime = 0;
    if (s == NULL)
        return LZ_OK;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (*s < '0' || *s > '9' || *end != '\0' || errno != 0)
        return lz_error_set(err, LZ_EUSAGE,
                            "SOURCE_DATE_EPOCH=\"%.40s\" is not a number of seconds", s);
    o->zw_fixed_mtime = true;
    o->zw_mtime = v;
    return LZ_OK;
}

static int64_t clamp_mtime(int64_t t)
{
    return t < ZIP_TIME_MIN ? ZIP_TIME_MIN : t > ZIP_TIME_MAX ? ZIP_TIME_MAX : t;
}

/* ------------------------------------------------------------- output --- */

struct zwrite {
    struct lz_buf *zw_out;
    struct archive *zw_archive;
    struct archive_entry *zw_entry;
    struct lz_error *zw_err;
};

static la_ssize_t append_cb(struct archive *a, void *ctx, const void *buf, size_t n)
{
    struct lz_buf *out = ctx;

    lz_buf_put(out, buf, n);
    if (out->b_failed) {
        archive_set_error(a, ENOMEM, "out of memory");
        return -1;
    }
    return (la_ssize_t)n;
}

/* The buffer's failure wins over libarchive's view of it. */
static int write_error(struct zwrite *w, const char *what)
{
    char msg[ZIP_MESSAGE_MAX];

    if (w->zw_out->b_failed)
        return lz_error_set(w->zw_err, LZ_ENOMEM, "zip: out of memory");
    return lz_error_set(w->zw_err, LZ_EIO, "zip: %s: libarchive: %s", what,
                        zip_archive_message(w->zw_archive, msg));
}

static int open_archive(struct zwrite *w)
{
    struct archive *a = archive_write_new();

    if (a == NULL)
        return lz_error_set(w->zw_err, LZ_ENOMEM, "zip: out of memory");
    w->zw_archive = a;
    if (archive_write_set_format_zip(a) != ARCHIVE_OK ||
        archive_write_set_bytes_in_last_block(a, 1) != ARCHIVE_OK ||
        archive_write_set_format_option(a, "zip", "hdrcharset", "UTF-8") != ARCHIVE_OK ||
        archive_write_open(a, w->zw_out, NULL, append_cb, NULL) != ARCHIVE_OK)
        return write_error(w, "cannot start the archive");
    if ((w->zw_entry = archive_entry_new()) == NULL)
        return lz_error_set(w->zw_err, LZ_ENOMEM, "zip: out of memory");
    return LZ_OK;
}

static int write_entry(struct zwrite *w, const struct lz_zip_entry *e,
                       const struct lz_zip_write_opts *o)
{
    struct archive *a = w->zw_archive;
    struct archive_entry *ae = w->zw_entry;
    size_t len = strlen(e->ze_name);
    bool dir = len > 0 && e->ze_name[len - 1] == '/';
    int64_t mtime = clamp_mtime(o != NULL && o->zw_fixed_mtime ? o->zw_mtime : e->ze_mtime);
    int rc;

    archive_entry_clear(ae);
    archive_entry_set_pathname_utf8(ae, e->ze_name);
    archive_entry_set_mode(ae, (dir ? AE_IFDIR : AE_IFREG) | (e->ze_mode & 07777));
    archive_entry_set_size(ae, dir ? 0 : (la_int64_t)e->ze_size);
    archive_entry_set_mtime(ae, (time_t)mtime, 0);
    archive_entry_set_uid(ae, 0);
    archive_entry_set_gid(ae, 0);
    rc = !dir && e->ze_method == LZ_ZIP_DEFLATED ? archive_write_zip_set_compression_deflate(a)
                                                 : archive_write_zip_set_compression_store(a);
    if (rc != ARCHIVE_OK || archive_write_header(a, ae) != ARCHIVE_OK)
        return write_error(w, e->ze_name);
    for (size_t off = 0; !dir && off < e->ze_size;) {
        size_t n = e->ze_size - off < WRITE_SLICE_SIZE ? e->ze_size - off : WRITE_SLICE_SIZE;
        la_ssize_t done = archive_write_data(a, e->ze_data + off, n);

        if (done <= 0)
            return write_error(w, e->ze_name);
        off += (size_t)done;
    }
    if (archive_write_finish_entry(a) != ARCHIVE_OK)
        return write_error(w, e->ze_name);
    return LZ_OK;
}

int lz_zip_write(const struct lz_zip *zip, const struct lz_zip_write_opts *o,
                 struct lz_buf *out, struct lz_error *err)
{
    struct zwrite w = { .zw_out = out, .zw_err = err };
    size_t start = out->b_len;
    int rc;

    lz_zip_write_init();
    if (zip->z_prefix_len > 0)
        lz_buf_put(out, zip->z_prefix, zip->z_prefix_len);
    rc = open_archive(&w);
    for (size_t i = 0; rc == LZ_OK && i < zip->z_count; i++)
        rc = write_entry(&w, &zip->z_entries[i], o);
    if (rc == LZ_OK && archive_write_close(w.zw_archive) != ARCHIVE_OK)
        rc = write_error(&w, "cannot finish the archive");
    archive_entry_free(w.zw_entry);
    if (w.zw_archive != NULL)
        archive_write_free(w.zw_archive);
    if (rc == LZ_OK && out->b_failed)
        rc = lz_error_set(err, LZ_ENOMEM, "zip: out of memory");
    if (rc != LZ_OK && !out->b_failed)
        out->b_len = start;         /* nothing half-written stays behind */
    return rc;
}
