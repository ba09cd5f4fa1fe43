// The RDB file format's vocabulary: the magic, versions, opcodes, value type ids, and the
// primitive encodings every RDB item is made of (lengths, strings, integers, doubles, times),
// for writing (appending to a std::string) and reading (RdbInput, bounds-checked).
//
// Lengths (big endian where wider than a byte):
//   00xxxxxx                6-bit length
//   01xxxxxx xxxxxxxx       14-bit length
//   0x80 + 4 bytes          32-bit length
//   0x81 + 8 bytes          64-bit length
//   11xxxxxx                a specially encoded string follows: 0 int8, 1 int16, 2 int32
//                           (little endian), 3 LZF (compressed length, raw length, bytes)
// Strings: a length and the bytes, or a special encoding. Binary doubles: 8 bytes little
// endian IEEE 754. Millisecond times: 8 bytes little endian; second times: 4 bytes.
//
// Basalt writes RDB version 10 (Redis 7.0) and reads versions 1 to 11 (Redis 7.2's type ids
// included), as redis-server 7.0 reads everything up to its own version.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace basalt {

inline constexpr std::string_view kRdbMagic = "REDIS";
inline constexpr int kRdbVersion = 10;     // what we write (Redis 7.0)
inline constexpr int kRdbMaxVersion = 11;  // what we read (Redis 7.2 adds set listpacks)
// The redis-ver aux field we write: the release whose format this is.
inline constexpr std::string_view kRdbRedisVer = "7.0.0";

// Value type ids.
enum RdbType : uint8_t {
  kRdbTypeString = 0,
  kRdbTypeList = 1,
  kRdbTypeSet = 2,
  kRdbTypeZSet = 3,
  kRdbTypeHash = 4,
  kRdbTypeZSet2 = 5,
  kRdbTypeModule = 6,
  kRdbTypeModule2 = 7,
  kRdbTypeHashZipmap = 9,
  kRdbTypeListZiplist = 10,
  kRdbTypeSetIntset = 11,
  kRdbTypeZSetZiplist = 12,
  kRdbTypeHashZiplist = 13,
  kRdbTypeListQuicklist = 14,
  kRdbTypeStreamListpacks = 15,
  kRdbTypeHashListpack = 16,
  kRdbTypeZSetListpack = 17,
  kRdbTypeListQuicklist2 = 18,
  kRdbTypeStreamListpacks2 = 19,
  kRdbTypeSetListpack = 20,       // RDB 11 (Redis 7.2): read only
  kRdbTypeStreamListpacks3 = 21,  // RDB 11 (Redis 7.2): read only
};

inline bool IsRdbValueType(int t) { return (t >= 0 && t <= 7) || (t >= 9 && t <= 21); }

// Opcodes, in the byte where a value type id may also appear.
enum RdbOpcode : uint8_t {
  kRdbOpFunction2 = 245,
  kRdbOpFunctionPreGa = 246,
  kRdbOpModuleAux = 247,
  kRdbOpIdle = 248,
  kRdbOpFreq = 249,
  kRdbOpAux = 250,
  kRdbOpResizeDb = 251,
  kRdbOpExpireTimeMs = 252,
  kRdbOpExpireTime = 253,
  kRdbOpSelectDb = 254,
  kRdbOpEof = 255,
};

// Quicklist 2 node containers.
inline constexpr uint64_t kQuicklistNodePlain = 1;
inline constexpr uint64_t kQuicklistNodePacked = 2;

// Redis compresses strings longer than this when rdbcompression is on.
inline constexpr size_t kRdbCompressMinLen = 20;

// ---- Writing: append the encoding to *out ----

void RdbPutLength(std::string* out, uint64_t len);
// A string, integer-encoded when it is a canonical integer of at most 11 characters that
// fits 32 bits, else LZF-compressed when `compress` and it is longer than 20 bytes and
// compresses, else raw: what Redis's rdbSaveRawString writes.
void RdbPutString(std::string* out, std::string_view s, bool compress);
// An integer as Redis's rdbSaveLongLongAsStringObject: int-encoded when it fits 32 bits,
// else its decimal text.
void RdbPutIntString(std::string* out, int64_t v);
void RdbPutBinaryDouble(std::string* out, double d);
void RdbPutMillis(std::string* out, int64_t ms);
// A stream ID as Redis's raw 128-bit big-endian key (ms, then seq).
void RdbPutStreamIdRaw(std::string* out, uint64_t ms, uint64_t seq);

// ---- Reading ----

// A cursor over an in-memory RDB image (a whole file, or a DUMP payload). Every read checks
// the bounds; the first failure records a message and the offset where it happened, and
// every later read fails too, so callers may check ok() once after a group of reads.
class RdbInput {
 public:
  // `base_offset` is added to offsets in messages (0 for a whole file).
  explicit RdbInput(std::string_view data, size_t base_offset = 0)
      : data_(data), base_offset_(base_offset) {}

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  size_t error_offset() const { return error_offset_; }
  size_t pos() const { return pos_; }
  size_t remaining() const { return data_.size() - pos_; }
  std::string_view data() const { return data_; }

  // Records a failure at the current position (the first one wins). Returns false.
  bool Fail(std::string_view message);

  std::optional<uint8_t> ReadByte();
  // `n` raw bytes viewing the input.
  std::optional<std::string_view> ReadRaw(size_t n);
  // A length; with `encoded` non-null, a special string encoding is reported there
  // (*encoded = true, the result being the encoding number 0..3) instead of failing.
  std::optional<uint64_t> ReadLength(bool* encoded = nullptr);
  // A length that must not exceed what could possibly follow in the input (each element
  // takes at least `min_bytes_each` bytes): rejects corrupt counts before anything allocates.
  std::optional<uint64_t> ReadCount(size_t min_bytes_each = 1);
  // A string in any encoding (int, LZF or raw), decoded.
  std::optional<std::string> ReadString();
  std::optional<double> ReadBinaryDouble();
  // The old textual double of RDB_TYPE_ZSET (a length byte, 253 nan, 254 +inf, 255 -inf).
  std::optional<double> ReadTextDouble();
  std::optional<int64_t> ReadMillis();
  std::optional<int64_t> ReadSeconds();

 private:
  std::string_view data_;
  size_t base_offset_;
  size_t pos_ = 0;
  std::string error_;
  size_t error_offset_ = 0;
};

// The code of one function library after a FUNCTION2 (245) or pre-GA FUNCTION (246) opcode,
// as Redis 7.0's rdbFunctionLoad reads them: FUNCTION2 holds the code; FUNCTION (7.0-rc1/rc2)
// holds name, engine, an optional description and the body, which become the code
// "#!<engine> name=<name>\n<body>". On failure sets *error to Redis's text and returns
// nullopt.
std::optional<std::string> RdbReadFunctionCode(RdbInput& in, uint8_t opcode, std::string* error);

}  // namespace basalt
