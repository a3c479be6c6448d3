/* fuzz_marshal.c - libFuzzer target for the bare marshal reader and writer.
 *
 * Input: one byte choosing the version (3.8 + byte % 8), then marshal data.
 * Skipping the pyc header lets the fuzzer reach every type code, slices and
 * frozendicts directly.  On success: repr of the root, write, re-read, and
 * write again; aborts if the output does not read back or is not a fixed
 * point.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lz_marshal.h"

#define FUZZ_INPUT_MAX ((size_t)1 << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void finding(const char *what, const struct lz_error *err)
{
    fprintf(stderr, "fuzz_marshal: %s: %s\n", what, err->e_msg);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const struct lz_pyver *ver;
    struct lz_arena *arena;
    struct lz_obj *root, *again;
    struct lz_error err = { 0 };
    struct lz_buf out, out2, repr;
    size_t consumed;

    if (size < 1 || size > FUZZ_INPUT_MAX)
        return 0;
    ver = lz_pyver_from_minor(8 + data[0] % 8);
    arena = lz_arena_new();
    if (arena == NULL)
        return 0;
    if (lz_marshal_read(arena, ver, data + 1, size - 1, &consumed, &root, &err) != LZ_OK) {
        lz_arena_free(arena);
        return 0;
    }
    lz_buf_init(&out);
    lz_buf_init(&out2);
    lz_buf_init(&repr);
    lz_obj_repr(root, &repr);
    if (lz_marshal_write(ver, root, &out, &err) != LZ_OK)
        finding("accepted input does not write", &err);
    if (lz_marshal_read(arena, ver, out.b_data, out.b_len, &consumed, &again, &err) != LZ_OK)
        finding("written output does not read", &err);
    if (consumed != out.b_len)
        finding("written output has trailing bytes", &err);
    if (lz_marshal_write(ver, again, &out2, &err) != LZ_OK)
        finding("re-read output does not write", &err);
    if (out.b_len != out2.b_len || memcmp(out.b_data, out2.b_data, out.b_len) != 0) {
        err.e_msg[0] = '\0';
        finding("write(read(output)) differs from output", &err);
    }
    lz_buf_fini(&out);
    lz_buf_fini(&out2);
    lz_buf_fini(&repr);
    lz_arena_free(arena);
    return 0;
}
