/* wheel.c - wheel names and tags, the WHEEL file, RECORD checked and
 * regenerated (lz_wheel.h).
 *
 * Facts: shared/reference/packaging.md section 1 (binary distribution
 * format: file name, .dist-info, WHEEL keys, RECORD as CSV with
 * `<algo>=<urlsafe base64 without padding>` hashes, sha256 or stronger) and
 * section 7 (tools put .dist-info last and RECORD last).  The input is
 * untrusted: RECORD is parsed with bounds checks and must describe the
 * archive exactly, as the spec asks installers to verify.
 */
#include "lz_wheel.h"

#include <ctype.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "lz_alloc.h"

/* Tags in one compressed set ("py2.py3") or one expanded list. */
#define TAGS_MAX 32

struct lz_wheel {
    struct lz_wheel_name w_name;         /* the input's */
    struct lz_wheel_name w_out;          /* after lz_wheel_retag */
    char w_outname[6 * LZ_WHEEL_NAME_MAX];
    char w_stem[LZ_WHEEL_NAME_MAX];      /* "pip-23.2.1" */
    char w_distinfo[LZ_WHEEL_NAME_MAX];  /* "pip-23.2.1.dist-info/" */
    char w_data[LZ_WHEEL_NAME_MAX + 8];  /* "pip-23.2.1.data/" */
    bool w_purelib;
    uint8_t *w_wheel;                    /* WHEEL as it will be written (lz_malloc'd) */
    size_t w_wheel_len;
};

/* ---- names and tags ------------------------------------------------------- */

static bool name_char(int c, const char *extra)
{
    return isalnum(c) || (c && strchr(extra, c));
}

static bool all_chars(const char *s, const char *extra)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!name_char((unsigned char)*s, extra))
            return false;
    return true;
}

/* A compressed tag set: non-empty tags of [A-Za-z0-9_] joined by '.'. */
static bool tag_set_valid(const char *s)
{
    if (!all_chars(s, "_.") || s[0] == '.' || s[strlen(s) - 1] == '.')
        return false;
    return strstr(s, "..") == NULL;
}

