/* test_alloc.c - allocation hook, arenas, buffers, errors, and the
 * out-of-memory path of the whole pyc library.
 *
 * Proves: checked arithmetic refuses overflow at the edges; arena memory is
 * 16-aligned, big blocks do not waste the current chunk; buffers fail
 * sticky; lz_error formats, prefixes and truncates; and for every N, failing
 * the Nth allocation while parsing and re-serializing real pycs of 3.8 and
 * 3.15 yields LZ_ENOMEM (never a swallowed failure, a crash or a leak -
 * glibc's mallinfo2 in-use bytes return to their baseline each time).
 */
#include <check.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lz_alloc.h"
#include "lz_error.h"
#include "lz_pyc.h"
#include "test_common.h"

START_TEST(test_checked_arithmetic)
{
    size_t r;

    ck_assert(!lz_ckd_add(&r, SIZE_MAX, 1));
    ck_assert(!lz_ckd_add(&r, SIZE_MAX / 2 + 1, SIZE_MAX / 2 + 1));
    ck_assert(lz_ckd_add(&r, SIZE_MAX - 1, 1) && r == SIZE_MAX);
    ck_assert(!lz_ckd_mul(&r, SIZE_MAX / 2 + 1, 2));
    ck_assert(!lz_ckd_mul(&r, (size_t)1 << 32, (size_t)1 << 32));
    ck_assert(lz_ckd_mul(&r, SIZE_MAX, 1) && r == SIZE_MAX);
    ck_assert(lz_ckd_mul(&r, 0, SIZE_MAX) && r == 0);
}
END_TEST

START_TEST(test_fail_after_is_one_shot)
{
    void *a, *b, *c, *d;

    lz_alloc_fail_after(2);
    a = lz_malloc(8);
    b = lz_realloc(NULL, 8);
    c = lz_malloc(8);
    d = lz_malloc(8);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    ck_assert_ptr_null(c);
    ck_assert_ptr_nonnull(d);
    lz_alloc_fail_after(-1);
    lz_free(a);
    lz_free(b);
    lz_free(d);
    lz_free(NULL);
}
END_TEST

START_TEST(test_arena)
{
    struct lz_arena *a = lz_arena_new();
    static const size_t sizes[] = { 1, 7, 16, 17, 0, 4095, 100000, 3, 1 << 20, 33 };
    uint8_t *p1, *p2, *big, *p3, *z;

    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        uint8_t *p = lz_arena_alloc(a, sizes[i]);

        ck_assert_ptr_nonnull(p);
        ck_assert_uint_eq((uintptr_t)p % 16, 0);
        memset(p, 0xab, sizes[i]);
    }
    ck_assert_uint_ge(lz_arena_used(a), 100000 + (1 << 20));
    /* a big block gets its own chunk: small ones stay contiguous around it */
    p1 = lz_arena_alloc(a, 16);
    p2 = lz_arena_alloc(a, 16);
    big = lz_arena_alloc(a, 1 << 18);
    p3 = lz_arena_alloc(a, 16);
    ck_assert_ptr_eq(p2, p1 + 16);
    ck_assert_ptr_eq(p3, p2 + 16);
    ck_assert(big < p1 || big > p3);
    ck_assert_ptr_null(lz_arena_calloc(a, SIZE_MAX / 2, 4));
    ck_assert_ptr_null(lz_arena_alloc(a, SIZE_MAX - 4));
    z = lz_arena_calloc(a, 10, 10);
    for (int i = 0; i < 100; i++)
        ck_assert_int_eq(z[i], 0);
    z = lz_arena_dup(a, "hello", 5);
    ck_assert(memcmp(z, "hello", 5) == 0);
    ck_assert_uint_eq(lz_arena_used(NULL), 0);
    lz_arena_free(a);
    lz_arena_free(NULL);
}
END_TEST

START_TEST(test_buf)
{
    struct lz_buf b;
    static const uint8_t want[] = { 'a', 'b', 7, 0x34, 0x12, 0x78, 0x56, 0x34, 0x12 };

    lz_buf_init(&b);
    lz_buf_put(&b, "ab", 2);
    lz_buf_byte(&b, 7);
    lz_buf_u16le(&b, 0x1234);
    lz_buf_u32le(&b, 0x12345678);
    lz_buf_put(&b, NULL, 0);
    t_assert_bytes_eq(b.b_data, b.b_len, want, sizeof want);
    lz_buf_reset(&b);
    ck_assert_uint_eq(b.b_len, 0);
    for (int i = 0; i < 100000; i++)
        lz_buf_byte(&b, (uint8_t)i);
    ck_assert_uint_eq(b.b_len, 100000);
    ck_assert_int_eq(b.b_data[99999], (uint8_t)99999);
    /* a failed growth is sticky until reset */
    lz_buf_reset(&b);
    lz_alloc_fail_after(0);
    lz_buf_put(&b, "x", 1);            /* fits: no allocation */
    ck_assert(!b.b_failed);
    {
        static uint8_t huge[1 << 20];

        lz_buf_put(&b, huge, sizeof huge);
    }
    ck_assert(b.b_failed);
    lz_buf_byte(&b, 1);
    ck_assert_uint_eq(b.b_len, 1);
    lz_buf_reset(&b);
    ck_assert(!b.b_failed);
    lz_buf_fini(&b);
    ck_assert_ptr_null(b.b_data);
}
END_TEST

