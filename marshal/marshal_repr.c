/* marshal_repr.c - Python's repr() of marshal constants (for `lazyc dump`).
 *
 * The output matches what the interpreter prints for the loaded constant:
 * floats use the shortest repr that round-trips (as CPython's 'r' format),
 * complex numbers follow complex_repr, strings choose quotes and escapes as
 * unicode_repr does.  Two deliberate differences: code objects print without
 * their address (<code object NAME, file "F", line N>), and str.isprintable()
 * for non-ASCII is approximated by a small table of non-printable ranges
 * (controls, format characters, separators, surrogates, private use) instead
 * of the full Unicode database.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lz_marshal.h"
#include "marshal_int.h"

/* A DAG can be exponentially larger than its encoding when printed; stop
 * expanding containers once one repr call has produced this much. */
#define REPR_OUTPUT_MAX ((size_t)16 << 20)
/* Longer ints print as "<int of N bits>": the conversion is quadratic, a
 * hostile DAG can repeat one int many times, and CPython itself refuses
 * (since 3.11) to print more than 4300 decimal digits (~953 such digits). */
#define REPR_LONG_DIGITS_MAX 1000

struct repr {
    struct lz_buf *p_out;
    size_t p_limit;            /* stop expanding containers past this length */
};

static void put_str(struct repr *p, const char *s)
{
    lz_buf_put(p->p_out, s, strlen(s));
}

static void put_fmt_u64(struct repr *p, const char *fmt, unsigned long long v)
{
    char tmp[32];

    snprintf(tmp, sizeof tmp, fmt, v);
    put_str(p, tmp);
}

static void repr_obj(struct repr *p, const struct lz_obj *o);

/* ---------------------------------------------------------------- ints -- */

static void repr_long(struct repr *p, const struct lz_obj *o)
{
    const uint8_t *raw = o->u.o_raw.data;
    int32_t n = (int32_t)((uint32_t)raw[0] | (uint32_t)raw[1] << 8 | (uint32_t)raw[2] << 16
                          | (uint32_t)raw[3] << 24);
    size_t ndig = (size_t)(n < 0 ? -(int64_t)n : n), nlimb = 0;
    uint32_t *limb;                /* base 10^9, least significant first; owned */

    if (ndig == 0) {
        put_str(p, "0");
        return;
    }
    if (ndig > REPR_LONG_DIGITS_MAX) {
        put_fmt_u64(p, "<int of %llu bits>", (unsigned long long)ndig * 15);
        return;
    }
    /* 15 * ndig bits need at most ndig / 2 + 2 limbs of 10^9 (29.9 bits each) */
    limb = lz_malloc((ndig / 2 + 2) * sizeof *limb);
    if (limb == NULL) {
        p->p_out->b_failed = true;
        return;
    }
    for (size_t i = ndig; i-- > 0;) {
        uint64_t carry = raw[4 + 2 * i] | (unsigned)raw[5 + 2 * i] << 8;

        for (size_t k = 0; k < nlimb; k++) {
            uint64_t v = ((uint64_t)limb[k] << 15) + carry;

            limb[k] = (uint32_t)(v % 1000000000u);
            carry = v / 1000000000u;
        }
        while (carry) {
            limb[nlimb++] = (uint32_t)(carry % 1000000000u);
            carry /= 1000000000u;
        }
    }
    if (n < 0)
        put_str(p, "-");
    put_fmt_u64(p, "%llu", limb[nlimb - 1]);
    for (size_t k = nlimb - 1; k-- > 0;)
        put_fmt_u64(p, "%09llu", limb[k]);
    lz_free(limb);
}

/* -------------------------------------------------------------- floats -- */

static bool round_trips(const char *s, double v)
{
    return strtod(s, NULL) == v;
}

/* Shortest digits of |v| (v finite, nonzero): *digits without trailing
 * zeros, value = 0.DIGITS x 10^*decpt.  Tries 1..17 significant digits; at
 * each length the correctly rounded candidate first and, for powers of two
 * (where the rounding interval is lopsided), its two neighbours too. */