/* Printable copy of untrusted text for a message (at most 200 bytes). */
static const char *printable(const char *s, char out[208])
{
    size_t n = 0;

    for (; *s && n < 200; s++)
        out[n++] = (unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s;
    if (*s)
        memcpy(out + n, "...", 3), n += 3;
    out[n] = '\0';
    return out;
}

int lz_wheel_parse_name(const char *filename, struct lz_wheel_name *out, struct lz_error *err)
{
    char buf[LZ_WHEEL_NAME_MAX], q[208];
    char *parts[6] = {0};
    size_t n = strlen(filename), np = 0;

    memset(out, 0, sizeof *out);
    if (n < 5 || strcmp(filename + n - 4, ".whl") != 0)
        return lz_error_set(err, LZ_EINPUT, "not a wheel file name (no .whl suffix): %s",
                            printable(filename, q));
    if (n - 4 >= sizeof buf)
        return lz_error_set(err, LZ_EINPUT, "wheel file name longer than %d bytes",
                            LZ_WHEEL_NAME_MAX - 1);
    memcpy(buf, filename, n - 4);
    buf[n - 4] = '\0';
    for (char *p = buf; p && np < 7; np++) {
        char *dash = strchr(p, '-');
        if (np < 6)
            parts[np] = p;
        if (dash)
            *dash = '\0';
        p = dash ? dash + 1 : NULL;
    }
    if (np != 5 && np != 6)
        return lz_error_set(err, LZ_EINPUT, "wheel file name %s does not parse as "
                            "name-version(-build)-python-abi-platform.whl",
                            printable(filename, q));
    if (!all_chars(parts[0], "._"))
        return lz_error_set(err, LZ_EINPUT, "wheel file name %s: bad distribution name",
                            printable(filename, q));
    if (!all_chars(parts[1], "._!+"))
        return lz_error_set(err, LZ_EINPUT, "wheel file name %s: bad version",
                            printable(filename, q));
    if (np == 6 && (!isdigit((unsigned char)parts[2][0]) || !all_chars(parts[2], "._")))
        return lz_error_set(err, LZ_EINPUT, "wheel file name %s: the build tag must "
                            "start with a digit", printable(filename, q));
    for (size_t i = np - 3; i < np; i++)
        if (!tag_set_valid(parts[i]))
            return lz_error_set(err, LZ_EINPUT, "wheel file name %s: bad tag %s",
                                printable(filename, q), parts[i]);
    strcpy(out->wn_name, parts[0]);
    strcpy(out->wn_version, parts[1]);
    if (np == 6)
        strcpy(out->wn_build, parts[2]);
    strcpy(out->wn_py, parts[np - 3]);
    strcpy(out->wn_abi, parts[np - 2]);
    strcpy(out->wn_plat, parts[np - 1]);
    return LZ_OK;
}

int lz_wheel_format_name(const struct lz_wheel_name *n, char *out, size_t size)
{
    int k = snprintf(out, size, "%s-%s%s%s-%s-%s-%s.whl", n->wn_name, n->wn_version,
                     n->wn_build[0] ? "-" : "", n->wn_build, n->wn_py, n->wn_abi, n->wn_plat);
    return k > 0 && (size_t)k < size ? 0 : -1;
}

void lz_wheel_normalize(const char *name, char *out, size_t size)
{
    size_t o = 0;

    for (; *name && o + 1 < size; name++) {
        if (*name == '-' || *name == '_' || *name == '.') {
            if (o == 0 || out[o - 1] != '_')
                out[o++] = '_';
        } else {
            out[o++] = (char)tolower((unsigned char)*name);
        }
    }
    if (size)
        out[o] = '\0';
}

/* Split a compressed set in place; returns the count (<= TAGS_MAX) or -1. */
static int split_tags(char *s, char *tags[TAGS_MAX])
{
    int n = 0;

    for (char *p = strtok(s, "."); p; p = strtok(NULL, ".")) {
        if (n == TAGS_MAX)
            return -1;
        tags[n++] = p;
    }
    return n;
}

/* The three tag sets of a name, split: python, abi, platform. */
struct tag_sets {
    char ts_buf[3][LZ_WHEEL_NAME_MAX];
    char *ts_tags[3][TAGS_MAX];
    int ts_n[3];
};

static int split_name_tags(const struct lz_wheel_name *n, struct tag_sets *t, struct lz_error *err)
{
    const char *sets[3] = {n->wn_py, n->wn_abi, n->wn_plat};

    for (int i = 0; i < 3; i++) {
        strcpy(t->ts_buf[i], sets[i]);
        if ((t->ts_n[i] = split_tags(t->ts_buf[i], t->ts_tags[i])) <= 0)
            return lz_error_set(err, LZ_EINPUT, "more than %d tags in one set", TAGS_MAX);
    }
    return LZ_OK;
}

/* "py3" -> impl "py", major 3, minor -1; "cp312" -> "cp", 3, 12.  false if
 * the tag is not of that form. */
static bool python_tag(const char *t, char impl[3], int *major, int *minor)
{
    size_t n = strlen(t);

    if (n < 3 || !isdigit((unsigned char)t[2]))
        return false;
    for (size_t i = 2; i < n; i++)
        if (!isdigit((unsigned char)t[i]) || n - 2 > 4)
            return false;
    impl[0] = t[0], impl[1] = t[1], impl[2] = '\0';
    *major = t[2] - '0';
    *minor = n > 3 ? atoi(t + 3) : -1;
    return true;
}

/* Append `tag` to the set `set` (a '.'-joined string) unless it is there. */
static void set_add(char set[LZ_WHEEL_NAME_MAX], const char *tag)
{
    size_t n = strlen(tag), len = strlen(set);

    for (const char *p = set; *p;) {
        const char *dot = strchr(p, '.');
        size_t k = dot ? (size_t)(dot - p) : strlen(p);
        if (k == n && memcmp(p, tag, n) == 0)
            return;
        p += k + (dot != NULL);
    }
    if (len + n + 2 > LZ_WHEEL_NAME_MAX)
        return;   /* cannot happen: the result is never longer than the input */
    if (len)
        set[len++] = '.';
    memcpy(set + len, tag, n + 1);
}

int lz_wheel_retag_name(const struct lz_wheel_name *in, unsigned minor,
                        struct lz_wheel_name *out, struct lz_error *err)
{
    struct tag_sets t;
    char cp[16], why[128] = "";
    bool any = false;

    if (split_name_tags(in, &t, err) != LZ_OK)
        return LZ_EINPUT;
    char **pys = t.ts_tags[0], **abis = t.ts_tags[1], **plats = t.ts_tags[2];
    int np = t.ts_n[0], na = t.ts_n[1], nt = t.ts_n[2];
    *out = *in;
    out->wn_py[0] = out->wn_abi[0] = out->wn_plat[0] = '\0';
    snprintf(cp, sizeof cp, "cp3%u", minor);
    for (int i = 0; i < np; i++)
        for (int j = 0; j < na; j++)
            for (int k = 0; k < nt; k++) {
                char impl[3];
                int major, tminor;
                const char *new_abi = NULL;
                bool is_py = python_tag(pys[i], impl, &major, &tminor) && major == 3;
                if (is_py && strcmp(abis[j], "none") == 0) {
                    /* pyX / pyXY install on later versions too; cpXY only on X.Y. */
                    if (strcmp(impl, "py") == 0 && (tminor < 0 || tminor <= (int)minor))
                        new_abi = "none";
                    else if (strcmp(impl, "cp") == 0 && (tminor < 0 || tminor == (int)minor))
                        new_abi = "none";
                } else if (is_py && strcmp(abis[j], "abi3") == 0 && strcmp(impl, "cp") == 0 &&
                           tminor <= (int)minor) {
                    /* The stable ABI loads on this and later versions; the bytecode
                     * does not: pin the version (cp3X-abi3 would still say "later"). */
                    if (strcmp(plats[k], "any") == 0)
                        snprintf(why, sizeof why, "; %s-abi3-any installs nowhere", pys[i]);
                    else
                        new_abi = cp;
                } else if (is_py && strcmp(pys[i], cp) == 0 && strcmp(abis[j], cp) == 0) {
                    new_abi = cp;
                }
                if (!new_abi)
                    continue;
                set_add(out->wn_py, cp);
                set_add(out->wn_abi, new_abi);
                set_add(out->wn_plat, plats[k]);
                any = true;
            }
    if (!any)
        return lz_error_set(err, LZ_EINPUT, "tag %s-%s-%s does not install on CPython 3.%u%s",
                            in->wn_py, in->wn_abi, in->wn_plat, minor, why);
    return LZ_OK;
}

/* ---- WHEEL ------------------------------------------------------------------ */

/* The value of header `key` in an RFC 822 style file, into out; false if
 * absent. */
static bool header_value(const uint8_t *data, size_t size, const char *key, char *out,
                         size_t out_size)
{
    size_t klen = strlen(key);

    for (size_t i = 0; i < size;) {
        const uint8_t *nl = memchr(data + i, '\n', size - i);
        size_t end = nl ? (size_t)(nl - data) : size, len = end - i;
        if (len > klen && strncasecmp((const char *)data + i, key, klen) == 0 &&
            data[i + klen] == ':') {
            size_t a = i + klen + 1, b = end;
            while (a < b && (data[a] == ' ' || data[a] == '\t'))
                a++;
            while (b > a && (data[b - 1] == '\r' || data[b - 1] == ' ' || data[b - 1] == '\t'))
                b--;
            snprintf(out, out_size, "%.*s", (int)(b - a), (const char *)data + a);
            return true;
        }
        i = end + 1;
    }
    return false;
}

static int read_wheel_file(struct lz_wheel *w, const struct lz_zip_entry *e, struct lz_error *err)
{
    char v[64], q[208];

    if (!header_value(e->ze_data, e->ze_size, "Wheel-Version", v, sizeof v))
        return lz_error_set(err, LZ_EINPUT, "WHEEL: no Wheel-Version");
    if (strncmp(v, "1.", 2) != 0 || !isdigit((unsigned char)v[2]))
        return lz_error_set(err, LZ_EINPUT, "WHEEL: Wheel-Version %s is not supported "
                            "(only 1.x)", printable(v, q));
    w->w_purelib = header_value(e->ze_data, e->ze_size, "Root-Is-Purelib", v, sizeof v) &&
                   strcasecmp(v, "true") == 0;
    w->w_wheel = lz_malloc(e->ze_size ? e->ze_size : 1);
    if (!w->w_wheel)
        return lz_error_set(err, LZ_ENOMEM, "out of memory");
    memcpy(w->w_wheel, e->ze_data, e->ze_size);
    w->w_wheel_len = e->ze_size;
    return LZ_OK;
}

/* WHEEL with its Tag lines replaced by one line per tag of `n` (where the
 * first Tag line was, or at the end); every other line kept as it was. */
static int rewrite_tag_lines(struct lz_wheel *w, const struct lz_wheel_name *n,
                             struct lz_error *err)
{
    struct tag_sets t;
    bool placed = false;
    struct lz_buf b, tags;

    if (split_name_tags(n, &t, err) != LZ_OK)
        return LZ_EINPUT;
    char **pys = t.ts_tags[0], **abis = t.ts_tags[1], **plats = t.ts_tags[2];
    int np = t.ts_n[0], na = t.ts_n[1], nt = t.ts_n[2];
    lz_buf_init(&b);
    lz_buf_init(&tags);
    for (int i = 0; i < np; i++)
        for (int j = 0; j < na; j++)
            for (int k = 0; k < nt; k++) {
                char line[3 * LZ_WHEEL_NAME_MAX];
                int len = snprintf(line, sizeof line, "Tag: %s-%s-%s\n", pys[i], abis[j],
                                   plats[k]);
                lz_buf_put(&tags, line, (size_t)len);
            }
    for (size_t i = 0; i < w->w_wheel_len;) {
        const uint8_t *nl = memchr(w->w_wheel + i, '\n', w->w_wheel_len - i);
        size_t end = nl ? (size_t)(nl - w->w_wheel) + 1 : w->w_wheel_len;
        if (end - i >= 4 && strncasecmp((const char *)w->w_wheel + i, "Tag:", 4) == 0) {
            if (!placed)
                lz_buf_put(&b, tags.b_data, tags.b_len);
            placed = true;
        } else {
            lz_buf_put(&b, w->w_wheel + i, end - i);
            if (!nl)
                lz_buf_byte(&b, '\n');
        }
        i = end;
    }
    if (!placed)
        lz_buf_put(&b, tags.b_data, tags.b_len);
    lz_buf_fini(&tags);
    if (b.b_failed) {
        lz_buf_fini(&b);
        return lz_error_set(err, LZ_ENOMEM, "out of memory");
    }
    lz_free(w->w_wheel);
    w->w_wheel = b.b_data;
    w->w_wheel_len = b.b_len;
    return LZ_OK;
}

/* ---- RECORD ----------------------------------------------------------------- */

/* One CSV row of at most 3 fields (Python's csv dialect: ',' separator, '"'
 * quoting with "" for a quote, \n or \r\n line ends). */
struct csv {
    const uint8_t *c_p, *c_end;
    size_t c_line;
    struct lz_buf c_fields[3];
    size_t c_nfields;
};

/* 1 a row, 0 the end, LZ_EINPUT / LZ_ENOMEM. */
static int csv_row(struct csv *c, struct lz_error *err)
{
    if (c->c_p >= c->c_end)
        return 0;
    c->c_line++;
    c->c_nfields = 0;
    for (;;) {
        struct lz_buf *f;
        if (c->c_nfields == 3)
            return lz_error_set(err, LZ_EINPUT, "RECORD: line %zu: more than 3 fields",
                                c->c_line);
        f = &c->c_fields[c->c_nfields++];
        lz_buf_reset(f);
        if (c->c_p < c->c_end && *c->c_p == '"') {
            c->c_p++;
            for (;;) {
                if (c->c_p >= c->c_end)
                    return lz_error_set(err, LZ_EINPUT, "RECORD: line %zu: unterminated "
                                        "quote", c->c_line);
                if (*c->c_p == '"' && c->c_p + 1 < c->c_end && c->c_p[1] == '"') {
                    lz_buf_byte(f, '"');
                    c->c_p += 2;
                } else if (*c->c_p == '"') {
                    c->c_p++;
                    break;
                } else {
                    lz_buf_byte(f, *c->c_p++);
                }
            }
        } else {
            while (c->c_p < c->c_end && *c->c_p != ',' && *c->c_p != '\n' && *c->c_p != '\r')
                lz_buf_byte(f, *c->c_p++);
        }
        if (memchr(f->b_data ? f->b_data : (const uint8_t *)"", 0, f->b_len))
            return lz_error_set(err, LZ_EINPUT, "RECORD: line %zu: NUL byte", c->c_line);
        lz_buf_byte(f, 0);
        if (f->b_failed)
            return lz_error_set(err, LZ_ENOMEM, "out of memory");
        if (c->c_p < c->c_end && *c->c_p == ',') {
            c->c_p++;
            continue;
        }
        if (c->c_p < c->c_end && *c->c_p == '\r')
            c->c_p++;
        if (c->c_p < c->c_end && *c->c_p == '\n')
            c->c_p++;
        else if (c->c_p < c->c_end)
            return lz_error_set(err, LZ_EINPUT, "RECORD: line %zu: text after a closing "
                                "quote", c->c_line);
        return 1;
    }
}

static const char *field(const struct csv *c, size_t i)
{
    return (const char *)c->c_fields[i].b_data;
}

/* Hash names of hashlib.algorithms_guaranteed allowed in wheels (sha256 or
 * stronger; md5 and sha1 are banned) and their OpenSSL names. */
static const char *digest_name(const char *algo)
{
    static const char *const names[][2] = {
        {"sha256", "SHA256"},     {"sha384", "SHA384"},     {"sha512", "SHA512"},
        {"sha3_256", "SHA3-256"}, {"sha3_384", "SHA3-384"}, {"sha3_512", "SHA3-512"},
        {"blake2b", "BLAKE2B512"}, {"blake2s", "BLAKE2S256"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(algo, names[i][0]) == 0)
            return names[i][1];
    return NULL;
}

/* Decode urlsafe base64 (padding optional); -1 on a bad digit or overflow. */
static long base64url_decode(const char *s, uint8_t *out, size_t cap)
{
    uint32_t acc = 0;
    int bits = 0;
    size_t n = 0;

    for (; *s && *s != '='; s++) {
        int v;
        if (*s >= 'A' && *s <= 'Z') v = *s - 'A';
        else if (*s >= 'a' && *s <= 'z') v = *s - 'a' + 26;
        else if (*s >= '0' && *s <= '9') v = *s - '0' + 52;
        else if (*s == '-') v = 62;
        else if (*s == '_') v = 63;
        else return -1;
        acc = (acc << 6 | (uint32_t)v) & 0xffffff;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (n == cap)
                return -1;
            out[n++] = (uint8_t)(acc >> bits);
        }
    }
    return (long)n;
}

/* Check one RECORD row against the entry it names. */
static int check_row(const struct lz_zip_entry *e, const char *path, const char *hash,
                     const char *size, struct lz_error *err)
{
    char q[208], algo[16];
    const char *eq = strchr(hash, '='), *md;
    uint8_t want[EVP_MAX_MD_SIZE], got[EVP_MAX_MD_SIZE];
    unsigned int got_len = 0;
    long want_len;
    char *end;
    unsigned long long n;

    if (!hash[0] || !eq)
        return lz_error_set(err, LZ_EINPUT, "RECORD: %s has no hash", printable(path, q));
    snprintf(algo, sizeof algo, "%.*s", (int)(eq - hash), hash);
    if (!(md = digest_name(algo)))
        return lz_error_set(err, LZ_EINPUT, "RECORD: %s: hash %s is not allowed in a wheel "
                            "(sha256 or stronger)", printable(path, q), algo);
    want_len = base64url_decode(eq + 1, want, sizeof want);
    const EVP_MD *type = EVP_get_digestbyname(md);
    if (!type)
        return lz_error_set(err, LZ_EINPUT, "RECORD: %s: hash %s is not available",
                            printable(path, q), algo);
    if (EVP_Digest(e->ze_size ? e->ze_data : (const uint8_t *)"", e->ze_size, got, &got_len,
                   type, NULL) != 1)
        return lz_error_set(err, LZ_ENOMEM, "out of memory hashing %s", printable(path, q));
    if (want_len != (long)got_len || memcmp(want, got, got_len) != 0)
        return lz_error_set(err, LZ_EINPUT, "RECORD: hash of %s does not match",
                            printable(path, q));
    n = strtoull(size, &end, 10);
    if (!size[0] || *end || !isdigit((unsigned char)size[0]))
        return lz_error_set(err, LZ_EINPUT, "RECORD: %s has no size", printable(path, q));
    if (n != e->ze_size)
        return lz_error_set(err, LZ_EINPUT, "RECORD: size of %s does not match (RECORD %llu, "
                            "archive %zu)", printable(path, q), n, e->ze_size);
    return LZ_OK;
}

static bool is_signature(const char *name, const char *distinfo)
{
    size_t n = strlen(distinfo);
    return strncmp(name, distinfo, n) == 0 &&
           (strcmp(name + n, "RECORD.jws") == 0 || strcmp(name + n, "RECORD.p7s") == 0);
}

/* RECORD must list every file entry (but itself and signatures) with a
 * matching hash and size, and nothing that is not there. */
static int verify_record(const struct lz_zip *zip, const struct lz_wheel *w, size_t record,
                         struct lz_error *err)
{
    const struct lz_zip_entry *re = &zip->z_entries[record];
    struct csv c = {re->ze_data, re->ze_data + re->ze_size, 0, {{0}}, 0};
    bool *listed = calloc(zip->z_count ? zip->z_count : 1, sizeof *listed);
    char q[208];
    int rc = listed ? LZ_OK : lz_error_set(err, LZ_ENOMEM, "out of memory");

    for (int i = 0; i < 3; i++)
        lz_buf_init(&c.c_fields[i]);
    while (rc == LZ_OK) {
        int r = csv_row(&c, err);
        long i;
        if (r <= 0) {
            rc = r;
            break;
        }
        if (c.c_nfields == 1 && !field(&c, 0)[0])
            continue;   /* a blank line */
        if (c.c_nfields != 3) {
            rc = lz_error_set(err, LZ_EINPUT, "RECORD: line %zu: %zu field%s, expected "
                              "path,hash,size", c.c_line, c.c_nfields,
                              c.c_nfields == 1 ? "" : "s");
            break;
        }
        i = lz_zip_find(zip, field(&c, 0));
        if (i == (long)record || (i >= 0 && S_ISDIR(zip->z_entries[i].ze_mode)))
            continue;   /* its own row has no hash; directories carry none */
        if (i < 0) {
            rc = lz_error_set(err, LZ_EINPUT, "RECORD: lists %s, which is not in the wheel",
                              printable(field(&c, 0), q));
            break;
        }
        if (listed[i]) {
            rc = lz_error_set(err, LZ_EINPUT, "RECORD: %s is listed twice",
                              printable(field(&c, 0), q));
            break;
        }
        listed[i] = true;
        rc = check_row(&zip->z_entries[i], field(&c, 0), field(&c, 1), field(&c, 2), err);
    }
    for (size_t i = 0; rc == LZ_OK && i < zip->z_count; i++) {
        const struct lz_zip_entry *e = &zip->z_entries[i];
        if (!listed[i] && i != record && !S_ISDIR(e->ze_mode) &&
            !is_signature(e->ze_name, w->w_distinfo))
            rc = lz_error_set(err, LZ_EINPUT, "RECORD: %s is not listed",
                              printable(e->ze_name, q));
    }
    for (int i = 0; i < 3; i++)
        lz_buf_fini(&c.c_fields[i]);
    free(listed);
    return rc;
}

/* One CSV field: quoted only when it must be (csv.QUOTE_MINIMAL). */
static void put_field(struct lz_buf *b, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        lz_buf_put(b, s, strlen(s));
        return;
    }
    lz_buf_byte(b, '"');
    for (; *s; s++) {
        if (*s == '"')
            lz_buf_byte(b, '"');
        lz_buf_byte(b, (uint8_t)*s);
    }
    lz_buf_byte(b, '"');
}

