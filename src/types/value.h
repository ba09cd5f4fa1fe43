// Value: what a key holds: a string, list, set, sorted set, hash or stream, with its encoding.
//
// 16 bytes: a type tag, an encoding tag, 16 bits that belong to whoever holds the Value (see
// host_bits below), the 24-bit LRU/LFU clock Redis keeps per object, the inline-string
// length, and one 8-byte payload:
//
//   +------+----------+------------+-----------+------------+--------------------------------+
//   | type | encoding | host (16b) | lru (24b) | inline (8b)| payload: int64 | StrBuf* | obj* |
//   +------+----------+------------+-----------+------------+--------------------------------+
//
// Collections (lists, sets, hashes, ...) hold either a compact encoding inline in the payload
// (a Listpack, or an IntSet for integer sets: each is one pointer) or a CollectionObject on the
// heap for the scalable encodings (quicklist, hashtable, skiplist, stream). The type modules
// (types/list.h, types/set.h, ...) own the rules for which encoding to use and when to convert.
//
// Strings use Redis's encodings: `int` (the payload is the number; no allocation), `embstr`
// (short, at most 44 bytes) and `raw` (longer, or modified in place by APPEND/SETRANGE/SETBIT).
// A string's bytes live in one of three places:
//   - a length-prefixed heap buffer (StrBuf) the payload points to: raw strings, and embstr
//     strings that have nowhere else to go;
//   - inline, starting at the payload: an embstr string of at most 8 bytes fits in the payload
//     itself, so it needs no allocation;
//   - inline with trailing room: an owner that reserved `room` bytes right after the Value
//     (a DbEntry does) can hold an embstr string of up to 8 + room bytes there, the key's
//     value and its key in one allocation. Only AssignEmbedding places a string so.
// The encoding tag decides what OBJECT ENCODING reports, so clients see what Redis shows.
//
// A Value owns its payload; it moves but does not copy (use Clone()). A Value moved out of
// an owner's trailing room copies its bytes to the heap: the moved-to Value owns what it holds,
// wherever it goes (another thread, another key), and the room is left unused.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <string_view>
#include <type_traits>

#include "types/collection_object.h"
#include "types/intset.h"
#include "types/listpack.h"
#include "util/prefetch.h"

namespace basalt {

// Numbered as Redis's OBJ_* types (the RDB format uses these numbers too).
enum class ValueType : uint8_t { kString = 0, kList = 1, kSet = 2, kZSet = 3, kHash = 4, kStream = 6 };

enum class Encoding : uint8_t {
  kRaw,
  kInt,
  kEmbStr,
  kHashtable,
  kListpack,
  kQuicklist,
  kIntset,
  kSkiplist,
  kStream,
};

const char* TypeName(ValueType type);      // "string", "list", ... as TYPE replies
const char* EncodingName(Encoding encoding);  // as OBJECT ENCODING replies

// Strings of at most this many bytes get the embstr tag (Redis's OBJ_ENCODING_EMBSTR_SIZE_LIMIT).
inline constexpr size_t kEmbStrMaxLen = 44;
// Enough room to print any int64 in decimal.
inline constexpr size_t kInt64StrLen = 21;

class Value {
 public:
  Value()
      : type_(ValueType::kString), encoding_(Encoding::kInt), host_(0), lru_(0), inline_(0) {
    payload_.i = 0;
  }
  ~Value() { Release(); }
  Value(Value&& other) noexcept : host_(0), lru_(0), inline_(0) { StealPayload(other); }
  Value& operator=(Value&& other) noexcept {
    if (this != &other) {
      Release();
      StealPayload(other);
    }
    return *this;
  }
  Value(const Value&) = delete;
  Value& operator=(const Value&) = delete;

  // A string value with the encoding Redis would choose for it (int when the bytes are a
  // canonical int64 of at most 20 chars, else embstr or raw by length).
  static Value String(std::string_view bytes);
  static Value Int(int64_t v);
  // A string that is never int-encoded: embstr or raw by length (what INCRBYFLOAT stores).
  static Value PlainString(std::string_view bytes);
  // A string that is never int-encoded and always raw (what APPEND and SETRANGE create).
  static Value RawString(std::string_view bytes);

  // The bytes of trailing room after the Value that AssignEmbedding would use to hold this
  // value inline: the length beyond 8 of an embstr string, else 0.
  size_t RoomToEmbed() const {
    if (encoding_ != Encoding::kEmbStr || type_ != ValueType::kString) return 0;
    const size_t len = StringLength();
    return len > kPayloadBytes ? len - kPayloadBytes : 0;
  }
  // The room that a string value of these bytes (as String() would make it) would use.
  static size_t RoomToEmbed(std::string_view bytes);
  // Makes this value the embstr string `bytes`, held inline in the payload and the `room`
  // bytes that follow this Value (as AssignEmbedding), keeping the LRU clock and host bits.
  // REQUIRES: bytes.size() <= 8 + room and <= kEmbStrMaxLen.
  void AssignEmbeddedString(std::string_view bytes, size_t room);
  // Replaces this value with `src`, holding an embstr string inline when it fits in the
  // payload plus the `room` bytes that follow this Value (which the caller reserved and which
  // nothing else uses). Anything else moves in as operator= would. The LRU clock comes from
  // src; host_bits stay.
  void AssignEmbedding(Value&& src, size_t room);

  // A collection of `type` in the listpack encoding, holding `lp`.
  static Value FromListpack(ValueType type, Listpack lp);
  // A set in the intset encoding.
  static Value FromIntSet(IntSet set);
  // A collection of `type` in a scalable `encoding` (quicklist, hashtable, skiplist, stream).
  static Value FromObject(ValueType type, Encoding encoding, std::unique_ptr<CollectionObject> obj);