static void shortest_digits(double v, char digits[24], int *decpt)
{
    char tmp[40];
    bool pow2;
    int e2;

    v = fabs(v);
    pow2 = frexp(v, &e2) == 0.5;
    for (int prec = 1; prec <= 17; prec++) {
        char mant[24];
        int exp10, nd = 0;

        snprintf(tmp, sizeof tmp, "%.*e", prec - 1, v);
        for (const char *s = tmp; *s != 'e'; s++)
            if (*s != '.')
                mant[nd++] = *s;
        mant[nd] = '\0';
        exp10 = atoi(strchr(tmp, 'e') + 1);
        if (!round_trips(tmp, v) && pow2) {
            bool found = false;

            for (int dir = -1; dir <= 1 && !found; dir += 2) {
                char cand[24];
                int cexp = exp10, i;

                memcpy(cand, mant, (size_t)nd + 1);
                for (i = nd - 1; i >= 0; i--) {       /* add dir in the last place */
                    if (dir > 0 && cand[i] == '9') {
                        cand[i] = '0';
                        continue;
                    }
                    if (dir < 0 && cand[i] == '0') {
                        cand[i] = '9';
                        continue;
                    }
                    cand[i] = (char)(cand[i] + dir);
                    break;
                }
                if (i < 0 || cand[0] == '0')
                    continue;       /* carried out of the digits: not this length */
                snprintf(tmp, sizeof tmp, "%c.%se%d", cand[0], cand + 1, cexp);
                if (round_trips(tmp, v)) {
                    memcpy(mant, cand, (size_t)nd + 1);
                    found = true;
                }
            }
            if (!found)
                continue;
        } else if (!round_trips(tmp, v)) {
            continue;
        }
        while (nd > 1 && mant[nd - 1] == '0')
            mant[--nd] = '\0';
        memcpy(digits, mant, (size_t)nd + 1);
        *decpt = exp10 + 1;
        return;
    }
    /* not reached: 17 digits always round-trip */
    snprintf(digits, 24, "0");
    *decpt = 1;
}

/* CPython's repr of a double ('r' format).  add_dot0: append ".0" to
 * integral fixed-point output (float repr, not complex parts); sign: always
 * print a sign (imaginary part of a complex). */
static void format_double(char out[48], double v, bool add_dot0, bool sign)
{
    char digits[24], *q = out;
    int decpt, nd;

    if (isnan(v)) {
        snprintf(out, 48, "%snan", sign ? "+" : "");
        return;
    }
    if (signbit(v))
        *q++ = '-';
    else if (sign)
        *q++ = '+';
    if (isinf(v)) {
        strcpy(q, "inf");
        return;
    }
    if (v == 0) {
        strcpy(q, add_dot0 ? "0.0" : "0");
        return;
    }
    shortest_digits(v, digits, &decpt);
    nd = (int)strlen(digits);
    if (decpt <= -4 || decpt > 16) {
        int e = decpt - 1;

        *q++ = digits[0];
        if (nd > 1) {
            *q++ = '.';
            memcpy(q, digits + 1, (size_t)nd - 1);
            q += nd - 1;
        }
        /* |e| <= 324: at least two exponent digits, as C's %e */
        *q++ = 'e';
        *q++ = e < 0 ? '-' : '+';
        if (e < 0)
            e = -e;
        if (e >= 100)
            *q++ = (char)('0' + e / 100);
        *q++ = (char)('0' + e / 10 % 10);
        *q++ = (char)('0' + e % 10);
        *q = '\0';
    } else if (decpt <= 0) {
        *q++ = '0';
        *q++ = '.';
        for (int i = 0; i < -decpt; i++)
            *q++ = '0';
        memcpy(q, digits, (size_t)nd + 1);
    } else if (decpt >= nd) {
        memcpy(q, digits, (size_t)nd);
        q += nd;
        for (int i = nd; i < decpt; i++)
            *q++ = '0';
        strcpy(q, add_dot0 ? ".0" : "");
    } else {
        memcpy(q, digits, (size_t)decpt);
        q += decpt;
        *q++ = '.';
        memcpy(q, digits + decpt, (size_t)(nd - decpt) + 1);
    }
}

static double le_double(const uint8_t *p)
{
    uint64_t bits = 0;
    double d;

    for (int i = 7; i >= 0; i--)
        bits = (bits << 8) | p[i];
    memcpy(&d, &bits, sizeof d);
    return d;
}

/* Legacy text float at *pp (length byte + text); advances *pp. */
static double text_double(const uint8_t **pp)
{
    char tmp[257];
    size_t n = **pp;

    memcpy(tmp, *pp + 1, n);
    tmp[n] = '\0';
    *pp += 1 + n;
    return strtod(tmp, NULL);
}

static void repr_float(struct repr *p, const struct lz_obj *o)
{
    const uint8_t *raw = o->u.o_raw.data;
    double v = o->o_code == MT_BINARY_FLOAT ? le_double(raw) : text_double(&raw);
    char tmp[48];

    format_double(tmp, v, true, false);
    put_str(p, tmp);
}

static void repr_complex(struct repr *p, const struct lz_obj *o)
{
    const uint8_t *raw = o->u.o_raw.data;
    double re, im;
    char tmp[48];

    if (o->o_code == MT_BINARY_COMPLEX) {
        re = le_double(raw);
        im = le_double(raw + 8);
    } else {
        re = text_double(&raw);
        im = text_double(&raw);
    }
    if (re == 0 && !signbit(re)) {          /* +0 real part: just the imaginary */
        format_double(tmp, im, false, false);
        put_str(p, tmp);
        put_str(p, "j");
        return;
    }
    put_str(p, "(");
    format_double(tmp, re, false, false);
    put_str(p, tmp);
    format_double(tmp, im, false, true);
    put_str(p, tmp);
    put_str(p, "j)");
}

