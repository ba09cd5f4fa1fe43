// bitmap: the bit-level arithmetic behind SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP and
// BITFIELD, as plain functions over byte strings.
//
// Conventions (Redis's, so stored bitmaps are interchangeable with Redis's):
//   - bit 0 is the most significant bit of byte 0, bit 7 its least significant, bit 8 the
//     most significant bit of byte 1, and so on:
//
//       byte:     0                 1
//       bits:  [0 1 2 3 4 5 6 7] [8 9 ...]
//
//   - a bitfield of `bits` bits at `offset` is read most significant bit first, so
//     byte-aligned fields are big endian;
//   - reads past the end of a string see zero bits (the string is conceptually zero-padded
//     on the right); writers grow the string first (Value::MutableString).
//
// All functions are pure and thread-safe. None allocates.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace basalt {

// ---- Ranges --------------------------------------------------------------------------------

// An inclusive index range; empty when start > end.
struct IndexRange {
  int64_t start;
  int64_t end;
  bool empty() const { return start > end; }
};

// Redis's index rule for GETRANGE, BITCOUNT and BITPOS over `len` units (bytes or bits):
// negative indexes count from the end, then both are clamped into [0, len - 1]. An empty
// string (len 0) always gives an empty range. Callers apply command-specific pre-checks
// (GETRANGE and BITCOUNT answer "empty" at once when start < 0, end < 0 and start > end).
IndexRange ClampRange(int64_t start, int64_t end, int64_t len);

// ---- Counting and searching ----------------------------------------------------------------

// Number of set bits in `bytes`.
uint64_t PopCount(std::string_view bytes);

// Number of set bits at bit positions first_bit..last_bit (inclusive).
// REQUIRES: first_bit <= last_bit < 8 * bytes.size().
uint64_t PopCountBits(std::string_view bytes, uint64_t first_bit, uint64_t last_bit);

// Position of the first bit equal to `bit` (0 or 1) among first_bit..last_bit (inclusive),
// or -1 when there is none. REQUIRES: first_bit <= last_bit < 8 * bytes.size().
int64_t FindBit(std::string_view bytes, int bit, uint64_t first_bit, uint64_t last_bit);

// ---- BITOP ---------------------------------------------------------------------------------

enum class BitOpKind { kAnd, kOr, kXor, kNot };

// Length of BITOP's result: that of the longest source.
size_t BitOpLength(std::span<const std::string_view> sources);

// Combines `sources` byte by byte into `out`; shorter sources count as zero-padded to the
// longest. kNot uses sources[0] only. REQUIRES: !sources.empty(),
// out.size() == BitOpLength(sources), and `out` overlaps no source.
void BitOp(BitOpKind op, std::span<const std::string_view> sources, std::span<char> out);

// ---- BITFIELD ------------------------------------------------------------------------------

// A BITFIELD type: i1..i64 (signed) or u1..u63 (unsigned; u64 does not fit RESP integers).
struct BitfieldType {
  bool is_signed;
  int bits;
};

// Parses "i8", "u16", ... (lower-case prefix only, as Redis). nullopt when invalid.
std::optional<BitfieldType> ParseBitfieldType(std::string_view arg);

// Parses a bit offset argument: a non-negative integer whose byte (offset / 8) is below
// `max_bytes` (proto-max-bulk-len). With hash_bits > 0 (BITFIELD), "#N" means N * hash_bits;
// the product wraps modulo 2^64 like Redis's, and the range check applies to the result.
std::optional<uint64_t> ParseBitOffset(std::string_view arg, int hash_bits, uint64_t max_bytes);

// Reads the field at `offset` of width `bits` (1..64); bytes past the end read as zero.
uint64_t GetUnsignedField(std::string_view bytes, uint64_t offset, int bits);
// Same, sign-extended from the field's top bit.
int64_t GetSignedField(std::string_view bytes, uint64_t offset, int bits);

// Stores the low `bits` bits of `value` at `offset`.
// REQUIRES: offset + bits <= 8 * (size of the buffer at `bytes`).
void SetField(char* bytes, uint64_t offset, int bits, uint64_t value);

enum class BitfieldOverflow { kWrap, kSat, kFail };

// What storing value + incr into a field of `type` gives under an overflow policy.
struct FieldOutcome {
  // The exact sum did not fit the field (BITFIELD replies nil and writes nothing under kFail).
  bool overflow;
  // What to store: the exact sum, or the wrapped / saturated one. Unsigned results are in
  // 0..2^63-1. Unspecified when overflow under kFail.
  int64_t value;
};

// For signed types `value` is the field's value; for unsigned ones its bits are read as an
// uint64_t, as Redis does, so SET u8 -1 is an overflow high: 255 under kSat, not 0.
// INCRBY passes the old field value and the increment; SET passes the new value and 0.
FieldOutcome FieldAdd(BitfieldType type, int64_t value, int64_t incr, BitfieldOverflow mode);

}  // namespace basalt
