/* cmd_dump.c - `lazyc dump`: a pyc's header, code objects and instructions.
 *
 * Reads like `dis`, and tests/e2e/check_dump.py holds it to dis's view of
 * every instruction (name, oparg, resolved argument, line) and of every
 * exception-table entry.  The instruction list comes from the engine's own
 * decoder, so what is shown is what the rewriter sees. */
#include "cli.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lz_pyc.h"
#include "lz_code.h"

static const char dump_usage[] =
    "usage: lazyc dump [--no-instructions] FILE.pyc...\n\n"
    "Print each pyc's header (version, PEP 552 flags, mtime/size or source hash),\n"
    "then every code object - names, constants, locals, exception table - and its\n"
    "instructions with offsets, opargs, resolved arguments and line numbers.\n\n"
    "  --no-instructions  only the header and code object summaries\n"
    "  -h, --help         show this help\n";

struct dump {
    const struct lz_version *d_ver;
    const struct lz_pyc *d_pyc;
    bool d_instructions;
    struct lz_buf d_repr;            /* scratch for lz_obj_repr */
};

/* Pseudo-recursion bound: the marshal reader already limits nesting, so
 * code objects cannot nest deeper than this anyway. */
#define DUMP_CODE_DEPTH_MAX LZ_MARSHAL_DEPTH_MAX

static const char *repr_of(struct dump *d, const struct lz_obj *o)
{
    lz_buf_reset(&d->d_repr);
    lz_obj_repr(o, &d->d_repr);
    lz_buf_byte(&d->d_repr, 0);
    return d->d_repr.b_failed ? "<out of memory>" : (const char *)d->d_repr.b_data;
}

/* Print a string node's text (names are printed bare, like dis). */
static void print_str(const struct lz_obj *o)
{
    if (o && o->o_kind == LZ_K_STR)
        fwrite(o->u.o_raw.data, 1, o->u.o_raw.size, stdout);
    else
        fputs("<not a str>", stdout);
}

static const struct lz_obj *tuple_item(const struct lz_obj *t, uint32_t i)
{
    if (!t || t->o_kind != LZ_K_TUPLE || i >= t->u.o_seq.n)
        return NULL;
    return t->u.o_seq.items[i];
}

static void print_header(const char *path, const struct lz_pyc *pyc)
{
    const struct lz_pyver *pv = pyc->pc_ver;
    const uint8_t *h = pyc->pc_header;
    printf("%s: CPython %d.%d pyc (magic %u), ", path, pv->pv_major, pv->pv_minor, pv->pv_magic);
    if (pyc->pc_flags & LZ_PYC_FLAG_HASH) {
        printf("%s hash-based, source hash ",
               (pyc->pc_flags & LZ_PYC_FLAG_CHECK_SOURCE) ? "checked" : "unchecked");
        for (int i = 8; i < 16; i++)
            printf("%02x", h[i]);
        putchar('\n');
    } else {
        uint32_t mtime = (uint32_t)h[8] | (uint32_t)h[9] << 8 | (uint32_t)h[10] << 16 |
                         (uint32_t)h[11] << 24;
        uint32_t size = (uint32_t)h[12] | (uint32_t)h[13] << 8 | (uint32_t)h[14] << 16 |
                        (uint32_t)h[15] << 24;
        time_t t = (time_t)mtime;
        struct tm tm;
        char when[32] = "?";
        if (gmtime_r(&t, &tm))
            strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm);
        printf("timestamp-based, source mtime %" PRIu32 " (%s), source size %" PRIu32 "\n",
               mtime, when, size);
    }
}

static void print_flags(int32_t flags)
{
    /* CO_* bits 0x1-0x200 mean the same on every supported version. */
    static const char *const names[] = {"OPTIMIZED", "NEWLOCALS", "VARARGS", "VARKEYWORDS",
                                        "NESTED", "GENERATOR", "NOFREE", "COROUTINE",
                                        "ITERABLE_COROUTINE", "ASYNC_GENERATOR"};
    printf("flags 0x%08" PRIx32, (uint32_t)flags);
    const char *sep = " (";
    for (unsigned i = 0; i < sizeof names / sizeof *names; i++)
        if (flags & (1 << i)) {
            printf("%s%s", sep, names[i]);
            sep = ", ";
        }
    if (*sep == ',')
        putchar(')');
    putchar('\n');
}

static void print_name_tuple(const char *label, const struct lz_obj *t)
{
    if (!t)
        return;
    printf("  %s (%zu):", label, t->u.o_seq.n);
    for (size_t i = 0; i < t->u.o_seq.n; i++) {
        fputs(i ? ", " : " ", stdout);
        print_str(t->u.o_seq.items[i]);
    }
    putchar('\n');
}

