// StringMap: the "hashtable" encoding of hashes: a field -> value map with optional per-field
// expiry times (Redis 7.4's hash-field expiry: HEXPIRE and friends).
//
// Every field is one node, one allocation, holding the chain link of the HashTable, the two
// lengths, the expiry (only when the field has one) and the field and value bytes:
//
//   +---------+------+-----------------+---------------------------+---------+---------+
//   | next 8  | meta | flen, vlen      | expire_ms 8, heap slot 4  | field   | value   |
//   |         | 1    | 1, 2 or 4 each  | (only if meta.has_expire) | flen    | vlen    |
//   +---------+------+-----------------+---------------------------+---------+---------+
//
// The lengths take the narrowest width that fits both (1 byte up to 255, 2 up to 65535, else
// 4), so a field with a 10-byte name and a 10-byte value is a 31-byte allocation (a 32-byte
// jemalloc class), against Redis 7.0's 24-byte dictEntry plus two sds allocations. Per field
// overhead: 11 bytes of header (+12 with a TTL) plus the allocator's rounding, plus the
// bucket array's 8-16 bytes (see db/hash_table.h).
//
// Fields with an expiry are also kept in a binary min-heap of node pointers ordered by expiry
// (8 bytes per such field; each node stores its heap slot), so the next expiring field is
// O(1) to find and setting, changing or removing a TTL is O(log n).
//
// A node's address changes when its value changes length or it gains or loses a TTL (it is
// reallocated); nothing outside this class keeps node pointers across a mutation.
//
// Expiry is not applied here on reads: callers (the database's lazy and active expiry) call
// ExpireFields() and every other method sees expired fields as present until then.
//
// Thread safety: none, like every value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

#include "db/hash_table.h"
#include "types/collection_object.h"

namespace basalt {

struct StringMapNode {
  StringMapNode* next;
  uint8_t meta;  // bit 0: has an expiry; bits 1-2: length width code (1, 2 or 4 bytes)
  char data[];

  static constexpr uint8_t kHasExpire = 1;

  size_t width() const { return size_t{1} << ((meta >> 1) & 3); }
  bool has_expire() const { return (meta & kHasExpire) != 0; }
  size_t field_len() const { return ReadLen(data, width()); }
  size_t value_len() const { return ReadLen(data + width(), width()); }
  size_t header_len() const { return 2 * width() + (has_expire() ? 12 : 0); }
  std::string_view field() const { return {data + header_len(), field_len()}; }
  std::string_view value() const { return {data + header_len() + field_len(), value_len()}; }
  char* mutable_value() { return data + header_len() + field_len(); }
  // Absolute unix time in ms. REQUIRES: has_expire().
  int64_t expire_ms() const {
    int64_t v;
    std::memcpy(&v, data + 2 * width(), sizeof(v));
    return v;
  }
  void set_expire_ms(int64_t v) { std::memcpy(data + 2 * width(), &v, sizeof(v)); }
  uint32_t heap_slot() const {
    uint32_t v;
    std::memcpy(&v, data + 2 * width() + 8, sizeof(v));
    return v;
  }
  void set_heap_slot(uint32_t v) { std::memcpy(data + 2 * width() + 8, &v, sizeof(v)); }

  static size_t ReadLen(const char* p, size_t w) {
    if (w == 1) return static_cast<uint8_t>(*p);
    if (w == 2) {
      uint16_t v;
      std::memcpy(&v, p, 2);
      return v;
    }
    uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
  }
};

struct StringMapTraits {
  static std::string_view Key(const StringMapNode* n) { return n->field(); }
  static StringMapNode* Next(const StringMapNode* n) { return n->next; }
  static void SetNext(StringMapNode* n, StringMapNode* next) { n->next = next; }
  static uint64_t Hash(std::string_view key) { return KeyHash(key); }
};

inline constexpr int64_t kNoFieldExpire = -1;

class StringMap final : public CollectionObject {
 public:
  using Node = StringMapNode;

