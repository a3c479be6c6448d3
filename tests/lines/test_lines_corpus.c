/* test_lines_corpus.c - every line and exception table of one interpreter's
 * stdlib, decoded and re-encoded, compared with the interpreter's own view.
 *
 *   test_lines_corpus DATA      (DATA written by tests/lines/extract.py)
 *
 * For every code object in DATA this proves:
 *  1. lz_lines_decode gives each code unit the location the interpreter
 *     reports (co_positions 3.11+, co_lines 3.10, dis.findlinestarts 3.8/3.9);
 *  2. lz_lines_encode of the decoded units (lnotab: and events) reproduces
 *     the table byte for byte;
 *  3. lz_exctable_decode gives each unit the handler of
 *     dis._parse_exception_table, and lz_exctable_encode reproduces the table;
 *  4. after inserting one unit before every instruction, copying its location
 *     and handler (as the engine's NOP pass does), the encoded tables decode
 *     to exactly the new per-unit data; for lnotab both with the events moved
 *     to the inserted units (then no pair may be added or lost) and with the
 *     events left on the original units;
 *  5. lnotab only: a table synthesised without events decodes to the same
 *     lines (how many are also byte-identical is reported, not required).
 * It does not prove that an interpreter accepts the re-encoded tables (the
 * end-to-end tests run them) nor anything about tables the compiler never
 * writes (test_lines.c has hand-made ones).
 * Exit status: 0 all passed, 1 a mismatch (the first ones are printed),
 * 2 unusable data file.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lz_lines.h"

#define MAX_REPORTS 12    /* mismatches printed in full before going quiet */

struct record {
    int r_minor;
    int32_t r_first;
    size_t r_nunits;
    char r_name[200];
    uint8_t *r_starts;              /* r_nunits flags */
    uint8_t *r_table;
    size_t r_table_len;
    uint8_t *r_exc;
    size_t r_exc_len;
    struct lz_loc *r_locs;          /* expected, r_nunits */
    struct lz_handler *r_handlers;  /* expected, r_nunits */
};

struct stats {
    long s_codes, s_units;
    long s_decoded, s_identical;
    long s_exc_decoded, s_exc_identical, s_exc_nonempty;
    long s_insert_ok;
    long s_synth_ok, s_synth_identical;
    long s_failures;
};

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (p == NULL) {
        fprintf(stderr, "test_lines_corpus: out of memory\n");
        exit(2);
    }
    return p;
}

