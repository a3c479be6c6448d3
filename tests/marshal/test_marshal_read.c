/* test_marshal_read.c - the marshal reader, one case per type code.
 *
 * Proves: every type code 3.8-3.15 can hold decodes to the right kind and
 * repr, consumes exactly its bytes and re-encodes to the identical bytes;
 * malformed data of every kind is refused with the pinned one-line message.
 * Does not prove: anything about real pycs (see marshal_rt and the stdlib
 * round-trip test) or edited graphs (test_marshal_write).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lz_marshal.h"
#include "test_common.h"

#define BUF_SIZE 8192

/* 3.12 code object of `x=1` split so tests can swap one field. */
#define C312_HEAD "63 00000000 00000000 00000000 01000000 00000000"
#define C312_CODE "f3 08000000 9700 6400 5a00 7901"
#define C312_CONSTS "29 02 e9 01000000 4e"
#define C312_NAMES "29 01 da 01 78"
#define C312_LPNAMES "a9 00"
#define C312_LPKINDS "f3 00000000"
#define C312_TAIL "da 01 66 fa 08 3c6d6f64756c653e 72 06000000 01000000 " \
                  "73 0a000000 f003010101d802038101 72 04000000"
/* 3.12 module `def f(): pass` / `def g(): pass`: b'' and () shared. */
#define C312_TWO_FUNCS \
    "630000000000000000000000000100000000000000f3100000009700640084005a00640184005a0179022903" \
    "630000000000000000000000000000000003000000f30400000097007900a9014ea9007203000000f30000" \
    "0000da016dda0166720600000001000000f302000000810072040000006300000000000000000000000000" \
    "00000003000000f3040000009700790072020000007203000000720300000072040000007205000000da01" \
    "67720900000002000000720700000072040000004e29027206000000720900000072030000007204000000" \
    "7205000000fa083c6d6f64756c653e720a00000001000000730b000000f003010101da000ddb000d720400" \
    "0000"
/* 3.8 code object of `x=1`, nlocals split out. */
#define C38_HEAD "63 00000000 00000000 00000000"
#define C38_NLOCALS "00000000"
#define C38_TAIL "01000000 40000000 73 08000000 64005a0064015300 29 02 e9 01000000 4e " \
                 "29 01 da 01 78 a9 00 72 02000000 72 02000000 da 01 66 da 08 " \
                 "3c6d6f64756c653e 01000000 f3 00000000"

/* ------------------------------------------------------- invalid input -- */

struct bad_case {
    int minor;
    const char *hex;
    const char *msg;     /* expected message (substring of e_msg) */
};

