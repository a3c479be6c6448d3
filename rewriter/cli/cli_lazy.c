/* cli_lazy.c - what `rewrite` and `explain` share: the lazy-import options
 * and where each pyc sits as a Python module.
 *
 * A directory argument is either a sys.path entry (site-packages, an
 * application folder) or a package of its own (it holds __init__).  In the
 * first case modules are named after their path below it and the runtime
 * is the top-level module _lazyc_runtime; in the second the package name is
 * the directory's name and the runtime is vendored inside it, imported
 * relatively, so the package works wherever it is installed.
 */
#include "cli.h"

#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void cli_lazy_opts_init(struct cli_lazy_opts *o)
{
    memset(o, 0, sizeof *o);
    o->lo.lo_policy = LZ_POLICY_AUTO;
}

void cli_lazy_opts_fini(struct cli_lazy_opts *o)
{
    lz_free(o->eager);
    lz_free(o->exclude);
}

static int push(const char ***list, size_t *n, const char *s)
{
    const char **grown = lz_realloc(*list, (*n + 1) * sizeof *grown);
    if (!grown)
        return -1;
    grown[(*n)++] = s;
    *list = grown;
    return 0;
}

int cli_lazy_option(struct cli_lazy_opts *o, int c, const char *arg, const char *cmd)
{
    switch (c) {
    case CLI_OPT_POLICY:
        if (strcmp(arg, "auto") == 0)
            o->lo.lo_policy = LZ_POLICY_AUTO;
        else if (strcmp(arg, "declared") == 0)
            o->lo.lo_policy = LZ_POLICY_DECLARED;
        else if (strcmp(arg, "all") == 0)
            o->lo.lo_policy = LZ_POLICY_ALL;
        else {
            fprintf(stderr, "lazyc %s: unknown policy '%s' (auto, declared, all)\n", cmd, arg);
            return CLI_EXIT_USAGE;
        }
        return CLI_EXIT_OK;
    case CLI_OPT_EAGER:
    case CLI_OPT_EXCLUDE:
        if (c == CLI_OPT_EAGER ? push(&o->eager, &o->lo.lo_neager, arg)
                               : push(&o->exclude, &o->lo.lo_nexclude, arg)) {
            fprintf(stderr, "lazyc %s: out of memory\n", cmd);
            return CLI_EXIT_FATAL;
        }
        o->lo.lo_eager = o->eager;
        o->lo.lo_exclude = o->exclude;
        return CLI_EXIT_OK;
    case CLI_OPT_NO_DENY:
        o->lo.lo_no_builtin_deny = true;
        return CLI_EXIT_OK;
    default:
        return CLI_EXIT_USAGE;
    }
}

static bool exists(const char *dir, const char *name)
{
    char path[4096];
    struct stat st;

    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path)
        return false;
    return lstat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Does `dir` hold a package's __init__ (source, sourceless or cached)? */
bool cli_is_package_dir(const char *dir)
{
    char cache[4096];
    DIR *d;
    struct dirent *e;
    bool found = false;

    if (exists(dir, "__init__.py") || exists(dir, "__init__.pyc"))
        return true;
    if ((size_t)snprintf(cache, sizeof cache, "%s/__pycache__", dir) >= sizeof cache)
        return false;
    if (!(d = opendir(cache)))
        return false;
    while (!found && (e = readdir(d)))
        found = strncmp(e->d_name, "__init__.", 9) == 0 &&
                strlen(e->d_name) > 13 && strcmp(e->d_name + strlen(e->d_name) - 4, ".pyc") == 0;
    closedir(d);
    return found;
}

