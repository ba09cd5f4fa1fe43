#include "types/bitmap.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "util/strconv.h"

namespace basalt {

namespace {

uint8_t ByteAt(std::string_view bytes, uint64_t i) {
  return i < bytes.size() ? static_cast<uint8_t>(bytes[i]) : 0;
}

uint64_t LoadWord(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, sizeof(w));
  return w;
}

void StoreWord(char* p, uint64_t w) { std::memcpy(p, &w, sizeof(w)); }

// Applies `op` to out[0, n) and in[0, n) a word at a time, then byte by byte.
template <typename Op>
void Combine(char* out, const char* in, size_t n, Op op) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) StoreWord(out + i, op(LoadWord(out + i), LoadWord(in + i)));
  for (; i < n; ++i) {
    out[i] = static_cast<char>(op(static_cast<uint8_t>(out[i]), static_cast<uint8_t>(in[i])));
  }
}

}  // namespace

IndexRange ClampRange(int64_t start, int64_t end, int64_t len) {
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= len) end = len - 1;
  return {start, end};
}

uint64_t PopCount(std::string_view bytes) {
  const char* p = bytes.data();
  size_t n = bytes.size();
  uint64_t count = 0;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) count += std::popcount(LoadWord(p + i));
  for (; i < n; ++i) count += std::popcount(static_cast<uint8_t>(p[i]));
  return count;
}

uint64_t PopCountBits(std::string_view bytes, uint64_t first_bit, uint64_t last_bit) {
  const uint64_t first_byte = first_bit >> 3;
  const uint64_t last_byte = last_bit >> 3;
  uint64_t count = PopCount(bytes.substr(first_byte, last_byte - first_byte + 1));
  // Take back the bits of the edge bytes that lie outside the range.
  const uint8_t head =
      static_cast<uint8_t>(bytes[first_byte]) & static_cast<uint8_t>(~(0xFFu >> (first_bit & 7)));
  const uint8_t tail =
      static_cast<uint8_t>(bytes[last_byte]) & static_cast<uint8_t>(0xFFu >> ((last_bit & 7) + 1));
  return count - std::popcount(head) - std::popcount(tail);
}

int64_t FindBit(std::string_view bytes, int bit, uint64_t first_bit, uint64_t last_bit) {
  const uint64_t first_byte = first_bit >> 3;
  const uint64_t last_byte = last_bit >> 3;
  // Searching for a 0 is searching for a 1 in the complement.
  const uint8_t flip = bit ? 0 : 0xFF;
  const uint64_t skip_word = bit ? 0 : ~uint64_t{0};
  uint64_t b = first_byte;
  while (b <= last_byte) {
    // Whole words strictly inside the range that hold no candidate are skipped at once.
    if (b != first_byte && b + 8 <= last_byte && LoadWord(bytes.data() + b) == skip_word) {
      b += 8;
      continue;
    }
    uint8_t v = static_cast<uint8_t>(bytes[b]) ^ flip;
    if (b == first_byte) v &= static_cast<uint8_t>(0xFFu >> (first_bit & 7));
    if (b == last_byte) v &= static_cast<uint8_t>(0xFFu << (7 - (last_bit & 7)));
    if (v != 0) return static_cast<int64_t>(b * 8 + std::countl_zero(v));
    ++b;
  }
  return -1;
}

size_t BitOpLength(std::span<const std::string_view> sources) {
  size_t max_len = 0;
  for (std::string_view s : sources) max_len = std::max(max_len, s.size());
  return max_len;
}

void BitOp(BitOpKind op, std::span<const std::string_view> sources, std::span<char> out) {
  const size_t max_len = out.size();
  if (max_len == 0) return;
  std::memcpy(out.data(), sources[0].data(), sources[0].size());
  std::memset(out.data() + sources[0].size(), 0, max_len - sources[0].size());

  if (op == BitOpKind::kNot) {
    // Bytes past the source are zeros, so they become 0xFF.
    for (char& c : out) c = static_cast<char>(~static_cast<uint8_t>(c));
    return;
  }
  for (size_t k = 1; k < sources.size(); ++k) {
    std::string_view s = sources[k];
    switch (op) {
      case BitOpKind::kAnd:
        Combine(out.data(), s.data(), s.size(), [](uint64_t a, uint64_t b) { return a & b; });
        // AND with the zero padding past the end of this source.
        std::memset(out.data() + s.size(), 0, max_len - s.size());
        break;
      case BitOpKind::kOr:
        Combine(out.data(), s.data(), s.size(), [](uint64_t a, uint64_t b) { return a | b; });
        break;
      case BitOpKind::kXor:
        Combine(out.data(), s.data(), s.size(), [](uint64_t a, uint64_t b) { return a ^ b; });
        break;
      case BitOpKind::kNot:
        break;
    }
  }
}

std::optional<BitfieldType> ParseBitfieldType(std::string_view arg) {
  if (arg.empty() || (arg[0] != 'i' && arg[0] != 'u')) return std::nullopt;
  const bool is_signed = arg[0] == 'i';
  std::optional<int64_t> bits = ParseInt64(arg.substr(1));
  if (!bits || *bits < 1 || *bits > (is_signed ? 64 : 63)) return std::nullopt;
  return BitfieldType{is_signed, static_cast<int>(*bits)};
}