int lz_wheel_make_record(const struct lz_zip *zip, const char *record_name, uint8_t **data,
                         size_t *size, struct lz_error *err)
{
    struct lz_buf b;

    lz_buf_init(&b);
    for (size_t i = 0; i < zip->z_count; i++) {
        const struct lz_zip_entry *e = &zip->z_entries[i];
        char hash[72], num[32];
        if (S_ISDIR(e->ze_mode) || strcmp(e->ze_name, record_name) == 0)
            continue;
        lz_record_hash(e->ze_data, e->ze_size, hash);
        snprintf(num, sizeof num, ",%zu\n", e->ze_size);
        put_field(&b, e->ze_name);
        lz_buf_byte(&b, ',');
        lz_buf_put(&b, hash, strlen(hash));
        lz_buf_put(&b, num, strlen(num));
    }
    put_field(&b, record_name);
    lz_buf_put(&b, ",,\n", 3);
    if (b.b_failed) {
        lz_buf_fini(&b);
        return lz_error_set(err, LZ_ENOMEM, "out of memory");
    }
    *data = b.b_data;
    *size = b.b_len;
    return LZ_OK;
}

/* ---- the wheel ---------------------------------------------------------------- */

/* The one top-level "*.dist-info/" directory, from the entry names. */
static int find_dist_info(const struct lz_zip *zip, struct lz_wheel *w, struct lz_error *err)
{
    char q[208], q2[208];

    for (size_t i = 0; i < zip->z_count; i++) {
        const char *name = zip->z_entries[i].ze_name, *slash = strchr(name, '/');
        size_t n = slash ? (size_t)(slash - name) : 0;
        if (n < 11 || memcmp(slash - 10, ".dist-info", 10) != 0)
            continue;
        if (n + 2 > sizeof w->w_distinfo)
            return lz_error_set(err, LZ_EINPUT, ".dist-info directory name too long");
        if (!w->w_distinfo[0]) {
            memcpy(w->w_distinfo, name, n + 1);
            w->w_distinfo[n + 1] = '\0';
        } else if (strncmp(w->w_distinfo, name, n + 1) != 0) {
            return lz_error_set(err, LZ_EINPUT, "two .dist-info directories: %s and %.*s",
                                printable(w->w_distinfo, q), (int)n + 1,
                                printable(name, q2));
        }
    }
    if (!w->w_distinfo[0])
        return lz_error_set(err, LZ_EINPUT, "no .dist-info directory");
    return LZ_OK;
}