/* "pkg/__pycache__/mod.cpython-312.opt-1.pyc" -> "pkg/mod"; "a/b.pyc" -> "a/b". */
static void strip_pyc(char *rel)
{
    char *cache = strstr(rel, "__pycache__/");
    size_t n;

    if (cache && (cache == rel || cache[-1] == '/') && !strchr(cache + 12, '/'))
        memmove(cache, cache + 12, strlen(cache + 12) + 1);
    n = strlen(rel);
    if (n > 4 && strcmp(rel + n - 4, ".pyc") == 0)
        rel[n -= 4] = '\0';
    char *base = strrchr(rel, '/');
    base = base ? base + 1 : rel;
    char *dot = strchr(base, '.');   /* ".cpython-312", ".opt-1" */
    if (dot && dot != base)
        *dot = '\0';
}

int cli_module_place(const struct cli_input *in, const char *root_dir, struct cli_place *out)
{
    size_t plen = strlen(in->ci_path), rlen = strlen(in->ci_rel);
    size_t dlen = root_dir ? strlen(root_dir) : 0;
    char *rel, *root;
    bool file_arg = plen < rlen || strcmp(in->ci_path + plen - rlen, in->ci_rel) != 0 ||
                    strchr(in->ci_rel, '/') == NULL;

    memset(out, 0, sizeof *out);
    while (dlen > 1 && root_dir[dlen - 1] == '/')
        dlen--;
    if (root_dir) {
        /* --root: names count from there, whatever the argument was. */
        if (strncmp(in->ci_path, root_dir, dlen) != 0 || in->ci_path[dlen] != '/')
            return 1;
        root = strndup(root_dir, dlen);
        rel = strdup(in->ci_path + dlen + 1);
    } else if (file_arg) {
        /* A file argument: the module's own directory is the root. */
        const char *slash = strrchr(in->ci_path, '/');
        root = slash ? strndup(in->ci_path, (size_t)(slash - in->ci_path)) : strdup(".");
        rel = strdup(slash ? slash + 1 : in->ci_path);
        if (root && rel) {
            size_t l = strlen(root);
            if (strcmp(root, "__pycache__") == 0)
                strcpy(root, ".");
            else if (l > 12 && strcmp(root + l - 12, "/__pycache__") == 0)
                root[l - 12] = '\0';
        }
    } else {
        root = strndup(in->ci_path, plen - rlen > 0 ? plen - rlen - 1 : 0);
        if (root && root[0] == '\0') {
            free(root);
            root = strdup(in->ci_path[0] == '/' ? "/" : ".");
        }
        rel = strdup(in->ci_rel);
    }
    if (!root || !rel) {
        free(root);
        free(rel);
        return -1;
    }
    strip_pyc(rel);
    out->cp_root = root;
    out->cp_root_is_package = cli_is_package_dir(root);

    /* Directory depth of the module below the root, and its dotted name. */
    unsigned depth = 0;
    for (char *p = rel; *p; p++)
        if (*p == '/') {
            *p = '.';
            depth++;
        }
    size_t n = strlen(rel);
    if (n >= 8 && strcmp(rel + n - 8, "__init__") == 0) {
        out->cp_place.lp_is_package = true;
        rel[n >= 9 ? n - 9 : 0] = '\0';
    }
    const char *prefix = NULL;
    if (out->cp_root_is_package) {
        const char *slash = strrchr(root, '/');
        prefix = slash ? slash + 1 : root;
        out->cp_place.lp_runtime_level = depth + 1;
    }
    size_t need = (prefix ? strlen(prefix) + 1 : 0) + strlen(rel) + 1;
    out->cp_module = malloc(need);
    if (!out->cp_module) {
        free(rel);
        return -1;
    }
    if (prefix && rel[0])
        snprintf(out->cp_module, need, "%s.%s", prefix, rel);
    else
        snprintf(out->cp_module, need, "%s", prefix ? prefix : rel);
    free(rel);
    out->cp_place.lp_module = out->cp_module[0] ? out->cp_module : NULL;
    return 0;
}

void cli_place_fini(struct cli_place *p)
{
    free(p->cp_root);
    free(p->cp_module);
    memset(p, 0, sizeof *p);
}
