#include "types/intset.h"

#include <bit>
#include <cstdlib>
#include <cstring>
#include <limits>

namespace basalt {
namespace {

constexpr uint32_t kEnc16 = 2;
constexpr uint32_t kEnc32 = 4;
constexpr uint32_t kEnc64 = 8;

// What bytes() shows for a set that owns no buffer: encoding 2, length 0.
constexpr char kEmptyHeader[IntSet::kHeaderSize] = {2, 0, 0, 0, 0, 0, 0, 0};

// The narrowest width that holds `v`.
uint32_t EncodingFor(int64_t v) {
  if (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max()) {
    return kEnc64;
  }
  if (v < std::numeric_limits<int16_t>::min() || v > std::numeric_limits<int16_t>::max()) {
    return kEnc32;
  }
  return kEnc16;
}

// Little-endian loads and stores through memcpy: the buffer has no alignment guarantee
// (blobs come from files at arbitrary offsets), and the format is little endian on every host.
template <typename T>
T LoadLe(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof(v));
  if constexpr (std::endian::native == std::endian::big) {
    if constexpr (sizeof(T) == 2) v = static_cast<T>(__builtin_bswap16(static_cast<uint16_t>(v)));
    if constexpr (sizeof(T) == 4) v = static_cast<T>(__builtin_bswap32(static_cast<uint32_t>(v)));
    if constexpr (sizeof(T) == 8) v = static_cast<T>(__builtin_bswap64(static_cast<uint64_t>(v)));
  }
  return v;
}

template <typename T>
void StoreLe(uint8_t* p, T v) {
  if constexpr (std::endian::native == std::endian::big) {
    if constexpr (sizeof(T) == 2) v = static_cast<T>(__builtin_bswap16(static_cast<uint16_t>(v)));
    if constexpr (sizeof(T) == 4) v = static_cast<T>(__builtin_bswap32(static_cast<uint32_t>(v)));
    if constexpr (sizeof(T) == 8) v = static_cast<T>(__builtin_bswap64(static_cast<uint64_t>(v)));
  }
  std::memcpy(p, &v, sizeof(v));
}

// Element `i` of a contents area whose elements are `enc` bytes wide.
int64_t ReadElement(const uint8_t* contents, size_t i, uint32_t enc) {
  switch (enc) {
    case kEnc64:
      return LoadLe<int64_t>(contents + i * 8);
    case kEnc32:
      return LoadLe<int32_t>(contents + i * 4);
    default:
      return LoadLe<int16_t>(contents + i * 2);
  }
}

// REQUIRES: `v` fits in `enc` bytes.
void WriteElement(uint8_t* contents, size_t i, uint32_t enc, int64_t v) {
  switch (enc) {
    case kEnc64:
      StoreLe<int64_t>(contents + i * 8, v);
      break;
    case kEnc32:
      StoreLe<int32_t>(contents + i * 4, static_cast<int32_t>(v));
      break;
    default:
      StoreLe<int16_t>(contents + i * 2, static_cast<int16_t>(v));
      break;
  }
}

}  // namespace

IntSet::~IntSet() { std::free(buf_); }

IntSet& IntSet::operator=(IntSet&& other) noexcept {
  if (this != &other) {
    std::free(buf_);
    buf_ = other.buf_;
    other.buf_ = nullptr;
  }
  return *this;
}

IntSet IntSet::Clone() const {
  IntSet out;
  if (buf_ != nullptr) {
    const size_t n = bytes_len();
    out.buf_ = static_cast<uint8_t*>(std::malloc(n));
    if (out.buf_ == nullptr) std::abort();
    std::memcpy(out.buf_, buf_, n);
  }
  return out;
}

bool IntSet::Validate(std::string_view blob, bool deep) {
  if (blob.size() < kHeaderSize) return false;
  const auto* p = reinterpret_cast<const uint8_t*>(blob.data());
  const uint32_t enc = LoadLe<uint32_t>(p);
  if (enc != kEnc16 && enc != kEnc32 && enc != kEnc64) return false;
  const uint32_t count = LoadLe<uint32_t>(p + 4);
  // 64-bit arithmetic: count * 8 cannot overflow, so a huge length cannot wrap into a match.
  if (kHeaderSize + static_cast<uint64_t>(count) * enc != blob.size()) return false;
  if (count == 0) return false;
  if (!deep) return true;
  const uint8_t* contents = p + kHeaderSize;
  int64_t prev = ReadElement(contents, 0, enc);
  for (uint32_t i = 1; i < count; ++i) {
    const int64_t cur = ReadElement(contents, i, enc);
    if (cur <= prev) return false;
    prev = cur;
  }
  return true;
}