std::optional<uint64_t> ParseBitOffset(std::string_view arg, int hash_bits, uint64_t max_bytes) {
  const bool use_hash = hash_bits > 0 && !arg.empty() && arg[0] == '#';
  std::optional<int64_t> parsed = ParseInt64(use_hash ? arg.substr(1) : arg);
  if (!parsed) return std::nullopt;
  int64_t offset = *parsed;
  if (use_hash) {
    offset = static_cast<int64_t>(static_cast<uint64_t>(offset) * static_cast<uint64_t>(hash_bits));
  }
  if (offset < 0 || static_cast<uint64_t>(offset >> 3) >= max_bytes) return std::nullopt;
  return static_cast<uint64_t>(offset);
}

uint64_t GetUnsignedField(std::string_view bytes, uint64_t offset, int bits) {
  // A field of up to 64 bits starting anywhere in a byte spans at most 9 bytes: gather them
  // into a 128-bit accumulator, then shift the field down.
  const uint64_t first_byte = offset >> 3;
  const int shift = static_cast<int>(offset & 7);
  const int span = (shift + bits + 7) / 8;
  unsigned __int128 acc = 0;
  for (int i = 0; i < span; ++i) acc = (acc << 8) | ByteAt(bytes, first_byte + i);
  acc >>= span * 8 - shift - bits;
  const uint64_t mask = bits == 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
  return static_cast<uint64_t>(acc) & mask;
}

int64_t GetSignedField(std::string_view bytes, uint64_t offset, int bits) {
  uint64_t v = GetUnsignedField(bytes, offset, bits);
  if (bits < 64 && (v >> (bits - 1)) != 0) v |= ~uint64_t{0} << bits;
  return static_cast<int64_t>(v);
}

void SetField(char* bytes, uint64_t offset, int bits, uint64_t value) {
  const uint64_t first_byte = offset >> 3;
  const int shift = static_cast<int>(offset & 7);
  const int span = (shift + bits + 7) / 8;
  const int tail = span * 8 - shift - bits;
  auto* p = reinterpret_cast<uint8_t*>(bytes) + first_byte;
  unsigned __int128 acc = 0;
  for (int i = 0; i < span; ++i) acc = (acc << 8) | p[i];
  const unsigned __int128 field_mask =
      ((bits == 64 ? ~static_cast<unsigned __int128>(0) >> 64
                   : (static_cast<unsigned __int128>(1) << bits) - 1))
      << tail;
  acc = (acc & ~field_mask) | ((static_cast<unsigned __int128>(value) << tail) & field_mask);
  for (int i = span - 1; i >= 0; --i) {
    p[i] = static_cast<uint8_t>(acc);
    acc >>= 8;
  }
}

FieldOutcome FieldAdd(BitfieldType type, int64_t value, int64_t incr, BitfieldOverflow mode) {
  const int bits = type.bits;
  if (type.is_signed) {
    const int64_t max = bits == 64 ? INT64_MAX : (int64_t{1} << (bits - 1)) - 1;
    const int64_t min = -max - 1;
    // The room left above and below `value`, computed like Redis in wrapping 64-bit
    // arithmetic. It is exact for INCRBY (the old value is in range); for SET of a value
    // within 2^(bits-1) of INT64_MIN, max - value wraps negative and Redis calls it an
    // overflow high, so SAT stores max there. Kept: replies must match Redis's.
    const int64_t room_up =
        static_cast<int64_t>(static_cast<uint64_t>(max) - static_cast<uint64_t>(value));
    const int64_t room_down =
        static_cast<int64_t>(static_cast<uint64_t>(min) - static_cast<uint64_t>(value));
    const bool high = value > max || (bits != 64 && incr > room_up) ||
                      (value >= 0 && incr > 0 && incr > room_up);
    const bool low = !high && (value < min || (bits != 64 && incr < room_down) ||
                               (value < 0 && incr < 0 && incr < room_down));
    // Two's complement addition, then sign extension from the field's top bit.
    uint64_t wrapped = static_cast<uint64_t>(value) + static_cast<uint64_t>(incr);
    if (bits < 64) {
      const uint64_t high_bits = ~uint64_t{0} << bits;
      wrapped = (wrapped >> (bits - 1)) & 1 ? wrapped | high_bits : wrapped & ~high_bits;
    }
    if (!high && !low) return {false, static_cast<int64_t>(wrapped)};
    if (mode == BitfieldOverflow::kSat) return {true, high ? max : min};
    return {true, static_cast<int64_t>(wrapped)};
  }
  const uint64_t max = (uint64_t{1} << bits) - 1;  // bits <= 63
  const uint64_t current = static_cast<uint64_t>(value);
  const __int128 sum = static_cast<__int128>(current) + incr;
  if (sum >= 0 && sum <= static_cast<__int128>(max)) return {false, static_cast<int64_t>(sum)};
  if (mode == BitfieldOverflow::kSat) return {true, sum > 0 ? static_cast<int64_t>(max) : 0};
  return {true, static_cast<int64_t>((current + static_cast<uint64_t>(incr)) & max)};
}

}  // namespace basalt
