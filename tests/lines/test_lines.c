/* test_lines.c - hand-made line, location and exception tables.
 *
 * Proves: malformed tables are refused with LZ_EINPUT and the expected
 * one-line message (and nothing past the table is read: every input here
 * sits in an exactly sized heap copy, so ASan/valgrind runs catch over-reads);
 * bad encoder input is refused; edge cases the compiler rarely emits decode
 * to the right per-unit data and re-encode to the exact bytes the compiler
 * writes (the bytes are written out here from section 5 / 6.2 of
 * bytecode-formats.md, several confirmed against real interpreter output in
 * the corpus test); tables re-encoded after inserting units with copied
 * locations decode to the new per-unit data.
 * Does not prove: agreement with real interpreters on whole files
 * (test_lines_corpus does that for every stdlib code object).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lines_int.h"

#define NO LZ_NO_COL
#define NL LZ_NO_LINE
#define MAX_BYTES 64

static const struct lz_version *ver(int minor)
{
    const struct lz_pyver *pv = lz_pyver_from_minor(minor);
    const struct lz_version *v = pv != NULL ? lz_version_for(pv) : NULL;

    ck_assert_msg(v != NULL, "no version table for 3.%d", minor);
    return v;
}

/* An exactly sized heap copy, so an over-read is an out-of-bounds access. */
static uint8_t *heap_copy(const uint8_t *p, size_t n)
{
    uint8_t *c = malloc(n ? n : 1);

    ck_assert_ptr_nonnull(c);
    if (n)
        memcpy(c, p, n);
    return c;
}

static void assert_bytes(const struct lz_buf *b, const uint8_t *want, size_t n)
{
    size_t i;
    char got[3 * 256 + 1] = "", exp[3 * 256 + 1] = "";

    for (i = 0; i < b->b_len && i < 256; i++)
        sprintf(got + 3 * i, " %02x", b->b_data[i]);
    for (i = 0; i < n && i < 256; i++)
        sprintf(exp + 3 * i, " %02x", want[i]);
    ck_assert_msg(b->b_len == n && (n == 0 || memcmp(b->b_data, want, n) == 0),
                  "encoded:%s\nexpected:%s", got, exp);
}

static void assert_loc(const struct lz_loc *got, size_t u, int32_t line, int32_t end_line,
                       int32_t col, int32_t end_col)
{
    ck_assert_msg(got->l_line == line && got->l_end_line == end_line && got->l_col == col
                  && got->l_end_col == end_col,
                  "unit %zu: got (%d,%d,%d,%d), expected (%d,%d,%d,%d)", u, got->l_line,
                  got->l_end_line, got->l_col, got->l_end_col, line, end_line, col, end_col);
}

/* ==== invalid inputs ===================================================== */

struct bad_table {
    int bt_minor;           /* 8: lnotab, 10: linetable, 11/12: locations, 0: exception table */
    uint8_t bt_bytes[MAX_BYTES];
    size_t bt_len;
    size_t bt_nunits;
    int32_t bt_first;
    const char *bt_msg;     /* expected substring of the message */
};

static const struct bad_table bad_tables[] = {
    /* lnotab */
    { 8, { 2 }, 1, 1, 1, "lnotab: odd length 1" },
    { 8, { 4, 1 }, 2, 1, 1, "lnotab: pair at offset 0 reaches byte 4 beyond the code (2 bytes)" },
    { 8, { 2, 0, 255, 0, 255, 0, 2, 1 }, 8, 200, 1, "reaches byte 514 beyond the code (400 bytes)" },
    { 8, { 2, 0, 3, 1 }, 4, 4, 1, "lnotab: pair at offset 2 ends at odd byte address 5" },
    { 8, { 255, 0 }, 2, 200, 1, "odd byte address 255" },
    { 8, { 2, 1 }, 2, 2, INT32_MAX, "lnotab: line 2147483648 out of range at offset 0" },
    /* linetable */
    { 10, { 2 }, 1, 1, 1, "linetable: odd length 1" },
    { 10, { 3, 0, 1, 0 }, 4, 2, 1, "linetable: range of odd length 3 at offset 0" },
    { 10, { 2, 0, 6, 1 }, 4, 2, 1, "range at offset 2 ends at byte 8 beyond the code (4 bytes)" },
    { 10, { 2, 0 }, 2, 2, 1, "linetable: covers 2 of 4 code bytes" },
    { 10, { 0 }, 0, 1, 1, "linetable: covers 0 of 2 code bytes" },
    { 10, { 2, 0x81 }, 2, 1, INT32_MIN + 1, "linetable: line -2147483774 out of range" },
    /* location table */
    { 12, { 0x08, 0x00 }, 2, 1, 1, "byte 0x08 at offset 0 does not start an entry" },
    { 12, { 0x80 }, 1, 1, 1, "entry at offset 0 truncated at end of table (1 bytes)" },
    { 12, { 0xd0, 0x05 }, 2, 1, 1, "entry at offset 0 truncated at end of table (2 bytes)" },
    { 12, { 0xe8, 0x41 }, 2, 1, 1, "entry at offset 0 truncated at end of table" },
    { 12, { 0xf0, 0x02, 0x00, 0x01 }, 4, 1, 1, "entry at offset 0 truncated" },
    { 12, { 0xe8, 0x41, 0x80, 0x00 }, 4, 2, 1,
      "entry at offset 0 cut short by byte 0x80 at offset 2" },
    { 12, { 0x80, 0x00, 0x80, 0x90 }, 4, 2, 1,
      "entry at offset 2 cut short by byte 0x90 at offset 3" },
    { 12, { 0xe8, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x00 }, 8, 1, 1,
      "varint longer than 32 bits at offset 6" },
    { 12, { 0xe8, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x0f }, 7, 1, 1,
      "varint longer than 32 bits at offset 6" },
    { 12, { 0x87, 0x00 }, 2, 4, 1, "entry at offset 0 covers units 0-7 beyond the code (4 units)" },
    { 12, { 0xf8, 0xf9 }, 2, 2, 1, "entry at offset 1 covers units 1-2 beyond the code (2 units)" },
    { 12, { 0xf8 }, 1, 2, 1, "location table: covers 1 of 2 code units" },
    { 12, { 0 }, 0, 3, 1, "location table: covers 0 of 3 code units" },
    { 12, { 0xd8, 0x00, 0x00 }, 3, 1, INT32_MAX, "line 2147483648 out of range in entry at offset 0" },
    { 12, { 0xe8, 0x03 }, 2, 1, INT32_MIN + 1, "line -2147483648 out of range" },
    { 12, { 0xf0, 0x00, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x01, 0x01, 0x01 }, 10, 1, 1,
      "line 2147483648 out of range in entry at offset 0" },
    { 12, { 0xf0, 0x00, 0x00, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x03, 0x01 }, 10, 1, 1,
      "column 4294967295 out of range in entry at offset 0" },
    /* exception table */
    { 0, { 0x00, 0x02, 0x04, 0x00 }, 4, 8, 0, "byte 0x00 at offset 0 does not start an entry" },
    { 0, { 0x80, 0x02 }, 2, 8, 0, "entry at offset 0 truncated in its target" },
    { 0, { 0x80 }, 1, 8, 0, "entry at offset 0 truncated in its size" },
    { 0, { 0x80, 0x02, 0x04, 0x40 }, 4, 8, 0, "entry at offset 0 truncated in its depth" },
    { 0, { 0x80, 0x82, 0x04, 0x00 }, 4, 8, 0,
      "entry at offset 0 cut short in its size by byte 0x82 at offset 1" },
    { 0, { 0x80, 0x04, 0x06, 0x00, 0x82, 0x02, 0x06, 0x00 }, 8, 8, 0,
      "entry at offset 4 starts at unit 2, before the end (4) of the previous one (unsorted or overlapping)" },
    { 0, { 0x84, 0x02, 0x06, 0x00, 0x80, 0x02, 0x06, 0x00 }, 8, 8, 0,
      "entry at offset 4 starts at unit 0, before the end (6) of the previous one" },
    { 0, { 0x80, 0x09, 0x02, 0x00 }, 4, 8, 0,
      "entry at offset 0 covers units 0-8 beyond the code (8 units)" },
    { 0, { 0x80, 0x02, 0x08, 0x00 }, 4, 8, 0, "entry at offset 0 jumps to unit 8 beyond the code (8 units)" },
    { 0, { 0x80, 0x00, 0x02, 0x00 }, 4, 8, 0, "entry at offset 0 covers no code" },
    { 0, { 0x80, 0x02, 0x02, 0x60, 0x40, 0x00 }, 6, 8, 0,
      "entry at offset 0 has depth 65536 above 65535" },
    { 0, { 0xc0, 0x40, 0x40, 0x40, 0x40, 0x40, 0x00, 0x02, 0x02, 0x00 }, 10, 8, 0,
      "start of entry at offset 0 longer than 32 bits" },
    { 0, { 0xc4, 0x40, 0x40, 0x40, 0x40, 0x00, 0x02, 0x02, 0x00 }, 9, 8, 0,
      "start of entry at offset 0 longer than 32 bits" },
};

