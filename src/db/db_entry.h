// DbEntry: one key of a Database: its chain link, its Value, its key bytes, and its expiry
// when it has one, all in a single allocation.
//
//   +--------+-------------------+------------------+----------------+------------------------+
//   | next 8 | Value 16          | value room       | key            | expire slot (optional) |
//   |        | (host bits: key   | (embstr bytes    | [len 4 if long]| expire_ms 8            |
//   |        |  length, flags)   |  beyond 8)       | bytes ...      | volatile index 4       |
//   +--------+-------------------+------------------+----------------+------------------------+
//
// An embstr value (at most 44 bytes) lives in the entry: its first 8 bytes in the Value's
// payload, the rest in the value room that follows (Value::AssignEmbedding). The room's size
// is fixed when the entry is allocated; a value assigned later that does not fit goes to the
// heap as usual, and the room stays (unused) until the entry is reallocated.
//
// The entry's own fields live in the Value's 16 host bits, which would otherwise be padding:
// a short key's length in the low byte (a key of 255 bytes or more keeps a 4-byte length in
// front of its bytes), and in the high byte the room size and two flags: whether the expire
// slot exists and whether the key has a TTL. Byte-aligned fields keep key(), which every
// lookup calls on each entry of the chain it walks, to a few instructions. A key that gets a TTL needs the slot: Database reallocates the entry for it
// (Database::SetExpire returns the new pointer); a key that loses its TTL keeps the slot.
//
// With 16-byte keys and values this is 48 bytes without a TTL and 60 (jemalloc's 64 class)
// with one, against 64 + 32 (a separate string buffer) before.
//
// Entries are created and freed only by Database, which also owns the volatile index; the
// command code reads key(), value, has_expire() and expire_ms().
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <utility>

#include "types/value.h"

namespace basalt {

inline constexpr int64_t kNoExpire = -1;

struct DbEntry {
  DbEntry* next;
  Value value;
  char tail[];  // value room, key, expire slot: see above

  // Keys shorter than this keep their length in the host bits.
  static constexpr size_t kShortKeyLimit = 255;

  std::string_view key() const {
    const uint16_t bits = value.host_bits();
    const char* p = tail + ((bits >> kRoomShift) & kRoomMask);
    const size_t len = bits & kShortLenMask;
    if (len != kLongKeyMark) return std::string_view(p, len);
    uint32_t long_len;
    std::memcpy(&long_len, p, sizeof(long_len));
    return std::string_view(p + sizeof(long_len), long_len);
  }
  bool has_expire() const { return (value.host_bits() & kHasExpireBit) != 0; }
  // Absolute unix time in ms, or kNoExpire.
  int64_t expire_ms() const {
    if (!has_expire()) return kNoExpire;
    int64_t ms;
    std::memcpy(&ms, expire_slot(), sizeof(ms));
    return ms;
  }
  // Redis's keyIsExpired: a key lives through its deadline millisecond.
  bool IsExpired(int64_t now_ms) const { return has_expire() && now_ms > expire_ms(); }

  // --- For Database (layout and the volatile index) ---

  // Bytes after the Value reserved for an embedded string.
  size_t value_room() const { return (value.host_bits() >> kRoomShift) & kRoomMask; }
  bool has_expire_slot() const { return (value.host_bits() & kExpireSlotBit) != 0; }
  // Allocation size of an entry for `key` with `room` bytes of value room.
  static size_t SizeFor(std::string_view key, size_t room, bool expire_slot) {
    return sizeof(DbEntry) + room + (key.size() >= kShortKeyLimit ? sizeof(uint32_t) : 0) +
           key.size() + (expire_slot ? kExpireSlotBytes : 0);
  }
  // The largest room an entry can have (embstr strings of up to kEmbStrMaxLen bytes).
  static constexpr size_t kMaxRoom = kEmbStrMaxLen - 8;

  // Lays out the memory of SizeFor(key, room, expire_slot) bytes at `mem` as an entry holding
  // `value` (embedded when it fits in the room), no TTL, no next link.
  static DbEntry* Construct(void* mem, std::string_view key, Value&& value, size_t room,
                            bool expire_slot);
  // Destroys the value; the caller frees the memory.
  void Destroy() { value.~Value(); }

  // REQUIRES: has_expire_slot(). kNoExpire clears the TTL.
  void set_expire_ms(int64_t ms) {
    uint16_t bits = value.host_bits() & ~kHasExpireBit;
    if (ms != kNoExpire) {
      std::memcpy(expire_slot(), &ms, sizeof(ms));
      bits |= kHasExpireBit;
    }
    value.set_host_bits(bits);
  }
  // The key's slot in Database::volatile_ while has_expire(). REQUIRES: has_expire_slot().
  uint32_t volatile_index() const {
    uint32_t index;
    std::memcpy(&index, expire_slot() + sizeof(int64_t), sizeof(index));
    return index;
  }
  void set_volatile_index(uint32_t index) {
    std::memcpy(expire_slot() + sizeof(int64_t), &index, sizeof(index));
  }

 private:
  static constexpr size_t kExpireSlotBytes = sizeof(int64_t) + sizeof(uint32_t);
  // Host bits: | has expire 1 | expire slot 1 | room 6 | short key length 8 (255: long key) |
  static constexpr uint16_t kHasExpireBit = 1u << 15;
  static constexpr uint16_t kExpireSlotBit = 1u << 14;
  static constexpr int kRoomShift = 8;
  static constexpr uint16_t kRoomMask = 0x3F;
  static constexpr uint16_t kShortLenMask = 0xFF;
  static constexpr size_t kLongKeyMark = kShortKeyLimit;
  static_assert(kMaxRoom <= kRoomMask && kLongKeyMark == kShortLenMask);

  const char* expire_slot() const {
    const std::string_view k = key();
    return k.data() + k.size();
  }
  char* expire_slot() { return const_cast<char*>(std::as_const(*this).expire_slot()); }
};

static_assert(sizeof(DbEntry) == 24, "DbEntry's fixed part: the link and the Value");

}  // namespace basalt