static const struct bad_case bad_cases[] = {
    { 12, "", "marshal: unexpected end of data at offset 0x0" },
    { 12, "57", "marshal: unknown type code 0x57 at offset 0x0" },
    { 12, "3f", "marshal: unknown type code 0x3f at offset 0x0" },
    { 12, "29 01 d7", "marshal: unknown type code 0x57 at offset 0x2" },
    { 12, "e9 00 00", "marshal: truncated int at offset 0x0: needs 4 bytes, 2 left" },
    { 12, "49 00 00 00 00", "marshal: truncated int at offset 0x0: needs 8 bytes, 4 left" },
    { 12, "e7 00 00", "marshal: truncated float at offset 0x0: needs 8 bytes, 2 left" },
    { 12, "f9 00", "marshal: truncated complex at offset 0x0: needs 16 bytes, 1 left" },
    { 12, "66 05 31", "marshal: truncated float at offset 0x0: needs 5 bytes, 1 left" },
    { 12, "66 03 31 2e 7a", "marshal: malformed float text at offset 0x0" },
    { 12, "66 00", "marshal: malformed float text at offset 0x0" },
    { 12, "78 01 31 01 2e", "marshal: malformed float text at offset 0x0" },
    { 12, "29 05 4e", "marshal: tuple of 5 items at offset 0x0, 1 bytes left" },
    { 12, "28 ff ff ff ff", "marshal: tuple of 4294967295 items at offset 0x0, 0 bytes left" },
    { 12, "5b ff ff ff 7f 4e", "marshal: list of 2147483647 items at offset 0x0, 1 bytes left" },
    { 12, "3c 02 00 00 00 4e", "marshal: set of 2 items at offset 0x0, 1 bytes left" },
    { 12, "3e 03 00", "marshal: truncated frozenset at offset 0x0: needs 4 bytes, 2 left" },
    { 12, "73 10 00 00 00 61", "marshal: bytes of 16 bytes at offset 0x0, 1 bytes left" },
    { 12, "73 ff ff ff ff", "marshal: bytes of 4294967295 bytes at offset 0x0, 0 bytes left" },
    { 12, "7a 05 61", "marshal: str of 5 bytes at offset 0x0, 1 bytes left" },
    { 12, "61 05 00 00 00 61", "marshal: str of 5 bytes at offset 0x0, 1 bytes left" },
    { 12, "75 02 00 00 00 c3 28", "marshal: str at offset 0x0 is not valid UTF-8" },
    { 12, "75 02 00 00 00 c0 80", "marshal: str at offset 0x0 is not valid UTF-8" },
    { 12, "74 04 00 00 00 f4 90 80 80", "marshal: str at offset 0x0 is not valid UTF-8" },
    { 12, "7a 01 e9", "marshal: non-ASCII byte in ASCII str at offset 0x0" },
    { 12, "72 00 00 00 00", "marshal: invalid reference 0 at offset 0x0 (0 objects flagged so far)" },
    { 12, "29 02 da 01 61 72 05 00 00 00",
      "marshal: invalid reference 5 at offset 0x5 (1 objects flagged so far)" },
    { 12, "a9 01 72 00 00 00 00",
      "marshal: invalid reference 0 at offset 0x2 (object still being read)" },
    { 12, "db 01 00 00 00 72 00 00 00 00",
      "marshal: invalid reference 0 at offset 0x5 (object still being read)" },
    { 12, "72 00 00", "marshal: truncated reference at offset 0x0: needs 4 bytes, 2 left" },
    { 13, "3a 4e 4e 4e",
      "marshal: slice (type code ':') at offset 0x0 needs marshal version 5 (3.14+), not 3.13" },
    { 8, "29 01 ba 4e 4e 4e",
      "marshal: slice (type code ':') at offset 0x2 needs marshal version 5 (3.14+), not 3.8" },
    { 14, "7d 30",
      "marshal: frozendict (type code '}') at offset 0x0 needs marshal version 6 (3.15+), not 3.14" },
    { 14, "3a 4e 4e", "marshal: unexpected end of data at offset 0x3" },
    { 12, "30", "marshal: NULL object at offset 0x0 outside a dict" },
    { 12, "29 01 30", "marshal: NULL object at offset 0x2 outside a dict" },
    { 12, "7b da 01 61 30", "marshal: NULL object at offset 0x4 outside a dict" },
    { 12, "7b da 01 61 4e", "marshal: unexpected end of data at offset 0x5" },
    { 12, "6c 01 00 00 00 00 00", "marshal: unnormalized long int at offset 0x0" },
    { 12, "6c 01 00 00 00 00 80", "marshal: long int digit out of range at offset 0x0" },
    { 12, "6c 00 00 00 80", "marshal: long int digit count out of range at offset 0x0" },
    { 12, "6c 05 00 00 00 01 00", "marshal: long int of 5 digits at offset 0x0, 2 bytes left" },
    { 12, "3c 01 00 00 00 5b 00 00 00 00", "marshal: unhashable list in set at offset 0x0" },
    { 12, "7b 5b 00 00 00 00 4e 30", "marshal: unhashable list as dict key at offset 0x0" },
    /* code objects */
    { 12, "63 00000000 00000000", "marshal: truncated code object at offset 0x0: co_kwonlyargcount needs 4 bytes, 0 left" },
    { 12, C312_HEAD " 5b 00000000", "marshal: code object field co_code at offset 0x15 has type list, expected bytes" },
    { 12, C312_HEAD " " C312_CODE " 5b 00000000", "marshal: code object field co_consts at offset 0x22 has type list, expected tuple" },
    { 12, C312_HEAD " " C312_CODE " " C312_CONSTS " 29 01 e9 01000000",
      "marshal: code object field co_names at offset 0x2a: item 0 has type int, expected str" },
    { 12, C312_HEAD " " C312_CODE " " C312_CONSTS " " C312_NAMES " 29 01 4e",
      "marshal: code object field co_localsplusnames at offset 0x2f: item 0 has type None, expected str" },
    { 12, C312_HEAD " " C312_CODE " " C312_CONSTS " " C312_NAMES " " C312_LPNAMES " 29 00",
      "marshal: code object field co_localspluskinds at offset 0x31 has type tuple, expected bytes" },
    { 12, C312_HEAD " " C312_CODE " " C312_CONSTS " " C312_NAMES " " C312_LPNAMES " " C312_LPKINDS
          " f3 00000000", "marshal: code object field co_filename at offset 0x36 has type bytes, expected str" },
    { 12, C312_HEAD " " C312_CODE " " C312_CONSTS " " C312_NAMES " " C312_LPNAMES
          " f3 01000000 20 " C312_TAIL,
      "marshal: code object at offset 0x0: 0 localsplus names but 1 kinds" },
    { 12, C312_HEAD " f3 07000000 97006400 5a0079 " C312_CONSTS " " C312_NAMES " " C312_LPNAMES
          " " C312_LPKINDS " " C312_TAIL,
      "marshal: code object at offset 0x0: co_code has odd length 7" },
    { 12, "63 ffffffff 00000000 00000000 01000000 00000000 " C312_CODE " " C312_CONSTS " "
          C312_NAMES " " C312_LPNAMES " " C312_LPKINDS " " C312_TAIL,
      "marshal: code object at offset 0x0: negative argument count or stack size" },
    { 8, C38_HEAD " ffffffff " C38_TAIL, "marshal: code object at offset 0x0: negative co_nlocals -1" },
    { 8, C38_HEAD " " C38_NLOCALS " 01000000 40000000 73 08000000 64005a0064015300 29 02 e9 01000000 4e "
         "29 01 da 01 78 a9 00 72 02000000 72 02000000 da 01 66 4e",
      "marshal: code object field co_name at offset 0x42 has type None, expected str" },
    { 10, C38_HEAD " " C38_NLOCALS " 01000000 40000000 73 08000000 64005a0064015300 29 02 e9 01000000 4e "
          "29 01 da 01 78 a9 00 72 02000000 72 02000000 da 01 66 da 08 3c6d6f64756c653e 01000000 4e",
      "marshal: code object field co_linetable at offset 0x50 has type None, expected bytes" },
    { 9, C38_HEAD " " C38_NLOCALS " 01000000 40000000 73 08000000 64005a0064015300 29 02 e9 01000000 4e "
         "29 01 da 01 78 a9 00 72 02000000 72 02000000 da 01 66 da 08 3c6d6f64756c653e 01000000 4e",
      "marshal: code object field co_lnotab at offset 0x50 has type None, expected bytes" },
    /* a 3.12 stream read as 3.8 trips over the missing fields */
    { 8, C312_HEAD " " C312_CODE " " C312_CONSTS " " C312_NAMES " " C312_LPNAMES " " C312_LPKINDS
         " " C312_TAIL, "marshal: unknown type code 0x00 at offset 0x19" },
};

