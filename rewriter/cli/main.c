/* main.c - the lazyc command line: dispatch to a subcommand. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

#ifndef LAZYC_VERSION
#define LAZYC_VERSION "unknown"
#endif

struct subcommand {
    const char *sc_name;
    int (*sc_run)(int argc, char **argv);
    const char *sc_summary;
};

static const struct subcommand subcommands[] = {
    {"dump", cmd_dump, "show a pyc's header, code objects and instructions, like dis"},
    {"roundtrip", cmd_roundtrip, "decode and re-encode pycs; report any that are not byte-identical"},
    {"rewrite", cmd_rewrite, "make module-level imports of pycs lazy (trees, in place or -o DIR)"},
    {"explain", cmd_explain, "show each import statement, lazy or eager, and why"},
    {"compile", cmd_compile, "compile .py trees with an interpreter into lazy pycs (__pycache__ or a prefix)"},
    {"wheel", cmd_wheel, "rewrite wheels into lazy, version-pinned, sourceless wheels"},
    {"zipapp", cmd_zipapp, "rewrite zipapps and pex files: a lazy .pyc beside every .py"},
};

static void usage(FILE *to)
{
    fputs("usage: lazyc [--help] [--version] COMMAND [ARGS...]\n\n"
          "lazyc compiles lazy imports into CPython bytecode (.pyc, 3.8-3.15).\n\n"
          "commands:\n", to);
    for (size_t i = 0; i < sizeof subcommands / sizeof *subcommands; i++)
        fprintf(to, "  %-10s %s\n", subcommands[i].sc_name, subcommands[i].sc_summary);
    fputs("\n'lazyc COMMAND --help' describes a command.\n"
          "exit status: 0 success, 1 some input refused or different, 2 usage error,\n"
          "3 fatal (out of memory, output not writable).\n", to);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("lazyc %s (CPython 3.8-3.15 bytecode)\n", LAZYC_VERSION);
        return CLI_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof subcommands / sizeof *subcommands; i++)
        if (strcmp(argv[1], subcommands[i].sc_name) == 0)
            return subcommands[i].sc_run(argc - 1, argv + 1);
    fprintf(stderr, "lazyc: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return CLI_EXIT_USAGE;
}
