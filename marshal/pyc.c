/* pyc.c - the .pyc container: 16-byte header (PEP 552) and one code object.
 *
 * Header facts: bytecode-formats.md section 2.  The header describes the
 * source, not the bytecode, so it is kept as read and written back verbatim.
 */
#include <stdio.h>
#include <string.h>

#include "lz_pyc.h"
#include "marshal_int.h"

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16
           | (uint32_t)p[3] << 24;
}

/* The version named by the header, or an LZ_EINPUT explaining why not. */
static int check_header(const uint8_t *data, size_t size, const struct lz_pyver **ver,
                        struct lz_error *err)
{
    uint16_t magic;
    uint32_t flags;

    if (size < LZ_PYC_HEADER_SIZE)
        return lz_error_set(err, LZ_EINPUT,
                            "pyc: file of %zu bytes is shorter than the %d-byte header",
                            size, LZ_PYC_HEADER_SIZE);
    if (data[2] != '\r' || data[3] != '\n')
        return lz_error_set(err, LZ_EINPUT,
                            "pyc: not a pyc file (bytes %02x %02x %02x %02x are no magic number)",
                            data[0], data[1], data[2], data[3]);
    magic = (uint16_t)(data[0] | data[1] << 8);
    *ver = lz_pyver_from_magic(magic);
    if (*ver == NULL)
        return lz_error_set(err, LZ_EINPUT,
                            "pyc: unknown magic number %u; lazyc supports CPython 3.8-3.15",
                            magic);
    flags = le32(data + 4);
    if (flags & ~(LZ_PYC_FLAG_HASH | LZ_PYC_FLAG_CHECK_SOURCE))
        return lz_error_set(err, LZ_EINPUT, "pyc: invalid flags 0x%x in the header", flags);
    return LZ_OK;
}

int lz_pyc_parse(const uint8_t *data, size_t size, struct lz_pyc **out,
                 struct lz_error *err)
{
    const struct lz_pyver *ver = NULL;
    struct lz_arena *arena;
    struct lz_pyc *pyc;
    uint8_t *copy;
    size_t consumed;
    int rc;

    *out = NULL;
    rc = check_header(data, size, &ver, err);
    if (rc != LZ_OK)
        return rc;
    arena = lz_arena_new();
    if (arena == NULL)
        return lz_error_set(err, LZ_ENOMEM, "pyc: out of memory");
    pyc = lz_arena_calloc(arena, 1, sizeof *pyc);
    copy = lz_arena_dup(arena, data, size);
    if (pyc == NULL || copy == NULL) {
        lz_arena_free(arena);
        return lz_error_set(err, LZ_ENOMEM, "pyc: out of memory");
    }
    pyc->pc_ver = ver;
    memcpy(pyc->pc_header, copy, LZ_PYC_HEADER_SIZE);
    pyc->pc_flags = le32(copy + 4);
    pyc->pc_arena = arena;

    /* Offsets in marshal messages are file offsets. */
    rc = lz_marshal_read_at(arena, ver, copy, size, LZ_PYC_HEADER_SIZE, &consumed,
                            &pyc->pc_code, err);
    if (rc == LZ_OK && pyc->pc_code->o_kind != LZ_K_CODE)
        rc = lz_error_set(err, LZ_EINPUT, "pyc: top-level object has type %s, expected code",
                          lz_kind_name(pyc->pc_code->o_kind));
    if (rc == LZ_OK && LZ_PYC_HEADER_SIZE + consumed != size)
        rc = lz_error_set(err, LZ_EINPUT,
                          "pyc: %zu trailing bytes after the code object at offset 0x%zx",
                          size - LZ_PYC_HEADER_SIZE - consumed, LZ_PYC_HEADER_SIZE + consumed);
    if (rc != LZ_OK) {
        lz_arena_free(arena);
        return rc;
    }
    *out = pyc;
    return LZ_OK;
}

int lz_pyc_serialize(const struct lz_pyc *pyc, struct lz_buf *out, struct lz_error *err)
{
    lz_buf_put(out, pyc->pc_header, LZ_PYC_HEADER_SIZE);
    if (out->b_failed)
        return lz_error_set(err, LZ_ENOMEM, "pyc: out of memory while writing");
    return lz_marshal_write(pyc->pc_ver, pyc->pc_code, out, err);
}

void lz_pyc_free(struct lz_pyc *pyc)
{
    if (pyc != NULL)
        lz_arena_free(pyc->pc_arena);   /* pyc itself lives in the arena */
}
