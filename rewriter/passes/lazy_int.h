/* lazy_int.h - what the lazy_*.c files of the lazy-import pass share.
 *
 * The pass runs in two phases over one pyc:
 *
 *   analysis   lazy_stmt.c    find the import statements of the top-level
 *                             code object (decoded) and the regions they sit in;
 *              lazy_scan.c    scan every code object's raw bytecode for reads,
 *                             stores and deletes of the names they bind, plus
 *                             string constants (annotations, __all__ ...);
 *              lazy_policy.c  decide each statement (struct lazy_stmt.s_why);
 *   rewrite    lazy_rewrite.c edit the top-level code object and every code
 *                             object that reads a lazy name (pipeline pass).
 *
 * Everything of the analysis lives in one arena (a_arena) that dies with the
 * struct lazy_analysis; instruction pointers into the analysis decode are
 * only used during analysis: the rewrite finds statements again by their
 * original code unit (s_first_unit / s_last_unit).
 */
#ifndef LAZY_INT_H
#define LAZY_INT_H

#include "lz_code.h"
#include "lz_lazy.h"

/* Code object flags (co_flags) the analysis reads. */
#define LAZY_CO_OPTIMIZED 0x1          /* functions (not module or class bodies) */

/* A name bound by at least one recognised module-level statement. */
struct lazy_name {
    const char *n_str;            /* NUL-terminated copy */
    size_t n_len;
    unsigned n_binders;           /* statements that bind it */
    unsigned n_reads_later;       /* reads in functions or under `if __name__ == "__main__"` */
    unsigned n_reads_now;         /* reads at module top level or in class bodies */
    unsigned n_stores;            /* STORE_NAME/STORE_GLOBAL outside its statements */
    unsigned n_deletes;
    bool n_exported;              /* listed in __all__ */
    bool n_annotation;            /* occurs in a string constant shaped like an annotation */
    bool n_lazy;                  /* result: bound by a lazy statement */
};

/* One name bound by a statement: `import a.b` binds a with path "",
 * `import a.b.c as d` binds d with path "b.c", `from m import x as y`
 * binds y with path "x". */
struct lazy_bind {
    uint32_t b_name;              /* index into a_names */
    const char *b_path;
};

struct lazy_stmt {
    uint32_t s_first_unit, s_last_unit;   /* original code units of the span */
    uint32_t s_import_unit;               /* the IMPORT_NAME */
    uint32_t s_line;
    const char *s_module;                 /* as written after import/from, no dots */
    uint32_t s_level;
    bool s_from;                          /* from-import (fromlist is a tuple) */
    const char **s_fromnames;             /* the fromlist */
    size_t s_nfrom;
    struct lazy_bind *s_binds;
    size_t s_nbinds;
    const char *s_target;                 /* resolved absolute target or NULL */
    bool s_nested;                        /* found in a nested code object */
    enum lz_lazy_reason s_why;
    const char *s_detail;                 /* name that decided it, or NULL */
};

/* Instruction ranges of the top-level code, in original code units. */
struct lazy_range {
    uint32_t r_start, r_end;              /* [start, end) */
};

struct lazy_analysis {
    const struct lz_version *a_ver;
    struct lz_arena *a_arena;
    struct lz_lazy_module *a_mod;

    struct lazy_stmt *a_stmts;
    size_t a_nstmts, a_cap_stmts;
    struct lazy_name *a_names;
    size_t a_nnames, a_cap_names;

    struct lazy_range *a_main;            /* `if __name__ == "__main__":` bodies */
    size_t a_nmain;
    const char **a_all;                   /* string constants assigned to __all__ */
    size_t a_nall;
    const char **a_declared;              /* ... and to __lazy_modules__ */
    size_t a_ndeclared;
    bool a_has_declared;
    bool a_defines_getattr, a_defines_dir; /* module-level def __getattr__ / __dir__ */
    bool a_already;                       /* co_names has __lazyc__: rewritten before */
};

/* lazy_stmt.c: decode-based analysis of the top-level code object. */
int lazy_find_statements(struct lazy_analysis *a, struct lz_code *top, struct lz_error *err);

/* lazy_scan.c: raw-bytecode scan of every code object under `root`. */
int lazy_scan_module(struct lazy_analysis *a, const struct lz_obj *root, struct lz_error *err);
/* Index of `name` in a_names, or -1. */
int lazy_name_find(const struct lazy_analysis *a, const uint8_t *s, size_t n);
/* Intern a name in a_names (copy), returning its index through *id. */
int lazy_name_add(struct lazy_analysis *a, const uint8_t *s, size_t n, uint32_t *id,
                  struct lz_error *err);
/* For each co_names entry of `co`, the a_names index or -1 (arena array),
 * and whether any entry matched `want` (NULL = any name). */
int32_t *lazy_names_map(const struct lazy_analysis *a, struct lz_arena *arena,
                        const struct lz_codeobj *co, bool lazy_only, bool *any);

/* lazy_policy.c: resolve targets and add the names the scan must watch
 * (module __getattr__/__dir__, submodule names of a package). */
int lazy_prepare(struct lazy_analysis *a, struct lz_error *err);
/* lazy_policy.c: fill s_why / s_detail / s_target of every statement and
 * n_lazy of every name. */
void lazy_decide(struct lazy_analysis *a);

/* Is `name` a builtin of some CPython 3.8-3.15 (lazy_builtins.c)? */
bool lazy_is_builtin(const char *name);

/* The built-in deny lists (lazy_policy.c): targets, and importing modules. */
bool lazy_denied_builtin(const char *target);
bool lazy_excluded_builtin(const char *module);

/* Make room for one more item in an arena array of `n` items of `size`
 * bytes with capacity *cap (doubling; the old copy stays in the arena).
 * Returns the array, or NULL on out of memory. */
void *lazy_grow(struct lz_arena *arena, void *items, size_t n, size_t *cap, size_t size);
/* A copy of `items` (n of `size` bytes) with `item` appended, in the arena;
 * for the short lists of one statement or one module.  NULL on out of memory. */
void *lazy_append(struct lz_arena *arena, const void *items, size_t n, size_t size,
                  const void *item);
/* A new statement slot (zeroed) at the end of a_stmts, or NULL. */
struct lazy_stmt *lazy_stmt_new(struct lazy_analysis *a);

/* NUL-terminated copy of a marshal str in the arena, or NULL. */
const char *lazy_strdup(struct lz_arena *arena, const struct lz_obj *s);

#endif
