/* zip_write.c - placeholder until its owner lands it. */
#include "lz_zip.h"
