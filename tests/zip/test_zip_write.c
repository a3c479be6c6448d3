/* test_zip_write.c - the zip writer (and the reader and entry list under it).
 *
 * Proves, on archives built through the API:
 *   - read(write(zip)) keeps names, order, modes, methods, times, data and
 *     the prefix; an archive without entries too
 *   - the bytes: end record last with nothing after it, central directory
 *     and local headers agree, bit 11 set on exactly the non-ASCII names, no
 *     ZIP64 record or extra field in a small archive
 *   - determinism: same input, same bytes, whatever the caller's time zone
 *   - SOURCE_DATE_EPOCH: every DOS time and "UT" time is that instant in
 *     UTC, clamped to 1980; a non-number is a usage error
 *   - limits: zl_max_total and zl_max_entries refuse with one line
 *   - the entry list: insert / find / remove keep the name index right over
 *     thousands of entries; bad names, duplicates and file/dir twins refused
 *   - lz_record_hash: values computed once with Python's hashlib + base64
 * External readers (python -m zipfile -t, unzip -t): check_external.sh.
 */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "lz_zip.h"
#include "test_common.h"
#include "zip_int.h"

/* 2023-11-14 22:13:20 UTC as DOS date and time (APPNOTE 4.4.6):
 * ((2023 - 1980) << 9 | 11 << 5 | 14), (22 << 11 | 13 << 5 | 20 / 2). */
#define EPOCH_T 1700000000
#define EPOCH_DOS_DATE 22382
#define EPOCH_DOS_TIME 45482
/* 1980-01-01 00:00:00, the earliest DOS time. */
#define DOS_MIN_DATE 33
#define DOS_MIN_TIME 0

static const char PREFIX[] = "#!/usr/bin/env python3\n# prefix bytes kept as they are\n";

static uint8_t *dup_bytes(const void *p, size_t n)
{
    uint8_t *d = malloc(n ? n : 1);

    ck_assert_ptr_nonnull(d);
    memcpy(d, p, n);
    return d;
}

static bool same_bytes(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
    return an == bn && (an == 0 || memcmp(a, b, an) == 0);
}

static void add(struct lz_zip *zip, const char *name, uint32_t mode, uint16_t method,
                int64_t mtime, const char *data)
{
    struct lz_error err = { 0 };
    size_t n = data ? strlen(data) : 0;

    ck_assert_msg(lz_zip_insert(zip, zip->z_count, name, mode, method, mtime,
                                data ? dup_bytes(data, n) : NULL, n, &err) == LZ_OK,
                  "insert %s: %s", name, err.e_msg);
}

/* A small archive with a bit of everything: a prefix, directories, stored
 * and deflated files, modes, a non-ASCII name, an empty file, binary data. */
static struct lz_zip *sample(void)
{
    struct lz_zip *zip = lz_zip_new();
    struct lz_error err = { 0 };
    uint8_t *bin = malloc(3000);

    ck_assert_ptr_nonnull(zip);
    ck_assert_ptr_nonnull(bin);
    zip->z_prefix = dup_bytes(PREFIX, sizeof PREFIX - 1);
    zip->z_prefix_len = sizeof PREFIX - 1;
    add(zip, "__main__.py", 0644, LZ_ZIP_STORED, 1600000000, "import pk.mod\n");
    add(zip, "pk/", 0755, LZ_ZIP_STORED, 1600000002, NULL);
    add(zip, "pk/__init__.py", 0644, LZ_ZIP_STORED, 1600000004, "");
    add(zip, "pk/mod.py", 0600, LZ_ZIP_DEFLATED, 1600000006,
        "x = 1\nx = 1\nx = 1\nx = 1\nx = 1\nx = 1\nx = 1\nx = 1\n");
    add(zip, "pk/r\xc3\xa9sum\xc3\xa9.py", 0644, LZ_ZIP_DEFLATED, 1600000008, "y = 2\n");
    add(zip, "bin/", 0700, LZ_ZIP_STORED, 1600000010, NULL);
    add(zip, "bin/tool", 0755, LZ_ZIP_STORED, 1600000011, "#!/bin/sh\necho hi\n");
    for (size_t i = 0; i < 3000; i++)
        bin[i] = (uint8_t)(i * 7 + i / 13);
    ck_assert(lz_zip_insert(zip, zip->z_count, "data/blob.bin", 0444, LZ_ZIP_DEFLATED,
                            1600000012, bin, 3000, &err) == LZ_OK);
    /* Inserted in the middle: order is the list's, not the insertion's. */
    add(zip, "aaa_first.txt", 0644, LZ_ZIP_STORED, 1600000014, "first\n");
    ck_assert_int_eq(lz_zip_find(zip, "aaa_first.txt"), 8);
    return zip;
}