  // Replace the representation with another encoding of the same contents (conversions);
  // the type and the LRU clock stay, the old representation is freed.
  void ConvertTo(Listpack lp) { Reencode(FromListpack(type_, std::move(lp))); }
  void ConvertTo(IntSet set) { Reencode(FromIntSet(std::move(set))); }
  void ConvertTo(Encoding encoding, std::unique_ptr<CollectionObject> obj) {
    Reencode(FromObject(type_, encoding, std::move(obj)));
  }

  ValueType type() const { return type_; }
  Encoding encoding() const { return encoding_; }
  bool is_string() const { return type_ == ValueType::kString; }
  bool is_int() const { return encoding_ == Encoding::kInt; }
  int64_t int_value() const { return payload_.i; }

  // The string's bytes. Int-encoded values are printed into `scratch`.
  std::string_view StringView(char (&scratch)[kInt64StrLen]) const;
  size_t StringLength() const;

  // Makes the string raw and at least `min_len` long (zero-padded), and returns its bytes
  // for editing in place (SETRANGE, SETBIT, BITFIELD, APPEND).
  char* MutableString(size_t min_len);
  void Append(std::string_view bytes);

  // The inline compact encodings. REQUIRES: encoding() is kListpack / kIntset respectively.
  Listpack& listpack() { return *std::launder(reinterpret_cast<Listpack*>(payload_.inline_obj)); }
  const Listpack& listpack() const {
    return *std::launder(reinterpret_cast<const Listpack*>(payload_.inline_obj));
  }
  IntSet& intset() { return *std::launder(reinterpret_cast<IntSet*>(payload_.inline_obj)); }
  const IntSet& intset() const {
    return *std::launder(reinterpret_cast<const IntSet*>(payload_.inline_obj));
  }
  bool has_inline_collection() const {
    return type_ != ValueType::kString &&
           (encoding_ == Encoding::kListpack || encoding_ == Encoding::kIntset);
  }
  // The heap object of a scalable encoding, as its concrete class.
  // REQUIRES: the value was made by FromObject with a T.
  template <typename T>
  T& object() {
    return static_cast<T&>(*payload_.obj);
  }
  template <typename T>
  const T& object() const {
    return static_cast<const T&>(*payload_.obj);
  }

  // Starts loading the bytes the payload points to (a string's buffer, a listpack, an
  // object), for callers that prefetch a batch of keys before using them. A hint only.
  void PrefetchPayload() const {
    if (encoding_ == Encoding::kInt || encoding_ == Encoding::kIntset || inline_) return;
    // Every other payload, inline listpack included, is one pointer to the value's bytes.
    const void* p;
    std::memcpy(&p, payload_.inline_obj, sizeof(p));
    PrefetchRead(p);
  }

  uint32_t lru() const { return lru_; }
  void set_lru(uint32_t clock) { lru_ = clock & 0xFFFFFF; }

  // 16 bits that belong to the place holding the Value, not to its contents: the Value never
  // reads them, construction zeroes them, and assignment, conversion and Release leave the
  // destination's bits alone. DbEntry keeps its key length and flags here, in bytes that
  // would otherwise be padding.
  uint16_t host_bits() const { return host_; }
  void set_host_bits(uint16_t bits) { host_ = bits; }

  Value Clone() const;
  // Bytes allocated on behalf of this value beyond the 16 bytes of the Value itself.
  size_t AllocatedBytes() const;

 private:
  struct StrBuf;
  static constexpr size_t kPayloadBytes = 8;

  // The bytes of an inline string: the payload, then the trailing room.
  char* inline_bytes() { return reinterpret_cast<char*>(&payload_); }
  const char* inline_bytes() const { return reinterpret_cast<const char*>(&payload_); }
  // Makes this (released) value the inline string `bytes`. REQUIRES: the bytes fit in the
  // payload plus the room that follows this Value.
  void SetInline(std::string_view bytes);
  void Release();
  // Takes other's payload, leaving other an empty string (moves inline objects properly).
  // Inline: every key write moves a Value or two, and most payloads are a plain word.
  void StealPayload(Value& other) noexcept {
    if (other.has_inline_collection() || other.inline_ > kPayloadBytes + 1) {
      StealPayloadSlow(other);
      return;
    }
    type_ = other.type_;
    encoding_ = other.encoding_;
    lru_ = other.lru_;
    inline_ = other.inline_;  // 0, or a string that fits in the payload
    payload_ = other.payload_;
    other.type_ = ValueType::kString;
    other.encoding_ = Encoding::kInt;
    other.inline_ = 0;
    other.payload_.i = 0;
  }
  // The rest: inline collections, and strings that run on into an owner's room.
  void StealPayloadSlow(Value& other) noexcept;
  void Reencode(Value replacement);

  ValueType type_;
  Encoding encoding_;
  uint16_t host_;
  uint32_t lru_ : 24;
  // Nonzero: the string's bytes are inline, starting at the payload; the length is inline_-1.
  uint32_t inline_ : 8;
  union {
    int64_t i;
    StrBuf* str;
    CollectionObject* obj;
    alignas(void*) unsigned char inline_obj[sizeof(void*)];  // a Listpack or an IntSet
  } payload_;
};

static_assert(sizeof(Value) == 16, "Value must stay 16 bytes");
static_assert(sizeof(Listpack) == sizeof(void*) && std::is_nothrow_move_constructible_v<Listpack>);
static_assert(sizeof(IntSet) == sizeof(void*) && std::is_nothrow_move_constructible_v<IntSet>);

}  // namespace basalt