std::optional<IntSet> IntSet::FromBytes(std::string_view blob, bool deep) {
  if (!Validate(blob, deep)) return std::nullopt;
  IntSet out;
  out.buf_ = static_cast<uint8_t*>(std::malloc(blob.size()));
  if (out.buf_ == nullptr) std::abort();
  std::memcpy(out.buf_, blob.data(), blob.size());
  return out;
}

std::string_view IntSet::bytes() const {
  if (buf_ == nullptr) return std::string_view(kEmptyHeader, kHeaderSize);
  return std::string_view(reinterpret_cast<const char*>(buf_), bytes_len());
}

size_t IntSet::size() const { return buf_ == nullptr ? 0 : LoadLe<uint32_t>(buf_ + 4); }

uint32_t IntSet::encoding() const { return buf_ == nullptr ? kEnc16 : LoadLe<uint32_t>(buf_); }

int64_t IntSet::Get(size_t index) const {
  return ReadElement(buf_ + kHeaderSize, index, encoding());
}

bool IntSet::Search(int64_t value, size_t* pos) const {
  const size_t n = size();
  if (n == 0) {
    *pos = 0;
    return false;
  }
  // Appends and prepends are the common cases (SADD of increasing ids), so check the ends
  // before bisecting.
  if (value > Max()) {
    *pos = n;
    return false;
  }
  if (value < Min()) {
    *pos = 0;
    return false;
  }
  const uint8_t* contents = buf_ + kHeaderSize;
  const uint32_t enc = encoding();
  size_t lo = 0;
  size_t hi = n;  // the answer lies in [lo, hi)
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    const int64_t cur = ReadElement(contents, mid, enc);
    if (cur < value) {
      lo = mid + 1;
    } else if (cur > value) {
      hi = mid;
    } else {
      *pos = mid;
      return true;
    }
  }
  *pos = lo;
  return false;
}

void IntSet::Resize(size_t count, uint32_t enc) {
  const bool fresh = buf_ == nullptr;
  auto* p = static_cast<uint8_t*>(std::realloc(buf_, kHeaderSize + count * enc));
  if (p == nullptr) std::abort();  // as zmalloc: out of memory is not recoverable here
  buf_ = p;
  if (fresh) {
    StoreLe<uint32_t>(buf_, kEnc16);
    StoreLe<uint32_t>(buf_ + 4, 0);
  }
}

void IntSet::UpgradeAndAdd(int64_t value) {
  const uint32_t old_enc = encoding();
  const uint32_t new_enc = EncodingFor(value);
  const size_t n = size();
  Resize(n + 1, new_enc);
  // A value that needs a wider encoding lies beyond every current element: below all of
  // them when negative, above all when positive. Widen back to front so no element is
  // overwritten before it is read, shifting by one when the new value goes first.
  const size_t shift = value < 0 ? 1 : 0;
  uint8_t* contents = buf_ + kHeaderSize;
  for (size_t i = n; i-- > 0;) {
    WriteElement(contents, i + shift, new_enc, ReadElement(contents, i, old_enc));
  }
  WriteElement(contents, value < 0 ? 0 : n, new_enc, value);
  StoreLe<uint32_t>(buf_, new_enc);
  StoreLe<uint32_t>(buf_ + 4, static_cast<uint32_t>(n + 1));
}

bool IntSet::Add(int64_t value) {
  if (EncodingFor(value) > encoding()) {
    UpgradeAndAdd(value);
    return true;
  }
  size_t pos;
  if (Search(value, &pos)) return false;
  const size_t n = size();
  const uint32_t enc = encoding();
  Resize(n + 1, enc);
  uint8_t* contents = buf_ + kHeaderSize;
  std::memmove(contents + (pos + 1) * enc, contents + pos * enc, (n - pos) * enc);
  WriteElement(contents, pos, enc, value);
  StoreLe<uint32_t>(buf_ + 4, static_cast<uint32_t>(n + 1));
  return true;
}

bool IntSet::Remove(int64_t value) {
  // A value wider than the encoding cannot be present (and must not be truncated for the
  // comparison).
  if (EncodingFor(value) > encoding()) return false;
  size_t pos;
  if (!Search(value, &pos)) return false;
  const size_t n = size();
  const uint32_t enc = encoding();
  uint8_t* contents = buf_ + kHeaderSize;
  std::memmove(contents + pos * enc, contents + (pos + 1) * enc, (n - pos - 1) * enc);
  StoreLe<uint32_t>(buf_ + 4, static_cast<uint32_t>(n - 1));
  Resize(n - 1, enc);
  return true;
}

bool IntSet::Contains(int64_t value) const {
  if (EncodingFor(value) > encoding()) return false;
  size_t pos;
  return Search(value, &pos);
}

}  // namespace basalt
