#include "util/sha1.h"

#include <openssl/sha.h>

namespace basalt {

// The low-level SHA1_* API is deprecated in OpenSSL 3 in favour of EVP, but EVP allocates a
// context per hash; digests are computed per key (DEBUG DIGEST, later EVALSHA), so the
// allocation-free API is the better fit.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

static_assert(sizeof(SHA_CTX) <= 96, "Sha1::ctx_ is too small for SHA_CTX");

Sha1::Sha1() { SHA1_Init(reinterpret_cast<SHA_CTX*>(ctx_)); }

void Sha1::Update(const void* data, size_t len) {
  SHA1_Update(reinterpret_cast<SHA_CTX*>(ctx_), data, len);
}

Sha1::Hash Sha1::Final() {
  Hash out;
  SHA1_Final(out.data(), reinterpret_cast<SHA_CTX*>(ctx_));
  return out;
}

#pragma GCC diagnostic pop

Sha1::Hash Sha1::Of(std::string_view bytes) {
  Sha1 h;
  h.Update(bytes);
  return h.Final();
}

std::string Sha1::Hex(const Hash& hash) {
  static const char kHex[] = "0123456789abcdef";
  std::string out(40, '0');
  for (size_t i = 0; i < hash.size(); ++i) {
    out[2 * i] = kHex[hash[i] >> 4];
    out[2 * i + 1] = kHex[hash[i] & 15];
  }
  return out;
}

}  // namespace basalt
