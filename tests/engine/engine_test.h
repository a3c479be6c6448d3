/* engine_test.h - helpers shared by the engine's check tests.
 *
 * Code objects are built by hand: t_asm() writes instructions the way the
 * compiler would (minimal EXTENDED_ARG prefixes, zero caches), t_raw()
 * writes one unit as given (for hostile input), and t_code() wraps the
 * bytes in a code node with a line table that covers them (every unit on
 * line 1) and an optional exception table.
 */
#ifndef LZ_ENGINE_TEST_H
#define LZ_ENGINE_TEST_H

#include <check.h>
#include <stdint.h>

#include "lz_code.h"
#include "lz_pipeline.h"

#define T_MINOR_FIRST 8
#define T_MINOR_LAST 15

/* Version table for 3.minor; fails the test if missing. */
const struct lz_version *t_version(int minor);
/* Opcode number of `name` in v; fails the test if the version lacks it. */
int t_op(const struct lz_version *v, const char *name);
/* An opcode number that does not exist in v (not EXTENDED_ARG/CACHE). */
int t_missing_op(const struct lz_version *v);

/* Append an instruction with minimal prefixes and zeroed caches. */
void t_asm(const struct lz_version *v, struct lz_buf *b, const char *name, uint32_t arg);
/* Append one raw code unit. */
void t_raw(struct lz_buf *b, int op, int arg);
/* Units in b so far. */
size_t t_units(const struct lz_buf *b);
/* The oparg of a jump spanning `units` code units in this version. */
uint32_t t_jarg(const struct lz_version *v, size_t units);

/* One exception-table entry, in code units. */
struct t_exc {
    int32_t start, size, target, depth;
    int lasti;
};

/* A code node named "f" (qualname "f") for `code`, in arena `a`:
 * co_consts (None, 1), co_names ("x",), flags, stacksize 10, line table
 * covering every unit at line 1, exception table from `exc` (3.11+). */
struct lz_obj *t_code(struct lz_arena *a, const struct lz_version *v, const struct lz_buf *code,
                      const struct t_exc *exc, size_t nexc, int32_t flags);

/* Decode `node`; fails the test (with the engine's message) on error. */
struct lz_code *t_decode(const struct lz_version *v, struct lz_arena *a, const struct lz_obj *node);
/* Assemble; fails the test on error. */
struct lz_obj *t_assemble(struct lz_code *c);
/* The i-th instruction of c (0-based); fails the test if absent. */
struct lz_instr *t_nth(struct lz_code *c, size_t i);
/* Position of `in` in its list. */
size_t t_index(const struct lz_code *c, const struct lz_instr *in);

/* check's default fork mode; returns the exit status. */
int t_run(Suite *s);

#endif