START_TEST(test_bad)
{
    const struct bad_case *c = &bad_cases[_i];
    uint8_t buf[BUF_SIZE];
    size_t n = t_hex(c->hex, buf, sizeof buf), consumed = 99;
    struct lz_arena *a = lz_arena_new();
    struct lz_obj *root = (struct lz_obj *)1;
    struct lz_error err = { 0 };
    int rc = lz_marshal_read(a, t_ver(c->minor), buf, n, &consumed, &root, &err);

    ck_assert_msg(rc == LZ_EINPUT, "case %d (%s): rc %d, expected LZ_EINPUT", _i, c->hex, rc);
    ck_assert_int_eq(err.e_code, LZ_EINPUT);
    ck_assert_ptr_null(root);
    ck_assert_msg(strstr(err.e_msg, c->msg) != NULL, "case %d:\n  got      \"%s\"\n  expected \"%s\"",
                  _i, err.e_msg, c->msg);
    ck_assert_ptr_null(strchr(err.e_msg, '\n'));
    lz_arena_free(a);
}
END_TEST

/* Nesting: `levels` one-tuples around None.  As in CPython every object
 * counts, the innermost None too: 1999 tuples are fine, 2000 are not. */
static int read_nested(int levels, struct lz_error *err)
{
    size_t n = (size_t)levels * 2 + 1, consumed;
    uint8_t *buf = malloc(n);
    struct lz_arena *a = lz_arena_new();
    struct lz_obj *root;
    int rc;

    for (int i = 0; i < levels; i++) {
        buf[2 * i] = ')';
        buf[2 * i + 1] = 1;
    }
    buf[n - 1] = 'N';
    rc = lz_marshal_read(a, t_ver(12), buf, n, &consumed, &root, err);
    if (rc == LZ_OK)
        ck_assert_uint_eq(consumed, n);
    lz_arena_free(a);
    free(buf);
    return rc;
}

