// Hex helpers for unit tests that compare byte formats (listpack, RDB, DUMP payloads) with
// blobs written down as hex.
#pragma once

#include <string>
#include <string_view>

namespace basalt::test {

// Lower-case hex of `bytes`.
inline std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

// Hex digits to bytes; spaces are ignored so expected blobs can be grouped by entry.
inline std::string Unhex(std::string_view hex) {
  auto nibble = [](char c) {
    return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
  };
  std::string out;
  int high = -1;
  for (char c : hex) {
    if (c == ' ') continue;
    if (high < 0) {
      high = nibble(c);
    } else {
      out.push_back(static_cast<char>(high << 4 | nibble(c)));
      high = -1;
    }
  }
  return out;
}

}  // namespace basalt::test
