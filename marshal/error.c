/* error.c - filling struct lz_error.
 *
 * Messages are formatted into the record's fixed buffer, so reporting an
 * out-of-memory condition never needs memory.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lz_error.h"

int lz_error_set(struct lz_error *err, int code, const char *fmt, ...)
{
    va_list ap;

    if (err == NULL)
        return code;
    err->e_code = code;
    va_start(ap, fmt);
    vsnprintf(err->e_msg, sizeof err->e_msg, fmt, ap);
    va_end(ap);
    return code;
}

void lz_error_prefix(struct lz_error *err, const char *prefix)
{
    size_t plen, mlen;

    if (err == NULL || prefix == NULL)
        return;
    /* "prefix: message", truncated to the buffer: move the message right,
     * then put the prefix in front of it. */
    plen = strlen(prefix) + 2;
    if (plen > sizeof err->e_msg - 1)
        plen = sizeof err->e_msg - 1;
    mlen = strnlen(err->e_msg, sizeof err->e_msg - 1);
    if (plen + mlen > sizeof err->e_msg - 1)
        mlen = sizeof err->e_msg - 1 - plen;
    memmove(err->e_msg + plen, err->e_msg, mlen);
    err->e_msg[plen + mlen] = '\0';
    memcpy(err->e_msg, prefix, plen >= 2 ? plen - 2 : 0);
    if (plen >= 2) {
        err->e_msg[plen - 2] = ':';
        err->e_msg[plen - 1] = ' ';
    }
}

void lz_error_clear(struct lz_error *err)
{
    if (err == NULL)
        return;
    err->e_code = 0;
    err->e_msg[0] = '\0';
}
