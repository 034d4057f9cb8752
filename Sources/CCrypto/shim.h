#ifndef CCRYPTO_SHIM_H
#define CCRYPTO_SHIM_H
// OpenSSL's libcrypto, for SHA-256 (it uses the CPU's SHA instructions where there are some).
#include <openssl/evp.h>
#endif
