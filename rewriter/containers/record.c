/* record.c - wheel RECORD hashes: "sha256=" + urlsafe base64 of the digest
 * without '=' padding (the wheel spec, after PEP 376's RECORD).
 */
#include <openssl/evp.h>
#include <string.h>

#include "lz_zip.h"

#define SHA256_SIZE 32

/* RFC 4648 section 5 ("base64url"): '-' and '_' for 62 and 63; no padding.
 * Returns the characters written (4 per 3 bytes, 2 or 3 for a tail). */
static size_t base64url(const uint8_t *in, size_t n, char *out)
{
    static const char digits[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    size_t o = 0, i = 0;

    for (; i + 3 <= n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];

        out[o++] = digits[v >> 18];
        out[o++] = digits[(v >> 12) & 63];
        out[o++] = digits[(v >> 6) & 63];
        out[o++] = digits[v & 63];
    }
    if (n - i == 1) {
        out[o++] = digits[in[i] >> 2];
        out[o++] = digits[(in[i] & 3) << 4];
    } else if (n - i == 2) {
        uint32_t v = (uint32_t)in[i] << 8 | in[i + 1];

        out[o++] = digits[v >> 10];
        out[o++] = digits[(v >> 4) & 63];
        out[o++] = digits[(v & 15) << 2];
    }
    return o;
}

void lz_record_hash(const uint8_t *data, size_t size, char out[72])
{
    uint8_t digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    size_t o = strlen("sha256=");

    memcpy(out, "sha256=", o);
    /* EVP_Digest fails only without memory; an empty hash then fails every
     * RECORD check rather than passing a wrong one. */
    if (EVP_Digest(size ? data : (const uint8_t *)"", size, digest, &len, EVP_sha256(), NULL) != 1 ||
        len != SHA256_SIZE)
        len = 0;
    o += base64url(digest, len, out + o);
    out[o] = '\0';
}
