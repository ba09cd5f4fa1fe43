#include "types/listpack.h"

#include <malloc.h>

#include <cstdlib>
#include <cstring>

#include "util/strconv.h"

namespace basalt {

namespace {

constexpr size_t kHeaderSize = ListpackView::kHeaderSize;
constexpr uint8_t kEof = ListpackView::kEof;
constexpr uint16_t kCountUnknown = ListpackView::kCountUnknown;
constexpr size_t kEmptySize = kHeaderSize + 1;

// Encoding bytes (see the table in listpack.h).
constexpr uint8_t kStr32 = 0xF0;
constexpr uint8_t kInt16 = 0xF1;
constexpr uint8_t kInt24 = 0xF2;
constexpr uint8_t kInt32 = 0xF3;
constexpr uint8_t kInt64 = 0xF4;

// Every empty Listpack points here until its first insertion, so empty values cost no
// allocation. Never written: the only header write on a read path (size()'s recount)
// happens when the count is unknown, which this blob's is not.
alignas(8) constexpr uint8_t kEmptyBlob[kEmptySize] = {kEmptySize, 0, 0, 0, 0, 0, kEof};

uint32_t Read16(const uint8_t* p) { return p[0] | (uint32_t{p[1]} << 8); }
uint32_t Read24(const uint8_t* p) { return Read16(p) | (uint32_t{p[2]} << 16); }
uint32_t Read32(const uint8_t* p) { return Read24(p) | (uint32_t{p[3]} << 24); }
uint64_t Read64(const uint8_t* p) { return Read32(p) | (uint64_t{Read32(p + 4)} << 32); }

void WriteLE(uint8_t* p, uint64_t v, int n) {
  for (int i = 0; i < n; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}

uint32_t TotalBytes(const uint8_t* lp) { return Read32(lp); }
uint32_t HeaderCount(const uint8_t* lp) { return Read16(lp + 4); }

// How many leading bytes of an entry must be readable to know its length: 0 for a byte
// that starts no entry (0xF5..0xFE, and the terminator).
size_t LengthBytes(uint8_t b) {
  if ((b & 0xF0) == 0xE0) return 2;  // 12-bit string
  if (b == kStr32) return 5;
  if (b >= 0xF5) return 0;
  return 1;
}

// Length of the encoding and data of the entry at p (without its backlen), reading only
// LengthBytes(p[0]) bytes; 0 for a byte that starts no entry.
uint64_t EncodedLen(const uint8_t* p) {
  uint8_t b = p[0];
  if (b < 0x80) return 1;
  if ((b & 0xC0) == 0x80) return 1 + (b & 0x3F);
  if ((b & 0xE0) == 0xC0) return 2;
  if ((b & 0xF0) == 0xE0) return 2 + (((b & 0x0F) << 8) | p[1]);
  switch (b) {
    case kStr32:
      return 5 + uint64_t{Read32(p + 1)};
    case kInt16:
      return 3;
    case kInt24:
      return 4;
    case kInt32:
      return 5;
    case kInt64:
      return 9;
    default:
      return 0;
  }
}

// Redis's thresholds, including the strict '<' that makes 16383 take three bytes.
size_t BacklenSize(uint64_t len) {
  if (len <= 127) return 1;
  if (len < 16383) return 2;
  if (len < 2097151) return 3;
  if (len < 268435455) return 4;
  return 5;
}

// Most significant 7-bit group first; all bytes but the first flagged with 0x80, so a
// reader starting from the last byte knows where to stop.
size_t WriteBacklen(uint8_t* out, uint64_t len) {
  size_t n = BacklenSize(len);
  for (size_t i = 0; i < n; ++i) {
    uint8_t group = (len >> (7 * (n - 1 - i))) & 0x7F;
    out[i] = i == 0 ? group : (group | 0x80);
  }
  return n;
}

// Reads a backlen from its last byte backwards. REQUIRES: a validated listpack.
uint64_t ReadBacklen(const uint8_t* last) {
  uint64_t v = 0;
  for (int shift = 0; shift <= 28; shift += 7, --last) {
    v |= uint64_t{*last & 0x7Fu} << shift;
    if (!(*last & 0x80)) break;
  }
  return v;
}

// Whole entry size: encoding + data + backlen. REQUIRES: p starts a valid entry.
uint64_t EntrySize(const uint8_t* p) {
  uint64_t len = EncodedLen(p);
  return len + BacklenSize(len);
}

ListpackEntry Decode(const uint8_t* p) {
  ListpackEntry e;
  uint8_t b = p[0];
  auto str = [&e](const uint8_t* data, size_t len) {
    e.sval = std::string_view(reinterpret_cast<const char*>(data), len);
    return e;
  };
  e.is_int = true;
  if (b < 0x80) {
    e.ival = b;
  } else if ((b & 0xC0) == 0x80) {
    e.is_int = false;
    return str(p + 1, b & 0x3F);
  } else if ((b & 0xE0) == 0xC0) {
    int64_t u = ((b & 0x1F) << 8) | p[1];
    e.ival = u >= 4096 ? u - 8192 : u;
  } else if ((b & 0xF0) == 0xE0) {
    e.is_int = false;
    return str(p + 2, ((b & 0x0F) << 8) | p[1]);
  } else if (b == kStr32) {
    e.is_int = false;
    return str(p + 5, Read32(p + 1));
  } else if (b == kInt16) {
    e.ival = static_cast<int16_t>(Read16(p + 1));
  } else if (b == kInt24) {
    // Shift the 24 bits to the top of an int32 and back down to extend the sign.
    e.ival = static_cast<int32_t>(Read24(p + 1) << 8) >> 8;
  } else if (b == kInt32) {
    e.ival = static_cast<int32_t>(Read32(p + 1));
  } else if (b == kInt64) {
    e.ival = static_cast<int64_t>(Read64(p + 1));
  } else {
    // Unreachable on validated blobs; Redis answers this marker value too.
    e.ival = 12345678900000000LL + b;
  }
  return e;
}

[[noreturn]] void OutOfMemory() { std::abort(); }

}  // namespace

// ---- Entry values ---------------------------------------------------------------------------

std::string ListpackEntry::ToString() const {
  return is_int ? Int64ToString(ival) : std::string(sval);
}

bool ListpackEntry::Equals(std::string_view s) const {
  if (!is_int) return sval == s;
  std::optional<int64_t> v = ParseInt64(s);
  return v && *v == ival;
}

// ---- Reading --------------------------------------------------------------------------------

size_t ListpackView::bytes_len() const { return TotalBytes(data_); }

size_t ListpackView::size() const {
  uint32_t count = HeaderCount(data_);
  if (count != kCountUnknown) return count;
  size_t n = 0;
  for (Pos p = First(); p; p = Next(p)) ++n;
  return n;
}

ListpackPos ListpackView::First() const {
  return data_[kHeaderSize] == kEof ? Pos{} : Pos{static_cast<uint32_t>(kHeaderSize)};
}

ListpackPos ListpackView::Last() const {
  uint32_t eof = TotalBytes(data_) - 1;
  return eof == kHeaderSize ? Pos{} : Prev(Pos{eof});
}

ListpackPos ListpackView::Next(Pos pos) const {
  uint32_t off = pos.offset + static_cast<uint32_t>(EntrySize(data_ + pos.offset));
  return data_[off] == kEof ? Pos{} : Pos{off};
}

ListpackPos ListpackView::Prev(Pos pos) const {
  if (pos.offset == kHeaderSize) return Pos{};
  uint64_t len = ReadBacklen(data_ + pos.offset - 1);
  return Pos{static_cast<uint32_t>(pos.offset - len - BacklenSize(len))};
}

ListpackPos ListpackView::Seek(int64_t index) const {
  uint32_t count = HeaderCount(data_);
  bool forward = index >= 0;
  if (count != kCountUnknown) {
    if (index < 0) index += count;
    if (index < 0 || index >= count) return Pos{};
    // Walk from whichever end is nearer.
    forward = index <= count / 2;
    if (!forward) index -= count;
  }
  if (forward) {
    Pos p = First();
    for (; p && index > 0; --index) p = Next(p);
    return p;
  }
  Pos p = Last();
  for (; p && index < -1; ++index) p = Prev(p);
  return p;
}

ListpackEntry ListpackView::Get(Pos pos) const { return Decode(data_ + pos.offset); }

ListpackPos ListpackView::Find(Pos start, std::string_view value, uint32_t skip) const {
  // Parsed once, on the first integer entry met: most searches in string-only listpacks
  // never need it.
  bool parsed = false;
  std::optional<int64_t> as_int;
  uint32_t to_skip = 0;
  for (Pos p = start; p; p = Next(p)) {
    if (to_skip > 0) {
      --to_skip;
      continue;
    }
    to_skip = skip;
    ListpackEntry e = Get(p);
    if (!e.is_int) {
      if (e.sval == value) return p;
      continue;
    }
    if (!parsed) {
      as_int = ParseInt64(value);
      parsed = true;
    }
    if (as_int && *as_int == e.ival) return p;
  }
  return Pos{};
}

ListpackPos ListpackView::Find(Pos start, int64_t value, uint32_t skip) const {
  char buf[kInt64BufSize];
  return Find(start, std::string_view(buf, FormatInt64(value, buf)), skip);
}

// ---- Validation -----------------------------------------------------------------------------

bool Listpack::Validate(std::string_view blob, bool deep, size_t* count) {
  const auto* lp = reinterpret_cast<const uint8_t*>(blob.data());
  size_t size = blob.size();
  if (size < kEmptySize) return false;
  if (TotalBytes(lp) != size) return false;
  if (lp[size - 1] != kEof) return false;
  uint32_t header_count = HeaderCount(lp);
  if (!deep) {
    if (count) *count = header_count;
    return true;
  }
  const size_t eof = size - 1;
  size_t off = kHeaderSize;
  size_t n = 0;
  uint8_t expected_backlen[5];
  while (off < eof) {
    size_t length_bytes = LengthBytes(lp[off]);
    if (length_bytes == 0) return false;  // unknown encoding, or a terminator too early
    if (length_bytes > eof - off) return false;
    uint64_t len = EncodedLen(lp + off);
    size_t backlen_size = WriteBacklen(expected_backlen, len);
    if (len + backlen_size > eof - off) return false;
    if (std::memcmp(lp + off + len, expected_backlen, backlen_size) != 0) return false;
    off += len + backlen_size;
    ++n;
  }
  if (header_count != kCountUnknown && header_count != n) return false;
  if (count) *count = n;
  return true;
}

// ---- Ownership ------------------------------------------------------------------------------

Listpack::Listpack() : data_(const_cast<uint8_t*>(kEmptyBlob)) {}

Listpack::~Listpack() {
  if (owned()) std::free(data_);
}

Listpack::Listpack(Listpack&& other) noexcept : data_(other.data_) {
  other.data_ = const_cast<uint8_t*>(kEmptyBlob);
}

Listpack& Listpack::operator=(Listpack&& other) noexcept {
  if (this != &other) {
    if (owned()) std::free(data_);
    data_ = other.data_;
    other.data_ = const_cast<uint8_t*>(kEmptyBlob);
  }
  return *this;
}

bool Listpack::owned() const { return data_ != kEmptyBlob; }

std::optional<Listpack> Listpack::FromBytes(std::string_view blob, bool deep) {
  if (!Validate(blob, deep, nullptr)) return std::nullopt;
  Listpack lp;
  if (blob == std::string_view(reinterpret_cast<const char*>(kEmptyBlob), kEmptySize)) {
    return lp;
  }
  auto* data = static_cast<uint8_t*>(std::malloc(blob.size()));
  if (data == nullptr) OutOfMemory();
  std::memcpy(data, blob.data(), blob.size());
  lp.data_ = data;
  return lp;
}

size_t Listpack::AllocatedBytes() const { return owned() ? malloc_usable_size(data_) : 0; }

size_t Listpack::size() const {
  uint32_t count = HeaderCount(data_);
  if (count != kCountUnknown) return count;
  size_t n = view().size();
  if (n < kCountUnknown) WriteLE(data_ + 4, n, 2);
  return n;
}

void Listpack::Reserve(size_t bytes) {
  if (bytes <= AllocatedBytes()) return;
  size_t len = bytes_len();
  if (bytes < len) return;
  if (!owned()) {
    auto* data = static_cast<uint8_t*>(std::malloc(bytes));
    if (data == nullptr) OutOfMemory();
    std::memcpy(data, kEmptyBlob, kEmptySize);
    data_ = data;
    return;
  }
  auto* data = static_cast<uint8_t*>(std::realloc(data_, bytes));
  if (data == nullptr) OutOfMemory();
  data_ = data;
}

void Listpack::ShrinkToFit() {
  if (!owned() || AllocatedBytes() <= bytes_len()) return;
  auto* data = static_cast<uint8_t*>(std::realloc(data_, bytes_len()));
  if (data == nullptr) OutOfMemory();
  data_ = data;
}

void Listpack::Clear() {
  if (owned()) std::free(data_);
  data_ = const_cast<uint8_t*>(kEmptyBlob);
}

// ---- Writing --------------------------------------------------------------------------------

// An element ready to be written: its encoding bytes (the whole entry for integers),
// its string data if any, and its backlen.
struct Listpack::Encoded {
  uint8_t head[9];
  size_t head_len = 0;
  std::string_view data;
  uint8_t backlen[5];
  size_t backlen_len = 0;

