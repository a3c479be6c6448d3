/* pycompile.c - a pool of worker interpreters that compile sources.
 *
 * Each worker is the target interpreter running compile_worker.py (embedded
 * at build time), started once per run and fed batches over a pipe, so the
 * interpreter's start-up cost is paid once per core, not once per file.
 * One thread drives all workers: it hands a batch to every idle worker,
 * then waits with poll() for whichever answers first.  A worker reads its
 * whole batch before it answers, and lazyc reads the whole answer before it
 * sends more, so neither side can block the other.
 */
#define _GNU_SOURCE   /* pipe2 */
#include "lz_pycompile.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lz_alloc.h"
#include "lz_pyc.h"

extern char **environ;
extern const char lz_compile_worker_source[];

#define MAX_WORKERS 64
#define BATCH_FILES 32                      /* files per batch ... */
#define BATCH_BYTES ((size_t)1 << 20)       /* ... or this much source */
#define REPLY_MAX ((size_t)512 << 20)       /* no code object is near this */

struct worker {
    pid_t w_pid;
    int w_in, w_out;          /* its stdin (we write), its stdout (we read) */
    size_t w_first, w_count;  /* the batch it is compiling; w_count 0 = idle */
};

struct lz_compiler {
    struct lz_compiler_info c_info;
    struct worker c_workers[MAX_WORKERS];
    unsigned c_nworkers;
};

/* ---- pipes ------------------------------------------------------------------- */