START_TEST(test_error)
{
    struct lz_error err = { 0 };
    char long_prefix[600];

    ck_assert_int_eq(lz_error_set(&err, LZ_EINPUT, "bad %s at %d", "thing", 3), LZ_EINPUT);
    ck_assert_int_eq(err.e_code, LZ_EINPUT);
    ck_assert_str_eq(err.e_msg, "bad thing at 3");
    lz_error_prefix(&err, "dir/file.pyc");
    ck_assert_str_eq(err.e_msg, "dir/file.pyc: bad thing at 3");
    ck_assert_int_eq(lz_error_set(NULL, LZ_ENOMEM, "x"), LZ_ENOMEM);
    lz_error_prefix(NULL, "p");
    lz_error_clear(NULL);
    memset(long_prefix, 'p', sizeof long_prefix - 1);
    long_prefix[sizeof long_prefix - 1] = '\0';
    lz_error_prefix(&err, long_prefix);
    ck_assert_uint_eq(strlen(err.e_msg), LZ_ERROR_MSG_SIZE - 1);
    lz_error_set(&err, LZ_EIO, "%s", long_prefix);
    ck_assert_uint_eq(strlen(err.e_msg), LZ_ERROR_MSG_SIZE - 1);
    lz_error_set(&err, LZ_EIO, "message");
    lz_error_prefix(&err, "");
    ck_assert_str_eq(err.e_msg, ": message");
    lz_error_clear(&err);
    ck_assert_int_eq(err.e_code, 0);
    ck_assert_str_eq(err.e_msg, "");
}
END_TEST

/* ------------------------------------------------ failure injection ---- */

static const char *const oom_files[] = { "seed-py38", "seed-py315" };

START_TEST(test_oom_walk)
{
    const char *srcdir = getenv("LZ_TEST_SRCDIR");
    char path[4096];
    size_t n, baseline;
    uint8_t *data;
    long steps;

    ck_assert_msg(srcdir != NULL, "LZ_TEST_SRCDIR not set");
    snprintf(path, sizeof path, "%s/tests/fuzz/corpus/%s", srcdir, oom_files[_i]);
    data = t_read_file(path, &n);
    baseline = mallinfo2().uordblks;
    for (steps = 0;; steps++) {
        struct lz_pyc *pyc = NULL;
        struct lz_error err = { 0 };
        struct lz_buf out;
        int rc;
        void *probe;

        lz_buf_init(&out);
        lz_alloc_fail_after(steps);
        rc = lz_pyc_parse(data, n, &pyc, &err);
        if (rc == LZ_OK)
            rc = lz_pyc_serialize(pyc, &out, &err);
        probe = lz_malloc(1);          /* NULL if the injection has not fired */
        lz_alloc_fail_after(-1);
        if (rc == LZ_OK) {
            ck_assert_msg(probe == NULL, "step %ld: a failed allocation was swallowed", steps);
            t_assert_bytes_eq(out.b_data, out.b_len, data, n);
        } else {
            ck_assert_msg(rc == LZ_ENOMEM, "step %ld: rc %d (%s)", steps, rc, err.e_msg);
            ck_assert_int_eq(err.e_code, LZ_ENOMEM);
            ck_assert_msg(strstr(err.e_msg, "out of memory") != NULL, "%s", err.e_msg);
        }
        lz_free(probe);
        lz_pyc_free(pyc);
        lz_buf_fini(&out);
        ck_assert_msg(mallinfo2().uordblks == baseline, "step %ld leaked %zu bytes", steps,
                      mallinfo2().uordblks - baseline);
        if (rc == LZ_OK)
            break;
    }
    ck_assert_int_gt(steps, 3);
    free(data);
}
END_TEST

static Suite *alloc_suite(void)
{
    Suite *s = suite_create("alloc");
    TCase *tc;

    tc = tcase_create("arithmetic, arenas, buffers, errors");
    tcase_add_test(tc, test_checked_arithmetic);
    tcase_add_test(tc, test_fail_after_is_one_shot);
    tcase_add_test(tc, test_arena);
    tcase_add_test(tc, test_buf);
    tcase_add_test(tc, test_error);
    suite_add_tcase(s, tc);
    tc = tcase_create("every allocation failure becomes LZ_ENOMEM");
    tcase_add_loop_test(tc, test_oom_walk, 0, 2);
    suite_add_tcase(s, tc);
    return s;
}

/* mallinfo2 counts chunks parked in glibc's per-thread cache as in use, so
 * the leak check needs the cache off: re-exec with the tunable set. */
#define NO_TCACHE "glibc.malloc.tcache_count=0"

int main(int argc, char **argv)
{
    const char *t = getenv("GLIBC_TUNABLES");

    (void)argc;
    if (t == NULL || strstr(t, NO_TCACHE) == NULL) {
        setenv("GLIBC_TUNABLES", NO_TCACHE, 1);
        execv("/proc/self/exe", argv);
        perror("test_alloc: re-exec without tcache");
        return EXIT_FAILURE;
    }
    return t_run(alloc_suite());
}
