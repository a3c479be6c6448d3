/* fuzz_lazy.c - libFuzzer target for the lazy-import pass.
 *
 * Parses the input as a pyc and runs the lazy pass over it under each
 * policy (analysis only, then the rewrite), serializing the result and
 * parsing it again.  The pass may refuse an input (LZ_EINPUT); it must never
 * crash, leak, or produce a pyc that does not parse.  The raw-bytecode scan
 * of lazy_scan.c reads code objects the engine never validated, so this is
 * where hostile bytecode meets the pass.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "lz_lazy.h"
#include "lz_pyc.h"

#define FUZZ_INPUT_MAX ((size_t)1 << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void run(const uint8_t *data, size_t size, enum lz_lazy_policy policy, bool dry)
{
    struct lz_lazy_options opts = {.lo_policy = policy, .lo_dry_run = dry};
    struct lz_lazy_place place = {.lp_module = "pkg.mod", .lp_is_package = false,
                                  .lp_runtime_level = 1};
    struct lz_lazy_module m;
    struct lz_pyc *pyc = NULL, *again = NULL;
    struct lz_error err = {0};
    struct lz_buf out;

    if (lz_pyc_parse(data, size, &pyc, &err) != LZ_OK)
        return;
    lz_lazy_module_init(&m, &opts, &place);
    lz_buf_init(&out);
    if (lz_lazy_rewrite(pyc, &m, &err) == LZ_OK && lz_pyc_serialize(pyc, &out, &err) == LZ_OK &&
        lz_pyc_parse(out.b_data, out.b_len, &again, &err) != LZ_OK) {
        fprintf(stderr, "fuzz_lazy: rewritten pyc does not parse: %s\n", err.e_msg);
        abort();
    }
    lz_pyc_free(again);
    lz_buf_fini(&out);
    lz_lazy_module_fini(&m);
    lz_pyc_free(pyc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_INPUT_MAX)
        return 0;
    run(data, size, LZ_POLICY_AUTO, true);
    run(data, size, LZ_POLICY_AUTO, false);
    run(data, size, LZ_POLICY_ALL, false);
    return 0;
}
