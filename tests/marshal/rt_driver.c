/* rt_driver.c - round-trip every pyc under the given files/directories.
 *
 *   marshal_rt [--bench N] PATH...
 *
 * Each .pyc is parsed with lz_pyc_parse and written back with
 * lz_pyc_serialize; the output must equal the input byte for byte.  Prints
 * one line per failure and a per-version summary:
 *   3.12: files 1234 identical 1234 differ 0 failed 0
 * Exit status 0 only if every file was identical (and at least one seen).
 * With --bench N the decode+encode of all files (already in memory) is
 * repeated N times and the throughput printed as "MB/s <value>".
 * Proves: the reader accepts, and the writer reproduces, real compiler
 * output.  Does not prove: anything about edited graphs.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "lz_pyc.h"

struct file {
    char *f_path;
    uint8_t *f_data;
    size_t f_size;
};

static struct file *files;
static size_t nfiles, capfiles;

static int read_file(const char *path, uint8_t **data, size_t *size)
{
    FILE *f = fopen(path, "rb");
    long n;

    if (f == NULL)
        return -1;
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return -1;
    }
    *data = malloc((size_t)n + 1);
    if (*data == NULL || fread(*data, 1, (size_t)n, f) != (size_t)n) {
        free(*data);
        fclose(f);
        return -1;
    }
    *size = (size_t)n;
    fclose(f);
    return 0;
}

static void add_file(const char *path)
{
    struct file fl = { 0 };

    if (read_file(path, &fl.f_data, &fl.f_size) != 0) {
        fprintf(stderr, "marshal_rt: cannot read %s\n", path);
        return;
    }
    fl.f_path = strdup(path);
    if (nfiles == capfiles) {
        capfiles = capfiles ? capfiles * 2 : 1024;
        files = realloc(files, capfiles * sizeof *files);
        if (files == NULL)
            abort();
    }
    files[nfiles++] = fl;
}

static void walk(const char *path)
{
    struct stat st;
    DIR *d;
    struct dirent *e;

    if (stat(path, &st) != 0)
        return;
    if (!S_ISDIR(st.st_mode)) {
        size_t n = strlen(path);

        if (n > 4 && strcmp(path + n - 4, ".pyc") == 0)
            add_file(path);
        return;
    }
    d = opendir(path);
    if (d == NULL)
        return;
    while ((e = readdir(d)) != NULL) {
        char sub[4096];

        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
        walk(sub);
    }
    closedir(d);
}

static int cmp_path(const void *a, const void *b)
{
    return strcmp(((const struct file *)a)->f_path, ((const struct file *)b)->f_path);
}

/* 0 identical, 1 differs, 2 failed */
static int round_trip(const struct file *fl, struct lz_buf *out, int *minor, bool quiet)
{
    struct lz_pyc *pyc;
    struct lz_error err = { 0 };
    int rc;

    lz_buf_reset(out);
    if (lz_pyc_parse(fl->f_data, fl->f_size, &pyc, &err) != LZ_OK) {
        if (!quiet)
            printf("FAIL %s: %s\n", fl->f_path, err.e_msg);
        *minor = fl->f_size >= 2 ? -1 : -1;
        return 2;
    }
    *minor = pyc->pc_ver->pv_minor;
    rc = lz_pyc_serialize(pyc, out, &err);
    lz_pyc_free(pyc);
    if (rc != LZ_OK) {
        if (!quiet)
            printf("FAIL %s: %s\n", fl->f_path, err.e_msg);
        return 2;
    }
    if (out->b_len != fl->f_size || memcmp(out->b_data, fl->f_data, fl->f_size) != 0) {
        size_t i = 0;

        while (i < out->b_len && i < fl->f_size && out->b_data[i] == fl->f_data[i])
            i++;
        if (!quiet)
            printf("DIFF %s: first difference at offset 0x%zx (sizes %zu/%zu)\n",
                   fl->f_path, i, fl->f_size, out->b_len);
        return 1;
    }
    return 0;
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    long bench = 0;
    size_t counts[16][3] = { { 0 } }, failed_unknown = 0, total_bytes = 0;
    struct lz_buf out;
    bool all_ok = true;
    int i = 1;

    if (argc > 2 && strcmp(argv[1], "--bench") == 0) {
        bench = strtol(argv[2], NULL, 10);
        i = 3;
    }
    for (; i < argc; i++)
        walk(argv[i]);
    if (nfiles == 0) {
        fprintf(stderr, "marshal_rt: no .pyc files found\n");
        return 1;
    }
    qsort(files, nfiles, sizeof *files, cmp_path);
    lz_buf_init(&out);
    for (size_t k = 0; k < nfiles; k++) {
        int minor = -1, res = round_trip(&files[k], &out, &minor, false);

        total_bytes += files[k].f_size;
        if (res != 0)
            all_ok = false;
        if (minor >= 0 && minor < 16)
            counts[minor][res]++;
        else
            failed_unknown++;
    }
    for (int m = 0; m < 16; m++) {
        size_t n = counts[m][0] + counts[m][1] + counts[m][2];

        if (n)
            printf("3.%d: files %zu identical %zu differ %zu failed %zu\n", m, n,
                   counts[m][0], counts[m][1], counts[m][2]);
    }
    if (failed_unknown)
        printf("unparsable (no version): %zu\n", failed_unknown);
    if (bench > 0) {
        double t0 = now(), dt;
        int minor;

        for (long r = 0; r < bench; r++)
            for (size_t k = 0; k < nfiles; k++)
                round_trip(&files[k], &out, &minor, true);
        dt = now() - t0;
        printf("bytes %zu seconds %.3f MB/s %.1f\n", total_bytes * (size_t)bench, dt,
               (double)total_bytes * (double)bench / dt / 1e6);
    }
    lz_buf_fini(&out);
    for (size_t k = 0; k < nfiles; k++) {
        free(files[k].f_path);
        free(files[k].f_data);
    }
    free(files);
    return all_ok ? 0 : 1;
}
