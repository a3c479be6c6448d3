/* dump_tables.c - print one generated table so compare_tables.py can check
 * it against a live interpreter.
 *
 *   dump_tables MAGIC < opargs
 *
 * Reads whitespace-separated opargs (decimal) from stdin and prints, for the
 * table whose magic is MAGIC:
 *   version MAGIC MINOR NAME INTERPRETER HAVE_ARGUMENT JUMP_UNIT LINES EXCTABLE MERGE GENDEPTH
 *   wk FIELD VALUE                        one per struct lz_wellknown field
 *   op OP NAME FLAGS NCACHE NAMESHIFT VALID   one per existing opcode
 *   e OP ARG FALL JUMP                    lz_stack_effect for every oparg read
 * FLAGS is a '|'-separated list of LZ_OPF_ names without the prefix
 * (UNKNOWN_0x... for bits this file does not name).
 * Exit 2 on usage errors or an unknown magic.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lz_opcodes.h"

/* Far more than the ~700 opargs compare_tables.py sends. */
#define MAX_ARGS 100000

#define WK(name) { #name, offsetof(struct lz_wellknown, name) }
static const struct {
    const char *name;
    size_t off;
} wellknown[] = {
    WK(CACHE), WK(NOP), WK(EXTENDED_ARG), WK(RESUME), WK(POP_TOP), WK(PUSH_NULL),
    WK(LOAD_CONST), WK(LOAD_SMALL_INT), WK(LOAD_COMMON_CONSTANT), WK(LOAD_NAME), WK(LOAD_GLOBAL),
    WK(LOAD_ATTR), WK(LOAD_METHOD), WK(LOAD_FAST), WK(STORE_NAME), WK(STORE_GLOBAL), WK(STORE_FAST),
    WK(DELETE_NAME), WK(DELETE_GLOBAL), WK(IMPORT_NAME), WK(IMPORT_FROM), WK(IMPORT_STAR),
    WK(CALL_INTRINSIC_1), WK(CALL_FUNCTION), WK(CALL_METHOD), WK(PRECALL), WK(CALL), WK(KW_NAMES),
    WK(CALL_KW), WK(ROT_TWO), WK(DUP_TOP), WK(SWAP), WK(COPY), WK(RETURN_VALUE), WK(RETURN_CONST),
    WK(BUILD_TUPLE), WK(SETUP_FINALLY), WK(SETUP_WITH), WK(SETUP_ASYNC_WITH), WK(POP_BLOCK),
    WK(POP_EXCEPT), WK(PUSH_EXC_INFO), WK(CHECK_EXC_MATCH), WK(RERAISE), WK(WITH_EXCEPT_START),
    WK(FOR_ITER), WK(END_FOR), WK(POP_ITER), WK(SEND), WK(END_SEND), WK(END_ASYNC_FOR),
    WK(NOT_TAKEN), WK(GEN_START), WK(RETURN_GENERATOR), WK(MAKE_CELL), WK(COPY_FREE_VARS),
    WK(JUMP_FORWARD), WK(JUMP_BACKWARD), WK(JUMP_ABSOLUTE), WK(BEGIN_FINALLY), WK(END_FINALLY),
    WK(CALL_FINALLY), WK(POP_FINALLY), WK(CLEANUP_THROW),
    WK(LOAD_FROM_DICT_OR_GLOBALS), WK(STORE_SUBSCR), WK(TO_BOOL), WK(COMPARE_OP), WK(IS_OP),
    WK(POP_JUMP_IF_FALSE), WK(POP_JUMP_IF_TRUE), WK(POP_JUMP_FORWARD_IF_FALSE), WK(LIST_EXTEND),
    WK(SET_UPDATE), WK(BUILD_LIST), WK(BUILD_SET), WK(LIST_TO_TUPLE), WK(STORE_ATTR),
    WK(LOAD_BUILD_CLASS), WK(MAKE_FUNCTION),
    WK(GET_ITER), WK(GET_AITER), WK(GET_AWAITABLE), WK(BEFORE_ASYNC_WITH), WK(LOAD_SPECIAL),
    WK(ROT_FOUR), WK(DELETE_ATTR), WK(CALL_FUNCTION_KW), WK(BUILD_CONST_KEY_MAP),
};

