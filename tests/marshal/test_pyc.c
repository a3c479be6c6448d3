/* test_pyc.c - the pyc container, the version table and SipHash.
 *
 * Proves: headers are refused for every listed defect with the pinned
 * message (sizes, magic, flags, marshal errors at file offsets, non-code
 * top object, trailing bytes); valid headers of every flag value and the
 * real seed pycs of all eight versions round-trip byte-identically; the
 * version table holds the documented facts; SipHash matches the published
 * 2-4 vectors and CPython's source_hash values.  Does not prove: agreement
 * with live interpreters (marshal-interp-* tests do).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lz_pyc.h"
#include "test_common.h"

#define HDR312 "cb 0d 0d 0a"
#define CODE312 "63 00000000 00000000 00000000 01000000 00000000 f3 08000000 9700 6400 5a00 7901 " \
                "29 02 e9 01000000 4e 29 01 da 01 78 a9 00 f3 00000000 da 01 66 fa 08 " \
                "3c6d6f64756c653e 72 06000000 01000000 73 0a000000 f003010101d802038101 72 04000000"

/* ------------------------------------------------------------ refusals -- */

struct bad_pyc {
    const char *hex;
    const char *msg;
};

static const struct bad_pyc bad_pycs[] = {
    { "", "pyc: file of 0 bytes is shorter than the 16-byte header" },
    { HDR312 " 00000000 00000000 000000", "pyc: file of 15 bytes is shorter than the 16-byte header" },
    { "23 21 2f 62 69 6e 2f 73 68 0a 65 63 68 6f 20 31",
      "pyc: not a pyc file (bytes 23 21 2f 62 are no magic number)" },
    { "10 0e 0d 0a 00000000 00000000 00000000 " CODE312,
      "pyc: unknown magic number 3600; lazyc supports CPython 3.8-3.15" },
    { "4f 0d 0d 0a 00000000 00000000 00000000 " CODE312,
      "pyc: unknown magic number 3407; lazyc supports CPython 3.8-3.15" },
    { HDR312 " 04000000 00000000 00000000 " CODE312, "pyc: invalid flags 0x4 in the header" },
    { HDR312 " 00000080 00000000 00000000 " CODE312, "pyc: invalid flags 0x80000000 in the header" },
    { HDR312 " 00000000 00000000 00000000", "marshal: unexpected end of data at offset 0x10" },
    { HDR312 " 00000000 00000000 00000000 29 05 4e",
      "marshal: tuple of 5 items at offset 0x10, 1 bytes left" },
    { HDR312 " 00000000 00000000 00000000 4e", "pyc: top-level object has type None, expected code" },
    { HDR312 " 00000000 00000000 00000000 a9 00", "pyc: top-level object has type tuple, expected code" },
    { HDR312 " 00000000 00000000 00000000 " CODE312 " 4e 4e",
      "pyc: 2 trailing bytes after the code object at offset 0x70" },
    /* a 3.14 slice inside 3.13 data */
    { "f3 0d 0d 0a 00000000 00000000 00000000 3a 4e 4e 4e",
      "marshal: slice (type code ':') at offset 0x10 needs marshal version 5 (3.14+), not 3.13" },
};

START_TEST(test_bad_pyc)
{
    uint8_t buf[1024];
    size_t n = t_hex(bad_pycs[_i].hex, buf, sizeof buf);
    struct lz_pyc *pyc = (struct lz_pyc *)1;
    struct lz_error err = { 0 };

    ck_assert_int_eq(lz_pyc_parse(buf, n, &pyc, &err), LZ_EINPUT);
    ck_assert_ptr_null(pyc);
    ck_assert_str_eq(err.e_msg, bad_pycs[_i].msg);
}
END_TEST

/* --------------------------------------------------------------- valid -- */

static const char *const good_flags[] = { "00000000", "01000000", "02000000", "03000000" };