static void write_zip(const struct lz_zip *zip, const struct lz_zip_write_opts *o, struct lz_buf *out)
{
    struct lz_error err = { 0 };

    lz_buf_init(out);
    ck_assert_msg(lz_zip_write(zip, o, out, &err) == LZ_OK, "write: %s", err.e_msg);
    ck_assert(!out->b_failed);
}

static struct lz_zip *read_zip(const struct lz_buf *b)
{
    struct lz_zip *zip = NULL;
    struct lz_error err = { 0 };

    ck_assert_msg(lz_zip_read(b->b_data, b->b_len, NULL, &zip, &err) == LZ_OK,
                  "read: %s", err.e_msg);
    return zip;
}

static void assert_same_entries(const struct lz_zip *got, const struct lz_zip *want, bool times)
{
    ck_assert_msg(same_bytes(got->z_prefix, got->z_prefix_len, want->z_prefix, want->z_prefix_len),
                  "prefix differs (%zu bytes, %zu expected)", got->z_prefix_len, want->z_prefix_len);
    ck_assert_uint_eq(got->z_count, want->z_count);
    for (size_t i = 0; i < want->z_count; i++) {
        const struct lz_zip_entry *g = &got->z_entries[i], *w = &want->z_entries[i];

        ck_assert_str_eq(g->ze_name, w->ze_name);
        ck_assert_msg(g->ze_mode == w->ze_mode, "%s: mode 0%o, 0%o expected", w->ze_name,
                      (unsigned)g->ze_mode, (unsigned)w->ze_mode);
        ck_assert_msg(g->ze_method == w->ze_method, "%s: method %u, %u expected", w->ze_name,
                      g->ze_method, w->ze_method);
        if (times)
            ck_assert_msg(g->ze_mtime == w->ze_mtime, "%s: mtime %lld, %lld expected", w->ze_name,
                          (long long)g->ze_mtime, (long long)w->ze_mtime);
        ck_assert_msg(same_bytes(g->ze_data, g->ze_size, w->ze_data, w->ze_size),
                      "%s: contents differ", w->ze_name);
        ck_assert_int_eq(lz_zip_find(got, g->ze_name), (long)i);
    }
}

/* ------------------------------------------------ the archive's bytes --- */

/* One entry as both headers give it. */
struct hdr {
    const uint8_t *h_central, *h_local;
    size_t h_name_len;
    const uint8_t *h_name;
};

/* The end record must be the last 22 bytes (no comment, nothing after it);
 * walks the central directory and each local header into `out`. */
static size_t parse_archive(const struct lz_buf *b, size_t prefix, struct hdr *out, size_t cap)
{
    const uint8_t *d = b->b_data + prefix, *e, *p;
    size_t len = b->b_len - prefix, count, cd_size, cd_off;

    ck_assert_uint_ge(len, ZIP_END_SIZE);
    e = d + len - ZIP_END_SIZE;
    ck_assert_msg(zip_u32(e) == ZIP_SIG_END, "the last 22 bytes are not the end record");
    ck_assert_uint_eq(zip_u16(e + 20), 0);                  /* no comment */
    count = zip_u16(e + 10);
    cd_size = zip_u32(e + 12);
    cd_off = zip_u32(e + 16);
    ck_assert_uint_eq(zip_u16(e + 8), count);
    ck_assert_uint_eq(cd_off + cd_size, len - ZIP_END_SIZE); /* no ZIP64 records between */
    ck_assert_uint_le(count, cap);
    p = d + cd_off;
    for (size_t i = 0; i < count; i++) {
        size_t n = zip_u16(p + 28), x = zip_u16(p + 30), c = zip_u16(p + 32);
        const uint8_t *l = d + zip_u32(p + 42);

        ck_assert_uint_eq(zip_u32(p), ZIP_SIG_CENTRAL);
        ck_assert_uint_eq(zip_u32(l), ZIP_SIG_LOCAL);
        ck_assert_uint_eq(zip_u16(l + 26), n);
        ck_assert(memcmp(l + ZIP_LOCAL_SIZE, p + ZIP_CENTRAL_SIZE, n) == 0);
        out[i] = (struct hdr){ p, l, n, p + ZIP_CENTRAL_SIZE };
        p += ZIP_CENTRAL_SIZE + n + x + c;
    }
    ck_assert_ptr_eq(p, d + cd_off + cd_size);
    return count;
}

