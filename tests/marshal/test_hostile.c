/* test_hostile.c - every file of tests/data/hostile/ is refused, with the
 * pinned one-line message.
 *
 * The files come from tools/make_hostile.py, one defect each, named for it.
 * Proves: each defect is detected at the right place and reported with the
 * exact message (no crash, no partial result), and the table covers the
 * directory exactly (a new file without an expectation fails the test).
 * Does not prove: the absence of other crashes (the fuzzer's job).
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lz_pyc.h"
#include "test_common.h"

struct hostile {
    const char *file;
    const char *msg;
};

static const struct hostile hostile[] = {
    { "bad_flags.pyc", "pyc: invalid flags 0x4 in the header" },
    { "bad_flags_high.pyc", "pyc: invalid flags 0x80000000 in the header" },
    { "code_312_layout_in_38.pyc", "marshal: unknown type code 0x00 at offset 0x29" },
    { "code_38_layout_in_312.pyc", "marshal: unknown type code 0x40 at offset 0x25" },
    { "code_38_negative_nlocals.pyc", "marshal: code object at offset 0x10: negative co_nlocals -5" },
    { "code_consts_not_tuple.pyc", "marshal: code object field co_consts at offset 0x32 has type list, expected tuple" },
    { "code_field_wrong_type.pyc", "marshal: code object field co_names at offset 0x3a: item 0 has type int, expected str" },
    { "code_filename_bytes.pyc", "marshal: code object field co_filename at offset 0x46 has type bytes, expected str" },
    { "code_kinds_mismatch.pyc", "marshal: code object at offset 0x10: 0 localsplus names but 1 kinds" },
    { "code_negative_argcount.pyc", "marshal: code object at offset 0x10: negative argument count or stack size" },
    { "code_odd_bytecode.pyc", "marshal: code object at offset 0x10: co_code has odd length 7" },
    { "code_truncated_fields.pyc", "marshal: truncated code object at offset 0x10: co_stacksize needs 4 bytes, 0 left" },
    { "empty.pyc", "pyc: file of 0 bytes is shorter than the 16-byte header" },
    { "frozendict_on_314.pyc", "marshal: frozendict (type code '}') at offset 0x34 needs marshal version 6 (3.15+), not 3.14" },
    { "header_only.pyc", "marshal: unexpected end of data at offset 0x10" },
    { "magic_37.pyc", "pyc: unknown magic number 3394; lazyc supports CPython 3.8-3.15" },
    { "magic_future.pyc", "pyc: unknown magic number 3700; lazyc supports CPython 3.8-3.15" },
    { "marshal_bad_utf8.pyc", "marshal: str at offset 0x34 is not valid UTF-8" },
    { "marshal_bytes_huge.pyc", "marshal: bytes of 2147483647 bytes at offset 0x25, 72 bytes left" },
    { "marshal_dict_null_value.pyc", "marshal: NULL object at offset 0x38 outside a dict" },
    { "marshal_float_text_malformed.pyc", "marshal: malformed float text at offset 0x34" },
    { "marshal_list_huge.pyc", "marshal: list of 2147483647 items at offset 0x34, 63 bytes left" },
    { "marshal_long_digit_range.pyc", "marshal: long int digit out of range at offset 0x34" },
    { "marshal_long_huge.pyc", "marshal: long int of 2147483647 digits at offset 0x34, 64 bytes left" },
    { "marshal_long_unnormalized.pyc", "marshal: unnormalized long int at offset 0x34" },
    { "marshal_nonascii_short_str.pyc", "marshal: non-ASCII byte in ASCII str at offset 0x34" },
    { "marshal_null_in_tuple.pyc", "marshal: NULL object at offset 0x34 outside a dict" },
    { "marshal_ref_cycle_tuple.pyc", "marshal: invalid reference 0 at offset 0x34 (object still being read)" },
    { "marshal_ref_out_of_range.pyc", "marshal: invalid reference 99 at offset 0x34 (0 objects flagged so far)" },
    { "marshal_ref_unfilled.pyc", "marshal: invalid reference 0 at offset 0x34 (object still being read)" },
    { "marshal_str_huge.pyc", "marshal: str of 4294967295 bytes at offset 0x46, 48 bytes left" },
    { "marshal_surrogate_4byte.pyc", "marshal: str at offset 0x34 is not valid UTF-8" },
    { "marshal_truncated_int.pyc", "marshal: truncated int at offset 0x34: needs 4 bytes, 2 left" },
    { "marshal_tuple_huge.pyc", "marshal: tuple of 4294967295 items at offset 0x32, 62 bytes left" },
    { "marshal_unhashable_dict_key.pyc", "marshal: unhashable dict as dict key at offset 0x34" },
    { "marshal_unhashable_set_item.pyc", "marshal: unhashable list in frozenset at offset 0x34" },
    { "marshal_unknown_type.pyc", "marshal: unknown type code 0x57 at offset 0x34" },
    { "nesting_5000.pyc", "marshal: nesting deeper than 2000 at offset 0xfd0" },
    { "nesting_code_1001.pyc", "marshal: nesting deeper than 2000 at offset 0x6d70" },
    { "nesting_lists_2500.pyc", "marshal: nesting deeper than 2000 at offset 0x273a" },
    { "not_a_pyc.txt", "pyc: not a pyc file (bytes 23 21 2f 62 are no magic number)" },
    { "slice_on_313.pyc", "marshal: slice (type code ':') at offset 0x34 needs marshal version 5 (3.14+), not 3.13" },
    { "top_none.pyc", "pyc: top-level object has type None, expected code" },
    { "top_not_code.pyc", "pyc: top-level object has type tuple, expected code" },
    { "trailing_garbage.pyc", "pyc: 3 trailing bytes after the code object at offset 0x78" },
    { "truncated_code.pyc", "marshal: tuple of 1 items at offset 0x3a, 0 bytes left" },
    { "truncated_header.pyc", "pyc: file of 10 bytes is shorter than the 16-byte header" },
    { "unknown_magic.pyc", "pyc: unknown magic number 3600; lazyc supports CPython 3.8-3.15" },
};

#define HOSTILE_COUNT (sizeof hostile / sizeof hostile[0])

static const char *hostile_dir(void)
{
    static char dir[4096];
    const char *srcdir = getenv("LZ_TEST_SRCDIR");

    ck_assert_msg(srcdir != NULL, "LZ_TEST_SRCDIR not set");
    snprintf(dir, sizeof dir, "%s/tests/data/hostile", srcdir);
    return dir;
}

START_TEST(test_hostile_file)
{
    const struct hostile *h = &hostile[_i];
    char path[4200];
    size_t n;
    uint8_t *data;
    struct lz_pyc *pyc = (struct lz_pyc *)1;
    struct lz_error err = { 0 };

    snprintf(path, sizeof path, "%s/%s", hostile_dir(), h->file);
    data = t_read_file(path, &n);
    ck_assert_uint_le(n, 64 * 1024);          /* the corpus stays small */
    ck_assert_int_eq(lz_pyc_parse(data, n, &pyc, &err), LZ_EINPUT);
    ck_assert_ptr_null(pyc);
    ck_assert_msg(strcmp(err.e_msg, h->msg) == 0, "%s:\n  got      \"%s\"\n  expected \"%s\"",
                  h->file, err.e_msg, h->msg);
    free(data);
}
END_TEST

START_TEST(test_table_covers_directory)
{
    DIR *d = opendir(hostile_dir());
    struct dirent *e;
    size_t seen = 0;

    ck_assert_ptr_nonnull(d);
    while ((e = readdir(d)) != NULL) {
        bool found = false;

        if (e->d_name[0] == '.')
            continue;
        for (size_t i = 0; i < HOSTILE_COUNT; i++)
            found |= strcmp(hostile[i].file, e->d_name) == 0;
        ck_assert_msg(found, "%s has no expected message in test_hostile.c", e->d_name);
        seen++;
    }
    closedir(d);
    ck_assert_uint_eq(seen, HOSTILE_COUNT);
    ck_assert_uint_ge(seen, 30);
}
END_TEST

static Suite *hostile_suite(void)
{
    Suite *s = suite_create("hostile pycs");
    TCase *tc = tcase_create("each is refused with its pinned message");

    tcase_add_test(tc, test_table_covers_directory);
    tcase_add_loop_test(tc, test_hostile_file, 0, (int)HOSTILE_COUNT);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return t_run(hostile_suite());
}
