/* test_zip_hostile.c - every file of tests/zip/hostile/ gets exactly the
 * reaction tests/zip/hostile/EXPECTED gives it.
 *
 * The files come from tools/make_hostile_zips.py, one defect each, named for
 * it; ok_*.zip are valid archives (prefixes, trailing bytes, no entries,
 * UTF-8 names, DOS attributes).
 * Proves: each defect is refused (LZ_EINPUT, no zip returned) with the exact
 * pinned message, that message is one printable line; each ok_ file is
 * accepted and survives write -> read with the same entries; the table and
 * the directory list the same files.
 * Does not prove: the absence of crashes on other inputs (fuzz_zip's job).
 */
#include <check.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lz_zip.h"
#include "test_common.h"

#define TABLE_MAX 200

struct expect {
    char *ex_file;
    char *ex_msg;           /* "OK": accepted */
};

static struct expect table[TABLE_MAX];
static size_t table_len;
static char *table_text;

static const char *hostile_dir(void)
{
    static char dir[4096];
    const char *srcdir = getenv("LZ_TEST_SRCDIR");

    if (srcdir == NULL) {
        fprintf(stderr, "test_zip_hostile: LZ_TEST_SRCDIR not set\n");
        exit(2);
    }
    snprintf(dir, sizeof dir, "%s/tests/zip/hostile", srcdir);
    return dir;
}

/* EXPECTED: "FILE\tMESSAGE" lines; '#' lines and blank lines skipped.
 * Parsed once in main (outside the forked tests), so a malformed table is
 * reported once. */