/* Whether an extra block has a field with id `want`. */
static bool has_extra(const uint8_t *x, size_t n, uint16_t want)
{
    for (size_t o = 0; o + 4 <= n; o += 4 + (size_t)zip_u16(x + o + 2))
        if (zip_u16(x + o) == want)
            return true;
    return false;
}

static const uint8_t *central_extra(const struct hdr *h, size_t *n)
{
    *n = zip_u16(h->h_central + 30);
    return h->h_central + ZIP_CENTRAL_SIZE + h->h_name_len;
}

static const uint8_t *local_extra(const struct hdr *h, size_t *n)
{
    *n = zip_u16(h->h_local + 28);
    return h->h_local + ZIP_LOCAL_SIZE + h->h_name_len;
}

/* The "UT" mtime of an extra block, or -1. */
static int64_t ut_mtime(const uint8_t *x, size_t n)
{
    for (size_t o = 0; o + 4 <= n; o += 4 + (size_t)zip_u16(x + o + 2))
        if (zip_u16(x + o) == ZIP_EXTRA_UT && zip_u16(x + o + 2) >= 5 && (x[o + 4] & 1))
            return zip_u32(x + o + 5);
    return -1;
}

/* DOS date and time of `t` in UTC (APPNOTE 4.4.6; seconds halved, rounded down). */
static uint16_t dos_date(int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;

    ck_assert_ptr_nonnull(gmtime_r(&tt, &tm));
    return (uint16_t)((tm.tm_year - 80) << 9 | (tm.tm_mon + 1) << 5 | tm.tm_mday);
}

static uint16_t dos_time(int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;

    ck_assert_ptr_nonnull(gmtime_r(&tt, &tm));
    return (uint16_t)(tm.tm_hour << 11 | tm.tm_min << 5 | tm.tm_sec / 2);
}

/* ---------------------------------------------------------------- tests --- */

START_TEST(test_round_trip)
{
    struct lz_zip *zip = sample(), *back, *again;
    struct lz_buf out, out2;

    write_zip(zip, NULL, &out);
    back = read_zip(&out);
    assert_same_entries(back, zip, true);
    ck_assert_uint_eq(back->z_entries[1].ze_mode, S_IFDIR | 0755);
    ck_assert_uint_eq(back->z_entries[3].ze_mode, S_IFREG | 0600);
    ck_assert_uint_eq(back->z_entries[7].ze_mode, S_IFREG | 0444);
    /* read -> write -> read: the second generation is the first, byte for byte. */
    write_zip(back, NULL, &out2);
    again = read_zip(&out2);
    assert_same_entries(again, zip, true);
    ck_assert(same_bytes(out.b_data, out.b_len, out2.b_data, out2.b_len));
    lz_zip_free(again);
    lz_zip_free(back);
    lz_zip_free(zip);
    lz_buf_fini(&out);
    lz_buf_fini(&out2);
}
END_TEST

START_TEST(test_round_trip_without_entries)
{
    struct lz_zip *zip = lz_zip_new(), *back;
    struct lz_buf out;

    write_zip(zip, NULL, &out);
    ck_assert_uint_eq(out.b_len, ZIP_END_SIZE);
    back = read_zip(&out);
    ck_assert_uint_eq(back->z_count, 0);
    ck_assert_uint_eq(back->z_prefix_len, 0);
    lz_zip_free(back);
    lz_buf_fini(&out);
    /* A prefix and nothing else. */
    zip->z_prefix = dup_bytes(PREFIX, sizeof PREFIX - 1);
    zip->z_prefix_len = sizeof PREFIX - 1;
    write_zip(zip, NULL, &out);
    back = read_zip(&out);
    assert_same_entries(back, zip, true);
    lz_zip_free(back);
    lz_zip_free(zip);
    lz_buf_fini(&out);
}
END_TEST

