/* lazy_policy.c - decide, statement by statement, what becomes lazy.
 *
 * Three layers, each only looked at if the previous one allows laziness:
 *
 *  1. placement and shape (lazy_stmt.c already set these): nested, handler,
 *     star, __future__, TYPE_CHECKING, unrecognised instructions;
 *  2. correctness rules that hold for every policy: a name bound by a lazy
 *     statement must have no other binding (the runtime could not tell a
 *     pending import from a later assignment); plain `import a.x` and
 *     `import a.y` may share `a` (resolving `a` imports both); dunder names
 *     stay eager (the runtime's own machinery lives there); a package's
 *     __init__ that imports its submodule S and also binds S itself stays
 *     eager (the late import would overwrite S); deny lists;
 *  3. the policy: auto keeps what laziness cannot help or could break
 *     (side-effect imports, names used during import, names in string
 *     annotations); declared takes only __lazy_modules__; all takes the rest.
 *
 * Finally, a name whose statements disagree makes all of them eager, until
 * nothing changes.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

#include "lazy_int.h"
#include "lz_code_int.h"

static const struct {
    const char *name, *text;
} reasons[LZ_WHY_COUNT] = {
    [LZ_WHY_LAZY] = {"lazy", "lazy"},
    [LZ_WHY_NESTED] = {"nested", "inside a function or class body"},
    [LZ_WHY_HANDLER] = {"handler", "under try/except/finally/with"},
    [LZ_WHY_STAR] = {"star", "star import"},
    [LZ_WHY_FUTURE] = {"future", "__future__ import"},
    [LZ_WHY_TYPE_CHECKING] = {"type-checking", "under `if TYPE_CHECKING:`"},
    [LZ_WHY_SHAPE] = {"shape", "instructions not in a replaceable form"},
    [LZ_WHY_DUNDER] = {"dunder", "binds a __dunder__ name"},
    [LZ_WHY_BUILTIN] = {"builtin", "binds the name of a builtin"},
    [LZ_WHY_REBOUND] = {"rebound", "name bound elsewhere in the module"},
    [LZ_WHY_CLOBBER] = {"clobber", "package binds a name its submodule import would overwrite"},
    [LZ_WHY_DENIED] = {"denied", "target on the built-in deny list"},
    [LZ_WHY_EAGER_GLOB] = {"eager-glob", "target matches --eager"},
    [LZ_WHY_EXCLUDED] = {"excluded", "module matches --exclude"},
    [LZ_WHY_MODULE_GETATTR] = {"module-getattr", "module defines __getattr__"},
    [LZ_WHY_SAME_PACKAGE] = {"same-package", "import cycle inside the importer's package"},
    [LZ_WHY_UNUSED] = {"unused", "name never read: imported for its side effect"},
    [LZ_WHY_IMPORT_TIME] = {"import-time", "name read while the module executes"},
    [LZ_WHY_ANNOTATION] = {"annotation", "name used in a string annotation"},
    [LZ_WHY_NOT_DECLARED] = {"not-declared", "target not in __lazy_modules__"},
};

const char *lz_lazy_reason_name(enum lz_lazy_reason why)
{
    return (unsigned)why < LZ_WHY_COUNT ? reasons[why].name : "?";
}

const char *lz_lazy_reason_text(enum lz_lazy_reason why)
{
    return (unsigned)why < LZ_WHY_COUNT ? reasons[why].text : "?";
}

/* Targets whose import must run where it is written.  Sources: Mercurial's
 * demandimport IGNORES, Cinder's lazy-import gotchas, and the PEP 810
 * discussion.  Each entry says why. */
