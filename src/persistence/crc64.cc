#include "persistence/crc64.h"

#include <array>
#include <cstring>

namespace basalt {
namespace {

// The reflected algorithm shifts right, so it uses the bit-reversed polynomial.
constexpr uint64_t kReflectedPoly = 0x95ac9329ac4bc9b5ULL;

struct Tables {
  std::array<std::array<uint64_t, 256>, 8> t;
  Tables() {
    for (uint64_t i = 0; i < 256; ++i) {
      uint64_t crc = i;
      for (int bit = 0; bit < 8; ++bit) crc = (crc & 1) ? (crc >> 1) ^ kReflectedPoly : crc >> 1;
      t[0][i] = crc;
    }
    // t[k][i]: the CRC of byte i followed by k zero bytes, for slicing by 8.
    for (size_t k = 1; k < 8; ++k) {
      for (size_t i = 0; i < 256; ++i) t[k][i] = (t[k - 1][i] >> 8) ^ t[0][t[k - 1][i] & 0xff];
    }
  }
};

const Tables& GetTables() {
  static const Tables tables;
  return tables;
}

}  // namespace

uint64_t Crc64(uint64_t crc, const void* data, size_t len) {
  const auto& t = GetTables().t;
  const auto* p = static_cast<const unsigned char*>(data);
  while (len >= 8) {
    uint64_t word;
    std::memcpy(&word, p, 8);  // little endian hosts only (x86-64, AArch64)
    crc ^= word;
    crc = t[7][crc & 0xff] ^ t[6][(crc >> 8) & 0xff] ^ t[5][(crc >> 16) & 0xff] ^
          t[4][(crc >> 24) & 0xff] ^ t[3][(crc >> 32) & 0xff] ^ t[2][(crc >> 40) & 0xff] ^
          t[1][(crc >> 48) & 0xff] ^ t[0][crc >> 56];
    p += 8;
    len -= 8;
  }
  while (len-- > 0) crc = t[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
  return crc;
}

}  // namespace basalt
