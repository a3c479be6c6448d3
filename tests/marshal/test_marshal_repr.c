/* test_marshal_repr.c - lz_obj_repr against values taken from Python 3.12.
 *
 * Proves: float repr is Python's shortest round-trip form (fixed vs
 * exponent switch, -0.0, inf, nan, subnormals), complex repr follows
 * complex_repr (signed zero, parentheses, nan/inf parts), str and bytes
 * quote choice and escapes, long ints of any size, huge-int cutoff.
 * Does not prove: agreement over real modules (marshal-interp-repr does).
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lz_marshal.h"
#include "test_common.h"

static void le_double(uint8_t *p, double d)
{
    uint64_t bits;

    memcpy(&bits, &d, sizeof bits);
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(bits >> (8 * i));
}

struct float_case {
    double v;
    const char *repr;
};

static const struct float_case float_cases[] = {
    { 0x1.999999999999ap-4, "0.1" },
    { 0x1.1c37937e08000p+53, "1e+16" },
    { 0x1.c6bf526340000p+49, "1000000000000000.0" },
    { 0x1.a36e2eb1c432dp-14, "0.0001" },
    { 0x1.4f8b588e368f1p-17, "1e-05" },
    { 0x0.0000000000001p-1022, "5e-324" },
    { 0x1.fffffffffffffp+1023, "1.7976931348623157e+308" },
    { -0x0.0p+0, "-0.0" },
    { 0x0.0p+0, "0.0" },
    { 0x1.0000000000000p+60, "1.152921504606847e+18" },
    { 0x1.b69b4ba630f35p+56, "1.2345678901234568e+17" },
    { 0x1.3333333333334p-2, "0.30000000000000004" },
    { 0x1.5555555555555p-2, "0.3333333333333333" },
    { INFINITY, "inf" },
    { -INFINITY, "-inf" },
    { NAN, "nan" },
    { -NAN, "nan" },
    { 0x1.9000000000000p+6, "100.0" },
    { -0x1.9000000000000p+6, "-100.0" },
    { 0x1.0f0cf064dd592p+73, "1e+22" },
    { 0x0.0000000000003p-1022, "1.5e-323" },
    { 0x1.0000000000000p+53, "9007199254740992.0" },
};

START_TEST(test_float)
{
    uint8_t raw[8];
    struct lz_obj o = { .o_kind = LZ_K_FLOAT, .o_code = 'g' };

    le_double(raw, float_cases[_i].v);
    o.u.o_raw.data = raw;
    o.u.o_raw.size = 8;
    ck_assert_str_eq(t_repr(&o), float_cases[_i].repr);
}
END_TEST

struct complex_case {
    double re, im;
    const char *repr;
};

static const struct complex_case complex_cases[] = {
    { 0, 1, "1j" },
    { -0.0, -1, "(-0-1j)" },
    { 1, 2, "(1+2j)" },
    { 0, -0.0, "-0j" },
    { -0.0, 0, "(-0+0j)" },
    { 1.5, NAN, "(1.5+nanj)" },
    { 1.5, -NAN, "(1.5+nanj)" },
    { INFINITY, -INFINITY, "(inf-infj)" },
    { 1e+16, 0.5, "(1e+16+0.5j)" },
    { 0, 1e+22, "1e+22j" },
    { 2.5, -0.0, "(2.5-0j)" },
};

START_TEST(test_complex)
{
    uint8_t raw[16];
    struct lz_obj o = { .o_kind = LZ_K_COMPLEX, .o_code = 'y' };

    le_double(raw, complex_cases[_i].re);
    le_double(raw + 8, complex_cases[_i].im);
    o.u.o_raw.data = raw;
    o.u.o_raw.size = 16;
    ck_assert_str_eq(t_repr(&o), complex_cases[_i].repr);
}
END_TEST

struct text_case {
    const char *s;
    size_t n;            /* 0: strlen(s) */
    const char *repr;
};

static const struct text_case str_cases[] = {
    { "a'b", 0, "\"a'b\"" },
    { "a\"b", 0, "'a\"b'" },
    { "a'b\"c", 0, "'a\\'b\"c'" },
    { "\x00\x7f\xc2\x80\xc2\x9f\xc2\xa0\xc2\xad\xc3\xbf", 12,
      "'\\x00\\x7f\\x80\\x9f\\xa0\\xad\xc3\xbf'" },
    { "\xe2\x80\xa8\xe2\x80\xa9\xc2\x85\xe2\x80\x8b", 0, "'\\u2028\\u2029\\x85\\u200b'" },
    { "\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80", 0, "'\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80'" },
    { "\t\n\r\\", 0, "'\\t\\n\\r\\\\'" },
    { "\xed\xa0\x80\xed\xbf\xbf", 0, "'\\ud800\\udfff'" },
    { "\xef\xbb\xbf\xef\xbf\xbe\xf4\x8f\xbf\xbf", 0, "'\\ufeff\\ufffe\\U0010ffff'" },
    { "\x1b" "[0m", 0, "'\\x1b[0m'" },
    { "\xf3\xa0\x80\x81\xef\xa3\xbf", 0, "'\\U000e0001\\uf8ff'" },
};

