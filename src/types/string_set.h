// StringSet: the "hashtable" encoding of a set: distinct binary-safe strings in an intrusive
// HashTable, one allocation per member.
//
// A member is one malloc'd Node holding the chain link, the length and the bytes:
//
//   +---------+--------+-------------------+
//   | next 8  | len 4  | member bytes ...  |
//   +---------+--------+-------------------+
//
// so a member costs 12 bytes plus its length (rounded up by the allocator) plus its share of
// the bucket array (8-16 bytes per member, see db/hash_table.h). Redis's equivalent is a
// 24-byte dictEntry plus an sds string (3+ bytes of header and a NUL) plus the same buckets.
//
// Sets stay in this encoding once converted (as in Redis); the rules that decide when a set
// moves here live in types/set.h. Integers are stored as their decimal text.
//
// Not thread-safe. Iteration and random picks are logically const but pause or step the
// table's incremental rehash, so even const calls must not race with each other.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>

#include "db/hash_table.h"
#include "types/collection_object.h"

namespace basalt {

class StringSet final : public CollectionObject {
 public:
  StringSet() = default;
  ~StringSet() override;
  StringSet(const StringSet&) = delete;
  StringSet& operator=(const StringSet&) = delete;

  std::unique_ptr<CollectionObject> Clone() const override;
  size_t AllocatedBytes() const override;

  size_t size() const { return table_.size(); }
  bool empty() const { return table_.empty(); }

  // Inserts a copy of `member`; false if it was already present.
  bool Add(std::string_view member);
  // Removes `member`; false if it was absent.
  bool Remove(std::string_view member);
  bool Contains(std::string_view member) const { return table_.Peek(member) != nullptr; }

  // A uniformly chosen member (approximately: see HashTable::RandomNode), viewing the set's
  // bytes until the next mutation. REQUIRES: !empty(). Rng: see FastRng.
  template <typename Rng>
  std::string_view Random(Rng& rng) const {
    return Key(table_.RandomNode(rng));
  }

  // Calls f(std::string_view) for every member, in table order. f must not modify the set.
  template <typename F>
  void ForEach(F f) const {
    table_.ForEach([&f](Node* n) { f(Key(n)); });
  }

  // One SSCAN step: calls f(std::string_view) for the members of the next bucket(s) and
  // returns the next cursor (0 when done). See HashTable::Scan for the guarantees.
  template <typename F>
  uint64_t Scan(uint64_t cursor, F f) const {
    return table_.Scan(cursor, [&f](Node* n) { f(Key(n)); });
  }

 private:
  struct Node {
    Node* next;
    uint32_t len;
    char data[];
  };
  struct Traits {
    static std::string_view Key(const Node* n) { return {n->data, n->len}; }
    static Node* Next(const Node* n) { return n->next; }
    static void SetNext(Node* n, Node* next) { n->next = next; }
    static uint64_t Hash(std::string_view key) { return KeyHash(key); }
  };
  using Table = HashTable<Node, Traits>;

  static std::string_view Key(const Node* n) { return Traits::Key(n); }
  static Node* NewNode(std::string_view member);
  static void FreeNode(Node* n) { std::free(n); }

  // Mutable because walking the table pauses (and random picks step) its rehash, which is
  // bookkeeping, not a change of contents.
  mutable Table table_;
};

}  // namespace basalt