  StringMap() = default;
  ~StringMap() override;
  StringMap(const StringMap&) = delete;
  StringMap& operator=(const StringMap&) = delete;

  std::unique_ptr<CollectionObject> Clone() const override;
  size_t AllocatedBytes() const override;

  size_t size() const { return table_.size(); }
  bool empty() const { return table_.empty(); }

  // The node of `field`, or nullptr. Find performs a rehash step; Peek does not.
  Node* Find(std::string_view field) { return table_.Find(field); }
  const Node* Peek(std::string_view field) const { return table_.Peek(field); }

  // Sets field to value; returns true if the field was added, false if it was updated. An
  // updated field loses its TTL unless keep_ttl (HSET replaces a field, HINCRBY edits it).
  bool Set(std::string_view field, std::string_view value, bool keep_ttl = false);
  // Adds a field known to be absent (conversion, loading). REQUIRES: Find(field) == nullptr.
  void AddNew(std::string_view field, std::string_view value);
  // Removes field; returns whether it was there.
  bool Erase(std::string_view field);

  // --- field expiry ---
  // The field's expiry (unix ms), or kNoFieldExpire.
  static int64_t ExpireOf(const Node* n) {
    return n->has_expire() ? n->expire_ms() : kNoFieldExpire;
  }
  // Gives `field` the expiry `when_ms` (or removes it with kNoFieldExpire). Returns false if
  // the field is absent.
  bool SetExpire(std::string_view field, int64_t when_ms);
  // The earliest field expiry, or kNoFieldExpire if no field has one.
  int64_t next_expire() const { return heap_.empty() ? kNoFieldExpire : heap_[0]->expire_ms(); }
  size_t volatile_count() const { return heap_.size(); }
  // Removes up to `limit` fields whose expiry is before now_ms (a field lives through its
  // deadline millisecond, as keys do). Returns how many were removed.
  size_t ExpireFields(int64_t now_ms, size_t limit);

  // The expiry under which the database's index of hashes with field TTLs lists this map
  // (see Database::NoteHashFieldExpiry), or kNoFieldExpire if it is not listed. Clones are
  // never listed.
  int64_t indexed_at() const { return indexed_at_; }
  void set_indexed_at(int64_t when) { indexed_at_ = when; }

  // --- iteration ---
  // f(const Node*) for every field. f must not modify the map.
  template <typename F>
  void ForEach(F f) const {
    // ForEach only pauses rehashing (a counter) while walking: logically const.
    const_cast<Table&>(table_).ForEach([&f](Node* n) { f(static_cast<const Node*>(n)); });
  }
  // One HSCAN step: f(const Node*) for the fields of a bucket; returns the next cursor.
  template <typename F>
  uint64_t Scan(uint64_t cursor, F f) {
    return table_.Scan(cursor, [&f](Node* n) { f(static_cast<const Node*>(n)); });
  }
  // A random field (fair, as Redis's dictGetFairRandomKey), or nullptr if empty.
  const Node* RandomNode(FastRng& rng) { return table_.RandomNode(rng); }

 private:
  using Table = HashTable<Node, StringMapTraits>;

  static Node* NewNode(std::string_view field, std::string_view value, bool with_expire,
                       int64_t expire_ms);
  static void FreeNode(Node* n) { std::free(n); }
  // Swaps `fresh` in for `old` in the table and the heap, and frees `old`.
  void ReplaceNode(Node* old, Node* fresh);

  void HeapPush(Node* n);
  void HeapRemove(Node* n);
  void HeapFix(size_t slot);  // restores order after heap_[slot]'s expiry changed
  void HeapPlace(size_t slot, Node* n) {
    heap_[slot] = n;
    n->set_heap_slot(static_cast<uint32_t>(slot));
  }
  bool HeapLess(size_t a, size_t b) const { return heap_[a]->expire_ms() < heap_[b]->expire_ms(); }

  Table table_;
  std::vector<Node*> heap_;  // fields with an expiry, min-heap by expire_ms
  int64_t indexed_at_ = kNoFieldExpire;
};

}  // namespace basalt
