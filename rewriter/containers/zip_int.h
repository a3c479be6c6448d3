/* zip_int.h - facts shared by zip_read.c, zip_write.c and the zip tests.
 *
 * Record layouts follow PKWARE APPNOTE.TXT 6.3.x: section 4.3.7 (local file
 * header), 4.3.12 (central directory header), 4.3.14-4.3.16 (ZIP64 end record,
 * its locator, the end record); extra fields 4.5.3 (ZIP64, 0x0001) and
 * Info-ZIP's extrafld.txt (extended timestamp "UT", 0x5455).
 */
#ifndef LZ_ZIP_INT_H
#define LZ_ZIP_INT_H

#include <stdint.h>

struct archive;

#define ZIP_SIG_LOCAL 0x04034b50u       /* "PK\3\4" */
#define ZIP_SIG_CENTRAL 0x02014b50u     /* "PK\1\2" */
#define ZIP_SIG_END 0x06054b50u         /* "PK\5\6" */
#define ZIP_SIG_END64 0x06064b50u       /* "PK\6\6" */
#define ZIP_SIG_LOCATOR64 0x07064b50u   /* "PK\6\7" */

#define ZIP_LOCAL_SIZE 30       /* fixed part of a local file header */
#define ZIP_CENTRAL_SIZE 46     /* fixed part of a central directory header */
#define ZIP_END_SIZE 22         /* end record without its comment */
#define ZIP_END64_SIZE 56       /* ZIP64 end record without extensible data */
#define ZIP_LOCATOR64_SIZE 20
#define ZIP_COMMENT_MAX 65535   /* the comment length is a 16-bit field */

#define ZIP_EXTRA_ZIP64 0x0001
#define ZIP_EXTRA_UT 0x5455

/* General purpose flag bits (APPNOTE 4.4.4). */
#define ZIP_FLAG_ENCRYPTED 0x0001
#define ZIP_FLAG_STRONG_ENCRYPTION 0x0040
#define ZIP_FLAG_UTF8 0x0800
#define ZIP_FLAG_MASKED_CD 0x2000

/* "version made by" high byte: the host whose attributes the external
 * attribute field holds (APPNOTE 4.4.2); 3 = Unix, st_mode in the top 16 bits. */
#define ZIP_HOST_UNIX 3

/* DOS times cover 1980-01-01 00:00:00 .. 2107-12-31 23:59:58; the writer's
 * "UT" extra field holds the time as 32 bits, read back unsigned, which ends
 * sooner (2106-02-07 06:28:15), so written times are clamped to that. */
#define ZIP_TIME_MIN ((int64_t)315532800)
#define ZIP_TIME_MAX ((int64_t)4294967295)

static inline uint16_t zip_u16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t zip_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t zip_u64(const uint8_t *p)
{
    return (uint64_t)zip_u32(p) | (uint64_t)zip_u32(p + 4) << 32;
}

/* libarchive's last message as one line into msg (some end in '\n', some
 * quote bytes from the archive: control characters become spaces); returns
 * msg.  Defined in zip_read.c. */
#define ZIP_MESSAGE_MAX 256
const char *zip_archive_message(struct archive *a, char msg[ZIP_MESSAGE_MAX]);

#endif