START_TEST(test_decode_refuses)
{
    const struct bad_table *bt = &bad_tables[_i];
    struct lz_arena *arena = lz_arena_new();
    struct lz_error err = { 0 };
    uint8_t *t = heap_copy(bt->bt_bytes, bt->bt_len);
    int rc;

    ck_assert_ptr_nonnull(arena);
    if (bt->bt_minor == 0) {
        struct lz_handler *h = (void *)1;

        rc = lz_exctable_decode(t, bt->bt_len, bt->bt_nunits, arena, &h, &err);
        ck_assert_ptr_null(h);
    } else {
        struct lz_linetab lt;

        rc = lz_lines_decode(ver(bt->bt_minor), t, bt->bt_len, bt->bt_first, bt->bt_nunits,
                             arena, &lt, &err);
    }
    ck_assert_msg(rc == LZ_EINPUT, "case %d: status %d, message '%s'", _i, rc, err.e_msg);
    ck_assert_int_eq(err.e_code, LZ_EINPUT);
    ck_assert_msg(strstr(err.e_msg, bt->bt_msg) != NULL, "case %d: message '%s' lacks '%s'",
                  _i, err.e_msg, bt->bt_msg);
    ck_assert_ptr_null(strchr(err.e_msg, '\n'));
    free(t);
    lz_arena_free(arena);
}
END_TEST

START_TEST(test_decode_limits)
{
    struct lz_arena *arena = lz_arena_new();
    struct lz_error err = { 0 };
    struct lz_linetab lt;

    ck_assert_int_eq(lz_lines_decode(ver(12), NULL, 0, 1, LZ_LINES_MAX_UNITS + 1, arena, &lt,
                                     &err), LZ_EINPUT);
    ck_assert_ptr_nonnull(strstr(err.e_msg, "exceeds the limit"));
    ck_assert_int_eq(lz_lines_decode(ver(12), NULL, 4, 1, 2, arena, &lt, &err), LZ_EUSAGE);
    lz_arena_free(arena);
}
END_TEST

/* ---- bad encoder input --------------------------------------------------- */

START_TEST(test_encode_refuses)
{
    struct lz_buf b;
    struct lz_error err = { 0 };
    struct lz_loc nl[2] = { { 3, NO, NO, NO }, { NL, NO, NO, NO } };
    struct lz_loc l2[2] = { { 3, NO, NO, NO }, { 4, NO, NO, NO } };
    struct lz_loc back[1] = { { 5, 4, 0, 1 } };
    struct lz_loc negcol[1] = { { 5, 5, -2, 1 } };
    struct lz_lnotab_event unordered[2] = { { 1, 1 }, { 0, 0 } };
    struct lz_lnotab_event beyond[1] = { { 3, 1 } };
    struct lz_handler h[2] = { { 2, 0, 0 }, { -1, 0, 0 } };
    uint8_t starts[2] = { 1, 1 };

    lz_buf_init(&b);
    ck_assert_int_eq(lz_lines_encode(ver(8), nl, starts, 2, 3, NULL, 0, &b, &err), LZ_EINPUT);
    ck_assert_ptr_nonnull(strstr(err.e_msg, "lnotab: code unit 1 has no line"));
    ck_assert_int_eq(lz_lines_encode(ver(9), l2, starts, 2, 3, unordered, 2, &b, &err),
                     LZ_EUSAGE);
    ck_assert_ptr_nonnull(strstr(err.e_msg, "event 1 at unit 0 is out of order"));
    ck_assert_int_eq(lz_lines_encode(ver(9), l2, starts, 2, 3, beyond, 1, &b, &err), LZ_EUSAGE);
    ck_assert_ptr_nonnull(strstr(err.e_msg, "beyond the code (2 units)"));
    ck_assert_int_eq(lz_lines_encode(ver(9), l2, starts, 2, 3, NULL, 1, &b, &err), LZ_EUSAGE);
    ck_assert_int_eq(lz_lines_encode(ver(11), l2, NULL, 2, 3, NULL, 0, &b, &err), LZ_EUSAGE);
    ck_assert_ptr_nonnull(strstr(err.e_msg, "3.11 needs instruction starts"));
    ck_assert_int_eq(lz_lines_encode(ver(12), back, NULL, 1, 3, NULL, 0, &b, &err), LZ_EINPUT);
    ck_assert_ptr_nonnull(strstr(err.e_msg, "unit 0 ends on line 4 before its line 5"));
    ck_assert_int_eq(lz_lines_encode(ver(13), negcol, NULL, 1, 3, NULL, 0, &b, &err), LZ_EINPUT);
    ck_assert_ptr_nonnull(strstr(err.e_msg, "negative columns"));
    ck_assert_int_eq(lz_exctable_encode(h, 2, &b, &err), LZ_EINPUT);
    ck_assert_ptr_nonnull(strstr(err.e_msg, "unit 0 has its handler at unit 2, beyond the code"));
    lz_buf_fini(&b);
}
END_TEST

