/* cli_io.c - file input, all-or-nothing output, progress and error lines. */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- reading ---------------------------------------------------------- */

int cli_read_file(const char *path, uint8_t **data, size_t *size, struct lz_error *err)
{
    *data = NULL;
    *size = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return lz_error_set(err, LZ_EIO, "cannot open: %s", strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return lz_error_set(err, LZ_EINPUT, "not a regular file");
    }
    if ((uint64_t)st.st_size > CLI_FILE_SIZE_MAX) {
        close(fd);
        return lz_error_set(err, LZ_EINPUT, "file of %lld bytes is larger than the %zu-byte limit",
                            (long long)st.st_size, CLI_FILE_SIZE_MAX);
    }
    size_t want = (size_t)st.st_size;
    uint8_t *buf = lz_malloc(want ? want : 1);
    if (!buf) {
        close(fd);
        return lz_error_set(err, LZ_ENOMEM, "out of memory reading %zu bytes", want);
    }
    size_t got = 0;
    while (got < want) {
        ssize_t r = read(fd, buf + got, want - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            int e = r < 0 ? errno : 0;
            close(fd);
            lz_free(buf);
            return lz_error_set(err, LZ_EIO, "read failed: %s",
                                e ? strerror(e) : "file shrank while reading");
        }
        got += (size_t)r;
    }
    close(fd);
    *data = buf;
    *size = want;
    return LZ_OK;
}

char *cli_join(const char *dir, const char *rel)
{
    if (rel[0] == '/')
        return NULL;
    /* Refuse any ".." component: outputs stay below `dir`. */
    for (const char *p = rel; *p;) {
        const char *end = strchr(p, '/');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == 2 && p[0] == '.' && p[1] == '.')
            return NULL;
        p += len;
        while (*p == '/')
            p++;
    }
    size_t n = strlen(dir), m = strlen(rel), total;
    if (!lz_ckd_add(&total, n, m) || !lz_ckd_add(&total, total, 2))
        return NULL;
    char *out = lz_malloc(total);
    if (!out)
        return NULL;
    memcpy(out, dir, n);
    size_t k = n;
    if (k > 0 && out[k - 1] != '/')
        out[k++] = '/';
    memcpy(out + k, rel, m + 1);
    return out;
}

/* ---- all-or-nothing output ------------------------------------------- */

struct staged {
    char *st_tmp;     /* temporary file beside st_dest */
    char *st_dest;
};

struct cli_output {
    struct staged *o_files;
    size_t o_count, o_cap;
    char **o_dirs;    /* directories we created, in creation order */
    size_t o_ndirs, o_dircap;
    unsigned long o_serial;
};

struct cli_output *cli_output_new(void)
{
    struct cli_output *o = lz_malloc(sizeof *o);
    if (o)
        memset(o, 0, sizeof *o);
    return o;
}

static int remember_dir(struct cli_output *o, const char *dir)
{
    if (o->o_ndirs == o->o_dircap) {
        size_t cap = o->o_dircap ? o->o_dircap * 2 : 16;
        char **grown = lz_realloc(o->o_dirs, cap * sizeof *grown);
        if (!grown)
            return LZ_ENOMEM;
        o->o_dirs = grown;
        o->o_dircap = cap;
    }
    size_t n = strlen(dir) + 1;
    if (!(o->o_dirs[o->o_ndirs] = lz_malloc(n)))
        return LZ_ENOMEM;
    memcpy(o->o_dirs[o->o_ndirs++], dir, n);
    return LZ_OK;
}

/* mkdir -p for the parent of `path`, remembering what we create. */
static int make_parents(struct cli_output *o, const char *path, struct lz_error *err)
{
    size_t n = strlen(path);
    char *buf = lz_malloc(n + 1);
    if (!buf)
        return lz_error_set(err, LZ_ENOMEM, "out of memory");
    memcpy(buf, path, n + 1);
    int rc = LZ_OK;
    for (char *p = buf + 1; *p && rc == LZ_OK; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0777) == 0) {
            if (remember_dir(o, buf) != LZ_OK)
                rc = lz_error_set(err, LZ_ENOMEM, "out of memory");
        } else if (errno != EEXIST) {
            rc = lz_error_set(err, LZ_EIO, "cannot create directory %s: %s", buf, strerror(errno));
        } else {
            struct stat st;
            if (stat(buf, &st) != 0 || !S_ISDIR(st.st_mode))
                rc = lz_error_set(err, LZ_EIO, "%s exists and is not a directory", buf);
        }
        *p = '/';
    }
    lz_free(buf);
    return rc;
}

static int write_all(int fd, const uint8_t *data, size_t size)
{
    while (size > 0) {
        ssize_t w = write(fd, data, size);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        data += w;
        size -= (size_t)w;
    }
    return 0;
}