  size_t total() const { return head_len + data.size() + backlen_len; }
  void WriteTo(uint8_t* out) const {
    std::memcpy(out, head, head_len);
    if (!data.empty()) std::memcpy(out + head_len, data.data(), data.size());
    std::memcpy(out + head_len + data.size(), backlen, backlen_len);
  }

  static Encoded Int(int64_t v) {
    Encoded e;
    // Negative values are stored as their two's complement in the field's width.
    auto u = static_cast<uint64_t>(v);
    if (v >= 0 && v <= 127) {
      e.head[0] = static_cast<uint8_t>(v);
      e.head_len = 1;
    } else if (v >= -4096 && v <= 4095) {
      uint64_t f = u & 0x1FFF;
      e.head[0] = static_cast<uint8_t>(0xC0 | (f >> 8));
      e.head[1] = static_cast<uint8_t>(f);
      e.head_len = 2;
    } else if (v >= -32768 && v <= 32767) {
      e.head[0] = kInt16;
      WriteLE(e.head + 1, u, 2);
      e.head_len = 3;
    } else if (v >= -8388608 && v <= 8388607) {
      e.head[0] = kInt24;
      WriteLE(e.head + 1, u, 3);
      e.head_len = 4;
    } else if (v >= INT32_MIN && v <= INT32_MAX) {
      e.head[0] = kInt32;
      WriteLE(e.head + 1, u, 4);
      e.head_len = 5;
    } else {
      e.head[0] = kInt64;
      WriteLE(e.head + 1, u, 8);
      e.head_len = 9;
    }
    e.backlen_len = WriteBacklen(e.backlen, e.head_len);
    return e;
  }

