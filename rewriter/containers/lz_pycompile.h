/* lz_pycompile.h - compile Python sources into pycs with a real interpreter.
 *
 * lazyc never compiles Python itself: bytecode must be exactly what the
 * target interpreter produces.  A pool of long-lived worker processes of
 * that interpreter (compile_worker.py, embedded) takes sources in batches
 * over a pipe and answers with marshalled code objects; lazyc builds the
 * pyc header itself (PEP 552, with its own SipHash for hash-based pycs).
 *
 *   lz_compiler_open("python3.12", nworkers, &c, &err)
 *   lz_compiler_run(c, jobs, n, &err)   every job gets cj_rc / cj_pyc
 *   lz_compiler_close(c)
 */
#ifndef LZ_PYCOMPILE_H
#define LZ_PYCOMPILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lz_error.h"
#include "lz_pyver.h"

struct lz_compiler;

/* What the interpreter said about itself. */
struct lz_compiler_info {
    const struct lz_pyver *ci_ver;   /* from importlib.util.MAGIC_NUMBER */
    char ci_cache_tag[32];           /* sys.implementation.cache_tag, "cpython-312" */
    char ci_executable[4096];        /* sys.executable */
};

enum lz_invalidation {
    LZ_INVALIDATION_TIMESTAMP,       /* mtime + size of the source */
    LZ_INVALIDATION_CHECKED_HASH,    /* source hash, checked on import */
    LZ_INVALIDATION_UNCHECKED_HASH,  /* source hash, trusted */
};

struct lz_compile_job {
    /* in */
    const char *cj_filename;         /* co_filename to embed and name in errors */
    const uint8_t *cj_source;        /* the .py bytes (not owned) */
    size_t cj_source_len;
    int cj_optimize;                 /* 0, 1 or 2 (python -O / -OO) */
    enum lz_invalidation cj_invalidation;
    int64_t cj_mtime;                /* for LZ_INVALIDATION_TIMESTAMP */
    /* out */
    int cj_rc;                       /* LZ_OK, or LZ_EINPUT: cj_err holds "line N: message" */
    struct lz_error cj_err;
    uint8_t *cj_pyc;                 /* header + marshalled code, lz_malloc'd; caller frees */
    size_t cj_pyc_len;
};

/* Start `nworkers` workers of `python` (NULL: "python3" on PATH).
 * LZ_EUSAGE/LZ_EIO when it cannot be run or is not a CPython lazyc knows. */
int lz_compiler_open(const char *python, unsigned nworkers, struct lz_compiler **out,
                     struct lz_error *err);
const struct lz_compiler_info *lz_compiler_info(const struct lz_compiler *c);

/* Called after each finished job (from the calling thread). */
typedef void (*lz_compile_progress)(size_t done, size_t total, const char *filename, void *ctx);

/* Compile every job, spreading batches over the workers.  A syntax error
 * only fails its own job; the return value is LZ_OK unless the pool broke
 * (a worker died or the pipe failed: LZ_EIO) or memory ran out. */
int lz_compiler_run(struct lz_compiler *c, struct lz_compile_job *jobs, size_t n,
                    lz_compile_progress progress, void *ctx, struct lz_error *err);
void lz_compiler_close(struct lz_compiler *c);

/* The 16-byte header of a pyc for `source` under `mode`. */
void lz_pyc_make_header(const struct lz_pyver *ver, enum lz_invalidation mode,
                        const uint8_t *source, size_t size, int64_t mtime, uint8_t out[16]);

#endif
