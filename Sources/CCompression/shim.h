#ifndef CCOMPRESSION_SHIM_H
#define CCOMPRESSION_SHIM_H
#include <zlib.h>
#include <zstd.h>
#include <snappy-c.h>
#endif
