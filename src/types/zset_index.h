// ZSetIndex: the "skiplist" encoding of sorted sets (the name Redis reports), built as a
// counted B+tree ordered by (score, member) plus a member -> node hash table.
//
// Every member is one ZNode, one allocation, holding the hash chain link, the score and the
// member bytes:
//
//   +--------------------------------+----------+--------------------------------+
//   | len 16 bits | next 48 bits     | score 8  | member bytes (4-byte length    |
//   |                                |          |  first if len is 0xFFFF)       |
//   +--------------------------------+----------+--------------------------------+
//
// The member hash (db/hash_table.h) chains ZNodes through `next`: ZSCORE, ZADD's lookup and
// ZSCAN go through it. The B+tree holds only ZNode pointers:
//
//   Inner: n | count[i] (elements under child i) | first[i] (child i's minimum) | child[i]
//   Leaf:  n | prev | next | items[0..n) sorted by (score, member)
//
// Inner nodes cache each child's element count (rank and select walk down in O(log n)) and
// each child's minimum ZNode (the separator keys: comparing against them reads the nodes'
// scores and members, so no key bytes are copied into the tree). Every mutation refreshes
// the cached minimum and count of each child on its path, so no separator ever points at a
// freed node. Leaves are 1 KB (125 pointers) and linked for in-order walks. A leaf that fills
// up splits in half, except at the right (left) end of the tree, where it starts a new leaf,
// so ascending (descending) inserts pack leaves full. Nodes below a quarter full merge with
// or borrow from a neighbour.
//
// Memory per member (jemalloc): the ZNode (16 + length bytes, + 4 for members of 64 KB or
// more, rounded to a size class: 32 bytes for members up to 16 bytes, 48 up to 32), the
// hash bucket share (8-16 bytes), and the leaf slot (8 bytes / fill: 8 when packed, ~11.6
// at the ~69% fill of random inserts). Redis 7.0 pays a dictEntry (24 -> 32), an sds (>= 32)
// and a skiplist node (>= 48) plus buckets: measured 125.8 bytes per 16-byte member for a
// 1M-member set, against ~52 here (see bench/memory_sets.py, set "zset").
//
// Scores are never NaN here (callers check). Thread-safety: none (owned by one value).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

#include "db/hash_table.h"
#include "types/collection_object.h"

namespace basalt {

struct ZNode {
  // The hash chain link in the low 48 bits (user-space addresses on x86-64 and AArch64 fit
  // in 48 bits; NewZNode checks), the member length in the high 16 (0xFFFF: a 4-byte length
  // precedes the bytes). Packing the length there makes a 16-byte member a 32-byte node.
  uintptr_t link;
  double score;
  unsigned char data[];

  static constexpr int kLenShift = 48;
  static constexpr uintptr_t kPtrMask = (uintptr_t{1} << kLenShift) - 1;
  static constexpr size_t kLongLen = 0xFFFF;

  ZNode* next() const { return reinterpret_cast<ZNode*>(link & kPtrMask); }
  void set_next(ZNode* n) { link = (link & ~kPtrMask) | reinterpret_cast<uintptr_t>(n); }
  std::string_view member() const {
    const size_t len = link >> kLenShift;
    if (len != kLongLen) return {reinterpret_cast<const char*>(data), len};
    uint32_t long_len;
    std::memcpy(&long_len, data, sizeof(long_len));
    return {reinterpret_cast<const char*>(data + sizeof(long_len)), long_len};
  }
};

struct ZNodeTraits {
  static std::string_view Key(const ZNode* n) { return n->member(); }
  static ZNode* Next(const ZNode* n) { return n->next(); }
  static void SetNext(ZNode* n, ZNode* next) { n->set_next(next); }
  static uint64_t Hash(std::string_view key) { return KeyHash(key); }
};

// Redis's ordering: by score, then by member bytes (memcmp, shorter first on a tie).
inline bool ZNodeLess(const ZNode* a, const ZNode* b) {
  if (a->score != b->score) return a->score < b->score;
  return a->member() < b->member();
}

namespace zset_index_internal {

struct TreeNode {
  uint16_t n = 0;
  bool leaf = false;
};

inline constexpr size_t kLeafCap = 125;  // 24-byte header + 125 * 8 = 1024 bytes
inline constexpr size_t kInnerCap = 64;

struct Leaf : TreeNode {
  Leaf* prev = nullptr;
  Leaf* next = nullptr;
  ZNode* items[kLeafCap];
};

struct Inner : TreeNode {
  uint64_t count[kInnerCap];
  ZNode* first[kInnerCap];
  TreeNode* child[kInnerCap];
};

}  // namespace zset_index_internal

class ZSetIndex final : public CollectionObject {
 public:
  // A position in the ascending order; invalid past either end.
  class Cursor {
   public:
    Cursor() = default;
    bool valid() const { return leaf_ != nullptr; }
    const ZNode* node() const { return leaf_->items[idx_]; }
    void Next() {
      if (++idx_ >= leaf_->n) {
        leaf_ = leaf_->next;
        idx_ = 0;
      }
    }
    void Prev() {
      if (idx_ == 0) {
        leaf_ = leaf_->prev;
        idx_ = leaf_ != nullptr ? leaf_->n - 1 : 0;
      } else {
        --idx_;
      }
    }

