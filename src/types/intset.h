// IntSet: a sorted set of 64-bit integers in one contiguous buffer, laid out byte for byte
// as Redis 7's intset, so RDB files can carry it as an opaque blob (RDB_TYPE_SET_INTSET) in
// both directions without conversion.
//
// Layout (all fields little endian, no padding):
//
//   +------------+------------+-----------------------------------------+
//   | encoding   | length     | length elements, strictly ascending,    |
//   | uint32: 2, | uint32     | each `encoding` bytes wide (int16,      |
//   | 4 or 8     |            | int32 or int64)                         |
//   +------------+------------+-----------------------------------------+
//    0            4            8
//
// Invariants:
//   - every element uses the same width: the smallest one that held every value ever added.
//     Adding a value that does not fit widens all elements at once (16 -> 32 -> 64 bits);
//     the set never narrows again, even when that value is removed (Redis does the same, and
//     RDB round trips must reproduce its bytes);
//   - elements are strictly ascending, so lookups are binary searches;
//   - the buffer is malloc'd at exactly bytes_len() bytes (Redis reallocs on every change
//     too), so Add and Remove cost O(n) memmove: the set is for small collections
//     (set-max-intset-entries, 512 by default).
//
// Memory: 8 bytes of header plus 2, 4 or 8 bytes per element, plus the allocator's rounding;
// the IntSet object itself is one pointer. A default-constructed (or moved-from) set holds
// no allocation and reads as an empty int16 set.
//
// Not thread-safe; a const IntSet may be read from several threads at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string_view>

namespace basalt {

class IntSet {
 public:
  static constexpr size_t kHeaderSize = 8;

  // Empty set with 16-bit encoding; allocates nothing until the first Add.
  IntSet() noexcept = default;
  ~IntSet();

  IntSet(IntSet&& other) noexcept : buf_(other.buf_) { other.buf_ = nullptr; }
  IntSet& operator=(IntSet&& other) noexcept;
  // Copies are explicit (Clone) because they are O(n) allocations.
  IntSet(const IntSet&) = delete;
  IntSet& operator=(const IntSet&) = delete;

  IntSet Clone() const;

  // Checks a blob as Redis's intsetValidateIntegrity does before trusting it: a known
  // encoding, a length that accounts for exactly every byte, and at least one element
  // (Redis never stores an empty set). With `deep`, also that elements strictly ascend
  // (sorted, no duplicates). Reads nothing outside `blob`, whatever it holds.
  static bool Validate(std::string_view blob, bool deep);

  // A set holding a copy of `blob`, or nullopt when Validate(blob, deep) fails. Pass
  // deep = false only for blobs whose order is already trusted: a shallow check keeps
  // memory safety but lookups on an unsorted set give wrong answers.
  static std::optional<IntSet> FromBytes(std::string_view blob, bool deep = true);

  // The serialized form (header included), valid until the next mutation.
  std::string_view bytes() const;
  size_t bytes_len() const { return kHeaderSize + size() * encoding(); }

  size_t size() const;
  bool empty() const { return size() == 0; }
  // Bytes per element: 2, 4 or 8.
  uint32_t encoding() const;

  // Inserts `value`; false if it was already present.
  // REQUIRES: size() < UINT32_MAX.
  bool Add(int64_t value);
  // Removes `value`; false if it was absent. Never narrows the encoding.
  bool Remove(int64_t value);
  bool Contains(int64_t value) const;

  // The index-th smallest element. REQUIRES: index < size().
  int64_t Get(size_t index) const;
  // REQUIRES: !empty().
  int64_t Min() const { return Get(0); }
  int64_t Max() const { return Get(size() - 1); }

  // A uniformly chosen element (SRANDMEMBER, SPOP). Rng: anything whose operator() returns
  // a uniform uint64_t, such as FastRng; kept generic so types/ does not depend on db/.
  // REQUIRES: !empty().
  template <typename Rng>
  int64_t Random(Rng& rng) const {
    const uint64_t r = static_cast<uint64_t>(rng());
    return Get(static_cast<size_t>((static_cast<unsigned __int128>(r) * size()) >> 64));
  }

  // Heap bytes owned (for MEMORY USAGE and the dataset accounting): the buffer, which is
  // exactly bytes_len() bytes when allocated.
  size_t AllocatedBytes() const { return buf_ == nullptr ? 0 : bytes_len(); }

  // Ascending iteration. Elements are decoded on the fly and returned by value; any
  // mutation invalidates iterators.
  class Iterator {
   public:
    using iterator_concept = std::forward_iterator_tag;
    using iterator_category = std::forward_iterator_tag;
    using value_type = int64_t;
    using difference_type = std::ptrdiff_t;

    Iterator() = default;
    int64_t operator*() const { return set_->Get(index_); }
    Iterator& operator++() {
      ++index_;
      return *this;
    }
    Iterator operator++(int) {
      Iterator old = *this;
      ++index_;
      return old;
    }
    bool operator==(const Iterator& other) const { return index_ == other.index_; }

   private:
    friend class IntSet;
    Iterator(const IntSet* set, size_t index) : set_(set), index_(index) {}
    const IntSet* set_ = nullptr;
    size_t index_ = 0;
  };
  Iterator begin() const { return Iterator(this, 0); }
  Iterator end() const { return Iterator(this, size()); }

 private:
  // Finds `value` among the elements: true and its index when present, else false and the
  // index where it would be inserted.
  bool Search(int64_t value, size_t* pos) const;
  // Reallocates to hold `count` elements of `enc` bytes (the header is not rewritten).
  void Resize(size_t count, uint32_t enc);
  // Widens every element to `value`'s encoding and inserts `value`, which is then, being
  // out of the old range, either the new minimum or the new maximum.
  void UpgradeAndAdd(int64_t value);

  uint8_t* buf_ = nullptr;  // nullptr means empty with encoding 2
};

}  // namespace basalt
