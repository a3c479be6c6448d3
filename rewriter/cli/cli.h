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
#include "lz_lazy.h"

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
/* The same with the file mode given (the zipapp command keeps the input's x bit). */
int cli_output_stage_mode(struct cli_output *o, const char *dest, const uint8_t *data,
                          size_t size, unsigned mode, struct lz_error *err);
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

/* ---- lazy-import options and module places (cli_lazy.c) ---------------- */

/* getopt codes of the options `rewrite` and `explain` share. */
enum {
    CLI_OPT_POLICY = 0x100,   /* --policy auto|declared|all */
    CLI_OPT_EAGER,            /* --eager GLOB (repeatable) */
    CLI_OPT_EXCLUDE,          /* --exclude GLOB (repeatable) */
    CLI_OPT_NO_DENY,          /* --no-default-deny */
};

#define CLI_LAZY_LONGOPTS                                            \
    {"policy", required_argument, NULL, CLI_OPT_POLICY},             \
    {"eager", required_argument, NULL, CLI_OPT_EAGER},               \
    {"exclude", required_argument, NULL, CLI_OPT_EXCLUDE},           \
    {"no-default-deny", no_argument, NULL, CLI_OPT_NO_DENY}

#define CLI_LAZY_HELP                                                                      \
    "  --policy P        auto (default): lazy where it helps and cannot change\n"         \
    "                    behaviour; declared: only targets in __lazy_modules__;\n"        \
    "                    all: every import that may be lazy\n"                            \
    "  --eager GLOB      keep imports of matching target modules eager (repeatable)\n"    \
    "  --exclude GLOB    keep every import inside matching modules eager (repeatable)\n"  \
    "  --no-default-deny ignore the built-in list of targets kept eager\n"

struct cli_lazy_opts {
    struct lz_lazy_options lo;
    const char **eager, **exclude;   /* owned arrays of argv strings */
};

void cli_lazy_opts_init(struct cli_lazy_opts *o);
void cli_lazy_opts_fini(struct cli_lazy_opts *o);
/* Handle one of the CLI_OPT_* codes; returns CLI_EXIT_OK or an exit code. */
int cli_lazy_option(struct cli_lazy_opts *o, int c, const char *arg, const char *cmd);

/* Where an input pyc sits as a Python module. */
struct cli_place {
    char *cp_root;               /* the tree root it belongs to (malloc'd) */
    char *cp_module;             /* dotted module name (malloc'd) */
    bool cp_root_is_package;     /* the root holds __init__: runtime vendored inside */
    struct lz_lazy_place cp_place;
};

/* Returns 0, -1 out of memory, 1 the input is not below `root_dir`
 * (--root; NULL: the tree root comes from the argument). */
int cli_module_place(const struct cli_input *in, const char *root_dir, struct cli_place *out);
void cli_place_fini(struct cli_place *p);
bool cli_is_package_dir(const char *dir);

/* ---- threads (cli_jobs.c) ---------------------------------------------- */

struct cli_jobs;
/* Process input i; return non-zero to stop the run (fatal error). */
typedef int (*cli_job_fn)(struct cli_jobs *jobs, size_t i, void *ctx);
unsigned cli_default_jobs(void);
/* Run fn over every input on `nthreads` threads; false if a job stopped it. */
bool cli_jobs_run(const struct cli_inputs *inputs, unsigned nthreads, cli_job_fn fn,
                  void *ctx, bool progress);
void cli_jobs_lock(struct cli_jobs *jobs);
void cli_jobs_unlock(struct cli_jobs *jobs);

/* ---- JSON report (cli_report_json.c) ------------------------------------- */

struct cli_report_item {
    const char *ri_path, *ri_module, *ri_version;
    const char *ri_error;                 /* NULL unless the file failed */
    bool ri_changed;
    const struct lz_lazy_module *ri_mod;
};

/* Write the per-import report; prints its own error and returns -1. */
int cli_write_report(const char *path, const struct cli_report_item *items, size_t n,
                     bool dry_run);

/* ---- rewriting modules held in memory (cli_batch.c) --------------------------
 *
 * The container commands (compile, wheel, zipapp) gather the pycs of a whole
 * tree or archive, then rewrite them as one batch: a survey builds the import
 * graph `auto` needs, then every module is rewritten on all cores. */

struct cli_module {
    /* in: set by cli_batch_add and the caller */
    char *m_label;                 /* names the module in messages, e.g. "x.whl:pkg/m.py"; owned */
    char *m_module;                /* dotted name, "" when unknown; owned */
    struct lz_lazy_place m_place;  /* lp_module points into m_module */
    uint8_t *m_pyc;                /* the input pyc (lz_malloc'd, owned) */
    size_t m_pyc_len;
    /* out: set by cli_batch_rewrite */
    int m_rc;                      /* LZ_OK or why the pyc was refused */
    struct lz_error m_err;
    struct lz_lazy_module m_lazy;  /* decisions, counts, lm_changed, lm_needs_runtime */
    unsigned m_minor;              /* 3.<minor> from the pyc's magic */
    uint8_t *m_out;                /* the rewritten pyc (lz_malloc'd, owned), NULL if unchanged */
    size_t m_out_len;
};