START_TEST(test_bytes_on_disk)
{
    struct lz_zip *zip = sample();
    struct lz_buf out;
    struct hdr h[16];
    size_t count;

    /* Written in Tokyo, the DOS times must still be UTC. */
    setenv("TZ", "JST-9", 1);
    tzset();
    write_zip(zip, NULL, &out);
    ck_assert(memcmp(out.b_data, PREFIX, sizeof PREFIX - 1) == 0);
    count = parse_archive(&out, sizeof PREFIX - 1, h, 16);
    ck_assert_uint_eq(count, zip->z_count);
    for (size_t i = 0; i < count; i++) {
        const struct lz_zip_entry *e = &zip->z_entries[i];
        bool ascii = true;
        size_t cx, lx;
        const uint8_t *cext = central_extra(&h[i], &cx), *lext = local_extra(&h[i], &lx);

        ck_assert_uint_eq(h[i].h_name_len, strlen(e->ze_name));
        ck_assert(memcmp(h[i].h_name, e->ze_name, h[i].h_name_len) == 0);
        for (const char *c = e->ze_name; *c; c++)
            ascii &= (unsigned char)*c < 0x80;
        if (!ascii) {
            ck_assert_msg(zip_u16(h[i].h_central + 8) & ZIP_FLAG_UTF8,
                          "%s: central header without bit 11", e->ze_name);
            ck_assert_msg(zip_u16(h[i].h_local + 6) & ZIP_FLAG_UTF8,
                          "%s: local header without bit 11", e->ze_name);
        }
        ck_assert_uint_eq(zip_u16(h[i].h_central + 14), dos_date(e->ze_mtime));
        ck_assert_uint_eq(zip_u16(h[i].h_central + 12), dos_time(e->ze_mtime));
        ck_assert_int_eq(ut_mtime(cext, cx), e->ze_mtime);
        /* Method, sizes and the Unix mode as the list has them. */
        ck_assert_uint_eq(zip_u16(h[i].h_central + 10), e->ze_method);
        ck_assert_uint_eq(zip_u16(h[i].h_local + 8), e->ze_method);
        ck_assert_uint_eq(zip_u32(h[i].h_central + 24), e->ze_size);
        ck_assert_uint_eq(h[i].h_central[5], ZIP_HOST_UNIX);
        ck_assert_uint_eq(zip_u32(h[i].h_central + 38) >> 16, e->ze_mode);
        ck_assert_msg(!has_extra(cext, cx, ZIP_EXTRA_ZIP64) && !has_extra(lext, lx, ZIP_EXTRA_ZIP64),
                      "%s: ZIP64 extra field in a small archive", e->ze_name);
    }
    /* The one non-ASCII name is there and the check above saw it. */
    ck_assert_int_eq(lz_zip_find(zip, "pk/r\xc3\xa9sum\xc3\xa9.py"), 4);
    lz_zip_free(zip);
    lz_buf_fini(&out);
}
END_TEST

START_TEST(test_deterministic)
{
    struct lz_zip *a = sample(), *b = sample();
    struct lz_buf out1, out2, out3;

    /* The caller's time zone does not matter (test_bytes_on_disk: the DOS
     * times are UTC). */
    setenv("TZ", "JST-9", 1);
    tzset();
    write_zip(a, NULL, &out1);
    write_zip(a, NULL, &out2);
    ck_assert(same_bytes(out1.b_data, out1.b_len, out2.b_data, out2.b_len));
    /* A separately built list with the same entries: same bytes. */
    write_zip(b, NULL, &out3);
    ck_assert(same_bytes(out1.b_data, out1.b_len, out3.b_data, out3.b_len));
    lz_zip_free(a);
    lz_zip_free(b);
    lz_buf_fini(&out1);
    lz_buf_fini(&out2);
    lz_buf_fini(&out3);
}
END_TEST

/* Every DOS time (central + local) and "UT" time of `out` is `t`. */
static void assert_all_times(const struct lz_buf *out, uint16_t date, uint16_t time, int64_t t)
{
    struct hdr h[16];
    size_t count = parse_archive(out, sizeof PREFIX - 1, h, 16);

    ck_assert_uint_gt(count, 0);
    for (size_t i = 0; i < count; i++) {
        size_t cx, lx;
        const uint8_t *cext = central_extra(&h[i], &cx), *lext = local_extra(&h[i], &lx);

        ck_assert_uint_eq(zip_u16(h[i].h_central + 14), date);
        ck_assert_uint_eq(zip_u16(h[i].h_central + 12), time);
        ck_assert_uint_eq(zip_u16(h[i].h_local + 12), date);
        ck_assert_uint_eq(zip_u16(h[i].h_local + 10), time);
        ck_assert_int_eq(ut_mtime(cext, cx), t);
        ck_assert_int_eq(ut_mtime(lext, lx), t);
    }
}