START_TEST(test_encode_out_of_memory)
{
    struct lz_buf b;
    struct lz_error err = { 0 };
    struct lz_loc l[2] = { { 3, 3, 0, 4 }, { 4, 4, 2, 9 } };
    struct lz_handler h[2] = { { 1, 0, 0 }, { -1, 0, 0 } };
    int minor;

    for (minor = 8; minor <= 15; minor++) {
        lz_buf_init(&b);
        lz_alloc_fail_after(0);
        ck_assert_int_eq(lz_lines_encode(ver(minor), l, (const uint8_t *)"\1\1", 2, 1, NULL, 0,
                                         &b, &err), LZ_ENOMEM);
        lz_alloc_fail_after(-1);
        lz_buf_fini(&b);
    }
    lz_buf_init(&b);
    lz_alloc_fail_after(0);
    ck_assert_int_eq(lz_exctable_encode(h, 2, &b, &err), LZ_ENOMEM);
    lz_alloc_fail_after(-1);
    lz_buf_fini(&b);
}
END_TEST

/* ==== valid edge cases =================================================== */

/* One table: decoded lines (3.8-3.10) or locations, then encoded back. */
struct good_table {
    int gt_minor;
    uint8_t gt_bytes[MAX_BYTES];
    size_t gt_len;
    int32_t gt_first;
    /* Expected units as runs: (count, line, end_line, col, end_col). */
    struct { size_t n; int32_t line, end_line, col, end_col; } gt_runs[8];
    const char *gt_what;
};

static const struct good_table good_tables[] = {
    /* lnotab (3.8/3.9, section 5.1): line splits and address carries as the
     * compiler writes them. */
    { 8, { 4, 127, 0, 127, 0, 46 }, 6, 1, { { 2, 1, NO, NO, NO }, { 3, 301, NO, NO, NO } },
      "+300 lines after 4 bytes" },
    { 8, { 2, 0x80, 0, 0xb7 }, 4, 300, { { 1, 300, NO, NO, NO }, { 1, 99, NO, NO, NO } },
      "-201 lines after 2 bytes" },
    { 9, { 2, 127, 0, 127, 0, 0 }, 6, 1, { { 1, 1, NO, NO, NO }, { 1, 255, NO, NO, NO } },
      "+254 lines: trailing (0, 0)" },
    { 9, { 2, 0x80, 0, 0x80, 0, 0 }, 6, 300, { { 1, 300, NO, NO, NO }, { 1, 44, NO, NO, NO } },
      "-256 lines: trailing (0, 0)" },
    { 8, { 255, 0, 255, 0, 90, 1 }, 6, 7, { { 300, 7, NO, NO, NO }, { 1, 8, NO, NO, NO } },
      "600 bytes: two carries" },
    { 8, { 255, 0, 255, 0, 0, 1 }, 6, 7, { { 255, 7, NO, NO, NO }, { 1, 8, NO, NO, NO } },
      "510 bytes: carries and (0, 1)" },
    { 8, { 254, 1 }, 2, 7, { { 127, 7, NO, NO, NO }, { 1, 8, NO, NO, NO } },
      "254 bytes: no carry" },
    { 8, { 0, 0 }, 0, 12, { { 3, 12, NO, NO, NO } }, "empty lnotab" },
    /* linetable (3.10, section 5.2) */
    { 10, { 254, 0, 254, 0, 92, 0 }, 6, 5, { { 300, 5, NO, NO, NO } }, "600 bytes, one line" },
    { 10, { 0, 127, 0, 127, 4, 46 }, 6, 1, { { 2, 301, NO, NO, NO } }, "+300 lines" },
    { 10, { 2, 0, 0, 0x81, 0, 0x81, 4, 0xd2 }, 8, 400,
      { { 1, 400, NO, NO, NO }, { 2, 100, NO, NO, NO } }, "-300 lines" },
    { 10, { 2, 1, 254, 0x80, 254, 0x80, 92, 0x80, 2, 0xff }, 10, 10,
      { { 1, 11, NO, NO, NO }, { 300, NL, NO, NO, NO }, { 1, 10, NO, NO, NO } },
      "600 bytes without a line; the line before it stays the base" },
    { 10, { 0 }, 0, 3, { { 0 } }, "empty code" },
    /* location table (3.11+, section 5.3) */
    { 12, { 0xf0, 0x03, 0x01, 0x01, 0x01, 0xd8, 0x00, 0x05 }, 8, 1,
      { { 1, 0, 1, 0, 0 }, { 1, 1, 1, 0, 5 } }, "module RESUME at line 0 (3.12)" },
    { 15, { 0xf1, 0x03, 0x01, 0x01, 0x01, 0xd8, 0x00, 0x05 }, 8, 1,
      { { 2, 0, 1, 0, 0 }, { 1, 1, 1, 0, 5 } }, "module RESUME + cache at line 0 (3.15)" },
    { 12, { 0xdf, 0x04, 0x08, 0x87, 0x44, 0x83, 0x44 }, 7, 9,
      { { 20, 10, 10, 4, 8 } }, "20 units: 8 + 8 + 4, the repeats in short form" },
    { 13, { 0xc8, 0x7f, 0xd0, 0x50, 0x5f, 0xd0, 0x7f, 0x7f, 0xf0, 0x00, 0x00, 0x41, 0x02, 0x41,
            0x02 }, 15, 1,
      { { 1, 1, 1, 79, 94 }, { 1, 1, 1, 80, 95 }, { 1, 1, 1, 127, 127 }, { 1, 1, 1, 128, 128 } },
      "column boundaries 79 / 80 / 127 / 128" },
    { 12, { 0xf0, 0x00, 0x00, 0x49, 0x03, 0x53, 0x03 }, 7, 1, { { 1, 1, 1, 200, 210 } },
      "columns 200-210: long form" },
    { 12, { 0xf1, 0x08, 0x02, 0x05, 0x02 }, 5, 1, { { 2, 5, 7, 4, 1 } },
      "multi-line location" },
    { 12, { 0xf0, 0x0b, 0x00, 0x01, 0x03 }, 5, 10, { { 1, 5, 5, 0, 2 } },
      "negative line delta: long form" },
    { 12, { 0xe9, 0x05, 0xf8, 0xe8, 0x00, 0xd8, 0x03, 0x09 }, 8, 9,
      { { 2, 7, 7, NO, NO }, { 1, NL, NO, NO, NO }, { 1, 7, 7, NO, NO }, { 1, 8, 8, 3, 9 } },
      "no column, negative; no location keeps the running line" },
    { 11, { 0xe8, 0x00, 0xe8, 0x00 }, 4, 4, { { 2, 4, 4, NO, NO } },
      "3.11: equal instructions stay separate runs" },
    { 12, { 0xf0, 0x00, 0x00, 0x00, 0x06 }, 5, 4, { { 1, 4, 4, NO, 5 } },
      "one column missing: long form keeps the other" },
    { 14, { 0xf0, 0x00, 0x00, 0x7d, 0x3f, 0x40, 0x01 }, 7, 4, { { 1, 4, 4, 4092, 63 } },
      "column 4092: two varint groups" },
};

