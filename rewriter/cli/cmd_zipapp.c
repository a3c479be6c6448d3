/* cmd_zipapp.c - placeholder until its owner lands it. */
#include "cli.h"

#include <stdio.h>

int cmd_zipapp(int argc, char **argv)
{
    (void)argc;
    fprintf(stderr, "lazyc %s: not built yet\n", argv[0]);
    return CLI_EXIT_USAGE;
}
