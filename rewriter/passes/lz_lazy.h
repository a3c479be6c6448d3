/* lz_lazy.h - the lazy-import pass: decide which module-level imports of a
 * pyc become lazy, and compile that decision into its bytecode.
 *
 * One call per pyc:
 *
 *     struct lz_lazy_module m;
 *     lz_lazy_module_init(&m, &options, &where);   where: module name, package?
 *     lz_lazy_rewrite(pyc, &m, &err);              analyse, then edit (or not)
 *     ... read m.lm_stmts / m.lm_counts for reports ...
 *     lz_lazy_module_fini(&m);
 *
 * lz_lazy_rewrite with options.lo_dry_run analyses only (`lazyc explain`).
 *
 * What the edited bytecode does:
 *  - 3.15: PEP 810's lazy bit is set on each chosen IMPORT_NAME; nothing
 *    else changes, the interpreter does the rest.
 *  - 3.8-3.14: the module first runs `__lazyc__ = attach(flags, names)` from the
 *    runtime module (rewriter/runtime/_lazyc_runtime.py); each chosen
 *    statement becomes `__lazyc__[line] = spec`, which records its names as
 *    pending; every LOAD_NAME/LOAD_GLOBAL/LOAD_FROM_DICT_OR_GLOBALS (and
 *    DELETE_*) of such a name anywhere in the module gets a NameError
 *    handler that evaluates `__lazyc__.name` (which imports, binds and
 *    returns the value) and resumes after the instruction.  On 3.11+ the
 *    handler is an exception-table entry (no extra instruction on the hot
 *    path); on 3.8-3.10 a SETUP_FINALLY/POP_BLOCK pair around the load.
 */
#ifndef LZ_LAZY_H
#define LZ_LAZY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lz_error.h"
#include "lz_pyc.h"

enum lz_lazy_policy {
    LZ_POLICY_AUTO,       /* lazy where it helps and cannot change behaviour */
    LZ_POLICY_DECLARED,   /* only targets in the module's __lazy_modules__ */
    LZ_POLICY_ALL,        /* every eligible import (Cinder's global mode) */
};

/* The decision for one import statement: LZ_WHY_LAZY, or why it stays
 * eager.  lz_lazy_reason_name() gives the stable name used in reports. */
enum lz_lazy_reason {
    LZ_WHY_LAZY = 0,
    /* never lazy, whatever the policy */
    LZ_WHY_NESTED,          /* in a function or class body */
    LZ_WHY_HANDLER,         /* under try/except/finally/with */
    LZ_WHY_STAR,            /* from m import * */
    LZ_WHY_FUTURE,          /* from __future__ import ... */
    LZ_WHY_TYPE_CHECKING,   /* body of `if TYPE_CHECKING:` (never runs) */
    LZ_WHY_SHAPE,           /* instructions not in a form we can replace */
    LZ_WHY_DUNDER,          /* binds a __dunder__ name */
    LZ_WHY_BUILTIN,         /* binds the name of a builtin (the guard could not fire) */
    LZ_WHY_REBOUND,         /* a bound name is assigned (or, for auto, deleted) elsewhere */
    LZ_WHY_CLOBBER,         /* package __init__ imports submodule S and binds S itself */
    LZ_WHY_DENIED,          /* target on the built-in deny list */
    LZ_WHY_EAGER_GLOB,      /* target matches --eager */
    LZ_WHY_EXCLUDED,        /* importing module matches --exclude */
    /* policy auto */
    LZ_WHY_MODULE_GETATTR,  /* the module has its own __getattr__ (deprecation shims
                               count stack frames: chaining would add one) */
    LZ_WHY_SAME_PACKAGE,    /* target in the importer's own package and on an import
                               cycle with it: deferring would change the order the
                               cycle initialises in */
    LZ_WHY_UNUSED,          /* no bound name is read or exported: side effect */
    LZ_WHY_IMPORT_TIME,     /* a bound name is read while the module executes */
    LZ_WHY_ANNOTATION,      /* a bound name occurs in a string annotation */
    /* policy declared */
    LZ_WHY_NOT_DECLARED,    /* target not in __lazy_modules__ */
    LZ_WHY_COUNT
};

const char *lz_lazy_reason_name(enum lz_lazy_reason why);
/* One line of explanation for reports, e.g. "name read at import time". */
const char *lz_lazy_reason_text(enum lz_lazy_reason why);

struct lz_lazy_graph;