static size_t good_units(const struct good_table *gt)
{
    size_t n = 0, i;

    for (i = 0; i < 8; i++)
        n += gt->gt_runs[i].n;
    return n;
}

START_TEST(test_decode_encode_exact)
{
    const struct good_table *gt = &good_tables[_i];
    const struct lz_version *v = ver(gt->gt_minor);
    struct lz_arena *arena = lz_arena_new();
    struct lz_error err = { 0 };
    struct lz_linetab lt;
    struct lz_buf b;
    size_t n = good_units(gt), u = 0, i, k;
    uint8_t *t = heap_copy(gt->gt_bytes, gt->gt_len), *starts = calloc(n + 1, 1);
    int rc;

    ck_assert_ptr_nonnull(starts);
    rc = lz_lines_decode(v, t, gt->gt_len, gt->gt_first, n, arena, &lt, &err);
    ck_assert_msg(rc == LZ_OK, "%s: %s", gt->gt_what, err.e_msg);
    ck_assert_uint_eq(lt.lt_nunits, n);
    for (i = 0; i < 8; i++)
        for (k = 0; k < gt->gt_runs[i].n; k++, u++)
            assert_loc(&lt.lt_locs[u], u, gt->gt_runs[i].line, gt->gt_runs[i].end_line,
                       gt->gt_runs[i].col, gt->gt_runs[i].end_col);
    /* Instruction starts: one per run-table row, except 3.11's
     * "separate runs" case, where every unit starts an instruction. */
    for (i = 0, u = 0; i < 8; u += gt->gt_runs[i].n, i++)
        if (gt->gt_runs[i].n)
            starts[u] = 1;
    if (gt->gt_minor == 11)
        memset(starts, 1, n);
    lz_buf_init(&b);
    rc = lz_lines_encode(v, lt.lt_locs, starts, n, gt->gt_first, lt.lt_events, lt.lt_nevents,
                         &b, &err);
    ck_assert_msg(rc == LZ_OK, "%s: %s", gt->gt_what, err.e_msg);
    assert_bytes(&b, gt->gt_bytes, gt->gt_len);
    /* Without events lnotab synthesises from lines: the compiler's own
     * rule, so these compiler-shaped tables come out the same. */
    if (v->v_lines == LZ_LINES_LNOTAB) {
        lz_buf_reset(&b);
        ck_assert_int_eq(lz_lines_encode(v, lt.lt_locs, NULL, n, gt->gt_first, NULL, 0, &b,
                                         &err), LZ_OK);
        assert_bytes(&b, gt->gt_bytes, gt->gt_len);
    }
    lz_buf_fini(&b);
    free(starts);
    free(t);
    lz_arena_free(arena);
}
END_TEST

/* Redundant lnotab pairs survive only through events. */
START_TEST(test_lnotab_events)
{
    static const uint8_t tab[] = { 2, 0, 2, 0, 2, 0xff, 4, 2 };
    static const uint8_t synth[] = { 6, 0xff, 4, 2 };
    struct lz_arena *arena = lz_arena_new();
    struct lz_error err = { 0 };
    struct lz_linetab lt;
    struct lz_buf b;
    static const int32_t lines[] = { 10, 10, 10, 9, 9, 11, 11 };
    size_t u;

    ck_assert_int_eq(lz_lines_decode(ver(8), tab, sizeof tab, 10, 7, arena, &lt, &err), LZ_OK);
    for (u = 0; u < 7; u++)
        assert_loc(&lt.lt_locs[u], u, lines[u], NO, NO, NO);
    ck_assert_uint_eq(lt.lt_nevents, 4);
    ck_assert_uint_eq(lt.lt_events[0].ev_unit, 1);
    ck_assert_uint_eq(lt.lt_events[2].ev_unit, 3);
    ck_assert_int_eq(lt.lt_events[2].ev_line_inc, -1);
    lz_buf_init(&b);
    ck_assert_int_eq(lz_lines_encode(ver(8), lt.lt_locs, NULL, 7, 10, lt.lt_events,
                                     lt.lt_nevents, &b, &err), LZ_OK);
    assert_bytes(&b, tab, sizeof tab);
    lz_buf_reset(&b);
    ck_assert_int_eq(lz_lines_encode(ver(8), lt.lt_locs, NULL, 7, 10, NULL, 0, &b, &err), LZ_OK);
    assert_bytes(&b, synth, sizeof synth);
    lz_buf_fini(&b);
    lz_arena_free(arena);
}
END_TEST

/* An event at the end of the code (after the 3.8 peephole pass dropped dead
 * code) affects no unit and is kept. */