/* ------------------------------------------------------- str and bytes -- */

/* Approximation of str.isprintable() for code points >= 0x80. */
static bool printable_cp(uint32_t c)
{
    static const struct { uint32_t lo, hi; } nonprintable[] = {
        { 0x80, 0xa0 }, { 0xad, 0xad }, { 0x378, 0x379 }, { 0x380, 0x383 },
        { 0x38b, 0x38b }, { 0x38d, 0x38d }, { 0x3a2, 0x3a2 },
        { 0x600, 0x605 }, { 0x61c, 0x61c }, { 0x6dd, 0x6dd }, { 0x70f, 0x70f },
        { 0x890, 0x891 }, { 0x8e2, 0x8e2 }, { 0x1680, 0x1680 }, { 0x180e, 0x180e },
        { 0x2000, 0x200f }, { 0x2028, 0x202f }, { 0x205f, 0x2064 }, { 0x2066, 0x206f },
        { 0x3000, 0x3000 }, { 0xd800, 0xf8ff }, { 0xfdd0, 0xfdef }, { 0xfeff, 0xfeff },
        { 0xfff0, 0xfffb }, { 0xfffe, 0xffff }, { 0x110bd, 0x110bd }, { 0x110cd, 0x110cd },
        { 0x13430, 0x1343f }, { 0x1bca0, 0x1bca3 }, { 0x1d173, 0x1d17a },
        { 0xe0000, 0xe0fff }, { 0xf0000, 0x10ffff },
    };

    if ((c & 0xfffe) == 0xfffe)             /* the two last code points of every plane */
        return false;
    for (size_t i = 0; i < sizeof nonprintable / sizeof nonprintable[0]; i++)
        if (c >= nonprintable[i].lo && c <= nonprintable[i].hi)
            return false;
    return true;
}

/* Decode one UTF-8 sequence (validated by the reader; tolerant here). */
static uint32_t next_cp(const uint8_t *s, size_t n, size_t *i)
{
    uint8_t c = s[*i];
    size_t len = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
    uint32_t cp = len == 1 ? c : len == 2 ? c & 0x1fu : len == 3 ? c & 0x0fu : c & 0x07u;

    if (len > n - *i) {
        (*i)++;
        return 0xfffd;
    }
    for (size_t k = 1; k < len; k++)
        cp = (cp << 6) | (s[*i + k] & 0x3fu);
    *i += len;
    return cp;
}

/* Python picks " only when the text has ' but no ". */
static char pick_quote(const uint8_t *s, size_t n)
{
    bool squote = memchr(s, '\'', n) != NULL, dquote = memchr(s, '"', n) != NULL;

    return squote && !dquote ? '"' : '\'';
}

/* Escape shared by str and bytes for c < 0x80; false if c is not handled. */
static bool put_ascii_escaped(struct repr *p, uint32_t c, char quote)
{
    char tmp[8];

    if (c >= 0x80)
        return false;
    if (c == (uint32_t)quote || c == '\\') {
        tmp[0] = '\\';
        tmp[1] = (char)c;
        lz_buf_put(p->p_out, tmp, 2);
    } else if (c == '\t') {
        put_str(p, "\\t");
    } else if (c == '\n') {
        put_str(p, "\\n");
    } else if (c == '\r') {
        put_str(p, "\\r");
    } else if (c < 0x20 || c == 0x7f) {
        snprintf(tmp, sizeof tmp, "\\x%02x", (unsigned)c);
        put_str(p, tmp);
    } else {
        lz_buf_byte(p->p_out, (uint8_t)c);
    }
    return true;
}

static void repr_str(struct repr *p, const uint8_t *s, size_t n)
{
    char quote = pick_quote(s, n), tmp[16];

    lz_buf_byte(p->p_out, (uint8_t)quote);
    for (size_t i = 0; i < n;) {
        size_t start = i;
        uint32_t c = next_cp(s, n, &i);

        if (put_ascii_escaped(p, c, quote))
            continue;
        if (printable_cp(c))
            lz_buf_put(p->p_out, s + start, i - start);
        else {
            if (c <= 0xff)
                snprintf(tmp, sizeof tmp, "\\x%02x", (unsigned)c);
            else if (c <= 0xffff)
                snprintf(tmp, sizeof tmp, "\\u%04x", (unsigned)c);
            else
                snprintf(tmp, sizeof tmp, "\\U%08x", (unsigned)c);
            put_str(p, tmp);
        }
    }
    lz_buf_byte(p->p_out, (uint8_t)quote);
}

