// CRC-64/Jones, the checksum Redis puts at the end of RDB files and DUMP payloads.
//
// Parameters (as Redis's crc64.c): polynomial 0xad93d23594c935a9, input and output
// reflected, initial value 0, no final xor. Check value: Crc64Of(0, "123456789") is
// 0xe9c6d914c4b8d9ca. The checksum of a concatenation can be computed piecewise:
// Crc64Of(Crc64Of(0, a), b) == Crc64Of(0, a + b).
//
// Slicing-by-8 over lookup tables built once (thread-safe static initialisation); about
// 1-2 GB/s, so checksumming never dominates an RDB save or load. Pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace basalt {

uint64_t Crc64(uint64_t crc, const void* data, size_t len);
// The same over a string's bytes.
inline uint64_t Crc64Of(uint64_t crc, std::string_view bytes) {
  return Crc64(crc, bytes.data(), bytes.size());
}

}  // namespace basalt