START_TEST(test_lnotab_event_at_end)
{
    static const uint8_t tab[] = { 2, 1, 2, 1 };
    struct lz_arena *arena = lz_arena_new();
    struct lz_error err = { 0 };
    struct lz_linetab lt;
    struct lz_buf b;

    ck_assert_int_eq(lz_lines_decode(ver(8), tab, sizeof tab, 1, 2, arena, &lt, &err), LZ_OK);
    assert_loc(&lt.lt_locs[0], 0, 1, NO, NO, NO);
    assert_loc(&lt.lt_locs[1], 1, 2, NO, NO, NO);
    ck_assert_uint_eq(lt.lt_nevents, 2);
    ck_assert_uint_eq(lt.lt_events[1].ev_unit, 2);
    lz_buf_init(&b);
    ck_assert_int_eq(lz_lines_encode(ver(8), lt.lt_locs, NULL, 2, 1, lt.lt_events, 2, &b, &err),
                     LZ_OK);
    assert_bytes(&b, tab, sizeof tab);
    lz_buf_fini(&b);
    lz_arena_free(arena);
}
END_TEST

/* Non-compiler forms decode to the right lines and re-encode in the
 * compiler's form. */
START_TEST(test_non_canonical_normalised)
{
    static const uint8_t lnotab[] = { 255, 0, 255, 1 };           /* 510 bytes then +1 */
    static const uint8_t lnotab_c[] = { 255, 0, 255, 0, 0, 1 };
    static const uint8_t linetab[] = { 2, 1, 2, 0, 0, 0x80 };     /* unmerged, empty no-line */
    static const uint8_t linetab_c[] = { 4, 1 };
    static const uint8_t loc[] = { 0xe8, 0x40, 0x00, 0xd0, 0x00, 0x00 };  /* varint 0 in 2 groups; one-line form for a short one */
    static const uint8_t loc_c[] = { 0xe8, 0x00, 0x80, 0x00 };
    struct lz_arena *arena = lz_arena_new();
    struct lz_error err = { 0 };
    struct lz_linetab lt;
    struct lz_buf b;

    lz_buf_init(&b);
    ck_assert_int_eq(lz_lines_decode(ver(8), lnotab, sizeof lnotab, 1, 256, arena, &lt, &err),
                     LZ_OK);
    assert_loc(&lt.lt_locs[254], 254, 1, NO, NO, NO);
    assert_loc(&lt.lt_locs[255], 255, 2, NO, NO, NO);
    ck_assert_int_eq(lz_lines_encode(ver(8), lt.lt_locs, NULL, 256, 1, lt.lt_events,
                                     lt.lt_nevents, &b, &err), LZ_OK);
    assert_bytes(&b, lnotab_c, sizeof lnotab_c);

    ck_assert_int_eq(lz_lines_decode(ver(10), linetab, sizeof linetab, 1, 2, arena, &lt, &err),
                     LZ_OK);
    assert_loc(&lt.lt_locs[1], 1, 2, NO, NO, NO);
    lz_buf_reset(&b);
    ck_assert_int_eq(lz_lines_encode(ver(10), lt.lt_locs, NULL, 2, 1, NULL, 0, &b, &err), LZ_OK);
    assert_bytes(&b, linetab_c, sizeof linetab_c);

    ck_assert_int_eq(lz_lines_decode(ver(12), loc, sizeof loc, 3, 2, arena, &lt, &err), LZ_OK);
    assert_loc(&lt.lt_locs[0], 0, 3, 3, NO, NO);
    assert_loc(&lt.lt_locs[1], 1, 3, 3, 0, 0);
    lz_buf_reset(&b);
    ck_assert_int_eq(lz_lines_encode(ver(12), lt.lt_locs, NULL, 2, 3, NULL, 0, &b, &err), LZ_OK);
    assert_bytes(&b, loc_c, sizeof loc_c);
    lz_buf_fini(&b);
    lz_arena_free(arena);
}
END_TEST

/* 3.11 writes one run per instruction, 3.12+ merge equal neighbours; both
 * split at 8 units; an unknown end line means "same line". */
START_TEST(test_location_runs)
{
    struct lz_loc l[10];
    uint8_t starts[10] = { 1, 0, 0, 1, 0, 1, 0, 0, 0, 0 };
    static const uint8_t t311[] = { 0x82, 0x01, 0x81, 0x01, 0x84, 0x01 };
    static const uint8_t t312[] = { 0x87, 0x01, 0x81, 0x01 };
    struct lz_buf b;
    struct lz_error err = { 0 };
    size_t u;

    for (u = 0; u < 10; u++)
        l[u] = (struct lz_loc){ 7, u == 9 ? NO : 7, 0, 1 };
    lz_buf_init(&b);
    ck_assert_int_eq(lz_lines_encode(ver(11), l, starts, 10, 7, NULL, 0, &b, &err), LZ_OK);
    assert_bytes(&b, t311, sizeof t311);
    lz_buf_reset(&b);
    ck_assert_int_eq(lz_lines_encode(ver(12), l, starts, 10, 7, NULL, 0, &b, &err), LZ_OK);
    assert_bytes(&b, t312, sizeof t312);
    lz_buf_fini(&b);
}
END_TEST

/* Location table and exception table of a code object past 65535 units:
 * multi-group varints on both sides. */
