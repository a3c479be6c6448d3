/* cli_walk.c - turn PATH arguments into a sorted list of input files. */
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Directory trees deeper than this are refused rather than walked: real
 * package trees are a few dozen levels deep. */
#define WALK_DEPTH_MAX 64

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = lz_malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

static bool has_suffix(const char *name, const char *suffix)
{
    size_t n = strlen(name), m = strlen(suffix);
    return n >= m && strcmp(name + n - m, suffix) == 0;
}

static int add_input(struct cli_inputs *list, const char *path, const char *rel,
                     struct lz_error *err)
{
    if (list->il_count == list->il_cap) {
        size_t cap = list->il_cap ? list->il_cap * 2 : 64, bytes;
        if (!lz_ckd_mul(&bytes, cap, sizeof *list->il_items))
            return lz_error_set(err, LZ_ENOMEM, "too many input files");
        struct cli_input *items = lz_realloc(list->il_items, bytes);
        if (!items)
            return lz_error_set(err, LZ_ENOMEM, "out of memory");
        list->il_items = items;
        list->il_cap = cap;
    }
    struct cli_input *in = &list->il_items[list->il_count];
    in->ci_path = dup_str(path);
    in->ci_rel = dup_str(rel);
    if (!in->ci_path || !in->ci_rel) {
        lz_free(in->ci_path);
        lz_free(in->ci_rel);
        return lz_error_set(err, LZ_ENOMEM, "out of memory");
    }
    list->il_count++;
    return LZ_OK;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Walk `dir` (whose path below the argument is `rel`, "" at the top). */
static int walk_dir(const char *dir, const char *rel, int depth, const char *suffix,
                    struct cli_inputs *out, struct lz_error *err)
{
    if (depth > WALK_DEPTH_MAX)
        return lz_error_set(err, LZ_EINPUT, "%s: directory tree deeper than %d levels",
                            dir, WALK_DEPTH_MAX);
    DIR *d = opendir(dir);
    if (!d)
        return lz_error_set(err, LZ_EIO, "%s: %s", dir, strerror(errno));

    /* Collect and sort the names so the output order never depends on the
     * file system. */
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = LZ_OK;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            char **grown = lz_realloc(names, cap * sizeof *names);
            if (!grown) {
                rc = lz_error_set(err, LZ_ENOMEM, "out of memory");
                goto done;
            }
            names = grown;
        }
        if (!(names[n] = dup_str(e->d_name))) {
            rc = lz_error_set(err, LZ_ENOMEM, "out of memory");
            goto done;
        }
        n++;
    }
    qsort(names, n, sizeof *names, compare_names);

    for (size_t i = 0; i < n && rc == LZ_OK; i++) {
        char *path = cli_join(dir, names[i]);
        char *sub = *rel ? cli_join(rel, names[i]) : dup_str(names[i]);
        struct stat st;
        if (!path || !sub) {
            rc = lz_error_set(err, LZ_ENOMEM, "out of memory");
        } else if (lstat(path, &st) != 0) {
            rc = lz_error_set(err, LZ_EIO, "%s: %s", path, strerror(errno));
        } else if (S_ISLNK(st.st_mode)) {
            if (has_suffix(names[i], suffix))
                fprintf(stderr, "lazyc: %s: symbolic link, skipped\n", path);
        } else if (S_ISDIR(st.st_mode)) {
            rc = walk_dir(path, sub, depth + 1, suffix, out, err);
        } else if (S_ISREG(st.st_mode) && has_suffix(names[i], suffix)) {
            rc = add_input(out, path, sub, err);
        }
        lz_free(path);
        lz_free(sub);
    }
done:
    for (size_t i = 0; i < n; i++)
        lz_free(names[i]);
    lz_free(names);
    closedir(d);
    return rc;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

int cli_collect(char *const *paths, int npaths, const char *suffix,
                struct cli_inputs *out, struct lz_error *err)
{
    memset(out, 0, sizeof *out);
    for (int i = 0; i < npaths; i++) {
        struct stat st;
        if (stat(paths[i], &st) != 0)
            return lz_error_set(err, LZ_EIO, "%s: %s", paths[i], strerror(errno));
        int rc;
        if (S_ISDIR(st.st_mode))
            rc = walk_dir(paths[i], "", 0, suffix, out, err);
        else if (S_ISREG(st.st_mode))
            rc = add_input(out, paths[i], base_name(paths[i]), err);
        else
            rc = lz_error_set(err, LZ_EINPUT, "%s: not a regular file or directory", paths[i]);
        if (rc != LZ_OK)
            return rc;
    }
    return LZ_OK;
}

int cli_collect_pycs(char *const *paths, int npaths, struct cli_inputs *out)
{
    struct lz_error err = {0};
    if (cli_collect(paths, npaths, ".pyc", out, &err) == LZ_OK)
        return CLI_EXIT_OK;
    cli_report(NULL, &err);
    cli_inputs_fini(out);
    return err.e_code == LZ_ENOMEM ? CLI_EXIT_FATAL : CLI_EXIT_FAILED;
}

void cli_inputs_fini(struct cli_inputs *list)
{
    for (size_t i = 0; i < list->il_count; i++) {
        lz_free(list->il_items[i].ci_path);
        lz_free(list->il_items[i].ci_rel);
    }
    lz_free(list->il_items);
    memset(list, 0, sizeof *list);
}