START_TEST(test_depth_limit)
{
    struct lz_error err = { 0 };

    ck_assert_int_eq(read_nested(LZ_MARSHAL_DEPTH_MAX, &err), LZ_EINPUT);
    ck_assert_str_eq(err.e_msg, "marshal: nesting deeper than 2000 at offset 0xfa0");
    ck_assert_int_eq(read_nested(100000, &err), LZ_EINPUT);
    ck_assert_str_eq(err.e_msg, "marshal: nesting deeper than 2000 at offset 0xfa0");
    ck_assert_int_eq(read_nested(LZ_MARSHAL_DEPTH_MAX - 1, &err), LZ_OK);
}
END_TEST

START_TEST(test_start_offset_and_trailing)
{
    uint8_t buf[] = { 'N', 'N' };
    size_t consumed = 0;
    struct lz_arena *a = lz_arena_new();
    struct lz_obj *root;
    struct lz_error err = { 0 };

    /* lz_marshal_read decodes one object and reports what it used */
    ck_assert_int_eq(lz_marshal_read(a, t_ver(12), buf, 2, &consumed, &root, &err), LZ_OK);
    ck_assert_uint_eq(consumed, 1);
    lz_arena_free(a);
}
END_TEST

/* --------------------------------------------------------- valid input -- */

struct good_case {
    int minor;
    const char *hex;
    int kind;
    const char *repr;
};