START_TEST(test_source_date_epoch)
{
    struct lz_zip *zip = sample(), *back;
    struct lz_zip_write_opts o;
    struct lz_error err = { 0 };
    struct lz_buf out;

    /* Not UTC here: the DOS fields must still hold UTC. */
    setenv("TZ", "EST5EDT", 1);
    tzset();
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    ck_assert_int_eq(lz_zip_write_opts_from_env(&o, &err), LZ_OK);
    ck_assert(o.zw_fixed_mtime);
    write_zip(zip, &o, &out);
    assert_all_times(&out, EPOCH_DOS_DATE, EPOCH_DOS_TIME, EPOCH_T);
    back = read_zip(&out);
    for (size_t i = 0; i < back->z_count; i++)
        ck_assert_int_eq(back->z_entries[i].ze_mtime, EPOCH_T);
    lz_zip_free(back);
    lz_buf_fini(&out);

    /* Before 1980: clamped to the first DOS second. */
    setenv("SOURCE_DATE_EPOCH", "0", 1);
    ck_assert_int_eq(lz_zip_write_opts_from_env(&o, &err), LZ_OK);
    write_zip(zip, &o, &out);
    assert_all_times(&out, DOS_MIN_DATE, DOS_MIN_TIME, ZIP_TIME_MIN);
    lz_buf_fini(&out);

    /* Unset: entries keep their own times. */
    unsetenv("SOURCE_DATE_EPOCH");
    ck_assert_int_eq(lz_zip_write_opts_from_env(&o, &err), LZ_OK);
    ck_assert(!o.zw_fixed_mtime);

    setenv("SOURCE_DATE_EPOCH", "17e8", 1);
    ck_assert_int_eq(lz_zip_write_opts_from_env(&o, &err), LZ_EUSAGE);
    ck_assert_str_eq(err.e_msg, "SOURCE_DATE_EPOCH=\"17e8\" is not a number of seconds");
    setenv("SOURCE_DATE_EPOCH", "-5", 1);
    ck_assert_int_eq(lz_zip_write_opts_from_env(&o, &err), LZ_EUSAGE);
    unsetenv("SOURCE_DATE_EPOCH");
    lz_zip_free(zip);
}
END_TEST

START_TEST(test_limits)
{
    struct lz_zip *zip = lz_zip_new(), *back = (struct lz_zip *)1;
    struct lz_zip_limits small = { 10000, 100 };
    struct lz_error err = { 0 };
    struct lz_buf out;
    uint8_t *zeros = calloc(1, 20000);
    char name[32];

    /* 20000 zeros deflate well within 1032:1: only the total limit stops them. */
    ck_assert(lz_zip_insert(zip, 0, "zeros.bin", 0644, LZ_ZIP_DEFLATED, 1600000000, zeros,
                            20000, &err) == LZ_OK);
    write_zip(zip, NULL, &out);
    ck_assert_int_eq(lz_zip_read(out.b_data, out.b_len, &small, &back, &err), LZ_EINPUT);
    ck_assert_ptr_null(back);
    ck_assert_str_eq(err.e_msg, "zip: entries declare 20000 bytes uncompressed, more than the "
                                "limit of 10000");
    lz_buf_fini(&out);
    for (int i = 0; i < 100; i++) {
        snprintf(name, sizeof name, "f%03d", i);
        add(zip, name, 0644, LZ_ZIP_STORED, 1600000000, "");
    }
    small.zl_max_total = 1u << 20;
    write_zip(zip, NULL, &out);
    ck_assert_int_eq(lz_zip_read(out.b_data, out.b_len, &small, &back, &err), LZ_EINPUT);
    ck_assert_str_eq(err.e_msg, "zip: 101 entries, more than the limit of 100");
    small.zl_max_entries = 101;
    ck_assert_int_eq(lz_zip_read(out.b_data, out.b_len, &small, &back, &err), LZ_OK);
    lz_zip_free(back);
    lz_zip_free(zip);
    lz_buf_fini(&out);
}
END_TEST

/* Thousands of inserts at both ends and in the middle, removals, lookups:
 * the index (rehashing, back-shift deletion) agrees with the list. */