START_TEST(test_beyond_65535_units)
{
    enum { N = 70003 };
    struct lz_loc *l = calloc(N, sizeof *l);
    struct lz_handler *h = calloc(N, sizeof *h), *hd;
    struct lz_arena *arena = lz_arena_new();
    struct lz_linetab lt;
    struct lz_buf b;
    struct lz_error err = { 0 };
    size_t u;
    /* units 70000-70001 -> handler 70002, depth 300, lasti: start 70000 is
     * 17,5,48 in 6-bit groups, most significant first. */
    static const uint8_t tail[] = { 0xd1, 0x45, 0x30, 0x02, 0x51, 0x45, 0x32, 0x49, 0x19 };

    ck_assert_ptr_nonnull(l);
    ck_assert_ptr_nonnull(h);
    for (u = 0; u < N; u++) {
        l[u] = (struct lz_loc){ (int32_t)(1 + u / 3), (int32_t)(1 + u / 3),
                                (int32_t)(u % 200), (int32_t)(u % 200 + 3) };
        if (u % 1000 == 999)
            l[u] = (struct lz_loc){ NL, NO, NO, NO };
        h[u] = (struct lz_handler){ -1, 0, 0 };
        if (u >= 70000 && u < 70002)
            h[u] = (struct lz_handler){ 70002, 300, 1 };
    }
    lz_buf_init(&b);
    ck_assert_int_eq(lz_lines_encode(ver(13), l, NULL, N, 1, NULL, 0, &b, &err), LZ_OK);
    ck_assert_int_eq(lz_lines_decode(ver(13), b.b_data, b.b_len, 1, N, arena, &lt, &err), LZ_OK);
    for (u = 0; u < N; u++)
        assert_loc(&lt.lt_locs[u], u, l[u].l_line, l[u].l_end_line, l[u].l_col, l[u].l_end_col);
    lz_buf_reset(&b);
    ck_assert_int_eq(lz_exctable_encode(h, N, &b, &err), LZ_OK);
    assert_bytes(&b, tail, sizeof tail);
    ck_assert_int_eq(lz_exctable_decode(b.b_data, b.b_len, N, arena, &hd, &err), LZ_OK);
    ck_assert_int_eq(hd[69999].h_target, -1);
    ck_assert_int_eq(hd[70001].h_target, 70002);
    ck_assert_uint_eq(hd[70001].h_depth, 300);
    ck_assert_uint_eq(hd[70001].h_lasti, 1);
    lz_buf_fini(&b);
    lz_arena_free(arena);
    free(l);
    free(h);
}
END_TEST

START_TEST(test_exctable_exact)
{
    /* [2, 6) -> 10 depth 1 lasti; [6, 8) -> 12 depth 0; nothing for 0-1, 8-13 */
    static const uint8_t tab[] = { 0x82, 0x04, 0x0a, 0x03, 0x86, 0x02, 0x0c, 0x00 };
    /* the same handler split over two entries: merged on encoding */
    static const uint8_t split[] = { 0x82, 0x02, 0x0a, 0x03, 0x84, 0x02, 0x0a, 0x03 };
    static const uint8_t merged[] = { 0x82, 0x04, 0x0a, 0x03 };
    struct lz_arena *arena = lz_arena_new();
    struct lz_handler *h;
    struct lz_error err = { 0 };
    struct lz_buf b;
    size_t u;

    ck_assert_int_eq(lz_exctable_decode(tab, sizeof tab, 14, arena, &h, &err), LZ_OK);
    for (u = 0; u < 14; u++) {
        int32_t want = u >= 2 && u < 6 ? 10 : u >= 6 && u < 8 ? 12 : -1;

        ck_assert_int_eq(h[u].h_target, want);
    }
    ck_assert_uint_eq(h[3].h_depth, 1);
    ck_assert_uint_eq(h[3].h_lasti, 1);
    ck_assert_uint_eq(h[7].h_lasti, 0);
    lz_buf_init(&b);
    ck_assert_int_eq(lz_exctable_encode(h, 14, &b, &err), LZ_OK);
    assert_bytes(&b, tab, sizeof tab);
    ck_assert_int_eq(lz_exctable_decode(split, sizeof split, 14, arena, &h, &err), LZ_OK);
    lz_buf_reset(&b);
    ck_assert_int_eq(lz_exctable_encode(h, 14, &b, &err), LZ_OK);
    assert_bytes(&b, merged, sizeof merged);
    ck_assert_int_eq(lz_exctable_decode(NULL, 0, 3, arena, &h, &err), LZ_OK);
    ck_assert_int_eq(h[2].h_target, -1);
    lz_buf_reset(&b);
    ck_assert_int_eq(lz_exctable_encode(h, 3, &b, &err), LZ_OK);
    ck_assert_uint_eq(b.b_len, 0);
    lz_buf_fini(&b);
    lz_arena_free(arena);
}
END_TEST

/* ==== encode after insert ================================================ */

/* Insert `count` units before unit `at` copying the location of unit `at`;
 * returns the new array (malloc) and fills the new run starts. */
static struct lz_loc *insert_units(const struct lz_loc *l, const uint8_t *starts, size_t n,
                                   size_t at, size_t count, uint8_t **new_starts)
{
    struct lz_loc *out = malloc((n + count) * sizeof *out);
    uint8_t *s = calloc(n + count, 1);
    size_t u;

    ck_assert_ptr_nonnull(out);
    ck_assert_ptr_nonnull(s);
    memcpy(out, l, at * sizeof *out);
    for (u = 0; u < count; u++) {
        out[at + u] = l[at < n ? at : n - 1];
        s[at + u] = 1;
    }
    memcpy(out + at + count, l + at, (n - at) * sizeof *out);
    if (starts != NULL) {
        memcpy(s, starts, at);
        memcpy(s + at + count, starts + at, n - at);
    }
    *new_starts = s;
    return out;
}

static void check_decodes_to(const struct lz_version *v, const struct lz_buf *b, int32_t first,
                             const struct lz_loc *want, size_t n, struct lz_linetab *lt)
{
    struct lz_arena *arena = lz_arena_new();
    struct lz_error err = { 0 };
    size_t u;

    ck_assert_msg(lz_lines_decode(v, b->b_data, b->b_len, first, n, arena, lt, &err) == LZ_OK,
                  "%s", err.e_msg);
    for (u = 0; u < n; u++) {
        if (v->v_lines != LZ_LINES_LOCATIONS)
            ck_assert_msg(lt->lt_locs[u].l_line == want[u].l_line,
                          "unit %zu: line %d, expected %d", u, lt->lt_locs[u].l_line,
                          want[u].l_line);
        else
            assert_loc(&lt->lt_locs[u], u, want[u].l_line, want[u].l_end_line, want[u].l_col,
                       want[u].l_end_col);
    }
    lt->lt_locs = NULL;   /* the arena goes away */
    lt->lt_events = NULL;
    lz_arena_free(arena);
}

/* lnotab: 10 units, lines 5 5 | 6 6 6 | 5 | 300 300 | 301 301, events at the
 * line starts (one of them a +127/+127/+40 split, one a redundant (n, 0)). */