START_TEST(test_str)
{
    const struct text_case *c = &str_cases[_i];
    struct lz_obj o = { .o_kind = LZ_K_STR, .o_code = 'u' };

    o.u.o_raw.data = (const uint8_t *)c->s;
    o.u.o_raw.size = c->n ? c->n : strlen(c->s);
    ck_assert_str_eq(t_repr(&o), c->repr);
}
END_TEST

static const struct text_case bytes_cases[] = {
    { "", 0, "b''" },
    { "'", 0, "b\"'\"" },
    { "\"", 0, "b'\"'" },
    { "'\"", 0, "b'\\'\"'" },
    { "\x00\x7f\x80\xff\t\n\r\\", 8, "b'\\x00\\x7f\\x80\\xff\\t\\n\\r\\\\'" },
};

START_TEST(test_bytes)
{
    const struct text_case *c = &bytes_cases[_i];
    struct lz_obj o = { .o_kind = LZ_K_BYTES, .o_code = 's' };

    o.u.o_raw.data = (const uint8_t *)c->s;
    o.u.o_raw.size = c->n ? c->n : strlen(c->s);
    ck_assert_str_eq(t_repr(&o), c->repr);
}
END_TEST

#define Z16 "0000 0000 0000 0000 0000 0000 0000 0000 0000 0000 0000 0000 0000 0000 0000 0000 "

struct long_case {
    const char *hex;     /* 'l' payload: count + digits */
    const char *repr;
};

static const struct long_case long_cases[] = {
    { "05000000 0000 0000 0000 0000 0400", "4611686018427387904" },
    { "fbffffff 0000 0000 0000 0000 0400", "-4611686018427387904" },
    { "09000000000000000004ab4fbb7a9714d770f814631d", "10000000000000000000000000000000000000000" },
    { "f7ffffffff7fff7fff03ab4fbb7a9714d770f814631d", "-9999999999999999999999999999999999999999" },
    /* 2**1000: 67 digits, all zero but the top one, 2**(1000 - 66*15) = 0x400 */
    { "43000000" Z16 Z16 Z16 Z16 "0000 0000 0004",
      "107150860718626732094842504906000181056140481170553360744375038837035105112493612249"
      "319837881569585812759467291755314682518714528569231404359845775746985748039345677748"
      "242309854210746050623711418779541821530464749835819412673987675591655439460770629145"
      "71196477686542167660429831652624386837205668069376" },
};

START_TEST(test_long)
{
    uint8_t raw[512];
    struct lz_obj o = { .o_kind = LZ_K_LONG, .o_code = 'l' };

    o.u.o_raw.data = raw;
    o.u.o_raw.size = t_hex(long_cases[_i].hex, raw, sizeof raw);
    ck_assert_str_eq(t_repr(&o), long_cases[_i].repr);
}
END_TEST

/* Past REPR_LONG_DIGITS_MAX (1000 digits) the value is summarised. */
START_TEST(test_long_huge)
{
    size_t ndig = 1001, n = 4 + 2 * ndig;
    uint8_t *raw = calloc(1, n);
    struct lz_obj o = { .o_kind = LZ_K_LONG, .o_code = 'l' };

    raw[0] = (uint8_t)ndig;
    raw[1] = (uint8_t)(ndig >> 8);
    raw[n - 2] = 1;
    o.u.o_raw.data = raw;
    o.u.o_raw.size = n;
    ck_assert_str_eq(t_repr(&o), "<int of 15015 bits>");
    free(raw);
}
END_TEST

static Suite *repr_suite(void)
{
    Suite *s = suite_create("marshal repr");
    TCase *tc = tcase_create("matches Python's repr");

    tcase_add_loop_test(tc, test_float, 0, (int)(sizeof float_cases / sizeof float_cases[0]));
    tcase_add_loop_test(tc, test_complex, 0, (int)(sizeof complex_cases / sizeof complex_cases[0]));
    tcase_add_loop_test(tc, test_str, 0, (int)(sizeof str_cases / sizeof str_cases[0]));
    tcase_add_loop_test(tc, test_bytes, 0, (int)(sizeof bytes_cases / sizeof bytes_cases[0]));
    tcase_add_loop_test(tc, test_long, 0, (int)(sizeof long_cases / sizeof long_cases[0]));
    tcase_add_test(tc, test_long_huge);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return t_run(repr_suite());
}
