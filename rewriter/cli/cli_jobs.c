/* cli_jobs.c - run one function over every input file on N threads.
 *
 * Workers take the next file index under a lock and run the callback; the
 * callback owns result slot `i` and may call cli_jobs_lock()/unlock() around
 * anything shared (output staging).  Results are reported by the caller in
 * input order after the run, so output is deterministic whatever the
 * thread count.
 */
#include "cli.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

struct cli_jobs {
    pthread_mutex_t j_lock;
    size_t j_next, j_done, j_total;
    cli_job_fn j_fn;
    void *j_ctx;
    const struct cli_inputs *j_inputs;
    bool j_stop;
    bool j_progress;
};

static void *worker(void *arg)
{
    struct cli_jobs *j = arg;

    for (;;) {
        pthread_mutex_lock(&j->j_lock);
        size_t i = j->j_next;
        bool stop = j->j_stop || i >= j->j_total;
        if (!stop)
            j->j_next++;
        pthread_mutex_unlock(&j->j_lock);
        if (stop)
            return NULL;
        bool fatal = j->j_fn(j, i, j->j_ctx) != 0;
        pthread_mutex_lock(&j->j_lock);
        j->j_done++;
        j->j_stop |= fatal;
        if (j->j_progress)
            cli_progress(j->j_done, j->j_total, j->j_inputs->il_items[i].ci_path);
        pthread_mutex_unlock(&j->j_lock);
    }
}

unsigned cli_default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)(n > 64 ? 64 : n) : 1;
}

bool cli_jobs_run(const struct cli_inputs *inputs, unsigned nthreads, cli_job_fn fn,
                  void *ctx, bool progress)
{
    struct cli_jobs j = {
        .j_total = inputs->il_count, .j_fn = fn, .j_ctx = ctx, .j_inputs = inputs,
        .j_progress = progress,
    };
    pthread_t tids[64];
    unsigned started = 0;

    pthread_mutex_init(&j.j_lock, NULL);
    if (nthreads < 1)
        nthreads = 1;
    if (nthreads > 64)
        nthreads = 64;
    if (nthreads > inputs->il_count)
        nthreads = inputs->il_count ? (unsigned)inputs->il_count : 1;
    for (unsigned t = 1; t < nthreads; t++)
        if (pthread_create(&tids[started], NULL, worker, &j) == 0)
            started++;
    worker(&j);
    for (unsigned t = 0; t < started; t++)
        pthread_join(tids[t], NULL);
    if (progress)
        cli_progress_end();
    pthread_mutex_destroy(&j.j_lock);
    return !j.j_stop;
}

void cli_jobs_lock(struct cli_jobs *j)
{
    pthread_mutex_lock(&j->j_lock);
}

void cli_jobs_unlock(struct cli_jobs *j)
{
    pthread_mutex_unlock(&j->j_lock);
}
