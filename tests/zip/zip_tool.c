/* zip_tool.c - drive the zip library from test scripts.
 *
 *   zip_tool list FILE            entries: mode method mtime size name (one a line)
 *   zip_tool copy FILE OUT        read FILE, write it back to OUT
 *   zip_tool check FILE           read only; prints the error and exits 1 if refused
 *
 * Exit 0 on success, 1 if the archive is refused or cannot be written.
 * SOURCE_DATE_EPOCH applies to `copy`.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lz_zip.h"

static uint8_t *read_all(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    uint8_t *data = NULL;
    size_t cap = 0, n = 0, got;

    if (f == NULL)
        return NULL;
    do {
        if (n == cap) {
            cap = cap ? cap * 2 : 65536;
            data = realloc(data, cap);
            if (data == NULL)
                break;
        }
        got = fread(data + n, 1, cap - n, f);
        n += got;
    } while (got > 0);
    fclose(f);
    *size = n;
    return data;
}

int main(int argc, char **argv)
{
    struct lz_error err = { 0 };
    struct lz_zip *zip;
    uint8_t *data;
    size_t size;
    int rc = 0;

    if (argc < 3 || (strcmp(argv[1], "copy") == 0 && argc < 4)) {
        fprintf(stderr, "usage: zip_tool list|check|copy FILE [OUT]\n");
        return 2;
    }
    if ((data = read_all(argv[2], &size)) == NULL) {
        fprintf(stderr, "zip_tool: cannot read %s\n", argv[2]);
        return 2;
    }
    if (lz_zip_read(data, size, NULL, &zip, &err) != LZ_OK) {
        printf("%s\n", err.e_msg);
        free(data);
        return 1;
    }
    if (strcmp(argv[1], "list") == 0) {
        printf("prefix %zu\n", zip->z_prefix_len);
        for (size_t i = 0; i < zip->z_count; i++) {
            const struct lz_zip_entry *e = &zip->z_entries[i];

            printf("%06o %u %" PRId64 " %zu %s\n", (unsigned)e->ze_mode, e->ze_method,
                   e->ze_mtime, e->ze_size, e->ze_name);
        }
    } else if (strcmp(argv[1], "copy") == 0) {
        struct lz_zip_write_opts o;
        struct lz_buf out;
        FILE *f;

        lz_buf_init(&out);
        if (lz_zip_write_opts_from_env(&o, &err) != LZ_OK ||
            lz_zip_write(zip, &o, &out, &err) != LZ_OK) {
            printf("%s\n", err.e_msg);
            rc = 1;
        } else if ((f = fopen(argv[3], "wb")) == NULL ||
                   fwrite(out.b_data, 1, out.b_len, f) != out.b_len || fclose(f) != 0) {
            fprintf(stderr, "zip_tool: cannot write %s\n", argv[3]);
            rc = 1;
        }
        lz_buf_fini(&out);
    }
    lz_zip_free(zip);
    free(data);
    return rc;
}