START_TEST(test_insert_lnotab)
{
    static const uint8_t tab[] = { 4, 1, 6, 0xff, 2, 127, 0, 127, 0, 41, 2, 0, 2, 1 };
    static const int32_t lines[] = { 5, 5, 6, 6, 6, 5, 300, 300, 301, 301 };
    /* Either way the +295 line change now starts at the inserted unit 6 and
     * the (n, 0) pair after it spans one more unit: with the events moved
     * they are re-emitted there; left on unit 7, a pair set is synthesised
     * at 6 (the compiler's split gives the same three pairs) and the group
     * at 7 is dropped. */
    static const uint8_t moved[] = { 4, 1, 6, 0xff, 2, 127, 0, 127, 0, 41, 4, 0, 2, 1 };
    struct lz_arena *arena = lz_arena_new();
    struct lz_error err = { 0 };
    struct lz_linetab lt, again;
    struct lz_lnotab_event ev[16];
    struct lz_loc *nl;
    uint8_t *ns;
    struct lz_buf b;
    size_t u, e;

    ck_assert_int_eq(lz_lines_decode(ver(9), tab, sizeof tab, 5, 10, arena, &lt, &err), LZ_OK);
    for (u = 0; u < 10; u++)
        ck_assert_int_eq(lt.lt_locs[u].l_line, lines[u]);
    ck_assert_uint_eq(lt.lt_nevents, 7);
    lz_buf_init(&b);

    /* Insert one unit before unit 6 (line 300), copying its location. */
    nl = insert_units(lt.lt_locs, NULL, 10, 6, 1, &ns);
    for (e = 0; e < lt.lt_nevents; e++) {
        ev[e] = lt.lt_events[e];
        if (ev[e].ev_unit >= 6)
            ev[e].ev_unit++;
    }
    /* a) the engine moves events at unit 6 to the inserted unit */
    for (e = 0; e < lt.lt_nevents; e++)
        if (lt.lt_events[e].ev_unit == 6)
            ev[e].ev_unit = 6;
    ck_assert_int_eq(lz_lines_encode(ver(9), nl, ns, 11, 5, ev, lt.lt_nevents, &b, &err), LZ_OK);
    check_decodes_to(ver(9), &b, 5, nl, 11, &again);
    ck_assert_uint_eq(again.lt_nevents, lt.lt_nevents);
    assert_bytes(&b, moved, sizeof moved);
    /* b) it leaves them on the original unit */
    for (e = 0; e < lt.lt_nevents; e++)
        if (lt.lt_events[e].ev_unit == 6)
            ev[e].ev_unit = 7;
    lz_buf_reset(&b);
    ck_assert_int_eq(lz_lines_encode(ver(9), nl, ns, 11, 5, ev, lt.lt_nevents, &b, &err), LZ_OK);
    check_decodes_to(ver(9), &b, 5, nl, 11, &again);
    assert_bytes(&b, moved, sizeof moved);
    free(nl);
    free(ns);

    /* Insert 200 units before unit 0 (address deltas > 255 need carries). */
    nl = insert_units(lt.lt_locs, NULL, 10, 0, 200, &ns);
    for (e = 0; e < lt.lt_nevents; e++) {
        ev[e] = lt.lt_events[e];
        ev[e].ev_unit += 200;
    }
    lz_buf_reset(&b);
    ck_assert_int_eq(lz_lines_encode(ver(9), nl, ns, 210, 5, ev, lt.lt_nevents, &b, &err), LZ_OK);
    check_decodes_to(ver(9), &b, 5, nl, 210, &again);
    ck_assert_uint_eq(again.lt_nevents, lt.lt_nevents);
    free(nl);
    free(ns);

    /* Insert at the end, copying the last unit's location. */
    nl = insert_units(lt.lt_locs, NULL, 10, 10, 3, &ns);
    lz_buf_reset(&b);
    ck_assert_int_eq(lz_lines_encode(ver(9), nl, ns, 13, 5, lt.lt_events, lt.lt_nevents, &b,
                                     &err), LZ_OK);
    check_decodes_to(ver(9), &b, 5, nl, 13, &again);
    assert_bytes(&b, tab, sizeof tab);
    free(nl);
    free(ns);

    /* A unit inserted with a line of its own (not a copy): synthesised both
     * ways around it. */
    nl = insert_units(lt.lt_locs, NULL, 10, 3, 1, &ns);
    nl[3].l_line = 1000;
    for (e = 0; e < lt.lt_nevents; e++) {
        ev[e] = lt.lt_events[e];
        if (ev[e].ev_unit >= 3)
            ev[e].ev_unit++;
    }
    lz_buf_reset(&b);
    ck_assert_int_eq(lz_lines_encode(ver(9), nl, ns, 11, 5, ev, lt.lt_nevents, &b, &err), LZ_OK);
    check_decodes_to(ver(9), &b, 5, nl, 11, &again);
    free(nl);
    free(ns);

    /* The same before unit 5, with the event of unit 5 (-1) moved onto the
     * inserted unit: its group no longer gives the unit's line, so it is
     * replaced by a synthesised pair set. */
    nl = insert_units(lt.lt_locs, NULL, 10, 5, 1, &ns);
    nl[5].l_line = 1000;
    for (e = 0; e < lt.lt_nevents; e++) {
        ev[e] = lt.lt_events[e];
        if (ev[e].ev_unit > 5)
            ev[e].ev_unit++;
    }
    lz_buf_reset(&b);
    ck_assert_int_eq(lz_lines_encode(ver(9), nl, ns, 11, 5, ev, lt.lt_nevents, &b, &err), LZ_OK);
    check_decodes_to(ver(9), &b, 5, nl, 11, &again);
    free(nl);
    free(ns);
    lz_buf_fini(&b);
    lz_arena_free(arena);
}
END_TEST

/* 3.10: inserting inside and at the edge of a range > 254 bytes. */
START_TEST(test_insert_linetable)
{
    static const uint8_t tab[] = { 4, 1, 254, 1, 46, 0, 2, 0x80, 2, 0xfe };
    static const uint8_t after[] = { 4, 1, 254, 1, 48, 0, 2, 0x80, 2, 0xfe };
    static const uint8_t after_nl[] = { 4, 1, 254, 1, 46, 0, 4, 0x80, 2, 0xfe };
    struct lz_arena *arena = lz_arena_new();
    struct lz_error err = { 0 };
    struct lz_linetab lt, again;
    struct lz_loc *nl;
    uint8_t *ns;
    struct lz_buf b;

    ck_assert_int_eq(lz_lines_decode(ver(10), tab, sizeof tab, 1, 154, arena, &lt, &err), LZ_OK);
    ck_assert_int_eq(lt.lt_locs[151].l_line, 3);
    ck_assert_int_eq(lt.lt_locs[152].l_line, NL);
    ck_assert_int_eq(lt.lt_locs[153].l_line, 1);
    lz_buf_init(&b);
    nl = insert_units(lt.lt_locs, NULL, 154, 100, 1, &ns);
    ck_assert_int_eq(lz_lines_encode(ver(10), nl, ns, 155, 1, NULL, 0, &b, &err), LZ_OK);
    assert_bytes(&b, after, sizeof after);
    check_decodes_to(ver(10), &b, 1, nl, 155, &again);
    free(nl);
    free(ns);
    nl = insert_units(lt.lt_locs, NULL, 154, 152, 1, &ns);
    lz_buf_reset(&b);
    ck_assert_int_eq(lz_lines_encode(ver(10), nl, ns, 155, 1, NULL, 0, &b, &err), LZ_OK);
    assert_bytes(&b, after_nl, sizeof after_nl);
    check_decodes_to(ver(10), &b, 1, nl, 155, &again);
    free(nl);
    free(ns);
    lz_buf_fini(&b);
    lz_arena_free(arena);
}
END_TEST

