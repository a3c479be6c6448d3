/* pycompile.c - placeholder; being written. */
#include "lz_pycompile.h"