/* The .dist-info name must be the file name's name-version (normalized). */
static int check_stem(struct lz_wheel *w, struct lz_error *err)
{
    char q[208], a[LZ_WHEEL_NAME_MAX], b[LZ_WHEEL_NAME_MAX], va[LZ_WHEEL_NAME_MAX],
        vb[LZ_WHEEL_NAME_MAX];
    size_t n = strlen(w->w_distinfo) - strlen(".dist-info/");
    const char *dash;

    memcpy(w->w_stem, w->w_distinfo, n);
    w->w_stem[n] = '\0';
    snprintf(w->w_data, sizeof w->w_data, "%s.data/", w->w_stem);
    dash = strchr(w->w_stem, '-');
    if (!dash)
        return lz_error_set(err, LZ_EINPUT, ".dist-info directory %s is not name-version",
                            printable(w->w_distinfo, q));
    snprintf(b, sizeof b, "%.*s", (int)(dash - w->w_stem), w->w_stem);
    lz_wheel_normalize(b, a, sizeof a);
    lz_wheel_normalize(w->w_name.wn_name, b, sizeof b);
    lz_wheel_normalize(dash + 1, va, sizeof va);
    lz_wheel_normalize(w->w_name.wn_version, vb, sizeof vb);
    if (strcmp(a, b) != 0 || strcmp(va, vb) != 0)
        return lz_error_set(err, LZ_EINPUT, ".dist-info directory %s does not match the "
                            "file name's %s-%s", printable(w->w_distinfo, q),
                            w->w_name.wn_name, w->w_name.wn_version);
    return LZ_OK;
}