static const char *const builtin_deny[] = {
    "__future__",          /* compiler directive, also checked at run time */
    "__main__",            /* `from __main__ import x` probes (setuptools' pkg_resources) */
    "_distutils_hack",     /* setuptools' import-time patching of distutils */
    "distutils.*",         /* monkey-patched by setuptools on import */
    "setuptools",          /* patches distutils and the import system when imported */
    "pkg_resources",       /* declares namespace packages, scans sys.path at import */
    "readline",            /* importing it changes input() */
    "rlcompleter",         /* installs tab completion on import */
    "site", "sitecustomize", "usercustomize",   /* process set-up */
    "faulthandler",        /* used for its enable() side effect at import */
    "pyximport",           /* installs an import hook (Mercurial) */
    "gevent.monkey", "eventlet", "eventlet.*",  /* must patch before other imports */
    "_ssl", "_hashlib",    /* conditional C imports probed with try (Mercurial) */
    "_imp", "_xmlplus",    /* probed by pkg_resources / old xml (Mercurial) */
    "fcntl", "nt", "msvcrt", "winreg", "_winreg",  /* platform probes (Mercurial) */
    "win32com.gencache",   /* Mercurial */
    "sqlalchemy.events",   /* import-time listener registration (Mercurial) */
    "typing_extensions",   /* re-exported names are read by other modules' annotations */
    "__builtin__", "builtins",
    NULL,
};

/* Importing modules whose own imports stay eager.  typing: doctest and
 * pydoc iterate its __dict__ while calling its functions, and a lazy name
 * resolved then changes the dict's size under the iteration. */
static const char *const builtin_exclude[] = {
    "typing",
    NULL,
};

bool lazy_excluded_builtin(const char *module)
{
    for (const char *const *p = builtin_exclude; *p; p++)
        if (fnmatch(*p, module, 0) == 0)
            return true;
    return false;
}

bool lazy_denied_builtin(const char *target)
{
    for (const char *const *p = builtin_deny; *p; p++)
        if (fnmatch(*p, target, 0) == 0)
            return true;
    return false;
}

static bool matches_any(const char *const *globs, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (fnmatch(globs[i], s, 0) == 0)
            return true;
    return false;
}

static bool is_dunder(const char *s, size_t n)
{
    return n > 4 && s[0] == '_' && s[1] == '_' && s[n - 1] == '_' && s[n - 2] == '_';
}

/* The package a relative import counts from, or NULL if unknown. */
static bool base_package(const struct lz_lazy_place *p, uint32_t level, char *out, size_t size)
{
    const char *mod = p->lp_module;
    size_t len;

    if (!mod)
        return false;
    len = strlen(mod);
    if (!p->lp_is_package) {
        const char *dot = strrchr(mod, '.');
        if (!dot)
            return false;
        len = (size_t)(dot - mod);
    }
    for (uint32_t up = 1; up < level; up++) {
        while (len > 0 && mod[len - 1] != '.')
            len--;
        if (len == 0)
            return false;
        len--;
    }
    if (len + 1 > size)
        return false;
    memcpy(out, mod, len);
    out[len] = '\0';
    return true;
}

/* The absolute name the statement imports ("a.b.c", "pkg.m"). */
static const char *resolve_target(struct lazy_analysis *a, const struct lazy_stmt *s)
{
    char base[256], *out;
    size_t bl, ml = strlen(s->s_module);

    if (s->s_level == 0)
        return s->s_module;
    if (!base_package(&a->a_mod->lm_place, s->s_level, base, sizeof base))
        return NULL;
    bl = strlen(base);
    out = lz_arena_alloc(a->a_arena, bl + 1 + ml + 1);
    if (!out)
        return NULL;
    memcpy(out, base, bl);
    if (ml) {
        out[bl] = '.';
        memcpy(out + bl + 1, s->s_module, ml + 1);
    } else {
        out[bl] = '\0';
    }
    return out;
}

/* In a package __init__, the names S the statement may import as
 * submodules pkg.S (importing pkg.S sets the package attribute S). */
static size_t submodule_names(const struct lazy_analysis *a, const struct lazy_stmt *s,
                              const char **out, size_t *lens, size_t max)
{
    const struct lz_lazy_place *p = &a->a_mod->lm_place;
    size_t pl, n = 0;

    if (!p->lp_is_package || !p->lp_module || !s->s_target)
        return 0;
    pl = strlen(p->lp_module);
    if (strncmp(s->s_target, p->lp_module, pl) != 0)
        return 0;
    if (s->s_target[pl] == '.') {
        out[0] = s->s_target + pl + 1;
        lens[0] = strcspn(out[0], ".");
        return 1;
    }
    if (s->s_target[pl] != '\0' || !s->s_from)
        return 0;
    for (size_t i = 0; i < s->s_nfrom && n < max; i++, n++) {
        out[n] = s->s_fromnames[i];
        lens[n] = strlen(out[n]);
    }
    return n;
}