static void load_table(void)
{
    char path[4200];
    FILE *f;
    long n;
    char *line, *save = NULL;

    snprintf(path, sizeof path, "%s/EXPECTED", hostile_dir());
    if ((f = fopen(path, "rb")) == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0) {
        fprintf(stderr, "test_zip_hostile: cannot read %s\n", path);
        exit(2);
    }
    rewind(f);
    table_text = malloc((size_t)n + 1);
    if (table_text == NULL || fread(table_text, 1, (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "test_zip_hostile: cannot read %s\n", path);
        exit(2);
    }
    fclose(f);
    table_text[n] = '\0';
    for (line = strtok_r(table_text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
        char *tab = strchr(line, '\t');

        if (line[0] == '#' || line[0] == '\0')
            continue;
        if (tab == NULL || tab[1] == '\0' || table_len == TABLE_MAX) {
            fprintf(stderr, "test_zip_hostile: EXPECTED: bad or extra line \"%s\"\n", line);
            exit(2);
        }
        *tab = '\0';
        table[table_len++] = (struct expect){ line, tab + 1 };
    }
}

static const struct expect *lookup(const char *file)
{
    for (size_t i = 0; i < table_len; i++)
        if (strcmp(table[i].ex_file, file) == 0)
            return &table[i];
    return NULL;
}

/* A message a terminal shows as one line. */
static void assert_one_line(const char *file, const char *msg)
{
    ck_assert_msg(msg[0] != '\0', "%s: empty message", file);
    for (const char *p = msg; *p; p++)
        ck_assert_msg((unsigned char)*p >= 0x20 && *p != 0x7f,
                      "%s: control byte 0x%02x in \"%s\"", file, (unsigned char)*p, msg);
}

/* memcmp that takes NULL for empty ranges (directories, no prefix). */
static bool same_bytes(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
    return an == bn && (an == 0 || memcmp(a, b, an) == 0);
}

/* An accepted archive writes and reads back with the same entries. */
static void check_accepted(const char *file, const struct lz_zip *zip)
{
    struct lz_buf out;
    struct lz_zip *again = NULL;
    struct lz_error err = { 0 };

    lz_buf_init(&out);
    ck_assert_msg(lz_zip_write(zip, NULL, &out, &err) == LZ_OK, "%s: write: %s", file, err.e_msg);
    ck_assert_msg(lz_zip_read(out.b_data, out.b_len, NULL, &again, &err) == LZ_OK,
                  "%s: written copy refused: %s", file, err.e_msg);
    ck_assert_uint_eq(again->z_count, zip->z_count);
    ck_assert_msg(same_bytes(again->z_prefix, again->z_prefix_len, zip->z_prefix, zip->z_prefix_len),
                  "%s: prefix changed", file);
    for (size_t i = 0; i < zip->z_count; i++) {
        const struct lz_zip_entry *a = &zip->z_entries[i], *b = &again->z_entries[i];

        ck_assert_str_eq(b->ze_name, a->ze_name);
        ck_assert_uint_eq(b->ze_mode, a->ze_mode);
        ck_assert_uint_eq(b->ze_method, a->ze_method);
        ck_assert_msg(same_bytes(b->ze_data, b->ze_size, a->ze_data, a->ze_size),
                      "%s: contents of %s changed", file, a->ze_name);
    }
    lz_zip_free(again);
    lz_buf_fini(&out);
}

START_TEST(test_hostile_file)
{
    const struct expect *x = &table[_i];
    char path[4200];
    size_t n;
    uint8_t *data;
    struct lz_zip *zip = (struct lz_zip *)1;
    struct lz_error err = { 0 };
    int rc;

    snprintf(path, sizeof path, "%s/%s", hostile_dir(), x->ex_file);
    data = t_read_file(path, &n);
    ck_assert_uint_le(n, 16 * 1024);          /* the corpus stays small */
    rc = lz_zip_read(data, n, NULL, &zip, &err);
    if (strcmp(x->ex_msg, "OK") == 0) {
        ck_assert_msg(rc == LZ_OK, "%s: refused: %s", x->ex_file, err.e_msg);
        check_accepted(x->ex_file, zip);
        lz_zip_free(zip);
    } else {
        ck_assert_msg(rc == LZ_EINPUT, "%s: returned %d (\"%s\"), expected LZ_EINPUT",
                      x->ex_file, rc, rc == LZ_OK ? "" : err.e_msg);
        ck_assert_ptr_null(zip);
        assert_one_line(x->ex_file, err.e_msg);
        ck_assert_msg(strcmp(err.e_msg, x->ex_msg) == 0, "%s:\n  got      \"%s\"\n  expected \"%s\"",
                      x->ex_file, err.e_msg, x->ex_msg);
    }
    free(data);
}
END_TEST

START_TEST(test_table_matches_directory)
{
    DIR *d = opendir(hostile_dir());
    struct dirent *e;
    size_t seen = 0, ok = 0;

    ck_assert_ptr_nonnull(d);
    while ((e = readdir(d)) != NULL) {
        const struct expect *x;

        if (e->d_name[0] == '.' || strcmp(e->d_name, "EXPECTED") == 0)
            continue;
        x = lookup(e->d_name);
        ck_assert_msg(x != NULL, "%s has no line in tests/zip/hostile/EXPECTED", e->d_name);
        /* The name says which way it goes. */
        ck_assert_msg((strncmp(e->d_name, "ok_", 3) == 0) == (strcmp(x->ex_msg, "OK") == 0),
                      "%s: ok_ files, and only they, are expected OK", e->d_name);
        ok += strcmp(x->ex_msg, "OK") == 0;
        seen++;
    }
    closedir(d);
    ck_assert_msg(seen == table_len, "EXPECTED has %zu lines, the directory %zu files (a line "
                  "without a file, or a name twice)", table_len, seen);
    ck_assert_uint_ge(seen - ok, 30);
    ck_assert_uint_ge(ok, 3);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("hostile zips");
    TCase *tc = tcase_create("each gets its pinned reaction");

    load_table();
    tcase_add_test(tc, test_table_matches_directory);
    tcase_add_loop_test(tc, test_hostile_file, 0, (int)table_len);
    suite_add_tcase(s, tc);
    return t_run(s);
}