static long find_meta(const struct lz_zip *zip, const struct lz_wheel *w, const char *file)
{
    char name[LZ_WHEEL_NAME_MAX + 16];

    snprintf(name, sizeof name, "%s%s", w->w_distinfo, file);
    return lz_zip_find(zip, name);
}

int lz_wheel_open(const struct lz_zip *zip, const char *filename, struct lz_wheel **out,
                  struct lz_error *err)
{
    struct lz_wheel *w = lz_malloc(sizeof *w);
    long meta, wheel, record;
    int rc;

    *out = NULL;
    if (!w)
        return lz_error_set(err, LZ_ENOMEM, "out of memory");
    memset(w, 0, sizeof *w);
    rc = lz_wheel_parse_name(filename, &w->w_name, err);
    if (rc == LZ_OK && zip->z_prefix_len)
        rc = lz_error_set(err, LZ_EINPUT, "%zu bytes before the zip data (not a wheel)",
                          zip->z_prefix_len);
    if (rc == LZ_OK)
        rc = find_dist_info(zip, w, err);
    if (rc == LZ_OK)
        rc = check_stem(w, err);
    if (rc == LZ_OK) {
        meta = find_meta(zip, w, "METADATA");
        wheel = find_meta(zip, w, "WHEEL");
        record = find_meta(zip, w, "RECORD");
        if (meta < 0 || wheel < 0 || record < 0)
            rc = lz_error_set(err, LZ_EINPUT, "%s has no %s", w->w_distinfo,
                              meta < 0 ? "METADATA" : wheel < 0 ? "WHEEL" : "RECORD");
    }
    if (rc == LZ_OK)
        rc = read_wheel_file(w, &zip->z_entries[wheel], err);
    if (rc == LZ_OK)
        rc = verify_record(zip, w, (size_t)record, err);
    if (rc == LZ_OK) {
        w->w_out = w->w_name;
        if (lz_wheel_format_name(&w->w_out, w->w_outname, sizeof w->w_outname) != 0)
            rc = lz_error_set(err, LZ_EINPUT, "wheel file name too long");
    }
    if (rc != LZ_OK) {
        lz_wheel_free(w);
        return rc;
    }
    *out = w;
    return LZ_OK;
}

