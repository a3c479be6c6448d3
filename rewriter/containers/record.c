/* record.c - placeholder until its owner lands it. */
#include "lz_zip.h"
