/* fuzz_pyc.c - libFuzzer target for the pyc reader and writer.
 *
 * Parses the input as a pyc; on success prints every constant of the top
 * code object with lz_obj_repr, serializes, re-parses the output and
 * serializes again.  Aborts (a finding) if the output of an accepted input
 * does not parse or is not a fixed point of parse + serialize.
 * Built with -fsanitize=fuzzer,address,undefined as `fuzz_pyc` when the
 * meson option `fuzz` is on; replay.c feeds corpus files to the same entry
 * point in every build.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lz_pyc.h"

/* Real pycs are far smaller; larger inputs only slow the fuzzer down. */
#define FUZZ_INPUT_MAX ((size_t)1 << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void finding(const char *what, const struct lz_error *err)
{
    fprintf(stderr, "fuzz_pyc: %s: %s\n", what, err->e_msg);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct lz_pyc *pyc = NULL, *again = NULL;
    struct lz_error err = { 0 };
    struct lz_buf out, out2, repr;
    const struct lz_obj *consts;

    if (size > FUZZ_INPUT_MAX)
        return 0;
    if (lz_pyc_parse(data, size, &pyc, &err) != LZ_OK)
        return 0;
    lz_buf_init(&out);
    lz_buf_init(&out2);
    lz_buf_init(&repr);
    consts = pyc->pc_code->u.o_codeobj->co_consts;
    for (size_t i = 0; i < consts->u.o_seq.n; i++) {
        lz_buf_reset(&repr);
        lz_obj_repr(consts->u.o_seq.items[i], &repr);
    }
    if (lz_pyc_serialize(pyc, &out, &err) != LZ_OK)
        finding("accepted input does not serialize", &err);
    if (lz_pyc_parse(out.b_data, out.b_len, &again, &err) != LZ_OK)
        finding("serialized output does not parse", &err);
    if (lz_pyc_serialize(again, &out2, &err) != LZ_OK)
        finding("re-parsed output does not serialize", &err);
    if (out.b_len != out2.b_len || memcmp(out.b_data, out2.b_data, out.b_len) != 0) {
        err.e_msg[0] = '\0';
        finding("serialize(parse(output)) differs from output", &err);
    }
    lz_pyc_free(again);
    lz_pyc_free(pyc);
    lz_buf_fini(&out);
    lz_buf_fini(&out2);
    lz_buf_fini(&repr);
    return 0;
}