START_TEST(test_good_flags)
{
    char hex[1024];
    uint8_t buf[1024];
    size_t n;
    struct lz_pyc *pyc;
    struct lz_error err = { 0 };
    struct lz_buf out;

    snprintf(hex, sizeof hex, HDR312 " %s 01020304 05060708 " CODE312, good_flags[_i]);
    n = t_hex(hex, buf, sizeof buf);
    ck_assert_msg(lz_pyc_parse(buf, n, &pyc, &err) == LZ_OK, "%s", err.e_msg);
    ck_assert_int_eq(pyc->pc_ver->pv_minor, 12);
    ck_assert_uint_eq(pyc->pc_flags, (uint32_t)_i);
    ck_assert_int_eq(pyc->pc_code->o_kind, LZ_K_CODE);
    ck_assert(memcmp(pyc->pc_header, buf, LZ_PYC_HEADER_SIZE) == 0);
    /* the graph lives in the pyc's own copy, not in the caller's buffer */
    memset(buf, 0, n);
    ck_assert(lz_obj_is_str(pyc->pc_code->u.o_codeobj->co_name, "<module>"));
    n = t_hex(hex, buf, sizeof buf);
    lz_buf_init(&out);
    ck_assert_int_eq(lz_pyc_serialize(pyc, &out, &err), LZ_OK);
    t_assert_bytes_eq(out.b_data, out.b_len, buf, n);
    lz_buf_fini(&out);
    lz_pyc_free(pyc);
    lz_pyc_free(NULL);
}
END_TEST

static const char *const seeds[] = {
    "seed-py38", "seed-py39", "seed-py310", "seed-py311", "seed-py312", "seed-py313",
    "seed-py314", "seed-py315",
};

START_TEST(test_seed_pycs)
{
    const char *srcdir = getenv("LZ_TEST_SRCDIR");
    char path[4096];
    size_t n;
    uint8_t *data;
    struct lz_pyc *pyc;
    struct lz_error err = { 0 };
    struct lz_buf out;

    ck_assert_msg(srcdir != NULL, "LZ_TEST_SRCDIR not set");
    snprintf(path, sizeof path, "%s/tests/fuzz/corpus/%s", srcdir, seeds[_i]);
    data = t_read_file(path, &n);
    ck_assert_msg(lz_pyc_parse(data, n, &pyc, &err) == LZ_OK, "%s: %s", path, err.e_msg);
    ck_assert_int_eq(pyc->pc_ver->pv_minor, 8 + _i);
    ck_assert_uint_eq(pyc->pc_flags, LZ_PYC_FLAG_HASH);
    lz_buf_init(&out);
    ck_assert_int_eq(lz_pyc_serialize(pyc, &out, &err), LZ_OK);
    t_assert_bytes_eq(out.b_data, out.b_len, data, n);
    lz_buf_fini(&out);
    lz_pyc_free(pyc);
    free(data);
}
END_TEST

/* ------------------------------------------------------------ versions -- */