struct lz_lazy_options {
    enum lz_lazy_policy lo_policy;
    const char *const *lo_eager;     /* fnmatch globs on the target module */
    size_t lo_neager;
    const char *const *lo_exclude;   /* fnmatch globs on the importing module */
    size_t lo_nexclude;
    bool lo_no_builtin_deny;         /* ignore the built-in deny list */
    bool lo_dry_run;                 /* analyse and report, change nothing */
    const struct lz_lazy_graph *lo_graph;  /* import cycles of the whole tree, or NULL:
                                              then auto keeps every import inside the
                                              importer's package eager */
};

/* The import graph of a tree (lazy_graph.c): add every module and the
 * targets of its module-level imports, finish, then ask whether an import
 * lies on a cycle.  The functions returning int give 0 or -1 (out of memory). */
struct lz_lazy_graph *lz_lazy_graph_new(void);
void lz_lazy_graph_free(struct lz_lazy_graph *g);
int lz_lazy_graph_add_module(struct lz_lazy_graph *g, const char *module);
int lz_lazy_graph_add(struct lz_lazy_graph *g, const char *module, const char *target);
int lz_lazy_graph_finish(struct lz_lazy_graph *g);
/* Are `module` and `target` (or a package above it) in one import cycle? */
bool lz_lazy_graph_cycle(const struct lz_lazy_graph *g, const char *module, const char *target);

/* Where the module sits: its dotted name and how the runtime is reached. */
struct lz_lazy_place {
    const char *lp_module;     /* "pkg.sub.mod" or "pkg" for pkg/__init__; NULL = unknown */
    bool lp_is_package;        /* the pyc is a package's __init__ */
    unsigned lp_runtime_level; /* 0: `import _lazyc_runtime` (tree root on sys.path);
                                  n: relative import n levels up (vendored in a package) */
    const char *lp_runtime_name; /* the runtime's module name; NULL: _lazyc_runtime (a wheel's
                                    top-level modules use a per-distribution name) */
};

/* One import statement of the module, as reported. */
struct lz_lazy_stmt {
    uint32_t st_line;
    char st_text[160];            /* "from .m import a, b as c" (truncated with ...) */
    char st_target[128];          /* resolved absolute target, "" if unknown */
    enum lz_lazy_reason st_why;
    char st_detail[64];           /* the name that decided it, if any */
};

struct lz_lazy_module {
    struct lz_lazy_options lm_opts;
    struct lz_lazy_place lm_place;
    struct lz_lazy_stmt *lm_stmts;   /* owned; lz_lazy_module_fini frees */
    size_t lm_nstmts;
    size_t lm_counts[LZ_WHY_COUNT];
    bool lm_already;                 /* the pyc was rewritten before: left as is */
    bool lm_changed;                 /* the pyc's code changed */
    bool lm_needs_runtime;           /* the module imports _lazyc_runtime */
};

void lz_lazy_module_init(struct lz_lazy_module *m, const struct lz_lazy_options *opts,
                         const struct lz_lazy_place *place);
void lz_lazy_module_fini(struct lz_lazy_module *m);

/* Analyse pyc->pc_code and, unless lo_dry_run, rewrite it (pyc->pc_code is
 * replaced; the old graph stays valid).  LZ_EINPUT for code the engine
 * refuses, LZ_ENOMEM. */
int lz_lazy_rewrite(struct lz_pyc *pyc, struct lz_lazy_module *m, struct lz_error *err);

/* The runtime module's source (rewriter/runtime/_lazyc_runtime.py) and its
 * pycs as the interpreters compile it (checked-hash headers; the table ends
 * with minor 0). */
extern const char *const lz_runtime_source;
extern const size_t lz_runtime_source_len;
struct lz_runtime_pyc {
    unsigned rp_minor;
    const unsigned char *rp_data;
    size_t rp_len;
};
extern const struct lz_runtime_pyc lz_runtime_pycs[];
/* The embedded pyc for 3.<minor> if it was compiled from this very source
 * (its header hash matches), else NULL. */
const struct lz_runtime_pyc *lz_runtime_pyc_for(unsigned minor);
#define LZ_RUNTIME_MODULE "_lazyc_runtime"
/* The global a rewritten module (3.8-3.14) binds the runtime to; in a
 * module's co_names it marks a pyc lazyc has rewritten. */
#define LZ_RUNTIME_HANDLE "__lazyc__"

#endif
