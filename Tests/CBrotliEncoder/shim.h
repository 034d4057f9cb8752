#ifndef CBROTLIENCODER_SHIM_H
#define CBROTLIENCODER_SHIM_H
// Brotli's encoder, for the fixture websites of the tests only (builder itself only decodes).
#include <brotli/encode.h>
#endif