static const struct good_case good_cases[] = {
    { 12, "4e", LZ_K_NONE, "None" },
    { 12, "ce", LZ_K_NONE, "None" },          /* flagged None: accepted, no slot */
    { 12, "54", LZ_K_TRUE, "True" },
    { 12, "46", LZ_K_FALSE, "False" },
    { 12, "2e", LZ_K_ELLIPSIS, "Ellipsis" },
    { 12, "53", LZ_K_STOPITER, "<class 'StopIteration'>" },
    { 12, "e9 00 00 00 00", LZ_K_INT, "0" },
    { 12, "e9 ff ff ff ff", LZ_K_INT, "-1" },
    { 12, "69 ff ff ff 7f", LZ_K_INT, "2147483647" },
    { 12, "69 00 00 00 80", LZ_K_INT, "-2147483648" },
    { 8, "49 00 00 00 00 01 00 00 00", LZ_K_INT, "4294967296" },
    { 12, "49 ff ff ff ff ff ff ff ff", LZ_K_INT, "-1" },
    { 12, "ec 03 00 00 00 00 00 00 00 02 00", LZ_K_LONG, "2147483648" },
    { 12, "ec fd ff ff ff 01 00 00 00 02 00", LZ_K_LONG, "-2147483649" },
    { 12, "ec fb ff ff ff 00 00 00 00 00 00 00 00 01 00", LZ_K_LONG, "-1152921504606846976" },
    { 12, "6c 00 00 00 00", LZ_K_LONG, "0" },
    { 12, "e7 00 00 00 00 00 00 f8 3f", LZ_K_FLOAT, "1.5" },
    { 12, "e7 00 00 00 00 00 00 00 80", LZ_K_FLOAT, "-0.0" },
    { 12, "67 00 00 00 00 00 00 f0 7f", LZ_K_FLOAT, "inf" },
    { 12, "66 03 31 2e 35", LZ_K_FLOAT, "1.5" },
    { 12, "66 04 2d 69 6e 66", LZ_K_FLOAT, "-inf" },
    { 12, "66 05 31 65 2b 31 36", LZ_K_FLOAT, "1e+16" },
    { 12, "f9 00 00 00 00 00 00 00 00 00 00 00 00 00 00 f0 3f", LZ_K_COMPLEX, "1j" },
    { 12, "f9 00 00 00 00 00 00 f0 3f 00 00 00 00 00 00 00 40", LZ_K_COMPLEX, "(1+2j)" },
    { 12, "78 01 30 01 31", LZ_K_COMPLEX, "1j" },
    { 12, "78 02 2d 30 02 2d 31", LZ_K_COMPLEX, "(-0-1j)" },
    { 12, "f3 00 00 00 00", LZ_K_BYTES, "b''" },
    { 12, "f3 03 00 00 00 61 62 00", LZ_K_BYTES, "b'ab\\x00'" },
    { 12, "da 03 61 62 63", LZ_K_STR, "'abc'" },
    { 12, "7a 00", LZ_K_STR, "''" },
    { 8, "5a 04 73 70 61 6d", LZ_K_STR, "'spam'" },
    { 12, "61 03 00 00 00 61 27 63", LZ_K_STR, "\"a'c\"" },
    { 12, "41 03 00 00 00 61 62 63", LZ_K_STR, "'abc'" },
    { 12, "f5 02 00 00 00 c3 a9", LZ_K_STR, "'\xc3\xa9'" },
    { 12, "f5 03 00 00 00 ed a0 80", LZ_K_STR, "'\\ud800'" },
    { 12, "74 04 00 00 00 f0 9f 98 80", LZ_K_STR, "'\xf0\x9f\x98\x80'" },
    { 12, "a9 00", LZ_K_TUPLE, "()" },
    { 12, "a9 01 e9 01 00 00 00", LZ_K_TUPLE, "(1,)" },
    { 12, "28 02 00 00 00 4e 4e", LZ_K_TUPLE, "(None, None)" },
    { 12, "db 02 00 00 00 e9 01 00 00 00 da 01 61", LZ_K_LIST, "[1, 'a']" },
    { 12, "5b 00 00 00 00", LZ_K_LIST, "[]" },
    { 12, "fb da 01 61 e9 01 00 00 00 30", LZ_K_DICT, "{'a': 1}" },
    { 12, "7b 30", LZ_K_DICT, "{}" },
    { 12, "bc 01 00 00 00 e9 01 00 00 00", LZ_K_SET, "{1}" },
    { 12, "3c 00 00 00 00", LZ_K_SET, "set()" },
    { 12, "be 02 00 00 00 e9 01 00 00 00 e9 02 00 00 00", LZ_K_FROZENSET, "frozenset({1, 2})" },
    { 12, "3e 00 00 00 00", LZ_K_FROZENSET, "frozenset()" },
    { 12, "a9 02 da 01 78 72 01 00 00 00", LZ_K_TUPLE, "('x', 'x')" },
    { 12, "29 02 a9 00 72 00 00 00 00", LZ_K_TUPLE, "((), ())" },
    { 14, "3a e9 01 00 00 00 4e da 01 61", LZ_K_SLICE, "slice(1, None, 'a')" },
    { 15, "ba 4e 4e 4e", LZ_K_SLICE, "slice(None, None, None)" },
    { 15, "fd da 01 61 e9 01 00 00 00 30", LZ_K_FROZENDICT, "frozendict({'a': 1})" },
    { 15, "7d 30", LZ_K_FROZENDICT, "frozendict()" },
    /* code objects of `x=1`, and of two functions sharing b'' and () */
    { 8, C38_HEAD " " C38_NLOCALS " " C38_TAIL, LZ_K_CODE, "<code object <module>, file \"f\", line 1>" },
    { 10, "63000000000000000000000000000000000100000040000000730800000064005a00640153002902e901"
          "0000004e2901da0178a90072020000007202000000da0166da083c6d6f64756c653e0100000073020000"
          "000800", LZ_K_CODE, "<code object <module>, file \"f\", line 1>" },
    { 12, C312_HEAD " " C312_CODE " " C312_CONSTS " " C312_NAMES " " C312_LPNAMES " " C312_LPKINDS
          " " C312_TAIL, LZ_K_CODE, "<code object <module>, file \"f\", line 1>" },
    { 12, C312_TWO_FUNCS, LZ_K_CODE, "<code object <module>, file \"m\", line 1>" },
    { 14, "630000000000000000000000000100000000000000f30a00000080005e017400520123002902e901000000"
          "4e2901da0178a900f300000000da0166da083c6d6f64756c653e720600000001000000730a000000f00301"
          "0101d8020382017204000000", LZ_K_CODE, "<code object <module>, file \"f\", line 1>" },
};