/* A name S below the package that something else in the module binds. */
static const char *clobbered_name(struct lazy_analysis *a, const struct lazy_stmt *s)
{
    const char *subs[64];
    size_t lens[64], n = submodule_names(a, s, subs, lens, 64);

    for (size_t i = 0; i < n; i++) {
        int id = lazy_name_find(a, (const uint8_t *)subs[i], lens[i]);
        unsigned here = 0;
        if (id < 0)
            continue;
        for (size_t j = 0; j < s->s_nbinds; j++)
            here += s->s_binds[j].b_name == (uint32_t)id;
        if (a->a_names[id].n_stores || a->a_names[id].n_binders > here)
            return a->a_names[id].n_str;
    }
    return NULL;
}

int lazy_prepare(struct lazy_analysis *a, struct lz_error *err)
{
    static const char *const watch[] = {"__getattr__", "__dir__"};
    uint32_t id;

    for (size_t i = 0; i < sizeof watch / sizeof *watch; i++)
        LZ_TRY(lazy_name_add(a, (const uint8_t *)watch[i], strlen(watch[i]), &id, err));
    for (size_t i = 0; i < a->a_nstmts; i++) {
        struct lazy_stmt *s = &a->a_stmts[i];
        const char *subs[64];
        size_t lens[64], n;
        s->s_target = resolve_target(a, s);
        n = submodule_names(a, s, subs, lens, 64);
        for (size_t k = 0; k < n; k++)
            LZ_TRY(lazy_name_add(a, (const uint8_t *)subs[k], lens[k], &id, err));
    }
    return LZ_OK;
}

static bool declared(const struct lazy_analysis *a, const char *target)
{
    for (size_t i = 0; target && i < a->a_ndeclared; i++)
        if (strcmp(a->a_declared[i], target) == 0)
            return true;
    return false;
}

/* Does the statement import from the importer's own top-level package?
 * Deferring such an import changes the order in which the package's
 * modules initialise; within an import cycle that order is what made the
 * cycle work (see lazy_graph.c), and packages register classes and
 * singletons as their submodules run (sympy's S.Catalan exists once
 * sympy.core.numbers ran; sympy.core and its submodules form a cycle).
 * auto keeps such imports eager when they lie on a cycle of the tree's
 * import graph (or always, without one); `all` defers them. */
static bool same_package(const struct lz_lazy_place *p, const struct lazy_stmt *s)
{
    size_t n;

    if (s->s_level > 0)
        return true;
    if (!p->lp_module || !s->s_target)
        return false;
    n = strcspn(p->lp_module, ".");
    return strncmp(p->lp_module, s->s_target, n) == 0 &&
           (s->s_target[n] == '\0' || s->s_target[n] == '.');
}

