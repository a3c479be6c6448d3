/* fuzz_zip.c - libFuzzer target for the zip reader (and the writer behind it).
 *
 * Reads the input with lz_zip_read under small limits (so a declared size
 * cannot make the fuzzer allocate much).  A refusal must be one printable
 * line starting "zip: ".  An accepted archive must find each of its names,
 * write, read back with the same prefix and entries (names, order, modes,
 * methods, contents), and write again to the same bytes.  Anything else
 * aborts (a finding).
 * Built with -fsanitize=fuzzer,address,undefined as `fuzz_zip` when the meson
 * option `fuzz` is on; replay.c feeds corpus files to the same entry point in
 * every build.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lz_zip.h"

/* Archives in the corpus are tiny; larger inputs only slow the fuzzer down. */
#define FUZZ_INPUT_MAX ((size_t)1 << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void finding(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_zip: %s: %s\n", what, detail);
    abort();
}

static bool same_bytes(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
    return an == bn && (an == 0 || memcmp(a, b, an) == 0);
}

static void check_refusal(const struct lz_error *err)
{
    if (err->e_code == LZ_ENOMEM)
        return;
    if (strncmp(err->e_msg, "zip: ", 5) != 0)
        finding("refusal without the \"zip: \" prefix", err->e_msg);
    for (const char *p = err->e_msg; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            finding("refusal is not one printable line", err->e_msg);
}

static void check_same(const struct lz_zip *a, const struct lz_zip *b)
{
    if (!same_bytes(a->z_prefix, a->z_prefix_len, b->z_prefix, b->z_prefix_len))
        finding("prefix changed by write + read", "");
    if (a->z_count != b->z_count)
        finding("entry count changed by write + read", "");
    for (size_t i = 0; i < a->z_count; i++) {
        const struct lz_zip_entry *x = &a->z_entries[i], *y = &b->z_entries[i];

        if (strcmp(x->ze_name, y->ze_name) != 0 || x->ze_mode != y->ze_mode ||
            x->ze_method != y->ze_method ||
            !same_bytes(x->ze_data, x->ze_size, y->ze_data, y->ze_size))
            finding("entry changed by write + read", x->ze_name);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct lz_zip_limits limits = { (uint64_t)16 << 20, 4096 };
    struct lz_zip *zip = NULL, *again = NULL;
    struct lz_error err = { 0 };
    struct lz_buf out, out2;

    if (size > FUZZ_INPUT_MAX)
        return 0;
    if (lz_zip_read(data, size, &limits, &zip, &err) != LZ_OK) {
        if (zip != NULL)
            finding("refused input returned a zip", err.e_msg);
        check_refusal(&err);
        return 0;
    }
    for (size_t i = 0; i < zip->z_count; i++)
        if (lz_zip_find(zip, zip->z_entries[i].ze_name) != (long)i)
            finding("name index does not find", zip->z_entries[i].ze_name);
    lz_buf_init(&out);
    lz_buf_init(&out2);
    if (lz_zip_write(zip, NULL, &out, &err) != LZ_OK)
        finding("accepted input does not write", err.e_msg);
    if (lz_zip_read(out.b_data, out.b_len, &limits, &again, &err) != LZ_OK)
        finding("written output does not read", err.e_msg);
    check_same(zip, again);
    if (lz_zip_write(again, NULL, &out2, &err) != LZ_OK)
        finding("re-read output does not write", err.e_msg);
    if (!same_bytes(out.b_data, out.b_len, out2.b_data, out2.b_len))
        finding("write(read(output)) differs from output", "");
    lz_zip_free(again);
    lz_zip_free(zip);
    lz_buf_fini(&out);
    lz_buf_fini(&out2);
    return 0;
}
