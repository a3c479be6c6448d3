/* cli_batch.c - placeholder; being written. */
#include "cli.h"