START_TEST(test_version_table)
{
    static const struct { int minor; uint16_t magic; int marshal, layout, c, d; } want[] = {
        { 8, 3413, 4, LZ_CODE_LAYOUT_38, 2, 4 }, { 9, 3425, 4, LZ_CODE_LAYOUT_38, 2, 4 },
        { 10, 3439, 4, LZ_CODE_LAYOUT_38, 2, 4 }, { 11, 3495, 4, LZ_CODE_LAYOUT_311, 1, 3 },
        { 12, 3531, 4, LZ_CODE_LAYOUT_311, 1, 3 }, { 13, 3571, 4, LZ_CODE_LAYOUT_311, 1, 3 },
        { 14, 3627, 5, LZ_CODE_LAYOUT_311, 1, 3 }, { 15, 3666, 6, LZ_CODE_LAYOUT_311, 1, 3 },
    };
    int count = 0;
    const struct lz_pyver *all = lz_pyver_all(&count);

    ck_assert_int_eq(count, 8);
    for (int i = 0; i < 8; i++) {
        const struct lz_pyver *v = lz_pyver_from_minor(want[i].minor);

        ck_assert_ptr_eq(v, &all[i]);
        ck_assert_ptr_eq(lz_pyver_from_magic(want[i].magic), v);
        ck_assert_int_eq(v->pv_major, 3);
        ck_assert_int_eq(v->pv_minor, want[i].minor);
        ck_assert_int_eq(v->pv_magic, want[i].magic);
        ck_assert_int_eq(v->pv_marshal_version, want[i].marshal);
        ck_assert_int_eq(v->pv_code_layout, want[i].layout);
        ck_assert_int_eq(v->pv_sip_c, want[i].c);
        ck_assert_int_eq(v->pv_sip_d, want[i].d);
    }
    ck_assert_ptr_null(lz_pyver_from_minor(7));
    ck_assert_ptr_null(lz_pyver_from_minor(16));
    ck_assert_ptr_null(lz_pyver_from_magic(3600));   /* a 3.14 alpha */
    ck_assert_ptr_null(lz_pyver_from_magic(0));
}
END_TEST

/* ------------------------------------------------------------- siphash -- */

START_TEST(test_siphash_vectors)
{
    uint8_t key[16], msg[64];
    uint64_t k0 = 0, k1 = 0;

    for (int i = 0; i < 16; i++)
        key[i] = (uint8_t)i;
    for (int i = 0; i < 64; i++)
        msg[i] = (uint8_t)i;
    for (int i = 7; i >= 0; i--) {
        k0 = (k0 << 8) | key[i];
        k1 = (k1 << 8) | key[8 + i];
    }
    /* Aumasson & Bernstein, SipHash-2-4 reference vectors (key 00..0f) */
    ck_assert_uint_eq(lz_siphash(2, 4, k0, k1, msg, 0), UINT64_C(0x726fdb47dd0e0e31));
    ck_assert_uint_eq(lz_siphash(2, 4, k0, k1, msg, 15), UINT64_C(0xa129ca6149be45e5));
}
END_TEST

struct hash_case {
    int minor;
    const char *src;
    const char *hex;     /* importlib.util.source_hash(src).hex() */
};

static const struct hash_case hash_cases[] = {
    { 8, "", "81e4881b3643e8e9" },
    { 8, "print(1)\n", "9bf71decb71ddb20" },
    { 12, "", "baf18eedc9387a25" },
    { 12, "print(1)\n", "bf71f361a5f8cd69" },
    { 15, "print(1)\n", "4ec64db5eb9eb034" },
};

START_TEST(test_source_hash)
{
    const struct hash_case *c = &hash_cases[_i];
    uint8_t h[8], want[8];

    t_hex(c->hex, want, sizeof want);
    lz_pyc_source_hash(t_ver(c->minor), (const uint8_t *)c->src, strlen(c->src), h);
    t_assert_bytes_eq(h, 8, want, 8);
}
END_TEST

static Suite *pyc_suite(void)
{
    Suite *s = suite_create("pyc");
    TCase *tc;

    tc = tcase_create("refuses bad headers and containers");
    tcase_add_loop_test(tc, test_bad_pyc, 0, (int)(sizeof bad_pycs / sizeof bad_pycs[0]));
    suite_add_tcase(s, tc);
    tc = tcase_create("parses and re-serializes valid pycs");
    tcase_add_loop_test(tc, test_good_flags, 0, 4);
    tcase_add_loop_test(tc, test_seed_pycs, 0, 8);
    suite_add_tcase(s, tc);
    tc = tcase_create("version table");
    tcase_add_test(tc, test_version_table);
    suite_add_tcase(s, tc);
    tc = tcase_create("siphash and source hashes");
    tcase_add_test(tc, test_siphash_vectors);
    tcase_add_loop_test(tc, test_source_hash, 0, (int)(sizeof hash_cases / sizeof hash_cases[0]));
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return t_run(pyc_suite());
}