START_TEST(test_good)
{
    const struct good_case *c = &good_cases[_i];
    uint8_t buf[BUF_SIZE];
    size_t n = t_hex(c->hex, buf, sizeof buf), consumed = 0;
    struct lz_arena *a = lz_arena_new();
    struct lz_obj *root = NULL;
    struct lz_error err = { 0 };
    struct lz_buf out;
    const struct lz_pyver *v = t_ver(c->minor);
    int rc = lz_marshal_read(a, v, buf, n, &consumed, &root, &err);

    ck_assert_msg(rc == LZ_OK, "case %d (%s): %s", _i, c->hex, err.e_msg);
    ck_assert_uint_eq(consumed, n);
    ck_assert_int_eq(root->o_kind, c->kind);
    ck_assert_str_eq(t_repr(root), c->repr);
    lz_buf_init(&out);
    ck_assert_int_eq(lz_marshal_write(v, root, &out, &err), LZ_OK);
    t_assert_bytes_eq(out.b_data, out.b_len, buf, n);
    lz_buf_fini(&out);
    lz_arena_free(a);
}
END_TEST

/* Payloads point into the input (no copies), refs resolve to one node. */
START_TEST(test_no_copy_and_shared_nodes)
{
    uint8_t buf[64];
    size_t n = t_hex("a9 03 da 01 78 72 01 00 00 00 f5 02 00 00 00 c3 a9", buf, sizeof buf), consumed;
    struct lz_arena *a = lz_arena_new();
    struct lz_obj *root;
    struct lz_error err = { 0 };

    ck_assert_int_eq(lz_marshal_read(a, t_ver(12), buf, n, &consumed, &root, &err), LZ_OK);
    ck_assert(root->o_ref);
    ck_assert_uint_eq(root->u.o_seq.n, 3);
    ck_assert_ptr_eq(root->u.o_seq.items[0], root->u.o_seq.items[1]);
    ck_assert_ptr_eq(root->u.o_seq.items[0]->u.o_raw.data, buf + 4);
    ck_assert_ptr_eq(root->u.o_seq.items[2]->u.o_raw.data, buf + 15);
    ck_assert_int_eq(root->u.o_seq.items[0]->o_code, 'Z');
    ck_assert(root->u.o_seq.items[0]->o_ref);
    ck_assert_int_eq(root->u.o_seq.items[2]->o_code, 'u');
    ck_assert(root->u.o_seq.items[2]->o_ref);
    ck_assert(lz_obj_is_str(root->u.o_seq.items[0], "x"));
    ck_assert(!lz_obj_is_str(root->u.o_seq.items[0], "xy"));
    ck_assert(!lz_obj_is_str(root, "x"));
    lz_arena_free(a);
}
END_TEST