START_TEST(test_entry_list_index)
{
    struct lz_zip *zip = lz_zip_new();
    struct lz_error err = { 0 };
    char name[32];
    const size_t n = 3000;

    for (size_t i = 0; i < n; i++) {
        snprintf(name, sizeof name, "m/%zu.py", i);
        ck_assert(lz_zip_insert(zip, i % 3 == 0 ? 0 : i % 3 == 1 ? zip->z_count : zip->z_count / 2,
                                name, 0644, LZ_ZIP_STORED, 0, NULL, 0, &err) == LZ_OK);
    }
    for (size_t i = 0; i < n; i += 2) {
        long at;

        snprintf(name, sizeof name, "m/%zu.py", i);
        at = lz_zip_find(zip, name);
        ck_assert_int_ge(at, 0);
        lz_zip_remove(zip, (size_t)at);
    }
    ck_assert_uint_eq(zip->z_count, n / 2);
    for (size_t i = 0; i < n; i++) {
        long at;

        snprintf(name, sizeof name, "m/%zu.py", i);
        at = lz_zip_find(zip, name);
        if (i % 2 == 0) {
            ck_assert_int_eq(at, -1);
        } else {
            ck_assert_int_ge(at, 0);
            ck_assert_str_eq(zip->z_entries[at].ze_name, name);
        }
    }
    for (size_t i = 0; i < zip->z_count; i++)
        ck_assert_int_eq(lz_zip_find(zip, zip->z_entries[i].ze_name), (long)i);
    lz_zip_free(zip);
}
END_TEST

static void refused(struct lz_zip *zip, const char *name, const char *data, const char *msg)
{
    struct lz_error err = { 0 };
    size_t before = zip->z_count, n = data ? strlen(data) : 0;

    ck_assert_int_ne(lz_zip_insert(zip, 0, name, 0644, LZ_ZIP_STORED, 0,
                                   data ? dup_bytes(data, n) : NULL, n, &err), LZ_OK);
    ck_assert_str_eq(err.e_msg, msg);
    ck_assert_uint_eq(zip->z_count, before);
}

START_TEST(test_insert_refusals)
{
    struct lz_zip *zip = lz_zip_new();

    add(zip, "pk/", 0755, LZ_ZIP_STORED, 0, NULL);
    add(zip, "pk/a.py", 0644, LZ_ZIP_STORED, 0, "");
    refused(zip, "pk/a.py", "", "zip: duplicate entry \"pk/a.py\"");
    refused(zip, "pk", "", "zip: \"pk\" is both a file and a directory");
    refused(zip, "pk/a.py/", NULL, "zip: \"pk/a.py\" is both a file and a directory");
    refused(zip, "pk/a.py/b", "", "zip: \"pk/a.py\" is a file but also the parent of \"pk/a.py/b\"");
    refused(zip, "../x", "", "zip: entry name \"../x\" climbs out with \"..\"");
    refused(zip, "/x", "", "zip: entry name \"/x\" is an absolute path");
    refused(zip, "a\\b", "", "zip: entry name \"a\\\\b\" contains a backslash");
    refused(zip, "\xc3(", "", "zip: entry name \"\\xc3(\" is not valid UTF-8");
    refused(zip, "d/", "data", "zip: directory entry d/ given 4 bytes of data");
    refused(zip, "", "", "zip: entry with an empty name");
    ck_assert_uint_eq(zip->z_count, 2);
    lz_zip_free(zip);
}
END_TEST

START_TEST(test_record_hash)
{
    char h[72];
    uint8_t block[1024];

    /* Expected values: "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(d)
     * .digest()).rstrip(b"=") in Python. */
    lz_record_hash(NULL, 0, h);
    ck_assert_str_eq(h, "sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU");
    lz_record_hash((const uint8_t *)"hello world\n", 12, h);
    ck_assert_str_eq(h, "sha256=qUiQTy8PR5uPgZdpSzAYSw0u0cHNKh7A-4XSmaGSpEc");
    for (size_t i = 0; i < sizeof block; i++)
        block[i] = (uint8_t)i;                  /* bytes(range(256)) * 4 */
    lz_record_hash(block, sizeof block, h);
    ck_assert_str_eq(h, "sha256=eFsHUfwsU9wUpM49gA5p75zhAJ6zJ8z0WK_gnCQsJsk");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("zip writer");
    TCase *tc = tcase_create("write and read back");

    tcase_add_test(tc, test_round_trip);
    tcase_add_test(tc, test_round_trip_without_entries);
    tcase_add_test(tc, test_bytes_on_disk);
    tcase_add_test(tc, test_deterministic);
    tcase_add_test(tc, test_source_date_epoch);
    tcase_add_test(tc, test_limits);
    tcase_add_test(tc, test_entry_list_index);
    tcase_add_test(tc, test_insert_refusals);
    tcase_add_test(tc, test_record_hash);
    suite_add_tcase(s, tc);
    return t_run(s);
}