static const struct {
    uint32_t bit;
    const char *name;
} flag_names[] = {
    { LZ_OPF_EXISTS, "EXISTS" }, { LZ_OPF_ARG, "ARG" }, { LZ_OPF_JREL, "JREL" },
    { LZ_OPF_JBACK, "JBACK" }, { LZ_OPF_JABS, "JABS" }, { LZ_OPF_NAME, "NAME" },
    { LZ_OPF_CONST, "CONST" }, { LZ_OPF_LOCAL, "LOCAL" }, { LZ_OPF_FREE, "FREE" },
    { LZ_OPF_COMPARE, "COMPARE" }, { LZ_OPF_NOFALL, "NOFALL" }, { LZ_OPF_UNCOND, "UNCOND" },
    { LZ_OPF_SETUP, "SETUP" }, { LZ_OPF_LOCAL2, "LOCAL2" },
    { LZ_OPF_GLOBAL_LOAD, "GLOBAL_LOAD" }, { LZ_OPF_GLOBAL_STORE, "GLOBAL_STORE" },
    { LZ_OPF_GLOBAL_DELETE, "GLOBAL_DELETE" }, { LZ_OPF_IMPORT, "IMPORT" },
    { LZ_OPF_IMPORT_FROM, "IMPORT_FROM" },
};

static void print_flags(uint32_t flags)
{
    const char *sep = "";
    for (size_t i = 0; i < sizeof flag_names / sizeof flag_names[0]; i++) {
        if (flags & flag_names[i].bit) {
            printf("%s%s", sep, flag_names[i].name);
            sep = "|";
            flags &= ~flag_names[i].bit;
        }
    }
    if (flags != 0)
        printf("%sUNKNOWN_%#lx", sep, (unsigned long)flags);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: dump_tables MAGIC < opargs\n");
        return 2;
    }
    char *end;
    unsigned long magic = strtoul(argv[1], &end, 10);
    const struct lz_version *v = *end == '\0' && magic <= 0xffff
        ? lz_version_from_magic((uint16_t)magic) : NULL;
    if (v == NULL) {
        fprintf(stderr, "dump_tables: no table for magic %s\n", argv[1]);
        return 2;
    }
    if (sizeof wellknown / sizeof wellknown[0] != sizeof(struct lz_wellknown) / sizeof(int16_t)) {
        fprintf(stderr, "dump_tables: the field list does not cover struct lz_wellknown\n");
        return 2;
    }

    static unsigned long args[MAX_ARGS];
    size_t nargs = 0;
    unsigned long a;
    while (nargs < MAX_ARGS && scanf("%lu", &a) == 1)
        args[nargs++] = a;

    printf("version %u %u %s %s %u %u %u %d %d %u\n", v->v_magic, v->v_minor, v->v_name,
           v->v_interpreter, v->v_have_argument, v->v_jump_unit, v->v_lines, v->v_exception_table,
           v->v_merge_location_runs, v->v_gen_start_depth);
    for (size_t i = 0; i < sizeof wellknown / sizeof wellknown[0]; i++) {
        int16_t val;
        memcpy(&val, (const char *)&v->v_op + wellknown[i].off, sizeof val);
        printf("wk %s %d\n", wellknown[i].name, val);
    }
    for (int op = 0; op < 256; op++) {
        const struct lz_opinfo *oi = &v->v_ops[op];
        if (oi->oi_name == NULL && oi->oi_flags == 0)
            continue;
        printf("op %d %s ", op, oi->oi_name ? oi->oi_name : "(null)");
        print_flags(oi->oi_flags);
        printf(" %u %u %d\n", oi->oi_ncache, oi->oi_nameshift, oi->oi_effect_valid);
    }
    for (int op = 0; op < 256; op++) {
        if (!(v->v_ops[op].oi_flags & LZ_OPF_EXISTS))
            continue;
        for (size_t i = 0; i < nargs; i++)
            printf("e %d %lu %d %d\n", op, args[i], lz_stack_effect(v, op, (uint32_t)args[i], false),
                   lz_stack_effect(v, op, (uint32_t)args[i], true));
    }
    return 0;
}
