// Quicklist: the scalable encoding of lists, a doubly linked list of listpack nodes, with
// Redis 7.2's rules for how big a node may grow, when nodes split and when they merge.
//
//   head                                                         tail
//   +-----------+      +-----------+      +-----------+      +-----------+
//   | Node      | <--> | Node      | <--> | Node      | <--> | Node      |
//   | listpack  |      | listpack  |      | plain     |      | listpack  |
//   | a b c ... |      | ... x y z |      | <1 huge>  |      | ...       |
//   +-----------+      +-----------+      +-----------+      +-----------+
//
// `fill` is list-max-listpack-size as it was when the list was created (Redis keeps it per
// list too): > 0 caps the entries of a node (and its bytes at 8 KB, Redis's safety limit);
// -1..-5 caps the bytes of a node at 4, 8, 16, 32 or 64 KB. An element too large for any
// node (over the byte cap) lives alone in a "plain" node, a bare string, never merged.
//
// Inserting into a full node in the middle splits it at the insertion point; after a split,
// neighbours that fit together are merged again (Redis's _quicklistMergeNodes). Deleting
// never merges (as in Redis). Empty nodes are removed at once, so no node is empty.
//
// list-compress-depth (LZF compression of inner nodes) is accepted by the server but not
// implemented: every node stays uncompressed.
//
// Memory: per node a Node (~64 bytes) plus its listpack (7 bytes of header and terminator,
// 2..n+7 bytes per element, see listpack.h); per plain node the string's allocation.
//
// Positions (Entry) refer to one element of one node; any mutation other than the one that
// returned a position invalidates every other position. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "types/collection_object.h"
#include "types/listpack.h"

namespace basalt {

class Quicklist final : public CollectionObject {
 public:
  struct Node {
    Node* prev = nullptr;
    Node* next = nullptr;
    Listpack lp;        // packed node: its elements
    std::string plain;  // plain node: its single element
    uint32_t count = 0;
    bool is_plain = false;

    // Redis's node->sz: the listpack's bytes, or the plain element's length.
    size_t sz() const { return is_plain ? plain.size() : lp.bytes_len(); }
  };

  // One element: its node, its place in the node's listpack (packed nodes) and its index
  // within the node. Invalid (node == nullptr) past either end.
  struct Entry {
    Node* node = nullptr;
    ListpackPos pos;
    int64_t offset = 0;

    bool valid() const { return node != nullptr; }
  };

  // Redis's optimization_level: node byte caps for fill -1..-5.
  static constexpr size_t kNegFillLimits[] = {4096, 8192, 16384, 32768, 65536};
  // Redis's SIZE_SAFETY_LIMIT: the byte cap of a node when fill counts entries.
  static constexpr size_t kSizeSafetyLimit = 8192;
  // Redis's SIZE_ESTIMATE_OVERHEAD: the bytes an insertion is assumed to add besides data.
  static constexpr size_t kSizeEstimateOverhead = 8;

  // The byte and entry caps of a node for `fill` (SIZE_MAX / UINT32_MAX: no cap of that kind).
  static void NodeLimit(int fill, size_t* size_limit, size_t* count_limit);
  // Whether a node of `new_sz` bytes and `new_count` entries passes the caps for `fill`.
  static bool NodeExceedsLimit(int fill, size_t new_sz, size_t new_count);
  // Whether an element of `sz` bytes must live in a plain node.
  static bool IsLargeElement(size_t sz, int fill);

  explicit Quicklist(int fill) : fill_(fill) {}
  ~Quicklist() override;
  Quicklist(const Quicklist&) = delete;
  Quicklist& operator=(const Quicklist&) = delete;

  std::unique_ptr<CollectionObject> Clone() const override;
  size_t AllocatedBytes() const override;

  int fill() const { return fill_; }
  size_t size() const { return count_; }
  size_t node_count() const { return len_; }
  Node* head() const { return head_; }
  Node* tail() const { return tail_; }

  void PushHead(std::string_view value);
  void PushTail(std::string_view value);
  // Adds `lp` as a new tail node as it is (converting a listpack-encoded list, loading).
  // REQUIRES: lp is not empty.
  void AppendListpack(Listpack lp);

  // Element number `index` (negative: from the tail), or an invalid Entry.
  Entry At(int64_t index) const;
  Entry First() const { return At(0); }
  Entry Last() const { return At(-1); }
  Entry Next(const Entry& e) const;
  Entry Prev(const Entry& e) const;
  // The element's value; strings view the node's bytes. REQUIRES: e.valid().
  ListpackEntry Get(const Entry& e) const;
  std::string GetString(const Entry& e) const { return Get(e).ToString(); }

  // Removes the element at `e`; returns the element that comes next when walking towards
  // the tail (forward) or towards the head (!forward), or an invalid Entry.
  Entry Delete(const Entry& e, bool forward);
  // Inserts `value` before or after the element at `e` (Redis's _quicklistInsert).
  void Insert(const Entry& e, std::string_view value, bool after);
  // Replaces the element at `e` by `value` (Redis 7.2's quicklistReplaceEntry).
  void Replace(const Entry& e, std::string_view value);
  // Removes up to `count` elements from element number `start` (negative: from the tail);
  // Redis's quicklistDelRange.
  void DeleteRange(int64_t start, int64_t count);

  // When the list is one packed node, moves its listpack out and leaves this quicklist
  // empty (converting back to the listpack encoding).
  bool IsSinglePackedNode() const { return len_ == 1 && !head_->is_plain; }
  Listpack TakeSingleListpack();

  // Checks the invariants (links, counts, non-empty nodes, caps where Redis keeps them);
  // for tests.
  bool Verify() const;
  // Entries per node, head to tail; for tests.
  std::vector<uint32_t> NodeCounts() const;

 private:
  Node* NewPackedNode();
  Node* NewPlainNode(std::string_view value);
  // Links `node` after (or before) `old`; with old == nullptr the list must be empty.
  void LinkNode(Node* old, Node* node, bool after);
  void DeleteNode(Node* node);
  bool AllowInsert(const Node* node, size_t sz) const;
  bool AllowMerge(const Node* a, const Node* b) const;
  // Merges b (right of a) into one node; returns the survivor.
  Node* MergePair(Node* a, Node* b);
  Node* MergeAround(Node* center);
  // Redis's _quicklistSplitNode: with after, the returned node takes elements after
  // `offset` and `node` keeps [0, offset]; without, the returned node takes [0, offset)
  // and `node` keeps the rest. The returned node is not linked.
  Node* SplitNode(Node* node, int64_t offset, bool after);
  Entry EntryAt(Node* node, int64_t offset) const;

  Node* head_ = nullptr;
  Node* tail_ = nullptr;
  size_t count_ = 0;  // elements
  size_t len_ = 0;    // nodes
  int fill_;
};

}  // namespace basalt