/* mode < 0: keep the mode of a file we replace, else 0644. */
static int stage(struct cli_output *o, const char *dest, const uint8_t *data, size_t size,
                 long mode_wanted, struct lz_error *err)
{
    int rc = make_parents(o, dest, err);
    if (rc != LZ_OK)
        return rc;
    if (o->o_count == o->o_cap) {
        size_t cap = o->o_cap ? o->o_cap * 2 : 64;
        struct staged *grown = lz_realloc(o->o_files, cap * sizeof *grown);
        if (!grown)
            return lz_error_set(err, LZ_ENOMEM, "out of memory");
        o->o_files = grown;
        o->o_cap = cap;
    }
    size_t n = strlen(dest) + 48;
    char *tmp = lz_malloc(n);
    char *dest_copy = lz_malloc(strlen(dest) + 1);
    if (!tmp || !dest_copy) {
        lz_free(tmp);
        lz_free(dest_copy);
        return lz_error_set(err, LZ_ENOMEM, "out of memory");
    }
    snprintf(tmp, n, "%s.lazyc-%ld-%lu.tmp", dest, (long)getpid(), o->o_serial++);
    strcpy(dest_copy, dest);

    /* Keep the permissions of a file we replace. */
    mode_t mode = mode_wanted >= 0 ? (mode_t)mode_wanted & 07777 : 0644;
    struct stat st;
    if (mode_wanted < 0 && stat(dest, &st) == 0 && S_ISREG(st.st_mode))
        mode = st.st_mode & 07777;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) {
        rc = lz_error_set(err, LZ_EIO, "cannot create %s: %s", tmp, strerror(errno));
    } else {
        if (write_all(fd, data, size) != 0)
            rc = lz_error_set(err, LZ_EIO, "cannot write %s: %s", tmp, strerror(errno));
        if (close(fd) != 0 && rc == LZ_OK)
            rc = lz_error_set(err, LZ_EIO, "cannot write %s: %s", tmp, strerror(errno));
    }
    if (rc != LZ_OK) {
        unlink(tmp);
        lz_free(tmp);
        lz_free(dest_copy);
        return rc;
    }
    o->o_files[o->o_count].st_tmp = tmp;
    o->o_files[o->o_count].st_dest = dest_copy;
    o->o_count++;
    return LZ_OK;
}

int cli_output_stage(struct cli_output *o, const char *dest, const uint8_t *data,
                     size_t size, struct lz_error *err)
{
    return stage(o, dest, data, size, -1, err);
}

int cli_output_stage_mode(struct cli_output *o, const char *dest, const uint8_t *data,
                          size_t size, unsigned mode, struct lz_error *err)
{
    /* open() applies the umask; the mode must survive it (an executable
     * zipapp must stay executable), so set it explicitly afterwards. */
    int rc = stage(o, dest, data, size, (long)(mode & 07777), err);
    if (rc == LZ_OK && chmod(o->o_files[o->o_count - 1].st_tmp, (mode_t)(mode & 07777)) != 0)
        rc = lz_error_set(err, LZ_EIO, "cannot set the mode of %s: %s",
                          o->o_files[o->o_count - 1].st_tmp, strerror(errno));
    return rc;
}

static void drop_staged(struct cli_output *o, bool unlink_tmp)
{
    for (size_t i = 0; i < o->o_count; i++) {
        if (unlink_tmp)
            unlink(o->o_files[i].st_tmp);
        lz_free(o->o_files[i].st_tmp);
        lz_free(o->o_files[i].st_dest);
    }
    o->o_count = 0;
}

int cli_output_commit(struct cli_output *o, struct lz_error *err)
{
    int rc = LZ_OK;
    for (size_t i = 0; i < o->o_count; i++) {
        if (rc == LZ_OK && rename(o->o_files[i].st_tmp, o->o_files[i].st_dest) != 0)
            rc = lz_error_set(err, LZ_EIO, "cannot rename %s to %s: %s", o->o_files[i].st_tmp,
                              o->o_files[i].st_dest, strerror(errno));
        else if (rc != LZ_OK)
            unlink(o->o_files[i].st_tmp);
    }
    drop_staged(o, false);
    for (size_t i = 0; i < o->o_ndirs; i++)
        lz_free(o->o_dirs[i]);
    o->o_ndirs = 0;
    return rc;
}

void cli_output_abort(struct cli_output *o)
{
    drop_staged(o, true);
    /* Remove the directories we made, deepest (latest) first; rmdir fails
     * harmlessly on any that still hold something. */
    for (size_t i = o->o_ndirs; i-- > 0;) {
        rmdir(o->o_dirs[i]);
        lz_free(o->o_dirs[i]);
    }
    o->o_ndirs = 0;
}

void cli_output_free(struct cli_output *o)
{
    if (!o)
        return;
    cli_output_abort(o);
    lz_free(o->o_files);
    lz_free(o->o_dirs);
    lz_free(o);
}

/* ---- reporting -------------------------------------------------------- */

static bool progress_shown;

void cli_progress(size_t done, size_t total, const char *path)
{
    if (!isatty(STDERR_FILENO))
        return;
    fprintf(stderr, "\r\033[K[%zu/%zu] %.60s", done, total, path);
    progress_shown = true;
}

void cli_progress_end(void)
{
    if (progress_shown)
        fputs("\r\033[K", stderr);
    progress_shown = false;
}

void cli_report(const char *path, const struct lz_error *err)
{
    cli_progress_end();
    if (path)
        fprintf(stderr, "lazyc: %s: %s\n", path, err->e_msg);
    else
        fprintf(stderr, "lazyc: %s\n", err->e_msg);
}

void cli_reportf(const char *path, const char *fmt, ...)
{
    struct lz_error e;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e.e_msg, sizeof e.e_msg, fmt, ap);
    va_end(ap);
    cli_report(path, &e);
}
