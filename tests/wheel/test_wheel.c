/* test_wheel.c - wheel names, tags, RECORD checks and the finished layout
 * (rewriter/containers/wheel.c).
 *
 * Proves: file names that do not parse are refused and good ones round-trip;
 * retagging gives each tag kind the one-version tag of lz_wheel.h (or
 * refuses); RECORD is refused for every way it can disagree with the
 * archive and accepted in its CSV variants; lz_wheel_finish puts .dist-info
 * and RECORD last, drops signatures, rewrites the Tag lines and writes a
 * RECORD that lists every entry.  Does not prove what installers accept:
 * tests/wheel/check_wheel.py installs real wheels.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lz_wheel.h"
#include "lz_zip.h"
#include "test_common.h"

/* ---- names ------------------------------------------------------------------ */

static const char *const bad_names[] = {
    "x.whl", "a-1.0-py3-none.whl", "a-1.0-x-1-py3-none-any.whl", "a-1.0-b1-py3-none-any.whl",
    "a b-1.0-py3-none-any.whl", "a-1.0-py3..py2-none-any.whl", "a-1.0-py3-none-any.zip",
    "a-1.0-.py3-none-any.whl", "-1.0-py3-none-any.whl",
};

START_TEST(name_refused)
{
    struct lz_wheel_name n;
    struct lz_error err = {0};

    ck_assert_int_eq(lz_wheel_parse_name(bad_names[_i], &n, &err), LZ_EINPUT);
    ck_assert_msg(err.e_msg[0] != '\0', "no message for %s", bad_names[_i]);
}
END_TEST

/* input, minor, expected output name or NULL (refused: `why` in the message) */
static const struct {
    const char *in;
    unsigned minor;
    const char *out, *why;
} retags[] = {
    {"a-1.0-py313-none-any.whl", 12, NULL, "does not install on CPython 3.12"},
    {"a-1.0-cp311-cp311-linux_x86_64.whl", 12, NULL, "does not install"},
    {"a-1.0-cp313-abi3-linux_x86_64.whl", 12, NULL, "does not install"},
    {"a-1.0-cp38-abi3-any.whl", 12, NULL, "installs nowhere"},
    {"a-1.0-pp39-pypy39_pp73-any.whl", 9, NULL, "does not install"},
    {"a-1.0-py2-none-any.whl", 12, NULL, "does not install"},
    {"pip-23.2.1-py3-none-any.whl", 12, "pip-23.2.1-cp312-none-any.whl", NULL},
    {"six-1.16.0-py2.py3-none-any.whl", 8, "six-1.16.0-cp38-none-any.whl", NULL},
    {"a-1.0-py312-none-any.whl", 13, "a-1.0-cp313-none-any.whl", NULL},
    {"a-1.0-1-py3-none-any.whl", 15, "a-1.0-1-cp315-none-any.whl", NULL},
    {"a-1.0-py3-none-linux_x86_64.whl", 12, "a-1.0-cp312-none-linux_x86_64.whl", NULL},
    {"a-1.0-cp38-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", 12,
     "a-1.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", NULL},
    {"a-1.0-cp312-cp312-linux_x86_64.whl", 12, "a-1.0-cp312-cp312-linux_x86_64.whl", NULL},
    {"a-1.0-cp311.cp312-cp311.cp312-linux_x86_64.whl", 12, "a-1.0-cp312-cp312-linux_x86_64.whl",
     NULL},
};

START_TEST(retag)
{
    struct lz_wheel_name n, out;
    struct lz_error err = {0};
    char name[1024];
    int rc;

    ck_assert_int_eq(lz_wheel_parse_name(retags[_i].in, &n, &err), LZ_OK);
    ck_assert_int_eq(lz_wheel_format_name(&n, name, sizeof name), 0);
    ck_assert_str_eq(name, retags[_i].in);
    rc = lz_wheel_retag_name(&n, retags[_i].minor, &out, &err);
    if (!retags[_i].out) {
        ck_assert_int_eq(rc, LZ_EINPUT);
        ck_assert_msg(strstr(err.e_msg, retags[_i].why), "%s: message '%s' lacks '%s'",
                      retags[_i].in, err.e_msg, retags[_i].why);
        return;
    }
    ck_assert_msg(rc == LZ_OK, "%s: %s", retags[_i].in, err.e_msg);
    ck_assert_int_eq(lz_wheel_format_name(&out, name, sizeof name), 0);
    ck_assert_str_eq(name, retags[_i].out);
}
END_TEST