static void fail(struct stats *st, const struct record *r, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(struct stats *st, const struct record *r, const char *fmt, ...)
{
    va_list ap;

    if (st->s_failures++ >= MAX_REPORTS)
        return;
    fprintf(stderr, "FAIL 3.%d %s (firstlineno %" PRId32 ", %zu units): ", r->r_minor,
            r->r_name, r->r_first, r->r_nunits);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static void print_hex(const char *label, const uint8_t *p, size_t n)
{
    size_t i;

    fprintf(stderr, "  %s (%zu bytes):", label, n);
    for (i = 0; i < n && i < 64; i++)
        fprintf(stderr, " %02x", p[i]);
    fprintf(stderr, "%s\n", n > 64 ? " ..." : "");
}

/* ---- parsing DATA ------------------------------------------------------- */

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

static size_t parse_hex(const char *s, uint8_t **out)
{
    size_t n = strlen(s) / 2, i;

    *out = xrealloc(*out, n);
    for (i = 0; i < n; i++) {
        int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);

        if (hi < 0 || lo < 0) {
            fprintf(stderr, "test_lines_corpus: bad hex in data file\n");
            exit(2);
        }
        (*out)[i] = (uint8_t)(hi << 4 | lo);
    }
    return n;
}

/* "-" = None = `none`, else an integer. */
static long parse_field(char **p, long none)
{
    long v;

    if (**p == '-' && ((*p)[1] == ',' || (*p)[1] == ' ' || (*p)[1] == '\0')) {
        (*p)++;
        v = none;
    } else {
        v = strtol(*p, p, 10);
    }
    if (**p == ',')
        (*p)++;
    return v;
}

/* Run-length list "COUNT*a,b,... COUNT*..." with `nfields` fields per item;
 * calls `store(rec, unit, fields)` for every unit.  Returns units seen. */
static size_t parse_rle(char *s, int nfields, struct record *r,
                        void (*store)(struct record *, size_t, const long *))
{
    size_t u = 0;
    char *p = s;

    while (*p) {
        long count, f[4];
        int i;

        while (*p == ' ')
            p++;
        if (!*p)
            break;
        count = strtol(p, &p, 10);
        if (*p++ != '*') {
            fprintf(stderr, "test_lines_corpus: bad run-length list\n");
            exit(2);
        }
        for (i = 0; i < nfields; i++)
            f[i] = parse_field(&p, i == 0 && nfields == 4 ? LZ_NO_LINE : LZ_NO_COL);
        for (; count > 0; count--, u++)
            if (u < r->r_nunits)
                store(r, u, f);
    }
    return u;
}

static void store_loc(struct record *r, size_t u, const long *f)
{
    r->r_locs[u].l_line = (int32_t)f[0];
    r->r_locs[u].l_end_line = (int32_t)f[1];
    r->r_locs[u].l_col = (int32_t)f[2];
    r->r_locs[u].l_end_col = (int32_t)f[3];
}

static void store_handler(struct record *r, size_t u, const long *f)
{
    r->r_handlers[u].h_target = (int32_t)f[0];
    r->r_handlers[u].h_depth = (uint16_t)f[1];
    r->r_handlers[u].h_lasti = (uint8_t)f[2];
}

static char *next_line(FILE *f, char **buf, size_t *cap, char tag)
{
    ssize_t n = getline(buf, cap, f);

    if (n < 2 || (*buf)[0] != tag || (*buf)[1] != ' ') {
        fprintf(stderr, "test_lines_corpus: data file: expected a '%c' line\n", tag);
        exit(2);
    }
    if ((*buf)[n - 1] == '\n')
        (*buf)[n - 1] = '\0';
    return *buf + 2;
}

/* Reads one record; returns 0 at the "V" trailer (stats in *trailer). */
static int read_record(FILE *f, struct record *r, char **buf, size_t *cap, char *trailer,
                       size_t trailer_size)
{
    char *s;
    uint8_t *bits = NULL;
    size_t nbits, u;
    ssize_t n = getline(buf, cap, f);

    if (n <= 0) {
        fprintf(stderr, "test_lines_corpus: data file ends without its 'V' trailer\n");
        exit(2);
    }
    if ((*buf)[0] == 'V') {
        snprintf(trailer, trailer_size, "%s", *buf);
        return 0;
    }
    if (sscanf(*buf, "C %d %" SCNd32 " %zu %199s", &r->r_minor, &r->r_first, &r->r_nunits,
               r->r_name) != 4) {
        fprintf(stderr, "test_lines_corpus: data file: bad 'C' line\n");
        exit(2);
    }
    r->r_starts = xrealloc(r->r_starts, r->r_nunits);
    nbits = parse_hex(next_line(f, buf, cap, 'S'), &bits);
    for (u = 0; u < r->r_nunits; u++)
        r->r_starts[u] = u / 8 < nbits && (bits[u / 8] >> (u % 8) & 1);
    free(bits);
    r->r_table_len = parse_hex(next_line(f, buf, cap, 'T'), &r->r_table);
    r->r_exc_len = parse_hex(next_line(f, buf, cap, 'X'), &r->r_exc);
    r->r_locs = xrealloc(r->r_locs, r->r_nunits * sizeof(*r->r_locs));
    r->r_handlers = xrealloc(r->r_handlers, r->r_nunits * sizeof(*r->r_handlers));
    s = next_line(f, buf, cap, 'L');
    if (parse_rle(s, 4, r, store_loc) != r->r_nunits) {
        fprintf(stderr, "test_lines_corpus: %s: location list does not match nunits\n",
                r->r_name);
        exit(2);
    }
    s = next_line(f, buf, cap, 'H');
    if (parse_rle(s, 3, r, store_handler) != r->r_nunits) {
        fprintf(stderr, "test_lines_corpus: %s: handler list does not match nunits\n",
                r->r_name);
        exit(2);
    }
    return 1;
}

/* ---- checks ------------------------------------------------------------- */

static bool loc_same(const struct lz_loc *a, const struct lz_loc *b)
{
    return a->l_line == b->l_line && a->l_end_line == b->l_end_line && a->l_col == b->l_col
        && a->l_end_col == b->l_end_col;
}

static bool handler_same(const struct lz_handler *a, const struct lz_handler *b)
{
    if (a->h_target < 0 || b->h_target < 0)
        return a->h_target < 0 && b->h_target < 0;
    return a->h_target == b->h_target && a->h_depth == b->h_depth && a->h_lasti == b->h_lasti;
}

/* First unit where the two location arrays differ, or n. */
static size_t locs_diff(const struct lz_loc *a, const struct lz_loc *b, size_t n)
{
    size_t u;

    for (u = 0; u < n && loc_same(&a[u], &b[u]); u++)
        ;
    return u;
}

static void report_loc(struct stats *st, const struct record *r, const char *what, size_t u,
                       const struct lz_loc *got, const struct lz_loc *want)
{
    fail(st, r, "%s: unit %zu is (%" PRId32 ",%" PRId32 ",%" PRId32 ",%" PRId32 "), "
         "expected (%" PRId32 ",%" PRId32 ",%" PRId32 ",%" PRId32 ")", what, u,
         got->l_line, got->l_end_line, got->l_col, got->l_end_col,
         want->l_line, want->l_end_line, want->l_col, want->l_end_col);
}

/* Decode `bytes`, expect `want` per unit; on success copies events out. */
static bool roundtrip_check(struct stats *st, const struct record *r, const char *what,
                            const struct lz_version *v, const uint8_t *bytes, size_t len,
                            const struct lz_loc *want, size_t n, struct lz_linetab *got,
                            struct lz_arena *arena)
{
    struct lz_error err = { 0 };
    size_t u;

    if (lz_lines_decode(v, bytes, len, r->r_first, n, arena, got, &err) != LZ_OK) {
        fail(st, r, "%s: decode failed: %s", what, err.e_msg);
        if (st->s_failures <= MAX_REPORTS)
            print_hex("table", bytes, len);
        return false;
    }
    u = locs_diff(got->lt_locs, want, n);
    if (u != n) {
        report_loc(st, r, what, u, &got->lt_locs[u], &want[u]);
        if (st->s_failures <= MAX_REPORTS)
            print_hex("table", bytes, len);
        return false;
    }
    return true;
}

static bool encode(struct stats *st, const struct record *r, const char *what,
                   const struct lz_version *v, const struct lz_loc *locs,
                   const uint8_t *starts, size_t n, const struct lz_lnotab_event *ev,
                   size_t nev, struct lz_buf *out)
{
    struct lz_error err = { 0 };

    lz_buf_reset(out);
    if (lz_lines_encode(v, locs, starts, n, r->r_first, ev, nev, out, &err) != LZ_OK) {
        fail(st, r, "%s: encode failed: %s", what, err.e_msg);
        return false;
    }
    return true;
}

/* Checks 4: one unit inserted before every instruction. */
static void check_insert(struct stats *st, const struct record *r, const struct lz_version *v,
                         const struct lz_linetab *dec, const struct lz_handler *hand,
                         struct lz_arena *arena, struct lz_buf *out)
{
    size_t n = r->r_nunits, ninstr = 0, m, u, k, e;
    size_t *map;              /* old unit (0..n) -> new unit */
    struct lz_loc *locs;
    uint8_t *starts;
    struct lz_handler *hs, *hgot;
    struct lz_lnotab_event *ev;
    struct lz_linetab got;
    struct lz_error err = { 0 };
    int variant;
    bool ok = true;

    for (u = 0; u < n; u++)
        ninstr += r->r_starts[u] != 0;
    m = n + ninstr;
    map = xrealloc(NULL, (n + 1) * sizeof(*map));
    locs = xrealloc(NULL, m * sizeof(*locs));
    starts = xrealloc(NULL, m);
    hs = xrealloc(NULL, m * sizeof(*hs));
    ev = xrealloc(NULL, (dec->lt_nevents + 1) * sizeof(*ev));
    for (u = 0, k = 0; u < n; u++) {
        if (r->r_starts[u]) {
            locs[k] = dec->lt_locs[u];
            hs[k] = hand[u];
            starts[k++] = 1;
        }
        map[u] = k;
        locs[k] = dec->lt_locs[u];
        hs[k] = hand[u];
        starts[k++] = r->r_starts[u];   /* the inserted unit is an instruction too */
    }
    map[n] = m;

    for (variant = 0; variant < (v->v_lines == LZ_LINES_LNOTAB ? 2 : 1) && ok; variant++) {
        const char *what = variant == 0 ? "insert (events moved)" : "insert (events kept)";

        for (e = 0; e < dec->lt_nevents; e++) {
            uint32_t old = dec->lt_events[e].ev_unit;

            ev[e] = dec->lt_events[e];
            ev[e].ev_unit = (uint32_t)map[old];
            if (variant == 0 && old < n && r->r_starts[old])
                ev[e].ev_unit = (uint32_t)(map[old] - 1);
        }
        if (!encode(st, r, what, v, locs, starts, m, ev, dec->lt_nevents, out)
            || !roundtrip_check(st, r, what, v, out->b_data, out->b_len, locs, m, &got, arena)) {
            ok = false;
            break;
        }
        if (v->v_lines == LZ_LINES_LNOTAB && variant == 0 && got.lt_nevents != dec->lt_nevents) {
            fail(st, r, "%s: %zu events became %zu", what, dec->lt_nevents, got.lt_nevents);
            ok = false;
        }
    }
    if (ok && v->v_exception_table) {
        lz_buf_reset(out);
        if (lz_exctable_encode(hs, m, out, &err) != LZ_OK
            || lz_exctable_decode(out->b_data, out->b_len, m, arena, &hgot, &err) != LZ_OK) {
            fail(st, r, "insert: exception table: %s", err.e_msg);
            ok = false;
        } else {
            for (u = 0; u < m && handler_same(&hgot[u], &hs[u]); u++)
                ;
            if (u != m) {
                fail(st, r, "insert: exception table: unit %zu handler differs", u);
                ok = false;
            }
        }
    }
    st->s_insert_ok += ok;
    free(map);
    free(locs);
    free(starts);
    free(hs);
    free(ev);
}

static void check_record(struct stats *st, const struct record *r, const struct lz_version *v,
                         struct lz_buf *out)
{
    struct lz_arena *arena = lz_arena_new();
    struct lz_linetab dec, syn;
    struct lz_handler *hand = NULL;
    struct lz_error err = { 0 };
    size_t u;

    if (arena == NULL) {
        fprintf(stderr, "test_lines_corpus: out of memory\n");
        exit(2);
    }
    st->s_codes++;
    st->s_units += (long)r->r_nunits;
    /* 1, 2: line table. */
    if (!roundtrip_check(st, r, "decode", v, r->r_table, r->r_table_len, r->r_locs,
                         r->r_nunits, &dec, arena))
        goto out;
    st->s_decoded++;
    if (!encode(st, r, "re-encode", v, dec.lt_locs, r->r_starts, r->r_nunits, dec.lt_events,
                dec.lt_nevents, out))
        goto out;
    if (out->b_len != r->r_table_len || memcmp(out->b_data, r->r_table, out->b_len) != 0) {
        fail(st, r, "re-encoded line table differs");
        if (st->s_failures <= MAX_REPORTS) {
            print_hex("original", r->r_table, r->r_table_len);
            print_hex("encoded ", out->b_data, out->b_len);
        }
        goto out;
    }
    st->s_identical++;
    /* 5: lnotab synthesised without events. */
    if (v->v_lines == LZ_LINES_LNOTAB) {
        if (!encode(st, r, "synthesise", v, dec.lt_locs, r->r_starts, r->r_nunits, NULL, 0, out)
            || !roundtrip_check(st, r, "synthesise", v, out->b_data, out->b_len, r->r_locs,
                                r->r_nunits, &syn, arena))
            goto out;
        st->s_synth_ok++;
        st->s_synth_identical += out->b_len == r->r_table_len
            && memcmp(out->b_data, r->r_table, out->b_len) == 0;
    }
    /* 3: exception table. */
    if (v->v_exception_table) {
        if (lz_exctable_decode(r->r_exc, r->r_exc_len, r->r_nunits, arena, &hand, &err) != LZ_OK) {
            fail(st, r, "exception table decode failed: %s", err.e_msg);
            goto out;
        }
        for (u = 0; u < r->r_nunits && handler_same(&hand[u], &r->r_handlers[u]); u++)
            ;
        if (u != r->r_nunits) {
            fail(st, r, "exception table: unit %zu handler (%" PRId32 ",%u,%u), "
                 "expected (%" PRId32 ",%u,%u)", u, hand[u].h_target, hand[u].h_depth,
                 hand[u].h_lasti, r->r_handlers[u].h_target, r->r_handlers[u].h_depth,
                 r->r_handlers[u].h_lasti);
            goto out;
        }
        st->s_exc_decoded++;
        st->s_exc_nonempty += r->r_exc_len != 0;
        lz_buf_reset(out);
        if (lz_exctable_encode(hand, r->r_nunits, out, &err) != LZ_OK) {
            fail(st, r, "exception table encode failed: %s", err.e_msg);
            goto out;
        }
        if (out->b_len != r->r_exc_len || memcmp(out->b_data, r->r_exc, out->b_len) != 0) {
            fail(st, r, "re-encoded exception table differs");
            if (st->s_failures <= MAX_REPORTS) {
                print_hex("original", r->r_exc, r->r_exc_len);
                print_hex("encoded ", out->b_data, out->b_len);
            }
            goto out;
        }
        st->s_exc_identical++;
    } else {
        hand = lz_arena_calloc(arena, r->r_nunits + 1, sizeof(*hand));
        if (hand == NULL) {
            fprintf(stderr, "test_lines_corpus: out of memory\n");
            exit(2);
        }
        for (u = 0; u < r->r_nunits; u++)
            hand[u].h_target = -1;
    }
    /* 4 */
    check_insert(st, r, v, &dec, hand, arena, out);
out:
    lz_arena_free(arena);
}

int main(int argc, char **argv)
{
    struct record r = { 0 };
    struct stats st = { 0 };
    struct lz_buf out;
    const struct lz_version *v = NULL;
    char *buf = NULL, trailer[256] = "";
    size_t cap = 0;
    int minor = -1, tminor = 0;
    long files = 0, skipped = 0, tcodes = 0;
    FILE *f;

    if (argc != 2) {
        fprintf(stderr, "usage: test_lines_corpus DATA\n");
        return 2;
    }
    f = fopen(argv[1], "r");
    if (f == NULL) {
        perror(argv[1]);
        return 2;
    }
    lz_buf_init(&out);
    while (read_record(f, &r, &buf, &cap, trailer, sizeof(trailer))) {
        if (r.r_minor != minor) {
            const struct lz_pyver *pv = lz_pyver_from_minor(r.r_minor);

            minor = r.r_minor;
            v = pv != NULL ? lz_version_for(pv) : NULL;
            if (v == NULL) {
                fprintf(stderr, "test_lines_corpus: no version table for 3.%d\n", minor);
                return 2;
            }
        }
        check_record(&st, &r, v, &out);
    }
    fclose(f);
    if (sscanf(trailer, "V %d %ld %ld %ld", &tminor, &files, &skipped, &tcodes) != 4
        || tcodes != st.s_codes) {
        fprintf(stderr, "test_lines_corpus: trailer '%s' does not match %ld records\n",
                trailer, st.s_codes);
        return 2;
    }
    printf("3.%d: %ld files (%ld skipped), %ld code objects, %ld code units\n", tminor, files,
           skipped, st.s_codes, st.s_units);
    printf("  line table: %ld decoded as the interpreter reads it, %ld re-encoded byte-identical\n",
           st.s_decoded, st.s_identical);
    if (st.s_synth_ok || st.s_synth_identical)
        printf("  lnotab without events: %ld decode to the same lines, %ld also byte-identical\n",
               st.s_synth_ok, st.s_synth_identical);
    if (st.s_exc_decoded)
        printf("  exception table: %ld decoded as dis reads it (%ld non-empty), %ld re-encoded "
               "byte-identical\n", st.s_exc_decoded, st.s_exc_nonempty, st.s_exc_identical);
    printf("  unit inserted before every instruction: %ld of %ld round trip\n", st.s_insert_ok,
           st.s_codes);
    printf("  failures: %ld\n", st.s_failures);
    lz_buf_fini(&out);
    free(buf);
    free(r.r_starts);
    free(r.r_table);
    free(r.r_exc);
    free(r.r_locs);
    free(r.r_handlers);
    return st.s_failures == 0 && st.s_codes > 0 ? 0 : 1;
}