/* Shared b'' and () across code objects (3.12 compiler output). */
START_TEST(test_code_fields_shared)
{
    uint8_t buf[BUF_SIZE];
    size_t n = t_hex(C312_TWO_FUNCS, buf, sizeof buf), consumed;
    struct lz_arena *a = lz_arena_new();
    struct lz_obj *root, *f, *g;
    struct lz_error err = { 0 };
    const struct lz_codeobj *m;

    ck_assert_int_eq(lz_marshal_read(a, t_ver(12), buf, n, &consumed, &root, &err), LZ_OK);
    m = root->u.o_codeobj;
    f = m->co_consts->u.o_seq.items[0];
    g = m->co_consts->u.o_seq.items[1];
    ck_assert_int_eq(f->o_kind, LZ_K_CODE);
    ck_assert_int_eq(g->o_kind, LZ_K_CODE);
    ck_assert(lz_obj_is_str(f->u.o_codeobj->co_name, "f"));
    ck_assert(lz_obj_is_str(g->u.o_codeobj->co_qualname, "g"));
    /* one b'' node: f's exception table, g's kinds and exception table, m's table */
    ck_assert_ptr_eq(f->u.o_codeobj->co_localspluskinds, f->u.o_codeobj->co_exceptiontable);
    ck_assert_ptr_eq(f->u.o_codeobj->co_exceptiontable, g->u.o_codeobj->co_exceptiontable);
    ck_assert_ptr_eq(g->u.o_codeobj->co_exceptiontable, m->co_exceptiontable);
    /* one () node for f's and g's names and localsplusnames */
    ck_assert_ptr_eq(f->u.o_codeobj->co_names, g->u.o_codeobj->co_localsplusnames);
    ck_assert_ptr_eq(f->u.o_codeobj->co_filename, m->co_filename);
    ck_assert_int_eq(m->co_stacksize, 1);
    ck_assert_int_eq(f->u.o_codeobj->co_firstlineno, 1);
    ck_assert_int_eq(g->u.o_codeobj->co_firstlineno, 2);
    lz_arena_free(a);
}
END_TEST

static Suite *read_suite(void)
{
    Suite *s = suite_create("marshal read");
    TCase *tc;

    tc = tcase_create("refuses malformed data with a one-line message");
    tcase_add_loop_test(tc, test_bad, 0, (int)(sizeof bad_cases / sizeof bad_cases[0]));
    tcase_add_test(tc, test_depth_limit);
    suite_add_tcase(s, tc);
    tc = tcase_create("decodes every type code and re-encodes it identically");
    tcase_add_loop_test(tc, test_good, 0, (int)(sizeof good_cases / sizeof good_cases[0]));
    tcase_add_test(tc, test_start_offset_and_trailing);
    tcase_add_test(tc, test_no_copy_and_shared_nodes);
    tcase_add_test(tc, test_code_fields_shared);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return t_run(read_suite());
}