START_TEST(normalize)
{
    char out[64];

    lz_wheel_normalize("Foo.Bar--baz_Qux", out, sizeof out);
    ck_assert_str_eq(out, "foo_bar_baz_qux");
}
END_TEST

/* ---- RECORD --------------------------------------------------------------------- */

#define DI "e-1.0.dist-info/"

static void add(struct lz_zip *z, const char *name, const char *text)
{
    struct lz_error err = {0};
    size_t n = strlen(text);
    uint8_t *data = lz_malloc(n ? n : 1);   /* the zip takes it */

    ck_assert_ptr_nonnull(data);
    memcpy(data, text, n);
    ck_assert_int_eq(lz_zip_insert(z, z->z_count, name, S_IFREG | 0644, LZ_ZIP_DEFLATED, 0,
                                   data, n, &err), LZ_OK);
}

/* A small wheel; its RECORD is honest, then `edit` (if any) replaces it. */
static struct lz_zip *small_wheel(const char *record)
{
    struct lz_zip *z = lz_zip_new();
    struct lz_error err = {0};
    uint8_t *data;
    size_t size;

    add(z, "e/__init__.py", "import json\n");
    add(z, "e/da,ta.txt", "x");
    add(z, DI "METADATA", "Metadata-Version: 2.1\nName: e\nVersion: 1.0\n");
    add(z, DI "WHEEL", "Wheel-Version: 1.0\nGenerator: t\nRoot-Is-Purelib: true\n"
                       "Tag: py2-none-any\nTag: py3-none-any\nBuild: 1\n");
    if (record) {
        add(z, DI "RECORD", record);
        return z;
    }
    ck_assert_int_eq(lz_wheel_make_record(z, DI "RECORD", &data, &size, &err), LZ_OK);
    ck_assert_int_eq(lz_zip_insert(z, z->z_count, DI "RECORD", S_IFREG | 0644, LZ_ZIP_DEFLATED,
                                   0, data, size, &err), LZ_OK);
    return z;
}

/* lz_wheel_open refuses `z` as `file` with a message containing `why`. */
static void expect_refused(const struct lz_zip *z, const char *file, const char *why)
{
    struct lz_wheel *w = NULL;
    struct lz_error err = {0};

    ck_assert_int_eq(lz_wheel_open(z, file, &w, &err), LZ_EINPUT);
    ck_assert_msg(strstr(err.e_msg, why), "message '%s' lacks '%s'", err.e_msg, why);
    ck_assert_ptr_null(w);
}

static char *honest_record(void)
{
    struct lz_zip *z = small_wheel(NULL);
    long i = lz_zip_find(z, DI "RECORD");
    char *text = calloc(1, z->z_entries[i].ze_size + 1);

    memcpy(text, z->z_entries[i].ze_data, z->z_entries[i].ze_size);
    lz_zip_free(z);
    return text;
}

/* Replace the first `from` in `s` by `to` (new string). */
static char *replace(const char *s, const char *from, const char *to)
{
    const char *at = strstr(s, from);
    char *out;

    ck_assert_ptr_nonnull(at);
    out = malloc(strlen(s) + strlen(to) + 1);
    sprintf(out, "%.*s%s%s", (int)(at - s), s, to, at + strlen(from));
    return out;
}

static const struct {
    const char *from, *to, *why;
} record_lies[] = {
    {"e/__init__.py,sha256=", "e/__init__.py,sha256=AAAA", "RECORD: hash of e/__init__.py does not match"},
    {",12\n", ",13\n", "RECORD: size of e/__init__.py does not match"},
    {",12\n", ",\n", "RECORD: e/__init__.py has no size"},
    {"e/__init__.py,sha256=", "e/__init__.py,md5=", "hash md5 is not allowed"},
    {"e/__init__.py,", "e/other.py,", "RECORD: lists e/other.py, which is not in the wheel"},
    {"\"e/da,ta.txt\",", "e/data.txt,", "RECORD: lists e/data.txt"},
    {",12\n", ",12,x\n", "more than 3 fields"},
    {"\"e/da,ta.txt\",", "\"e/da,ta.txt,", "unterminated quote"},
    {"e-1.0.dist-info/METADATA,", "e-1.0.dist-info/METADATAX,", "RECORD: lists e-1.0.dist-info/METADATAX"},
};

