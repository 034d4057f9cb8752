#ifndef CBROTLI_SHIM_H
#define CBROTLI_SHIM_H
// Brotli's decoder (RFC 7932), for HTTP bodies sent with Content-Encoding: br.
#include <brotli/decode.h>
#endif
