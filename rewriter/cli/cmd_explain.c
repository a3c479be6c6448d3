/* cmd_explain.c - `lazyc explain`: what `rewrite` would decide, import by
 * import, without writing anything. */
#include "cli.h"

const char cli_explain_usage[] =
    "usage: lazyc explain [--policy P] [--eager GLOB]... [--exclude GLOB]...\n"
    "                     [-j N] [--report FILE.json] [-q] PATH...\n\n"
    "Print every import statement of every .pyc under PATH with the decision\n"
    "`lazyc rewrite` would take and why:\n\n"
    "  FILE:LINE: lazy: import json\n"
    "  FILE:LINE: eager import-time os: import os\n\n"
    "Reasons: nested (function or class body), handler (try/except/finally/with),\n"
    "star, future, type-checking, shape (unusual instructions), dunder, rebound\n"
    "(name bound elsewhere), clobber (package attribute would be overwritten),\n"
    "denied (built-in deny list), eager-glob, excluded, unused (side-effect\n"
    "import), import-time (name used while the module runs), annotation (name in\n"
    "a string annotation), not-declared (policy declared).  Nothing is written.\n\n"
    "options:\n" CLI_LAZY_HELP
    "      --root DIR    name modules relative to DIR (see lazyc rewrite --help)\n"
    "  -j, --jobs N      threads (default: one per core)\n"
    "      --report F    also write the decisions as JSON to F\n"
    "  -q, --quiet       no summary line\n"
    "  -h, --help        show this help\n";

int cmd_explain(int argc, char **argv)
{
    return cmd_rewrite_or_explain(argc, argv, true);
}