START_TEST(record_lie)
{
    char *good = honest_record(), *bad = replace(good, record_lies[_i].from, record_lies[_i].to);
    struct lz_zip *z = small_wheel(bad);

    expect_refused(z, "e-1.0-py3-none-any.whl", record_lies[_i].why);
    lz_zip_free(z);
    free(good);
    free(bad);
}
END_TEST

START_TEST(record_unlisted_and_twice)
{
    char *good = honest_record(), *twice = malloc(strlen(good) * 2 + 1);
    struct lz_zip *z = small_wheel(NULL);

    add(z, "e/extra.py", "");
    expect_refused(z, "e-1.0-py3-none-any.whl", "RECORD: e/extra.py is not listed");
    lz_zip_free(z);
    sprintf(twice, "%s%s", good, good);
    z = small_wheel(twice);
    expect_refused(z, "e-1.0-py3-none-any.whl", "RECORD: e/__init__.py is listed twice");
    lz_zip_free(z);
    free(good);
    free(twice);
}
END_TEST

START_TEST(record_variants_accepted)
{
    /* CRLF line ends, every field quoted, a blank line, a signature beside
     * RECORD (not listed). */
    struct lz_zip *z = small_wheel(NULL);
    struct lz_wheel *w = NULL;
    struct lz_error err = {0};
    char text[4096] = "", hash[72];
    size_t o = 0;
    long r = lz_zip_find(z, DI "RECORD");

    lz_zip_remove(z, (size_t)r);
    for (size_t i = 0; i < z->z_count; i++) {
        const struct lz_zip_entry *e = &z->z_entries[i];
        lz_record_hash(e->ze_data, e->ze_size, hash);
        o += (size_t)snprintf(text + o, sizeof text - o, "\"%s\",\"%s\",\"%zu\"\r\n",
                              e->ze_name, hash, e->ze_size);
    }
    snprintf(text + o, sizeof text - o, "\r\n\"" DI "RECORD\",\"\",\"\"\r\n");
    add(z, DI "RECORD", text);
    add(z, DI "RECORD.jws", "signature");
    ck_assert_msg(lz_wheel_open(z, "e-1.0-py2.py3-none-any.whl", &w, &err) == LZ_OK, "%s\n%s",
                  err.e_msg, text);
    lz_wheel_free(w);
    lz_zip_free(z);
}
END_TEST

/* ---- the wheel around RECORD ------------------------------------------------------- */

static const struct {
    const char *file, *extra_name, *why;
} wheel_refusals[] = {
    {"other-1.0-py3-none-any.whl", NULL, "does not match the file name's other-1.0"},
    {"e-2.0-py3-none-any.whl", NULL, "does not match the file name's e-2.0"},
    {"e-1.0-py3-none-any.whl", "f-1.0.dist-info/METADATA", "two .dist-info directories"},
};

START_TEST(wheel_refused)
{
    struct lz_zip *z = small_wheel(NULL);

    if (wheel_refusals[_i].extra_name)
        add(z, wheel_refusals[_i].extra_name, "");
    expect_refused(z, wheel_refusals[_i].file, wheel_refusals[_i].why);
    lz_zip_free(z);
}
END_TEST

START_TEST(wheel_version_2_refused)
{
    struct lz_zip *z = small_wheel(NULL);
    long i = lz_zip_find(z, DI "WHEEL");
    const char *text = "Wheel-Version: 2.0\n";
    uint8_t *data = lz_malloc(strlen(text));

    memcpy(data, text, strlen(text));
    lz_zip_set_data(z, (size_t)i, data, strlen(text));
    /* RECORD now lies about WHEEL too; the version is checked first. */
    expect_refused(z, "e-1.0-py3-none-any.whl", "WHEEL: Wheel-Version 2.0 is not supported (only 1.x)");
    lz_zip_free(z);
}
END_TEST

