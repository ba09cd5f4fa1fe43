// listpack: Redis 7's compact list of strings and integers in one contiguous byte buffer,
// byte-for-byte in Redis's format, because RDB files store listpacks as raw blobs that we
// load and write unchanged. It is the small encoding of lists (quicklist nodes), hashes,
// sets and sorted sets.
//
// Layout (all multi-byte numbers little endian, except the backlen):
//
//   +----------+--------+---------+---------+-----+------+
//   | total:4  | count:2| entry 0 | entry 1 | ... | 0xFF |
//   +----------+--------+---------+---------+-----+------+
//   count is the number of entries, or 65535 when there are 65535 or more ("unknown":
//   readers then count by walking).
//
//   entry = encoding (1, 2 or 5 bytes, holding the type and the length) + data + backlen
//     0xxxxxxx                      7-bit unsigned int (0..127), no data
//     10LLLLLL                      string of up to 63 bytes
//     110xxxxx yyyyyyyy             13-bit signed int (-4096..4095), big end first
//     1110LLLL LLLLLLLL             string of up to 4095 bytes
//     11110000 L L L L              string of up to 2^32-1 bytes (32-bit LE length)
//     0xF1 / 0xF2 / 0xF3 / 0xF4     16/24/32/64-bit signed int, two's complement, LE
//   backlen = length of encoding + data, written so it can be read from its LAST byte
//   going backwards: 7 bits per byte, most significant group first, every byte but the
//   first has its top bit set; 1 byte up to 127, 2 below 16383, 3 below 2097151, 4 below
//   268435455, else 5 (Redis's bounds, '<' included: byte-exactness depends on them).
//
// A string that is a canonical integer (ParseInt64: no sign but '-', no leading zeros,
// no "-0", fits in int64) is always stored as an integer, in the smallest encoding.
//
// Memory per element (entry bytes, on top of the 7-byte header + terminator and the
// allocator's rounding): ints 0..127: 2; -4096..4095: 3; 16-bit: 4; 24-bit: 5; 32-bit: 6;
// 64-bit: 10; a string of n bytes: n + 2 up to 63 bytes, n + 3 up to 125, n + 4 up to 4095,
// n + 7 or more beyond.
//
// Positions (ListpackPos) are byte offsets of entries from the start of the buffer: they
// survive reallocation but every insertion or deletion at or before them shifts them.
// Entries returned by Get() point into the buffer: any mutation invalidates them.
//
// Thread-safety: none; a Listpack is owned by one value and touched by one thread at a
// time. Listpack::size() may cache a recount into the header (as Redis's lpLength does),
// so even const calls must not race with each other.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace basalt {

// Byte offset of an entry in a listpack; offset 0 means "no entry" (entries start at 6).
struct ListpackPos {
  uint32_t offset = 0;

  bool valid() const { return offset != 0; }
  explicit operator bool() const { return valid(); }
  bool operator==(const ListpackPos&) const = default;
};

// One entry's value: an integer, or a string viewing the listpack's bytes.
struct ListpackEntry {
  bool is_int = false;
  int64_t ival = 0;
  std::string_view sval;

  // The string form: integers in decimal, as Redis replies with them.
  std::string ToString() const;
  // Redis's lpCompare: equal as bytes, or as integers when this entry is an integer.
  bool Equals(std::string_view s) const;
};

// Read-only, non-owning access to a listpack blob (ours or one read from a file).
// REQUIRES: the blob passed Listpack::Validate(blob, /*deep=*/true, ...) and outlives the
// view. Copyable, 8 bytes.
class ListpackView {
 public:
  using Pos = ListpackPos;

  explicit ListpackView(std::string_view blob)
      : data_(reinterpret_cast<const uint8_t*>(blob.data())) {}
  explicit ListpackView(const uint8_t* data) : data_(data) {}

  std::string_view bytes() const { return {reinterpret_cast<const char*>(data_), bytes_len()}; }
  size_t bytes_len() const;
  // Number of entries; walks the listpack when the header says "unknown".
  size_t size() const;
  bool empty() const { return data_[kHeaderSize] == kEof; }

  Pos First() const;
  Pos Last() const;
  // Next/Prev of the last/first entry give an invalid Pos. REQUIRES: pos.valid().
  Pos Next(Pos pos) const;
  Pos Prev(Pos pos) const;
  // Entry number `index` (negative: from the end, -1 is the last), or invalid.
  Pos Seek(int64_t index) const;

  // REQUIRES: pos.valid().
  ListpackEntry Get(Pos pos) const;

  // Redis's lpFind: from `start` on, compares every (skip + 1)-th entry with `value` (as
  // bytes against strings, as an integer against integers) and returns the first match,
  // or an invalid Pos. skip = 1 searches the keys of a field/value listpack.
  Pos Find(Pos start, std::string_view value, uint32_t skip = 0) const;
  Pos Find(Pos start, int64_t value, uint32_t skip = 0) const;

  // Forward iteration over values: `for (ListpackEntry e : view) ...`.
  class Iterator {
   public:
    Iterator(const ListpackView* view, Pos pos) : view_(view), pos_(pos) {}
    ListpackEntry operator*() const { return view_->Get(pos_); }
    Iterator& operator++() {
      pos_ = view_->Next(pos_);
      return *this;
    }
    bool operator==(const Iterator& o) const { return pos_ == o.pos_; }
    Pos pos() const { return pos_; }

