#ifndef CCOMPRESSION_SHIM_H
#define CCOMPRESSION_SHIM_H
#include <zlib.h>
#include <zstd.h>
#include <snappy-c.h>

// zlib's init functions are macros (they pass the library version and the struct size);
// Swift cannot import macros, so they are wrapped here.
static inline int ccompression_inflate_init2(z_stream *stream, int window_bits) {
    return inflateInit2(stream, window_bits);
}

static inline int ccompression_deflate_init2(z_stream *stream, int level, int window_bits) {
    return deflateInit2(stream, level, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY);
}
#endif