START_TEST(finish_layout)
{
    struct lz_zip *z = small_wheel(NULL);
    struct lz_wheel *w = NULL;
    struct lz_error err = {0};
    long i;
    uint8_t *want;
    size_t want_len;

    add(z, DI "RECORD.p7s", "signature");
    add(z, "e/late.txt", "after the metadata");
    /* The RECORD must list e/late.txt to be honest: rebuild it. */
    i = lz_zip_find(z, DI "RECORD");
    lz_zip_remove(z, (size_t)i);
    ck_assert_int_eq(lz_wheel_make_record(z, DI "RECORD", &want, &want_len, &err), LZ_OK);
    ck_assert_int_eq(lz_zip_insert(z, 4, DI "RECORD", S_IFREG | 0644, LZ_ZIP_DEFLATED, 0, want,
                                   want_len, &err), LZ_OK);
    ck_assert_msg(lz_wheel_open(z, "e-1.0-1-py2.py3-none-any.whl", &w, &err) == LZ_OK, "%s",
                  err.e_msg);
    ck_assert_int_eq(lz_wheel_retag(w, 12, &err), LZ_OK);
    ck_assert_str_eq(lz_wheel_output_name(w), "e-1.0-1-cp312-none-any.whl");
    ck_assert_int_eq(lz_wheel_finish(w, &z, &err), LZ_OK);
    const char *order[] = {"e/__init__.py", "e/da,ta.txt", "e/late.txt", DI "METADATA",
                           DI "WHEEL", DI "RECORD"};
    ck_assert_uint_eq(z->z_count, 6);
    for (size_t k = 0; k < 6; k++)
        ck_assert_str_eq(z->z_entries[k].ze_name, order[k]);
    i = lz_zip_find(z, DI "WHEEL");
    ck_assert_int_eq((int)z->z_entries[i].ze_size,
                     (int)strlen("Wheel-Version: 1.0\nGenerator: t\nRoot-Is-Purelib: true\n"
                                 "Tag: cp312-none-any\nBuild: 1\n"));
    ck_assert(memcmp(z->z_entries[i].ze_data, "Wheel-Version: 1.0\nGenerator: t\nRoot-Is-Purelib: "
                     "true\nTag: cp312-none-any\nBuild: 1\n", z->z_entries[i].ze_size) == 0);
    /* The regenerated RECORD is honest: the wheel opens again. */
    lz_wheel_free(w);
    w = NULL;
    ck_assert_msg(lz_wheel_open(z, "e-1.0-1-cp312-none-any.whl", &w, &err) == LZ_OK, "%s",
                  err.e_msg);
    i = lz_zip_find(z, DI "RECORD");
    ck_assert(strstr((const char *)z->z_entries[i].ze_data, "\"e/da,ta.txt\",sha256=") != NULL);
    lz_wheel_free(w);
    lz_zip_free(z);
}
END_TEST

static Suite *wheel_suite(void)
{
    Suite *s = suite_create("wheel");
    TCase *names = tcase_create("File names and tags");
    TCase *record = tcase_create("RECORD against the archive");
    TCase *wheel = tcase_create("dist-info, WHEEL and the finished layout");

    tcase_add_loop_test(names, name_refused, 0, sizeof bad_names / sizeof bad_names[0]);
    tcase_add_loop_test(names, retag, 0, sizeof retags / sizeof retags[0]);
    tcase_add_test(names, normalize);
    tcase_add_loop_test(record, record_lie, 0, sizeof record_lies / sizeof record_lies[0]);
    tcase_add_test(record, record_unlisted_and_twice);
    tcase_add_test(record, record_variants_accepted);
    tcase_add_loop_test(wheel, wheel_refused, 0, sizeof wheel_refusals / sizeof wheel_refusals[0]);
    tcase_add_test(wheel, wheel_version_2_refused);
    tcase_add_test(wheel, finish_layout);
    suite_add_tcase(s, names);
    suite_add_tcase(s, record);
    suite_add_tcase(s, wheel);
    return s;
}

int main(void)
{
    return t_run(wheel_suite());
}