   private:
    friend class ZSetIndex;
    Cursor(const zset_index_internal::Leaf* leaf, size_t idx)
        : leaf_(leaf), idx_(static_cast<uint32_t>(idx)) {}
    const zset_index_internal::Leaf* leaf_ = nullptr;
    uint32_t idx_ = 0;
  };

  ZSetIndex();
  ~ZSetIndex() override;
  ZSetIndex(const ZSetIndex&) = delete;
  ZSetIndex& operator=(const ZSetIndex&) = delete;

  std::unique_ptr<CollectionObject> Clone() const override;
  size_t AllocatedBytes() const override;

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  // The member's node, or nullptr. Read-only (no rehash step).
  const ZNode* Find(std::string_view member) const { return table_.Peek(member); }
  // Adds a member. REQUIRES: Find(member) == nullptr, score is not NaN.
  void Insert(std::string_view member, double score);
  // Removes member; returns whether it was there.
  bool Erase(std::string_view member);
  // Changes a member's score (and so its place in the order). REQUIRES: node is in this index.
  void UpdateScore(const ZNode* node, double score);

  // The 0-based ascending rank of node. REQUIRES: node is in this index.
  size_t Rank(const ZNode* node) const;
  // The cursor at ascending rank `rank` (invalid if rank >= size()).
  Cursor Select(size_t rank) const;
  Cursor First() const { return Select(0); }

  // The number of leading elements (in ascending order) for which pred(const ZNode*) holds.
  // REQUIRES: pred holds for a prefix of the order and fails for the rest.
  template <typename Pred>
  size_t CountWhile(Pred pred) const;

  // One ZSCAN step over the member hash (see HashTable::Scan).
  template <typename F>
  uint64_t Scan(uint64_t cursor, F f) {
    return table_.Scan(cursor, [&f](ZNode* n) { f(static_cast<const ZNode*>(n)); });
  }
  // A random member (fair sampling, as Redis's dictGetFairRandomKey). REQUIRES: !empty().
  const ZNode* RandomNode(FastRng& rng) const { return table_.RandomNode(rng); }

  // Checks every structural invariant (tests).
  bool CheckInvariants() const;

 private:
  using Table = HashTable<ZNode, ZNodeTraits>;
  using TreeNode = zset_index_internal::TreeNode;
  using Leaf = zset_index_internal::Leaf;
  using Inner = zset_index_internal::Inner;

  ZNode* NewZNode(std::string_view member, double score);
  void FreeZNode(ZNode* z);
  Leaf* NewLeaf();
  Inner* NewInner();
  void FreeTree(TreeNode* t);

  void TreeInsert(ZNode* z);
  void TreeErase(const ZNode* z);
  TreeNode* InsertRec(TreeNode* t, ZNode* z);  // returns a new right sibling on a split
  void EraseRec(TreeNode* t, const ZNode* z);
  void Rebalance(Inner* parent, size_t i);  // child i is underfull
  static ZNode* FirstOf(const TreeNode* t);
  static uint64_t CountOf(const TreeNode* t);
  static size_t ChildFor(const Inner* in, const ZNode* z);
  bool CheckRec(const TreeNode* t, int depth, int* leaf_depth, const ZNode** prev,
                uint64_t* count) const;

  mutable Table table_;  // mutable: Peek/RandomNode/ForEach pause rehashing (a counter)
  TreeNode* root_ = nullptr;
  size_t size_ = 0;
  size_t tree_bytes_ = 0;  // usable bytes of the tree nodes
  size_t node_bytes_ = 0;  // usable bytes of the ZNodes
};

template <typename Pred>
size_t ZSetIndex::CountWhile(Pred pred) const {
  size_t counted = 0;
  const TreeNode* t = root_;
  while (t != nullptr && !t->leaf) {
    const Inner* in = static_cast<const Inner*>(t);
    // The last child whose minimum satisfies pred: every child before it does entirely.
    size_t lo = 0;
    size_t hi = in->n;
    while (lo < hi) {
      const size_t mid = (lo + hi) / 2;
      if (pred(static_cast<const ZNode*>(in->first[mid]))) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    if (lo == 0) return counted;
    for (size_t i = 0; i + 1 < lo; ++i) counted += in->count[i];
    t = in->child[lo - 1];
  }
  if (t == nullptr) return counted;
  const Leaf* leaf = static_cast<const Leaf*>(t);
  size_t lo = 0;
  size_t hi = leaf->n;
  while (lo < hi) {
    const size_t mid = (lo + hi) / 2;
    if (pred(static_cast<const ZNode*>(leaf->items[mid]))) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return counted + lo;
}

}  // namespace basalt
