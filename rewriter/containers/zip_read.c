/* zip_read.c - placeholder until its owner lands it. */
#include "lz_zip.h"
