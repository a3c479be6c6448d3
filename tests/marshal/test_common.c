/* test_common.c - helpers shared by the marshal check tests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_common.h"

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

size_t t_hex(const char *hex, uint8_t *out, size_t cap)
{
    size_t n = 0;

    while (*hex) {
        int hi, lo;

        if (*hex == ' ') {
            hex++;
            continue;
        }
        hi = hexval(hex[0]);
        lo = hex[1] ? hexval(hex[1]) : -1;
        ck_assert_msg(hi >= 0 && lo >= 0, "bad hex in test data near \"%s\"", hex);
        ck_assert_msg(n < cap, "test data longer than %zu bytes", cap);
        out[n++] = (uint8_t)(hi << 4 | lo);
        hex += 2;
    }
    return n;
}

const char *t_tohex(const uint8_t *data, size_t n)
{
    static char buf[4096];
    size_t k = 0;

    for (size_t i = 0; i < n && k + 4 < sizeof buf; i++)
        k += (size_t)snprintf(buf + k, sizeof buf - k, i ? " %02x" : "%02x", data[i]);
    buf[k] = '\0';
    return buf;
}

const struct lz_pyver *t_ver(int minor)
{
    const struct lz_pyver *v = lz_pyver_from_minor(minor);

    ck_assert_msg(v != NULL, "no version 3.%d", minor);
    return v;
}

const char *t_repr(const struct lz_obj *o)
{
    static char buf[8192];
    struct lz_buf b;

    lz_buf_init(&b);
    lz_obj_repr(o, &b);
    ck_assert(!b.b_failed);
    ck_assert_uint_lt(b.b_len, sizeof buf);
    memcpy(buf, b.b_data, b.b_len);
    buf[b.b_len] = '\0';
    lz_buf_fini(&b);
    return buf;
}

uint8_t *t_read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    uint8_t *data;
    long n;

    ck_assert_msg(f != NULL, "cannot open %s", path);
    ck_assert(fseek(f, 0, SEEK_END) == 0);
    n = ftell(f);
    ck_assert(n >= 0);
    rewind(f);
    data = malloc((size_t)n + 1);
    ck_assert(data != NULL);
    ck_assert(fread(data, 1, (size_t)n, f) == (size_t)n);
    fclose(f);
    *size = (size_t)n;
    return data;
}

int t_run(Suite *s)
{
    SRunner *sr = srunner_create(s);
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