static int write_all(int fd, const void *data, size_t n)
{
    const uint8_t *p = data;

    while (n > 0) {
        ssize_t k = write(fd, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

static int read_all(int fd, void *data, size_t n)
{
    uint8_t *p = data;

    while (n > 0) {
        ssize_t k = read(fd, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

static int read_u32(int fd, uint32_t *v)
{
    uint8_t b[4];

    if (read_all(fd, b, 4) != 0)
        return -1;
    *v = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    return 0;
}

/* A length-prefixed string into buf (NUL-terminated, at most cap-1 bytes). */
static int read_str(int fd, char *buf, size_t cap)
{
    uint32_t n;

    if (read_u32(fd, &n) != 0 || n >= cap || read_all(fd, buf, n) != 0)
        return -1;
    buf[n] = '\0';
    return 0;
}

/* ---- workers ------------------------------------------------------------------- */

/* The workers' environment: ours without PYTHON* variables (what -E would
 * ignore), plus a fixed hash seed.  -E itself would ignore the seed too, and
 * without one the order of frozenset constants ("x in {'a', 'b'}") changes
 * from run to run, so the same source would not give the same pyc.  NULL
 * when out of memory; free the array only (the strings are environ's). */
static char **worker_environment(void)
{
    static char seed[] = "PYTHONHASHSEED=0";
    size_t n = 0, k = 0;
    char **env;

    while (environ[n])
        n++;
    env = calloc(n + 2, sizeof *env);
    if (!env)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], "PYTHON", 6) != 0)
            env[k++] = environ[i];
    env[k] = seed;
    return env;
}

static int spawn_worker(const char *python, struct worker *w, struct lz_error *err)
{
    int to[2] = {-1, -1}, from[2] = {-1, -1};
    posix_spawn_file_actions_t fa;
    /* -s -S: no site, no user site; the environment has no PYTHON* paths. */
    char *argv[] = {(char *)python, "-s", "-S", "-W", "ignore", "-c",
                    (char *)lz_compile_worker_source, NULL};
    char **env = worker_environment();
    int rc;

    if (!env)
        return lz_error_set(err, LZ_ENOMEM, "out of memory");

    if (pipe2(to, O_CLOEXEC) != 0 || pipe2(from, O_CLOEXEC) != 0) {
        rc = lz_error_set(err, LZ_EIO, "cannot create a pipe: %s", strerror(errno));
        goto fail;
    }
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, to[0], 0);
    posix_spawn_file_actions_adddup2(&fa, from[1], 1);
    rc = posix_spawnp(&w->w_pid, python, &fa, NULL, argv, env);
    posix_spawn_file_actions_destroy(&fa);
    free(env);
    env = NULL;
    if (rc != 0) {
        rc = lz_error_set(err, LZ_EUSAGE, "cannot run %s: %s", python, strerror(rc));
        goto fail;
    }
    close(to[0]);
    close(from[1]);
    w->w_in = to[1];
    w->w_out = from[0];
    w->w_count = 0;
    return LZ_OK;
fail:
    free(env);
    for (int i = 0; i < 2; i++) {
        if (to[i] >= 0)
            close(to[i]);
        if (from[i] >= 0)
            close(from[i]);
    }
    return rc;
}

static void stop_worker(struct worker *w)
{
    static const uint8_t zero[4] = {0};

    if (w->w_pid <= 0)
        return;
    if (w->w_in >= 0) {
        (void)write_all(w->w_in, zero, sizeof zero);   /* "no more batches" */
        close(w->w_in);
    }
    if (w->w_out >= 0)
        close(w->w_out);
    while (waitpid(w->w_pid, NULL, 0) < 0 && errno == EINTR)
        ;
    w->w_pid = 0;
}

/* The hello every worker sends first: who the interpreter is. */
static int read_hello(struct lz_compiler *c, struct worker *w, const char *python,
                      struct lz_error *err)
{
    uint8_t magic[4];
    char tag[sizeof c->c_info.ci_cache_tag];

    if (read_all(w->w_out, magic, 4) != 0 || read_str(w->w_out, tag, sizeof tag) != 0 ||
        read_str(w->w_out, c->c_info.ci_executable, sizeof c->c_info.ci_executable) != 0)
        return lz_error_set(err, LZ_EUSAGE, "%s does not run as a Python 3.8+ interpreter",
                            python);
    if (magic[2] != '\r' || magic[3] != '\n')
        return lz_error_set(err, LZ_EUSAGE, "%s reports a bad magic number", python);
    const struct lz_pyver *ver = lz_pyver_from_magic((uint16_t)(magic[0] | magic[1] << 8));
    if (!ver)
        return lz_error_set(err, LZ_EUSAGE, "%s writes pycs with magic %u, which lazyc does "
                            "not know (supported: CPython 3.8-3.15)", python,
                            (unsigned)(magic[0] | magic[1] << 8));
    if (c->c_info.ci_ver && c->c_info.ci_ver != ver)
        return lz_error_set(err, LZ_EIO, "workers of %s disagree about their version", python);
    c->c_info.ci_ver = ver;
    memcpy(c->c_info.ci_cache_tag, tag, sizeof tag);
    return LZ_OK;
}

int lz_compiler_open(const char *python, unsigned nworkers, struct lz_compiler **out,
                     struct lz_error *err)
{
    struct lz_compiler *c = calloc(1, sizeof *c);
    int rc = LZ_OK;

    *out = NULL;
    if (!c)
        return lz_error_set(err, LZ_ENOMEM, "out of memory");
    if (!python)
        python = "python3";
    /* A worker that dies must not kill lazyc with SIGPIPE: the write fails
     * with EPIPE instead and the run reports it. */
    signal(SIGPIPE, SIG_IGN);
    if (nworkers < 1)
        nworkers = 1;
    if (nworkers > MAX_WORKERS)
        nworkers = MAX_WORKERS;
    for (unsigned i = 0; i < nworkers && rc == LZ_OK; i++) {
        rc = spawn_worker(python, &c->c_workers[i], err);
        if (rc == LZ_OK)
            c->c_nworkers++;
    }
    for (unsigned i = 0; i < c->c_nworkers && rc == LZ_OK; i++)
        rc = read_hello(c, &c->c_workers[i], python, err);
    if (rc != LZ_OK) {
        lz_compiler_close(c);
        return rc;
    }
    *out = c;
    return LZ_OK;
}

const struct lz_compiler_info *lz_compiler_info(const struct lz_compiler *c)
{
    return &c->c_info;
}

void lz_compiler_close(struct lz_compiler *c)
{
    if (!c)
        return;
    for (unsigned i = 0; i < c->c_nworkers; i++)
        stop_worker(&c->c_workers[i]);
    free(c);
}

/* ---- batches ------------------------------------------------------------------- */

static void put_u32(struct lz_buf *b, size_t v)
{
    lz_buf_u32le(b, (uint32_t)v);
}

/* Jobs [first, first+count) as one request. */
static int send_batch(struct worker *w, struct lz_compile_job *jobs, size_t first, size_t count,
                      struct lz_buf *req, struct lz_error *err)
{
    lz_buf_reset(req);
    put_u32(req, count);
    for (size_t i = first; i < first + count; i++) {
        size_t n = strlen(jobs[i].cj_filename);
        put_u32(req, n);
        lz_buf_put(req, jobs[i].cj_filename, n);
        lz_buf_byte(req, (uint8_t)jobs[i].cj_optimize);
        put_u32(req, jobs[i].cj_source_len);
        lz_buf_put(req, jobs[i].cj_source, jobs[i].cj_source_len);
    }
    if (req->b_failed)
        return lz_error_set(err, LZ_ENOMEM, "out of memory");
    if (write_all(w->w_in, req->b_data, req->b_len) != 0)
        return lz_error_set(err, LZ_EIO, "a compile worker stopped (%s)", strerror(errno));
    w->w_first = first;
    w->w_count = count;
    return LZ_OK;
}

/* One reply: marshalled code becomes a pyc, an error message the job's error. */
static int receive_one(const struct lz_compiler *c, struct worker *w, struct lz_compile_job *job,
                       struct lz_error *err)
{
    uint8_t status;
    uint32_t n;

    if (read_all(w->w_out, &status, 1) != 0 || read_u32(w->w_out, &n) != 0 || n > REPLY_MAX)
        return lz_error_set(err, LZ_EIO, "a compile worker stopped while compiling %s",
                            job->cj_filename);
    if (status != 0) {
        char msg[LZ_ERROR_MSG_SIZE];
        size_t keep = n < sizeof msg - 1 ? n : sizeof msg - 1;
        if (read_all(w->w_out, msg, keep) != 0)
            return lz_error_set(err, LZ_EIO, "a compile worker stopped");
        msg[keep] = '\0';
        for (size_t skip = n - keep; skip > 0;) {   /* drop the rest of a long message */
            char sink[256];
            size_t k = skip < sizeof sink ? skip : sizeof sink;
            if (read_all(w->w_out, sink, k) != 0)
                return lz_error_set(err, LZ_EIO, "a compile worker stopped");
            skip -= k;
        }
        job->cj_rc = lz_error_set(&job->cj_err, LZ_EINPUT, "%s", msg);
        return LZ_OK;
    }
    job->cj_pyc = lz_malloc(LZ_PYC_HEADER_SIZE + (size_t)n);
    if (!job->cj_pyc)
        return lz_error_set(err, LZ_ENOMEM, "out of memory");
    if (read_all(w->w_out, job->cj_pyc + LZ_PYC_HEADER_SIZE, n) != 0)
        return lz_error_set(err, LZ_EIO, "a compile worker stopped");
    lz_pyc_make_header(c->c_info.ci_ver, job->cj_invalidation, job->cj_source,
                       job->cj_source_len, job->cj_mtime, job->cj_pyc);
    job->cj_pyc_len = LZ_PYC_HEADER_SIZE + (size_t)n;
    job->cj_rc = LZ_OK;
    return LZ_OK;
}

/* How many jobs from `first` go into the next batch. */
static size_t batch_size(const struct lz_compile_job *jobs, size_t first, size_t n)
{
    size_t count = 0, bytes = 0;

    while (first + count < n && count < BATCH_FILES && (count == 0 || bytes < BATCH_BYTES))
        bytes += jobs[first + count++].cj_source_len;
    return count;
}

int lz_compiler_run(struct lz_compiler *c, struct lz_compile_job *jobs, size_t n,
                    lz_compile_progress progress, void *ctx, struct lz_error *err)
{
    struct pollfd fds[MAX_WORKERS];
    struct lz_buf req;
    size_t next = 0, done = 0;
    int rc = LZ_OK;

    for (size_t i = 0; i < n; i++) {
        jobs[i].cj_rc = LZ_EINPUT;
        jobs[i].cj_pyc = NULL;
        jobs[i].cj_pyc_len = 0;
        lz_error_clear(&jobs[i].cj_err);
    }
    lz_buf_init(&req);
    while (rc == LZ_OK && done < n) {
        unsigned nfds = 0;
        for (unsigned i = 0; i < c->c_nworkers && rc == LZ_OK; i++) {
            struct worker *w = &c->c_workers[i];
            if (w->w_count == 0 && next < n) {
                size_t count = batch_size(jobs, next, n);
                rc = send_batch(w, jobs, next, count, &req, err);
                next += count;
            }
            if (w->w_count)
                fds[nfds++] = (struct pollfd){.fd = w->w_out, .events = POLLIN};
        }
        if (rc != LZ_OK)
            break;
        if (poll(fds, nfds, -1) < 0) {
            if (errno == EINTR)
                continue;
            rc = lz_error_set(err, LZ_EIO, "poll: %s", strerror(errno));
            break;
        }
        for (unsigned k = 0; k < nfds && rc == LZ_OK; k++) {
            struct worker *w = NULL;
            if (!(fds[k].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            for (unsigned i = 0; i < c->c_nworkers; i++)
                if (c->c_workers[i].w_out == fds[k].fd)
                    w = &c->c_workers[i];
            for (size_t j = w->w_first; j < w->w_first + w->w_count && rc == LZ_OK; j++) {
                rc = receive_one(c, w, &jobs[j], err);
                done++;
                if (rc == LZ_OK && progress)
                    progress(done, n, jobs[j].cj_filename, ctx);
            }
            w->w_count = 0;
        }
    }
    lz_buf_fini(&req);
    return rc;
}

/* ---- pyc headers ----------------------------------------------------------------- */

static void put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

void lz_pyc_make_header(const struct lz_pyver *ver, enum lz_invalidation mode,
                        const uint8_t *source, size_t size, int64_t mtime, uint8_t out[16])
{
    put_le32(out, (uint32_t)ver->pv_magic | (uint32_t)'\r' << 16 | (uint32_t)'\n' << 24);
    switch (mode) {
    case LZ_INVALIDATION_TIMESTAMP:
        /* The import system compares both modulo 2**32. */
        put_le32(out + 4, 0);
        put_le32(out + 8, (uint32_t)(uint64_t)mtime);
        put_le32(out + 12, (uint32_t)size);
        break;
    case LZ_INVALIDATION_CHECKED_HASH:
    case LZ_INVALIDATION_UNCHECKED_HASH:
        put_le32(out + 4, LZ_PYC_FLAG_HASH |
                          (mode == LZ_INVALIDATION_CHECKED_HASH ? LZ_PYC_FLAG_CHECK_SOURCE : 0));
        lz_pyc_source_hash(ver, source, size, out + 8);
        break;
    }
}