/* 3.11+: an inserted instruction copying its neighbour's location is its own
 * entry in 3.11 and merges into the neighbour's run from 3.12. */
START_TEST(test_insert_locations)
{
    /* RESUME line 0; instr (2 units) line 1 col 0-5; instr (1 unit) line 2 no column */
    static const uint8_t tab[] = { 0xf0, 0x03, 0x01, 0x01, 0x01, 0xd9, 0x00, 0x05, 0xe8, 0x02 };
    static const uint8_t s11[] = { 0xf0, 0x03, 0x01, 0x01, 0x01, 0xd8, 0x00, 0x05, 0x81, 0x05,
                                   0xe8, 0x02 };
    static const uint8_t s12[] = { 0xf0, 0x03, 0x01, 0x01, 0x01, 0xda, 0x00, 0x05, 0xe8, 0x02 };
    static const uint8_t starts[] = { 1, 1, 0, 1 };
    int minor;

    for (minor = 11; minor <= 12; minor++) {
        struct lz_arena *arena = lz_arena_new();
        struct lz_error err = { 0 };
        struct lz_linetab lt, again;
        struct lz_loc *nl;
        uint8_t *ns;
        struct lz_buf b;

        ck_assert_int_eq(lz_lines_decode(ver(minor), tab, sizeof tab, 1, 4, arena, &lt, &err),
                         LZ_OK);
        lz_buf_init(&b);
        ck_assert_int_eq(lz_lines_encode(ver(minor), lt.lt_locs, starts, 4, 1, NULL, 0, &b,
                                         &err), LZ_OK);
        assert_bytes(&b, tab, sizeof tab);
        nl = insert_units(lt.lt_locs, starts, 4, 1, 1, &ns);
        lz_buf_reset(&b);
        ck_assert_int_eq(lz_lines_encode(ver(minor), nl, ns, 5, 1, NULL, 0, &b, &err), LZ_OK);
        if (minor == 11)
            assert_bytes(&b, s11, sizeof s11);
        else
            assert_bytes(&b, s12, sizeof s12);
        check_decodes_to(ver(minor), &b, 1, nl, 5, &again);
        free(nl);
        free(ns);
        lz_buf_fini(&b);
        lz_arena_free(arena);
    }
}
END_TEST

/* Exception table: units inserted inside a covered range, at its start (they
 * copy the covered instruction's handler) and just after it (uncovered). */
START_TEST(test_insert_exctable)
{
    static const uint8_t tab[] = { 0x82, 0x04, 0x0a, 0x03, 0x86, 0x02, 0x0c, 0x00 };
    static const uint8_t after[] = { 0x82, 0x06, 0x0d, 0x03, 0x88, 0x02, 0x0f, 0x00 };
    struct lz_arena *arena = lz_arena_new();
    struct lz_handler *h, *nh = calloc(17, sizeof *nh), *again;
    struct lz_error err = { 0 };
    struct lz_buf b;
    size_t u, k = 0;

    ck_assert_ptr_nonnull(nh);
    ck_assert_int_eq(lz_exctable_decode(tab, sizeof tab, 14, arena, &h, &err), LZ_OK);
    /* new units before old 2 (start of the range), before old 4 (inside),
     * before old 8 (after the ranges). */
    for (u = 0; u < 14; u++) {
        if (u == 2 || u == 4 || u == 8)
            nh[k++] = h[u];
        nh[k++] = h[u];
    }
    /* both targets (10, 12) moved by the three insertions before them */
    for (u = 0; u < 17; u++)
        if (nh[u].h_target >= 0)
            nh[u].h_target += 3;
    lz_buf_init(&b);
    ck_assert_int_eq(lz_exctable_encode(nh, 17, &b, &err), LZ_OK);
    assert_bytes(&b, after, sizeof after);
    ck_assert_int_eq(lz_exctable_decode(b.b_data, b.b_len, 17, arena, &again, &err), LZ_OK);
    for (u = 0; u < 17; u++)
        ck_assert_int_eq(again[u].h_target, nh[u].h_target);
    lz_buf_fini(&b);
    free(nh);
    lz_arena_free(arena);
}
END_TEST

static Suite *lines_suite(void)
{
    Suite *s = suite_create("lines");
    TCase *tc;

    tc = tcase_create("Malformed tables are refused");
    tcase_add_loop_test(tc, test_decode_refuses, 0,
                        (int)(sizeof bad_tables / sizeof bad_tables[0]));
    tcase_add_test(tc, test_decode_limits);
    suite_add_tcase(s, tc);

    tc = tcase_create("Bad encoder input is refused");
    tcase_add_test(tc, test_encode_refuses);
    tcase_add_test(tc, test_encode_out_of_memory);
    suite_add_tcase(s, tc);

    tc = tcase_create("Edge cases decode and re-encode exactly");
    tcase_add_loop_test(tc, test_decode_encode_exact, 0,
                        (int)(sizeof good_tables / sizeof good_tables[0]));
    tcase_add_test(tc, test_lnotab_events);
    tcase_add_test(tc, test_lnotab_event_at_end);
    tcase_add_test(tc, test_non_canonical_normalised);
    tcase_add_test(tc, test_location_runs);
    tcase_add_test(tc, test_beyond_65535_units);
    tcase_add_test(tc, test_exctable_exact);
    suite_add_tcase(s, tc);

    tc = tcase_create("Encode after inserting units");
    tcase_add_test(tc, test_insert_lnotab);
    tcase_add_test(tc, test_insert_linetable);
    tcase_add_test(tc, test_insert_locations);
    tcase_add_test(tc, test_insert_exctable);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(lines_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