void lz_wheel_free(struct lz_wheel *w)
{
    if (!w)
        return;
    lz_free(w->w_wheel);
    lz_free(w);
}

const struct lz_wheel_name *lz_wheel_name(const struct lz_wheel *w)
{
    return &w->w_name;
}

const char *lz_wheel_stem(const struct lz_wheel *w)
{
    return w->w_stem;
}

bool lz_wheel_root_is_purelib(const struct lz_wheel *w)
{
    return w->w_purelib;
}

const char *lz_wheel_output_name(const struct lz_wheel *w)
{
    return w->w_outname;
}

enum lz_wheel_area lz_wheel_area(const struct lz_wheel *w, const char *name, const char **rel)
{
    size_t nd = strlen(w->w_data);

    if (rel)
        *rel = name;
    if (strncmp(name, w->w_distinfo, strlen(w->w_distinfo)) == 0)
        return LZ_WHEEL_DIST_INFO;
    if (strncmp(name, w->w_data, nd) != 0)
        return LZ_WHEEL_LIB;
    if (strncmp(name + nd, "purelib/", 8) == 0 || strncmp(name + nd, "platlib/", 8) == 0) {
        if (rel)
            *rel = name + nd + 8;
        return LZ_WHEEL_LIB;
    }
    return LZ_WHEEL_DATA;
}

