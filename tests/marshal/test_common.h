/* test_common.h - helpers shared by the marshal check tests. */
#ifndef LZ_TEST_COMMON_H
#define LZ_TEST_COMMON_H

#include <check.h>
#include <stddef.h>
#include <stdint.h>

#include "lz_marshal.h"
#include "lz_pyc.h"

/* Decode "e9 01 00 00 00" (spaces optional) into out; aborts the test on a
 * malformed string or overflow.  Returns the byte count. */
size_t t_hex(const char *hex, uint8_t *out, size_t cap);
/* Lower-case hex with spaces of data[0..n) into a static buffer (for messages). */
const char *t_tohex(const uint8_t *data, size_t n);
/* The version "3.minor"; fails the test if unknown. */
const struct lz_pyver *t_ver(int minor);
/* repr of o as a NUL-terminated string in a static buffer. */
const char *t_repr(const struct lz_obj *o);
/* Read a whole file (malloc'd; caller frees).  Fails the test on error. */
uint8_t *t_read_file(const char *path, size_t *size);
/* Runs the suite in check's default (fork) mode; returns the exit status. */
int t_run(Suite *s);

/* Assert two byte ranges are equal; prints both in hex otherwise. */
#define t_assert_bytes_eq(a, an, b, bn)                                               \
    do {                                                                              \
        const uint8_t *a_ = (a), *b_ = (b);                                           \
        size_t an_ = (an), bn_ = (bn);                                                \
        if (an_ != bn_ || memcmp(a_, b_, an_) != 0) {                                 \
            char sa_[2048];                                                           \
            snprintf(sa_, sizeof sa_, "%s", t_tohex(a_, an_));                        \
            ck_abort_msg("bytes differ:\n  got      %s\n  expected %s", sa_,         \
                         t_tohex(b_, bn_));                                           \
        }                                                                             \
    } while (0)

#endif
