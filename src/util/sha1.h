// Sha1: the SHA-1 message digest (FIPS 180-4), incremental; a thin wrapper over OpenSSL.
//
// Used where Redis's observable behaviour is defined by SHA-1 (DEBUG DIGEST, and later
// script ids), not for security. Feed bytes with Update() any number of times, then call
// Final() once; the object is spent afterwards (construct a new one to hash again).
//
//   Sha1 h;
//   h.Update("abc");
//   Sha1::Hash out = h.Final();  // a9993e36...
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace basalt {

class Sha1 {
 public:
  using Hash = std::array<uint8_t, 20>;

  Sha1();

  void Update(const void* data, size_t len);
  void Update(std::string_view bytes) { Update(bytes.data(), bytes.size()); }
  Hash Final();

  // One-shot hash of `bytes`.
  static Hash Of(std::string_view bytes);
  // Lower-case hex of a hash (40 characters).
  static std::string Hex(const Hash& hash);

 private:
  // OpenSSL's SHA_CTX, kept opaque so this header doesn't pull in OpenSSL's.
  alignas(8) unsigned char ctx_[96];
};

}  // namespace basalt
