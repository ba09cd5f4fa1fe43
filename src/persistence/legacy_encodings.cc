#include "persistence/legacy_encodings.h"

#include <cstdint>

#include "util/strconv.h"

namespace basalt {
namespace {

uint64_t LE(std::string_view b, size_t at, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v |= uint64_t{static_cast<uint8_t>(b[at + i])} << (8 * i);
  return v;
}

std::string IntText(int64_t v) {
  char buf[24];
  return std::string(buf, FormatInt64(v, buf));
}

}  // namespace

std::optional<std::vector<std::string>> DecodeZiplist(std::string_view b) {
  constexpr size_t kHeader = 10;
  if (b.size() < kHeader + 1 || LE(b, 0, 4) != b.size()) return std::nullopt;
  if (static_cast<uint8_t>(b.back()) != 0xFF) return std::nullopt;
  const uint64_t header_count = LE(b, 8, 2);
  std::vector<std::string> out;
  size_t p = kHeader;
  const size_t end = b.size() - 1;  // the terminator
  while (p < end) {
    // prevlen
    uint8_t first = static_cast<uint8_t>(b[p]);
    size_t prevlen_size = first < 254 ? 1 : 5;
    if (first == 255 || p + prevlen_size >= end) return std::nullopt;
    p += prevlen_size;
    const uint8_t enc = static_cast<uint8_t>(b[p]);
    size_t data_len = 0;
    size_t header = 1;
    switch (enc >> 6) {
      case 0:
        data_len = enc & 0x3F;
        break;
      case 1:
        if (p + 2 > end) return std::nullopt;
        data_len = ((enc & 0x3Fu) << 8) | static_cast<uint8_t>(b[p + 1]);
        header = 2;
        break;
      case 2:
        if (enc != 0x80 || p + 5 > end) return std::nullopt;
        data_len = (uint64_t{static_cast<uint8_t>(b[p + 1])} << 24) |
                   (uint64_t{static_cast<uint8_t>(b[p + 2])} << 16) |
                   (uint64_t{static_cast<uint8_t>(b[p + 3])} << 8) | static_cast<uint8_t>(b[p + 4]);
        header = 5;
        break;
      default:
        break;
    }
    if ((enc >> 6) != 3) {
      if (data_len > end - p - header) return std::nullopt;
      out.emplace_back(b.substr(p + header, data_len));
      p += header + data_len;
      continue;
    }
    size_t int_len;
    switch (enc) {
      case 0xC0: int_len = 2; break;
      case 0xD0: int_len = 4; break;
      case 0xE0: int_len = 8; break;
      case 0xF0: int_len = 3; break;
      case 0xFE: int_len = 1; break;
      default:
        if (enc >= 0xF1 && enc <= 0xFD) {
          out.push_back(IntText((enc & 0x0F) - 1));
          p += 1;
          continue;
        }
        return std::nullopt;
    }
    if (int_len > end - p - 1) return std::nullopt;
    uint64_t raw = LE(b, p + 1, int_len);
    int64_t v;
    if (int_len == 8) {
      v = static_cast<int64_t>(raw);
    } else {
      const int shift = 64 - 8 * static_cast<int>(int_len);
      v = static_cast<int64_t>(raw << shift) >> shift;  // sign-extend
    }
    out.push_back(IntText(v));
    p += 1 + int_len;
  }
  if (p != end) return std::nullopt;
  if (header_count != 0xFFFF && header_count != out.size()) return std::nullopt;
  return out;
}

std::optional<std::vector<std::string>> DecodeZipmap(std::string_view b) {
  if (b.size() < 2 || static_cast<uint8_t>(b.back()) != 0xFF) return std::nullopt;
  std::vector<std::string> out;
  size_t p = 1;  // skip zmlen
  const size_t end = b.size() - 1;
  auto read_len = [&](uint64_t* len) {
    if (p >= end) return false;
    uint8_t first = static_cast<uint8_t>(b[p]);
    if (first < 254) {
      *len = first;
      p += 1;
      return true;
    }
    if (first != 254 || p + 5 > end) return false;
    *len = LE(b, p + 1, 4);
    p += 5;
    return true;
  };
  while (p < end) {
    uint64_t klen, vlen;
    if (!read_len(&klen) || klen > end - p) return std::nullopt;
    out.emplace_back(b.substr(p, klen));
    p += klen;
    if (!read_len(&vlen) || p >= end) return std::nullopt;
    const uint8_t free = static_cast<uint8_t>(b[p]);
    p += 1;
    if (vlen > end - p || free > end - p - vlen) return std::nullopt;
    out.emplace_back(b.substr(p, vlen));
    p += vlen + free;
  }
  if (p != end) return std::nullopt;
  return out;
}

}  // namespace basalt