int lz_wheel_retag(struct lz_wheel *w, unsigned minor, struct lz_error *err)
{
    struct lz_wheel_name n;
    int rc = lz_wheel_retag_name(&w->w_name, minor, &n, err);

    if (rc == LZ_OK && lz_wheel_format_name(&n, w->w_outname, sizeof w->w_outname) != 0)
        rc = lz_error_set(err, LZ_EINPUT, "wheel file name too long");
    if (rc == LZ_OK)
        rc = rewrite_tag_lines(w, &n, err);
    if (rc == LZ_OK)
        w->w_out = n;
    return rc;
}

/* Move entry i of `from` to the end of `to` (its data changes hands). */
static int move_entry(struct lz_zip *to, struct lz_zip *from, size_t i, struct lz_error *err)
{
    struct lz_zip_entry *e = &from->z_entries[i];
    uint8_t *data = e->ze_data;

    e->ze_data = NULL;
    return lz_zip_insert(to, to->z_count, e->ze_name, e->ze_mode, e->ze_method, e->ze_mtime,
                         data, e->ze_size, err);
}

int lz_wheel_finish(const struct lz_wheel *w, struct lz_zip **zipp, struct lz_error *err)
{
    struct lz_zip *in = *zipp, *out = lz_zip_new();
    size_t nd = strlen(w->w_distinfo);
    char record[LZ_WHEEL_NAME_MAX + 8], wheel[LZ_WHEEL_NAME_MAX + 8];
    const struct lz_zip_entry *like = NULL;
    uint8_t *data = NULL;
    size_t size = 0;
    int rc = out ? LZ_OK : lz_error_set(err, LZ_ENOMEM, "out of memory");

    snprintf(record, sizeof record, "%sRECORD", w->w_distinfo);
    snprintf(wheel, sizeof wheel, "%sWHEEL", w->w_distinfo);
    for (int pass = 0; rc == LZ_OK && pass < 2; pass++)
        for (size_t i = 0; rc == LZ_OK && i < in->z_count; i++) {
            const char *name = in->z_entries[i].ze_name;
            bool meta = strncmp(name, w->w_distinfo, nd) == 0;
            if (meta != (pass == 1))
                continue;
            if (strcmp(name, record) == 0) {
                like = &in->z_entries[i];
                continue;
            }
            if (is_signature(name, w->w_distinfo))
                continue;
            if (strcmp(name, wheel) == 0) {
                uint8_t *copy = lz_malloc(w->w_wheel_len ? w->w_wheel_len : 1);
                if (!copy) {
                    rc = lz_error_set(err, LZ_ENOMEM, "out of memory");
                    break;
                }
                memcpy(copy, w->w_wheel, w->w_wheel_len);
                lz_zip_set_data(in, i, copy, w->w_wheel_len);
            }
            rc = move_entry(out, in, i, err);
        }
    if (rc == LZ_OK)
        rc = lz_wheel_make_record(out, record, &data, &size, err);
    if (rc == LZ_OK)
        rc = lz_zip_insert(out, out->z_count, record, like ? like->ze_mode : S_IFREG | 0644,
                           like ? like->ze_method : LZ_ZIP_DEFLATED, like ? like->ze_mtime : 0,
                           data, size, err);
    lz_zip_free(in);
    if (rc != LZ_OK) {
        lz_zip_free(out);
        out = NULL;
    }
    *zipp = out;
    return rc;
}