static void repr_bytes(struct repr *p, const uint8_t *s, size_t n)
{
    char quote = pick_quote(s, n), tmp[8];

    lz_buf_byte(p->p_out, 'b');
    lz_buf_byte(p->p_out, (uint8_t)quote);
    for (size_t i = 0; i < n; i++) {
        if (!put_ascii_escaped(p, s[i], quote)) {
            snprintf(tmp, sizeof tmp, "\\x%02x", s[i]);
            put_str(p, tmp);
        }
    }
    lz_buf_byte(p->p_out, (uint8_t)quote);
}

/* ---------------------------------------------------------- containers -- */

static void repr_items(struct repr *p, const struct lz_obj *o, const char *open,
                       const char *close, bool one_comma)
{
    put_str(p, open);
    for (size_t i = 0; i < o->u.o_seq.n; i++) {
        if (p->p_out->b_len > p->p_limit) {
            put_str(p, "...");
            break;
        }
        if (i > 0)
            put_str(p, ", ");
        repr_obj(p, o->u.o_seq.items[i]);
    }
    if (one_comma && o->u.o_seq.n == 1)
        put_str(p, ",");
    put_str(p, close);
}

static void repr_dict(struct repr *p, const struct lz_obj *o)
{
    put_str(p, "{");
    for (size_t i = 0; i < o->u.o_seq.n; i++) {
        if (p->p_out->b_len > p->p_limit) {
            put_str(p, "...");
            break;
        }
        if (i > 0)
            put_str(p, ", ");
        repr_obj(p, o->u.o_seq.items[2 * i]);
        put_str(p, ": ");
        repr_obj(p, o->u.o_seq.items[2 * i + 1]);
    }
    put_str(p, "}");
}

/* str payload as raw text, or "???" as CPython's code repr does. */
static void put_raw_str(struct repr *p, const struct lz_obj *o)
{
    if (o != NULL && o->o_kind == LZ_K_STR)
        lz_buf_put(p->p_out, o->u.o_raw.data, o->u.o_raw.size);
    else
        put_str(p, "???");
}

static void repr_code(struct repr *p, const struct lz_codeobj *co)
{
    put_str(p, "<code object ");
    put_raw_str(p, co->co_name);
    put_str(p, ", file \"");
    put_raw_str(p, co->co_filename);
    put_str(p, "\", line ");
    put_fmt_u64(p, "%lld", (unsigned long long)(long long)co->co_firstlineno);
    put_str(p, ">");
}

static void repr_obj(struct repr *p, const struct lz_obj *o)
{
    if (o == NULL) {
        put_str(p, "<NULL>");
        return;
    }
    switch (o->o_kind) {
    case LZ_K_NONE: put_str(p, "None"); return;
    case LZ_K_FALSE: put_str(p, "False"); return;
    case LZ_K_TRUE: put_str(p, "True"); return;
    case LZ_K_ELLIPSIS: put_str(p, "Ellipsis"); return;
    case LZ_K_STOPITER: put_str(p, "<class 'StopIteration'>"); return;
    case LZ_K_INT: put_fmt_u64(p, "%lld", (unsigned long long)o->u.o_int); return;
    case LZ_K_LONG: repr_long(p, o); return;
    case LZ_K_FLOAT: repr_float(p, o); return;
    case LZ_K_COMPLEX: repr_complex(p, o); return;
    case LZ_K_BYTES: repr_bytes(p, o->u.o_raw.data, o->u.o_raw.size); return;
    case LZ_K_STR: repr_str(p, o->u.o_raw.data, o->u.o_raw.size); return;
    case LZ_K_TUPLE: repr_items(p, o, "(", ")", true); return;
    case LZ_K_LIST: repr_items(p, o, "[", "]", false); return;
    case LZ_K_SET:
        if (o->u.o_seq.n == 0)
            put_str(p, "set()");
        else
            repr_items(p, o, "{", "}", false);
        return;
    case LZ_K_FROZENSET:
        if (o->u.o_seq.n == 0)
            put_str(p, "frozenset()");
        else
            repr_items(p, o, "frozenset({", "})", false);
        return;
    case LZ_K_DICT: repr_dict(p, o); return;
    case LZ_K_FROZENDICT:
        if (o->u.o_seq.n == 0) {
            put_str(p, "frozendict()");
            return;
        }
        put_str(p, "frozendict(");
        repr_dict(p, o);
        put_str(p, ")");
        return;
    case LZ_K_SLICE: repr_items(p, o, "slice(", ")", false); return;
    case LZ_K_CODE: repr_code(p, o->u.o_codeobj); return;
    }
    put_str(p, "<unknown>");
}

void lz_obj_repr(const struct lz_obj *o, struct lz_buf *out)
{
    struct repr p = { .p_out = out, .p_limit = out->b_len + REPR_OUTPUT_MAX };

    repr_obj(&p, o);
}