static void print_summary(struct dump *d, const struct lz_codeobj *co)
{
    printf("code ");
    print_str(co->co_qualname ? co->co_qualname : co->co_name);
    printf(" (name ");
    print_str(co->co_name);
    printf(") from %s, line %" PRId32 "\n", repr_of(d, co->co_filename), co->co_firstlineno);
    printf("  argcount %" PRId32 ", posonlyargcount %" PRId32 ", kwonlyargcount %" PRId32,
           co->co_argcount, co->co_posonlyargcount, co->co_kwonlyargcount);
    if (d->d_pyc->pc_ver->pv_code_layout == LZ_CODE_LAYOUT_38)
        printf(", nlocals %" PRId32, co->co_nlocals);
    printf(", stacksize %" PRId32 "\n  ", co->co_stacksize);
    print_flags(co->co_flags);
    print_name_tuple("names", co->co_names);
    printf("  consts (%zu):", co->co_consts->u.o_seq.n);
    for (size_t i = 0; i < co->co_consts->u.o_seq.n; i++)
        printf("%s%s", i ? ", " : " ", repr_of(d, co->co_consts->u.o_seq.items[i]));
    putchar('\n');
    if (co->co_localsplusnames) {
        const struct lz_obj *names = co->co_localsplusnames, *kinds = co->co_localspluskinds;
        printf("  localsplus (%zu):", names->u.o_seq.n);
        for (size_t i = 0; i < names->u.o_seq.n; i++) {
            fputs(i ? ", " : " ", stdout);
            print_str(names->u.o_seq.items[i]);
            if (kinds && i < kinds->u.o_raw.size)
                printf(" [0x%02x]", kinds->u.o_raw.data[i]);
        }
        putchar('\n');
    } else {
        print_name_tuple("varnames", co->co_varnames);
        print_name_tuple("cellvars", co->co_cellvars);
        print_name_tuple("freevars", co->co_freevars);
    }
}

static int print_exception_table(const struct lz_codeobj *co, size_t nunits,
                                 struct lz_arena *work, struct lz_error *err)
{
    struct lz_handler *h;
    int rc = lz_exctable_decode(co->co_exceptiontable->u.o_raw.data,
                                co->co_exceptiontable->u.o_raw.size, nunits, work, &h, err);
    if (rc != LZ_OK)
        return rc;
    printf("  exception table:\n");
    for (size_t u = 0; u < nunits;) {
        size_t end = u + 1;
        while (end < nunits && h[end].h_target == h[u].h_target &&
               h[end].h_depth == h[u].h_depth && h[end].h_lasti == h[u].h_lasti)
            end++;
        /* Byte offsets, end exclusive, as dis._parse_exception_table. */
        if (h[u].h_target >= 0)
            printf("    %zu to %zu -> %" PRId32 " [%u]%s\n", 2 * u, 2 * end, 2 * h[u].h_target,
                   h[u].h_depth, h[u].h_lasti ? " lasti" : "");
        u = end;
    }
    return LZ_OK;
}

/* The resolved argument, in the form check_dump.py compares with dis. */
static void print_argval(struct dump *d, const struct lz_code *c, const struct lz_instr *in)
{
    const struct lz_opinfo *oi = &d->d_ver->v_ops[in->in_op];
    const struct lz_codeobj *co = c->c_co;
    const struct lz_obj *o = NULL;
    if (in->in_target) {
        printf("  (to %" PRIu32 ")", 2 * in->in_target->in_orig_unit);
        return;
    }
    if (oi->oi_flags & LZ_OPF_CONST) {
        o = tuple_item(co->co_consts, in->in_arg);
        printf("  (%s)", o ? repr_of(d, o) : "<index out of range>");
        return;
    }
    if (oi->oi_flags & LZ_OPF_NAME) {
        o = tuple_item(co->co_names, in->in_arg >> oi->oi_nameshift);
    } else if (oi->oi_flags & LZ_OPF_LOCAL2) {
        const struct lz_obj *a = tuple_item(co->co_localsplusnames, in->in_arg >> 4);
        const struct lz_obj *b = tuple_item(co->co_localsplusnames, in->in_arg & 15);
        fputs("  (", stdout);
        print_str(a);
        fputs(", ", stdout);
        print_str(b);
        putchar(')');
        return;
    } else if (oi->oi_flags & (LZ_OPF_LOCAL | LZ_OPF_FREE)) {
        if (co->co_localsplusnames) {
            o = tuple_item(co->co_localsplusnames, in->in_arg);
        } else if (oi->oi_flags & LZ_OPF_LOCAL) {
            o = tuple_item(co->co_varnames, in->in_arg);
        } else {
            size_t ncell = co->co_cellvars ? co->co_cellvars->u.o_seq.n : 0;
            o = in->in_arg < ncell ? tuple_item(co->co_cellvars, in->in_arg)
                                   : tuple_item(co->co_freevars, (uint32_t)(in->in_arg - ncell));
        }
    } else {
        return;
    }
    fputs("  (", stdout);
    if (o)
        print_str(o);
    else
        fputs("<index out of range>", stdout);
    putchar(')');
}

