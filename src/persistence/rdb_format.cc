#include "persistence/rdb_format.h"

#include <cmath>
#include <cstring>
#include <limits>

#include "persistence/lzf_codec.h"
#include "util/strconv.h"

namespace basalt {
namespace {

constexpr uint8_t k6BitLen = 0;
constexpr uint8_t k14BitLen = 1;
constexpr uint8_t k32BitLen = 0x80;
constexpr uint8_t k64BitLen = 0x81;
constexpr uint8_t kEncVal = 3;
constexpr uint8_t kEncInt8 = 0;
constexpr uint8_t kEncInt16 = 1;
constexpr uint8_t kEncInt32 = 2;
constexpr uint8_t kEncLzf = 3;

void PutLE(std::string* out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
void PutBE(std::string* out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
uint64_t GetLE(std::string_view b) {
  uint64_t v = 0;
  for (size_t i = 0; i < b.size(); ++i) v |= uint64_t{static_cast<uint8_t>(b[i])} << (8 * i);
  return v;
}
uint64_t GetBE(std::string_view b) {
  uint64_t v = 0;
  for (char c : b) v = (v << 8) | static_cast<uint8_t>(c);
  return v;
}

// The int encoding of v if it fits 32 bits: false otherwise.
bool PutEncodedInt(std::string* out, int64_t v) {
  if (v >= INT8_MIN && v <= INT8_MAX) {
    out->push_back(static_cast<char>((kEncVal << 6) | kEncInt8));
    PutLE(out, static_cast<uint64_t>(v), 1);
  } else if (v >= INT16_MIN && v <= INT16_MAX) {
    out->push_back(static_cast<char>((kEncVal << 6) | kEncInt16));
    PutLE(out, static_cast<uint64_t>(v), 2);
  } else if (v >= INT32_MIN && v <= INT32_MAX) {
    out->push_back(static_cast<char>((kEncVal << 6) | kEncInt32));
    PutLE(out, static_cast<uint64_t>(v), 4);
  } else {
    return false;
  }
  return true;
}

}  // namespace

void RdbPutLength(std::string* out, uint64_t len) {
  if (len < (1 << 6)) {
    out->push_back(static_cast<char>((k6BitLen << 6) | len));
  } else if (len < (1 << 14)) {
    out->push_back(static_cast<char>((k14BitLen << 6) | (len >> 8)));
    out->push_back(static_cast<char>(len & 0xff));
  } else if (len <= UINT32_MAX) {
    out->push_back(static_cast<char>(k32BitLen));
    PutBE(out, len, 4);
  } else {
    out->push_back(static_cast<char>(k64BitLen));
    PutBE(out, len, 8);
  }
}

void RdbPutString(std::string* out, std::string_view s, bool compress) {
  if (s.size() <= 11 && !s.empty()) {
    if (auto v = ParseInt64(s)) {
      char buf[24];
      if (std::string_view(buf, FormatInt64(*v, buf)) == s && PutEncodedInt(out, *v)) return;
    }
  }
  if (compress && s.size() > kRdbCompressMinLen) {
    if (auto packed = LzfCompress(s)) {
      out->push_back(static_cast<char>((kEncVal << 6) | kEncLzf));
      RdbPutLength(out, packed->size());
      RdbPutLength(out, s.size());
      out->append(*packed);
      return;
    }
  }
  RdbPutLength(out, s.size());
  out->append(s);
}

void RdbPutIntString(std::string* out, int64_t v) {
  if (PutEncodedInt(out, v)) return;
  char buf[24];
  size_t n = FormatInt64(v, buf);
  RdbPutLength(out, n);
  out->append(buf, n);
}

void RdbPutBinaryDouble(std::string* out, double d) {
  uint64_t bits;
  std::memcpy(&bits, &d, 8);
  PutLE(out, bits, 8);
}

void RdbPutMillis(std::string* out, int64_t ms) { PutLE(out, static_cast<uint64_t>(ms), 8); }

void RdbPutStreamIdRaw(std::string* out, uint64_t ms, uint64_t seq) {
  PutBE(out, ms, 8);
  PutBE(out, seq, 8);
}

// ---- RdbInput ----

bool RdbInput::Fail(std::string_view message) {
  if (error_.empty()) {
    error_ = std::string(message);
    error_offset_ = base_offset_ + pos_;
    if (error_.empty()) error_ = "corrupt data";
  }
  return false;
}

std::optional<uint8_t> RdbInput::ReadByte() {
  if (!ok()) return std::nullopt;
  if (pos_ >= data_.size()) {
    Fail("unexpected end of data");
    return std::nullopt;
  }
  return static_cast<uint8_t>(data_[pos_++]);
}

std::optional<std::string_view> RdbInput::ReadRaw(size_t n) {
  if (!ok()) return std::nullopt;
  if (n > data_.size() - pos_) {
    Fail("unexpected end of data");
    return std::nullopt;
  }
  std::string_view v = data_.substr(pos_, n);
  pos_ += n;
  return v;
}

std::optional<uint64_t> RdbInput::ReadLength(bool* encoded) {
  if (encoded != nullptr) *encoded = false;
  auto first = ReadByte();
  if (!first) return std::nullopt;
  const uint8_t type = (*first & 0xC0) >> 6;
  if (type == kEncVal) {
    if (encoded == nullptr) {
      Fail("unexpected string encoding where a length was expected");
      return std::nullopt;
    }
    *encoded = true;
    return *first & 0x3F;
  }
  if (type == k6BitLen) return *first & 0x3F;
  if (type == k14BitLen) {
    auto second = ReadByte();
    if (!second) return std::nullopt;
    return (uint64_t{*first & 0x3Fu} << 8) | *second;
  }
  if (*first == k32BitLen) {
    auto b = ReadRaw(4);
    if (!b) return std::nullopt;
    return GetBE(*b);
  }
  if (*first == k64BitLen) {
    auto b = ReadRaw(8);
    if (!b) return std::nullopt;
    return GetBE(*b);
  }
  Fail("unknown length encoding");
  return std::nullopt;
}

std::optional<uint64_t> RdbInput::ReadCount(size_t min_bytes_each) {
  const size_t at = pos_;
  auto n = ReadLength();
  if (!n) return std::nullopt;
  if (min_bytes_each > 0 && *n > remaining() / min_bytes_each) {
    pos_ = at;
    Fail("element count larger than the data left");
    return std::nullopt;
  }
  return n;
}

std::optional<std::string> RdbInput::ReadString() {
  bool encoded = false;
  const size_t at = pos_;
  auto len = ReadLength(&encoded);
  if (!len) return std::nullopt;
  if (!encoded) {
    auto raw = ReadRaw(*len);
    if (!raw) return std::nullopt;
    return std::string(*raw);
  }
  int64_t v = 0;
  switch (*len) {
    case kEncInt8: {
      auto b = ReadRaw(1);
      if (!b) return std::nullopt;
      v = static_cast<int8_t>(GetLE(*b));
      break;
    }
    case kEncInt16: {
      auto b = ReadRaw(2);
      if (!b) return std::nullopt;
      v = static_cast<int16_t>(GetLE(*b));
      break;
    }
    case kEncInt32: {
      auto b = ReadRaw(4);
      if (!b) return std::nullopt;
      v = static_cast<int32_t>(GetLE(*b));
      break;
    }
    case kEncLzf: {
      auto clen = ReadLength();
      auto ulen = ReadLength();
      if (!clen || !ulen) return std::nullopt;
      auto packed = ReadRaw(*clen);
      if (!packed) return std::nullopt;
      auto out = LzfDecompress(*packed, *ulen);
      if (!out) {
        pos_ = at;
        Fail("invalid LZF compressed string");
        return std::nullopt;
      }
      return out;
    }
    default:
      pos_ = at;
      Fail("unknown string encoding");
      return std::nullopt;
  }
  char buf[24];
  return std::string(buf, FormatInt64(v, buf));
}

std::optional<double> RdbInput::ReadBinaryDouble() {
  auto b = ReadRaw(8);
  if (!b) return std::nullopt;
  uint64_t bits = GetLE(*b);
  double d;
  std::memcpy(&d, &bits, 8);
  return d;
}

std::optional<double> RdbInput::ReadTextDouble() {
  auto len = ReadByte();
  if (!len) return std::nullopt;
  switch (*len) {
    case 253:
      return std::numeric_limits<double>::quiet_NaN();
    case 254:
      return std::numeric_limits<double>::infinity();
    case 255:
      return -std::numeric_limits<double>::infinity();
    default:
      break;
  }
  auto text = ReadRaw(*len);
  if (!text) return std::nullopt;
  std::string s(*text);
  char* end = nullptr;
  double d = std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size()) {
    Fail("invalid double");
    return std::nullopt;
  }
  return d;
}

std::optional<int64_t> RdbInput::ReadMillis() {
  auto b = ReadRaw(8);
  if (!b) return std::nullopt;
  return static_cast<int64_t>(GetLE(*b));
}

std::optional<int64_t> RdbInput::ReadSeconds() {
  auto b = ReadRaw(4);
  if (!b) return std::nullopt;
  return static_cast<int32_t>(GetLE(*b));
}

std::optional<std::string> RdbReadFunctionCode(RdbInput& in, uint8_t opcode, std::string* error) {
  if (opcode == kRdbOpFunction2) {
    std::optional<std::string> code = in.ReadString();
    if (!code) *error = "Failed loading library payload";
    return code;
  }
  std::optional<std::string> name = in.ReadString();
  if (!name) {
    *error = "Failed loading library name";
    return std::nullopt;
  }
  std::optional<std::string> engine = in.ReadString();
  if (!engine) {
    *error = "Failed loading engine name";
    return std::nullopt;
  }
  std::optional<uint64_t> has_description = in.ReadLength();
  if (!has_description) {
    *error = "Failed loading library description indicator";
    return std::nullopt;
  }
  if (*has_description != 0 && !in.ReadString()) {
    *error = "Failed loading library description";
    return std::nullopt;
  }
  std::optional<std::string> body = in.ReadString();
  if (!body) {
    *error = "Failed loading library blob";
    return std::nullopt;
  }
  return "#!" + *engine + " name=" + *name + "\n" + *body;
}

}  // namespace basalt