  static Encoded String(std::string_view s) {
    if (std::optional<int64_t> v = ParseInt64(s)) return Int(*v);
    Encoded e;
    size_t n = s.size();
    if (n < 64) {
      e.head[0] = static_cast<uint8_t>(0x80 | n);
      e.head_len = 1;
    } else if (n < 4096) {
      e.head[0] = static_cast<uint8_t>(0xE0 | (n >> 8));
      e.head[1] = static_cast<uint8_t>(n);
      e.head_len = 2;
    } else {
      e.head[0] = kStr32;
      WriteLE(e.head + 1, n, 4);
      e.head_len = 5;
    }
    e.data = s;
    e.backlen_len = WriteBacklen(e.backlen, e.head_len + n);
    return e;
  }
};

uint8_t* Listpack::Splice(size_t offset, size_t old_len, size_t new_len) {
  size_t old_total = bytes_len();
  size_t new_total = old_total - old_len + new_len;
  // The format cannot describe more; callers are expected to stop at kMaxSafetySize.
  if (new_total > UINT32_MAX) OutOfMemory();
  if (!owned()) {
    auto* data = static_cast<uint8_t*>(std::malloc(new_total > old_total ? new_total : old_total));
    if (data == nullptr) OutOfMemory();
    std::memcpy(data, kEmptyBlob, kEmptySize);
    data_ = data;
  } else if (new_total > old_total && new_total > AllocatedBytes()) {
    auto* data = static_cast<uint8_t*>(std::realloc(data_, new_total));
    if (data == nullptr) OutOfMemory();
    data_ = data;
  }
  std::memmove(data_ + offset + new_len, data_ + offset + old_len, old_total - offset - old_len);
  if (new_total < old_total) {
    // Give memory back as Redis does, so memory figures match its.
    auto* data = static_cast<uint8_t*>(std::realloc(data_, new_total));
    if (data == nullptr) OutOfMemory();
    data_ = data;
  }
  WriteLE(data_, new_total, 4);
  return data_ + offset;
}

void Listpack::AddToCount(int64_t delta) {
  uint32_t count = HeaderCount(data_);
  if (count == kCountUnknown) return;  // stays unknown until size() recounts
  int64_t n = int64_t{count} + delta;
  WriteLE(data_ + 4, n >= kCountUnknown ? kCountUnknown : n, 2);
}

ListpackPos Listpack::InsertEncoded(size_t offset, const Encoded& e) {
  e.WriteTo(Splice(offset, 0, e.total()));
  AddToCount(1);
  return Pos{static_cast<uint32_t>(offset)};
}

ListpackPos Listpack::ReplaceEncoded(Pos pos, const Encoded& e) {
  e.WriteTo(Splice(pos.offset, EntrySize(data_ + pos.offset), e.total()));
  return pos;
}

void Listpack::Append(std::string_view s) { InsertEncoded(bytes_len() - 1, Encoded::String(s)); }
void Listpack::Append(int64_t v) { InsertEncoded(bytes_len() - 1, Encoded::Int(v)); }
void Listpack::Prepend(std::string_view s) { InsertEncoded(kHeaderSize, Encoded::String(s)); }
void Listpack::Prepend(int64_t v) { InsertEncoded(kHeaderSize, Encoded::Int(v)); }

ListpackPos Listpack::Insert(Pos pos, Where where, std::string_view s) {
  size_t offset = pos.offset;
  if (where == Where::kAfter) offset += EntrySize(data_ + offset);
  return InsertEncoded(offset, Encoded::String(s));
}

ListpackPos Listpack::Insert(Pos pos, Where where, int64_t v) {
  size_t offset = pos.offset;
  if (where == Where::kAfter) offset += EntrySize(data_ + offset);
  return InsertEncoded(offset, Encoded::Int(v));
}

ListpackPos Listpack::Replace(Pos pos, std::string_view s) {
  return ReplaceEncoded(pos, Encoded::String(s));
}

ListpackPos Listpack::Replace(Pos pos, int64_t v) { return ReplaceEncoded(pos, Encoded::Int(v)); }

ListpackPos Listpack::Delete(Pos pos) { return DeleteRange(pos, 1); }

ListpackPos Listpack::DeleteRange(Pos pos, size_t count) {
  if (count == 0) return pos;
  size_t end = pos.offset;
  size_t deleted = 0;
  while (deleted < count && data_[end] != kEof) {
    end += EntrySize(data_ + end);
    ++deleted;
  }
  Splice(pos.offset, end - pos.offset, 0);
  AddToCount(-static_cast<int64_t>(deleted));
  return data_[pos.offset] == kEof ? Pos{} : pos;
}

void Listpack::DeleteRange(int64_t index, size_t count) {
  if (count == 0) return;
  Pos pos = Seek(index);
  if (pos) DeleteRange(pos, count);
}

}  // namespace basalt
