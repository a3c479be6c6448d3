/* cli.h - what the subcommands of the lazyc command line share.
 *
 * The CLI is the only place that prints.  Each subcommand parses its options,
 * calls the libraries, prints one line per failure ("lazyc: FILE: cause") and
 * maps the outcome to an exit code (enum cli_exit).
 */
#ifndef LZ_CLI_H
#define LZ_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lz_alloc.h"
#include "lz_error.h"

enum cli_exit {
    CLI_EXIT_OK = 0,
    CLI_EXIT_FAILED = 1,     /* some input was refused or differed */
    CLI_EXIT_USAGE = 2,      /* bad command line */
    CLI_EXIT_FATAL = 3,      /* out of memory, output not writable: the run stopped */
};

/* Largest input file we read whole.  The biggest stdlib pyc is ~1.5 MB. */
#define CLI_FILE_SIZE_MAX ((size_t)256 << 20)

/* One input file found by cli_collect: where it is and where its output goes
 * relative to an output root (the path below the directory argument, or the
 * base name for a file argument). */
struct cli_input {
    char *ci_path;    /* as given / found; owned by the list */
    char *ci_rel;     /* relative output path; owned by the list */
};

struct cli_inputs {
    struct cli_input *il_items;
    size_t il_count, il_cap;
};

/* Expand PATH arguments into the sorted list of files whose names end in
 * `suffix` (directories are walked recursively; symbolic links are not
 * followed and are reported as skipped on stderr).  Files given explicitly
 * are taken whatever their name.  Returns LZ_OK or an error naming the path. */
int cli_collect(char *const *paths, int npaths, const char *suffix,
                struct cli_inputs *out, struct lz_error *err);
void cli_inputs_fini(struct cli_inputs *list);
/* cli_collect for ".pyc" files that reports a failure itself; returns an
 * exit code (CLI_EXIT_OK with `out` filled, else `out` is empty). */
int cli_collect_pycs(char *const *paths, int npaths, struct cli_inputs *out);

/* Read a whole file (at most CLI_FILE_SIZE_MAX bytes) into a lz_malloc'd
 * buffer the caller frees with lz_free. */
int cli_read_file(const char *path, uint8_t **data, size_t *size,
                  struct lz_error *err);

/* Output transaction: every file of a run is first written to a temporary
 * file beside its destination; cli_output_commit renames them all into
 * place, cli_output_abort deletes them.  So a failed run leaves no partial
 * output, and each destination is replaced atomically. */
struct cli_output;
struct cli_output *cli_output_new(void);
/* Stage `data` for `dest`, creating parent directories as needed. */
int cli_output_stage(struct cli_output *o, const char *dest,
                     const uint8_t *data, size_t size, struct lz_error *err);
int cli_output_commit(struct cli_output *o, struct lz_error *err);
void cli_output_abort(struct cli_output *o);
void cli_output_free(struct cli_output *o);   /* aborts what is still staged */

/* "DIR/REL" in a lz_malloc'd string, or NULL.  Refuses (returns NULL) a REL
 * that is absolute or climbs out with "..": nothing is written outside DIR. */
char *cli_join(const char *dir, const char *rel);

/* Progress on stderr when it is a terminal: "\r[done/total] path". */
void cli_progress(size_t done, size_t total, const char *path);
void cli_progress_end(void);

/* Print "lazyc: PATH: message" (PATH may be NULL). */
void cli_report(const char *path, const struct lz_error *err);
void cli_reportf(const char *path, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Subcommands: argv[0] is the subcommand name. */
int cmd_dump(int argc, char **argv);
int cmd_roundtrip(int argc, char **argv);
int cmd_rewrite(int argc, char **argv);

#endif