static void print_instructions(struct dump *d, const struct lz_code *c)
{
    printf("  instructions:\n");
    int32_t last_line = INT32_MIN + 1;   /* never a real line nor LZ_NO_LINE */
    for (const struct lz_instr *in = c->c_first; in; in = in->in_next) {
        const struct lz_opinfo *oi = &d->d_ver->v_ops[in->in_op];
        /* dis shows an instruction at its opcode, after the prefixes the
         * decoder counted. */
        uint32_t offset = 2 * (in->in_orig_unit + in->in_nprefix_min);
        char line[16] = "";
        if (in->in_loc.l_line != last_line) {
            if (in->in_loc.l_line == LZ_NO_LINE)
                strcpy(line, "--");
            else
                snprintf(line, sizeof line, "%" PRId32, in->in_loc.l_line);
            last_line = in->in_loc.l_line;
        }
        bool label = in->in_jumpers || in->in_handles;
        const char *name = oi->oi_name ? oi->oi_name : "<unknown>";
        printf("    %6s %2s %6" PRIu32 "  %s", line, label ? ">>" : "", offset, name);
        if (oi->oi_flags & LZ_OPF_ARG) {
            printf("%*s %6" PRIu32, (int)(strlen(name) < 28 ? 28 - strlen(name) : 0), "",
                   in->in_arg);
            print_argval(d, c, in);
        }
        putchar('\n');
    }
}

static int dump_code(struct dump *d, const struct lz_obj *node, int depth, struct lz_error *err)
{
    if (depth > DUMP_CODE_DEPTH_MAX)
        return lz_error_set(err, LZ_EINPUT, "code objects nested deeper than %d",
                            DUMP_CODE_DEPTH_MAX);
    const struct lz_codeobj *co = node->u.o_codeobj;
    print_summary(d, co);

    struct lz_arena *work = lz_arena_new();
    if (!work)
        return lz_error_set(err, LZ_ENOMEM, "out of memory");
    struct lz_code *code;
    int rc = lz_code_decode(d->d_ver, work, d->d_pyc->pc_arena, node, &code, err);
    if (rc == LZ_OK && co->co_exceptiontable)
        rc = print_exception_table(co, code->c_orig_nunits, work, err);
    if (rc == LZ_OK && d->d_instructions)
        print_instructions(d, code);
    lz_arena_free(work);
    if (rc != LZ_OK)
        return rc;
    putchar('\n');

    const struct lz_obj *consts = co->co_consts;
    for (size_t i = 0; i < consts->u.o_seq.n && rc == LZ_OK; i++)
        if (consts->u.o_seq.items[i]->o_kind == LZ_K_CODE)
            rc = dump_code(d, consts->u.o_seq.items[i], depth + 1, err);
    return rc;
}

static int dump_file(const char *path, bool instructions, struct lz_error *err)
{
    uint8_t *data;
    size_t size;
    int rc = cli_read_file(path, &data, &size, err);
    if (rc != LZ_OK)
        return rc;
    struct lz_pyc *pyc = NULL;
    rc = lz_pyc_parse(data, size, &pyc, err);
    lz_free(data);
    if (rc != LZ_OK)
        return rc;
    struct dump d = {.d_pyc = pyc, .d_instructions = instructions,
                     .d_ver = lz_version_for(pyc->pc_ver)};
    lz_buf_init(&d.d_repr);
    if (!d.d_ver)
        rc = lz_error_set(err, LZ_EINPUT, "no instruction table for CPython %d.%d",
                          pyc->pc_ver->pv_major, pyc->pc_ver->pv_minor);
    if (rc == LZ_OK) {
        print_header(path, pyc);
        putchar('\n');
        rc = dump_code(&d, pyc->pc_code, 0, err);
    }
    lz_buf_fini(&d.d_repr);
    lz_pyc_free(pyc);
    return rc;
}

int cmd_dump(int argc, char **argv)
{
    static const struct option opts[] = {
        {"no-instructions", no_argument, NULL, 'n'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    bool instructions = true;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'n': instructions = false; break;
        case 'h': fputs(dump_usage, stdout); return CLI_EXIT_OK;
        default: fputs(dump_usage, stderr); return CLI_EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        fputs("lazyc dump: no FILE given\n", stderr);
        fputs(dump_usage, stderr);
        return CLI_EXIT_USAGE;
    }
    int exit_code = CLI_EXIT_OK;
    for (int i = optind; i < argc; i++) {
        struct lz_error err = {0};
        int rc = dump_file(argv[i], instructions, &err);
        fflush(stdout);
        if (rc != LZ_OK) {
            cli_report(argv[i], &err);
            if (rc == LZ_ENOMEM)
                return CLI_EXIT_FATAL;
            exit_code = CLI_EXIT_FAILED;
        }
    }
    return exit_code;
}