static void decide_one(struct lazy_analysis *a, struct lazy_stmt *s)
{
    const struct lz_lazy_options *o = &a->a_mod->lm_opts;
    const char *module = a->a_mod->lm_place.lp_module;
    bool read = false, now = false, annotated = false;
    const char *now_name = NULL, *ann_name = NULL;

    for (size_t i = 0; i < s->s_nbinds; i++) {
        const struct lazy_name *n = &a->a_names[s->s_binds[i].b_name];
        bool plain = s->s_binds[i].b_path[0] == '\0' && !s->s_from;
        if (is_dunder(n->n_str, n->n_len)) {
            s->s_why = LZ_WHY_DUNDER, s->s_detail = n->n_str;
            return;
        }
        if (lazy_is_builtin(n->n_str)) {
            s->s_why = LZ_WHY_BUILTIN, s->s_detail = n->n_str;
            return;
        }
        /* auto and declared keep a name eager when anything else binds or
         * deletes it; `all` relies on the guards: an assignment simply
         * replaces the pending import, a del drops it. */
        if (o->lo_policy != LZ_POLICY_ALL &&
            (n->n_stores || n->n_deletes || (n->n_binders > 1 && !plain))) {
            s->s_why = LZ_WHY_REBOUND, s->s_detail = n->n_str;
            return;
        }
        read |= n->n_reads_later || n->n_reads_now || n->n_exported;
        if (n->n_reads_now && !now_name)
            now = true, now_name = n->n_str;
        if (n->n_annotation && !ann_name)
            annotated = true, ann_name = n->n_str;
    }
    if ((s->s_detail = clobbered_name(a, s))) {
        s->s_why = LZ_WHY_CLOBBER;
        return;
    }
    s->s_detail = NULL;
    if (s->s_target && !o->lo_no_builtin_deny && lazy_denied_builtin(s->s_target)) {
        s->s_why = LZ_WHY_DENIED;
        return;
    }
    if (s->s_target && matches_any(o->lo_eager, o->lo_neager, s->s_target)) {
        s->s_why = LZ_WHY_EAGER_GLOB;
        return;
    }
    if (module && (matches_any(o->lo_exclude, o->lo_nexclude, module) ||
                   (!o->lo_no_builtin_deny && lazy_excluded_builtin(module)))) {
        s->s_why = LZ_WHY_EXCLUDED;
        return;
    }
    switch (o->lo_policy) {
    case LZ_POLICY_AUTO:
        if (a->a_defines_getattr)
            s->s_why = LZ_WHY_MODULE_GETATTR;
        else if (same_package(&a->a_mod->lm_place, s) &&
                 (!o->lo_graph || !module || !s->s_target ||
                  lz_lazy_graph_cycle(o->lo_graph, module, s->s_target)))
            s->s_why = LZ_WHY_SAME_PACKAGE;
        else if (!read)
            s->s_why = LZ_WHY_UNUSED;
        else if (now)
            s->s_why = LZ_WHY_IMPORT_TIME, s->s_detail = now_name;
        else if (annotated)
            s->s_why = LZ_WHY_ANNOTATION, s->s_detail = ann_name;
        break;
    case LZ_POLICY_DECLARED:
        if (!declared(a, s->s_target))
            s->s_why = LZ_WHY_NOT_DECLARED;
        break;
    case LZ_POLICY_ALL:
        break;
    }
}

/* A name bound by an eager statement cannot be pending from another one. */
static bool spread_eagerness(struct lazy_analysis *a)
{
    bool changed = false;

    for (size_t i = 0; i < a->a_nnames; i++)
        a->a_names[i].n_lazy = true;
    for (size_t i = 0; i < a->a_nstmts; i++) {
        const struct lazy_stmt *s = &a->a_stmts[i];
        if (s->s_why != LZ_WHY_LAZY)
            for (size_t j = 0; j < s->s_nbinds; j++)
                a->a_names[s->s_binds[j].b_name].n_lazy = false;
    }
    for (size_t i = 0; i < a->a_nstmts; i++) {
        struct lazy_stmt *s = &a->a_stmts[i];
        for (size_t j = 0; s->s_why == LZ_WHY_LAZY && j < s->s_nbinds; j++) {
            if (!a->a_names[s->s_binds[j].b_name].n_lazy) {
                s->s_why = LZ_WHY_REBOUND;
                s->s_detail = a->a_names[s->s_binds[j].b_name].n_str;
                changed = true;
            }
        }
    }
    return changed;
}

void lazy_decide(struct lazy_analysis *a)
{
    for (size_t i = 0; i < a->a_nstmts; i++) {
        struct lazy_stmt *s = &a->a_stmts[i];
        if (!s->s_nested && s->s_why == LZ_WHY_LAZY)
            decide_one(a, s);
    }
    if (a->a_mod->lm_opts.lo_policy != LZ_POLICY_ALL)
        while (spread_eagerness(a))
            ;
    else
        spread_eagerness(a);   /* only sets n_lazy */
    /* Names no statement binds (watch names such as __getattr__) are not lazy. */
    for (size_t i = 0; i < a->a_nnames; i++)
        if (!a->a_names[i].n_binders)
            a->a_names[i].n_lazy = false;
}