struct cli_batch {
    struct cli_module *b_mods;
    size_t b_count, b_cap;
};

void cli_batch_init(struct cli_batch *b);
void cli_batch_fini(struct cli_batch *b);
/* Append a module; takes ownership of `pyc` (also on failure).  `runtime_name`
 * (NULL: _lazyc_runtime) must outlive the batch.  NULL when out of memory. */
struct cli_module *cli_batch_add(struct cli_batch *b, const char *label, const char *module,
                                 bool is_package, unsigned runtime_level,
                                 const char *runtime_name, uint8_t *pyc, size_t pyc_len);
/* Survey, then rewrite every module on `jobs` threads.  Returns CLI_EXIT_OK,
 * or CLI_EXIT_FATAL when memory ran out (refused modules are only marked). */
int cli_batch_rewrite(struct cli_batch *b, const struct cli_lazy_opts *o, unsigned jobs,
                      bool progress);
/* The bytes to write for module i: the rewritten pyc, else the input. */
const uint8_t *cli_module_output(const struct cli_module *m, size_t *len);
/* Print each refused module ("lazyc: LABEL: cause"); returns how many. */
size_t cli_batch_report_failures(const struct cli_batch *b);
/* Bit 3.X set for every X some module needing the runtime was compiled for. */
uint32_t cli_batch_runtime_minors(const struct cli_batch *b);
/* "N modules: X rewritten, ...; M imports: L lazy, E eager (reason n, ...)" on stdout. */
void cli_batch_print_summary(const struct cli_batch *b, const char *verb);
/* --report FILE.json for the batch; prints its own error and returns -1. */
int cli_batch_write_report(const struct cli_batch *b, const char *path);

/* Totals of a run for the summary line both `rewrite` and the batch print. */
struct cli_lazy_totals {
    size_t lt_files, lt_changed, lt_already, lt_failed;
    size_t lt_counts[LZ_WHY_COUNT];
};
void cli_lazy_totals_add(struct cli_lazy_totals *t, const struct lz_lazy_module *m, int rc,
                         bool changed);
/* "N NOUN: X VERB, ...; M imports: L lazy, E eager (reason n, ...)". */
void cli_print_lazy_summary(const struct cli_lazy_totals *t, const char *noun, const char *verb);
/* Add a surveyed module and the targets of its module-level imports to the
 * import graph; 0 or -1 (out of memory). */
int cli_graph_add_module(struct lz_lazy_graph *g, const char *module,
                         const struct lz_lazy_module *m);

/* "pkg/sub/mod.py" -> "pkg.sub.mod", "pkg/__init__.py" -> "pkg" (package);
 * also takes .pyc names.  *depth = number of directories above the file.
 * malloc'd, NULL when out of memory or the path is not a module name. */
char *cli_module_name(const char *rel, bool *is_package, unsigned *depth);

/* ---- archives (cli_archive.c): what `wheel` and `zipapp` share ------------- */

/* A lz_malloc'd copy of a byte span (at least one byte allocated), for a
 * zip entry that takes ownership; NULL when out of memory. */
uint8_t *cli_dup_bytes(const void *data, size_t n);
/* "pkg/mod.py" -> "pkg/mod.pyc", or with `pycache` "pkg/__pycache__/mod.<tag>.pyc";
 * -1 if it does not fit in `size`. */
int cli_pyc_name(const char *py, bool pycache, const char *tag, char *out, size_t size);
struct lz_compiler;
struct lz_compile_job;
/* lz_compiler_run with a progress line (unless `quiet`); a broken pool is
 * reported as "lazyc: LABEL: cause" and gives CLI_EXIT_FATAL.  Each job's
 * own outcome (a syntax error) is left in the job for the caller. */
int cli_compile_jobs(struct lz_compiler *c, struct lz_compile_job *jobs, size_t n, bool quiet,
                     const char *label);
/* -j N (1 to 64) into *jobs, or a message and CLI_EXIT_USAGE. */
int cli_jobs_option(const char *arg, const char *cmd, unsigned *jobs);
/* -v: "LABEL: rewritten|unchanged|failed, L of N imports lazy" per module on stdout. */
void cli_batch_print_modules(const struct cli_batch *b);

/* --python PATH and --invalidation for the commands that compile sources. */
#define CLI_COMPILE_HELP                                                                  \
    "      --python PY   the interpreter to compile with and to target (default:\n"      \
    "                    python3 on PATH); pycs are for its version only\n"

/* Subcommands: argv[0] is the subcommand name. */
int cmd_dump(int argc, char **argv);
int cmd_roundtrip(int argc, char **argv);
int cmd_rewrite(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_compile(int argc, char **argv);
int cmd_wheel(int argc, char **argv);
int cmd_zipapp(int argc, char **argv);
/* Both share one implementation (cmd_rewrite.c). */
int cmd_rewrite_or_explain(int argc, char **argv, bool explain);
extern const char cli_explain_usage[];

#endif
