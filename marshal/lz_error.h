/* lz_error.h - status codes and the error record every fallible call fills.
 *
 * Fallible functions return LZ_OK (0) or a negative status and describe the
 * failure in a caller-owned struct lz_error.  Library code never prints; the
 * CLI prints one line per failure: "lazyc: FILE: message".
 *
 * Grading follows libarchive: LZ_EINPUT refuses this one input (the run may go
 * on with the next file); LZ_ENOMEM and LZ_EIO stop the run.
 */
#ifndef LZ_ERROR_H
#define LZ_ERROR_H

#include <stddef.h>

enum lz_status {
    LZ_OK = 0,
    LZ_EINPUT = -1,       /* malformed or unsupported input: refuse this file */
    LZ_ENOMEM = -2,       /* allocation failed or a size limit was hit */
    LZ_EIO = -3,          /* reading or writing the file system failed */
    LZ_EUSAGE = -4,       /* bad command line or API misuse */
};

#define LZ_ERROR_MSG_SIZE 512

struct lz_error {
    int e_code;                       /* one of enum lz_status */
    char e_msg[LZ_ERROR_MSG_SIZE];    /* one line, no trailing newline */
};

/* Record a failure; formats into the fixed buffer (never allocates) and
 * returns `code` so callers can write `return lz_error_set(err, ...)`.
 * `err` may be NULL. */
int lz_error_set(struct lz_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prefix the current message with "prefix: " (e.g. a zip entry name). */
void lz_error_prefix(struct lz_error *err, const char *prefix);

void lz_error_clear(struct lz_error *err);

#endif