   private:
    const ListpackView* view_;
    Pos pos_;
  };
  Iterator begin() const { return Iterator(this, First()); }
  Iterator end() const { return Iterator(this, Pos{}); }

  static constexpr size_t kHeaderSize = 6;
  static constexpr uint8_t kEof = 0xFF;
  static constexpr uint16_t kCountUnknown = 65535;

 private:
  const uint8_t* data_;
};

// An owned listpack in a malloc'd buffer. Move-only, one pointer wide. An empty listpack
// allocates nothing (it points at a shared constant blob until the first insertion); a
// moved-from listpack is empty.
class Listpack {
 public:
  using Pos = ListpackPos;
  enum class Where { kBefore, kAfter };

  // Redis's LISTPACK_MAX_SAFETY_SIZE: no listpack grows past 1 GB.
  static constexpr size_t kMaxSafetySize = size_t{1} << 30;

  Listpack();
  ~Listpack();
  Listpack(Listpack&& other) noexcept;
  Listpack& operator=(Listpack&& other) noexcept;
  Listpack(const Listpack&) = delete;
  Listpack& operator=(const Listpack&) = delete;

  // Copies a blob after checking it with Validate(blob, deep); nullopt if it is invalid.
  // deep = false checks only the frame (Redis's sanitize-dump-payload no): use it for
  // trusted blobs only, since reading a corrupt entry afterwards may go out of bounds.
  static std::optional<Listpack> FromBytes(std::string_view blob, bool deep = true);

  // Checks that `blob` is a well-formed listpack, reading nothing outside it: the header's
  // total length equals blob.size(), the last byte is the terminator, and (when deep) every
  // entry has a known encoding, lies inside the blob, carries the canonical backlen for
  // its length, the entries end exactly at the terminator and the header count is right
  // (or 65535). Stricter than Redis only in requiring canonical backlens, which Redis always
  // writes. On success stores the number of entries in *count (if non-null): the walked
  // count when deep, else the header's count (65535 meaning unknown).
  static bool Validate(std::string_view blob, bool deep, size_t* count);

  ListpackView view() const { return ListpackView(data_); }
  std::string_view bytes() const { return view().bytes(); }
  size_t bytes_len() const { return view().bytes_len(); }
  // Number of entries. When the header says "unknown" it walks, and stores the count back
  // in the header if it fits again (Redis's lpLength does the same).
  size_t size() const;
  bool empty() const { return view().empty(); }
  // Bytes the allocator holds for the buffer (malloc_usable_size); 0 while empty and
  // unallocated. Excludes sizeof(Listpack).
  size_t AllocatedBytes() const;
  // Whether the listpack may grow by `extra_bytes` without passing kMaxSafetySize.
  // Callers check it (with the encoded size of what they add, or a bound like the raw
  // length + 11) before inserting; the mutators abort beyond the 32-bit format limit.
  bool SafeToAdd(size_t extra_bytes) const { return bytes_len() + extra_bytes <= kMaxSafetySize; }

  // Reading: as ListpackView.
  Pos First() const { return view().First(); }
  Pos Last() const { return view().Last(); }
  Pos Next(Pos pos) const { return view().Next(pos); }
  Pos Prev(Pos pos) const { return view().Prev(pos); }
  Pos Seek(int64_t index) const { return view().Seek(index); }
  ListpackEntry Get(Pos pos) const { return view().Get(pos); }
  Pos Find(Pos start, std::string_view value, uint32_t skip = 0) const {
    return view().Find(start, value, skip);
  }
  Pos Find(Pos start, int64_t value, uint32_t skip = 0) const {
    return view().Find(start, value, skip);
  }

  // Writing. Strings that are canonical integers are stored as integers. Positions given
  // must be valid entries of this listpack; positions returned refer to the new entry.
  void Append(std::string_view s);
  void Append(int64_t v);
  void Prepend(std::string_view s);
  void Prepend(int64_t v);
  Pos Insert(Pos pos, Where where, std::string_view s);
  Pos Insert(Pos pos, Where where, int64_t v);
  Pos Replace(Pos pos, std::string_view s);
  Pos Replace(Pos pos, int64_t v);
  // Removes the entry at `pos`; returns the entry that followed it (invalid if none).
  Pos Delete(Pos pos);
  // Removes up to `count` entries starting at `pos`; returns the entry after them.
  Pos DeleteRange(Pos pos, size_t count);
  // Redis's lpDeleteRange: removes up to `count` entries from entry number `index`
  // (negative counts from the end); does nothing if index is out of range.
  void DeleteRange(int64_t index, size_t count);
  // Removes every entry and frees the buffer.
  void Clear();

  // Grows the allocation to at least `bytes` (Redis's lpNew capacity), or gives back the
  // slack (Redis's lpShrinkToFit).
  void Reserve(size_t bytes);
  void ShrinkToFit();

 private:
  struct Encoded;

  bool owned() const;
  // Replaces `old_len` bytes at `offset` by a hole of `new_len` bytes (contents
  // unspecified), moving the tail and resizing; returns the hole's address.
  uint8_t* Splice(size_t offset, size_t old_len, size_t new_len);
  Pos InsertEncoded(size_t offset, const Encoded& e);
  Pos ReplaceEncoded(Pos pos, const Encoded& e);
  void AddToCount(int64_t delta);

  uint8_t* data_;
};

}  // namespace basalt
