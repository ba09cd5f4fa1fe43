#include "types/zset_index.h"

#include <malloc.h>

#include <algorithm>
#include <cstdlib>
#include <new>

namespace basalt {

using zset_index_internal::Inner;
using zset_index_internal::kInnerCap;
using zset_index_internal::kLeafCap;
using zset_index_internal::Leaf;
using zset_index_internal::TreeNode;

namespace {

// Below this many entries a node borrows from or merges with a neighbour.
constexpr size_t kLeafMin = kLeafCap / 4;
constexpr size_t kInnerMin = kInnerCap / 4;

// The first position in items[0, n) whose node is not less than z.
size_t LowerBound(ZNode* const* items, size_t n, const ZNode* z) {
  return static_cast<size_t>(
      std::lower_bound(items, items + n, z, [](const ZNode* a, const ZNode* b) {
        return ZNodeLess(a, b);
      }) -
      items);
}

}  // namespace

ZSetIndex::ZSetIndex() = default;

ZSetIndex::~ZSetIndex() {
  table_.Clear([](ZNode* z) { std::free(z); });
  FreeTree(root_);
}

ZNode* ZSetIndex::NewZNode(std::string_view member, double score) {
  const bool wide = member.size() >= ZNode::kLongLen;
  const size_t header = wide ? sizeof(uint32_t) : 0;
  auto* z = static_cast<ZNode*>(std::malloc(sizeof(ZNode) + header + member.size()));
  if (z == nullptr) std::abort();
  // The chain link of every node shares its word with the length: all addresses must fit.
  if ((reinterpret_cast<uintptr_t>(z) & ~ZNode::kPtrMask) != 0) std::abort();
  const size_t len_field = wide ? ZNode::kLongLen : member.size();
  z->link = static_cast<uintptr_t>(len_field) << ZNode::kLenShift;
  z->score = score;
  if (wide) {
    const auto len = static_cast<uint32_t>(member.size());
    std::memcpy(z->data, &len, sizeof(len));
  }
  if (!member.empty()) std::memcpy(z->data + header, member.data(), member.size());
  node_bytes_ += malloc_usable_size(z);
  return z;
}

void ZSetIndex::FreeZNode(ZNode* z) {
  node_bytes_ -= malloc_usable_size(z);
  std::free(z);
}

Leaf* ZSetIndex::NewLeaf() {
  auto* l = new Leaf();
  l->leaf = true;
  tree_bytes_ += malloc_usable_size(l);
  return l;
}

Inner* ZSetIndex::NewInner() {
  auto* in = new Inner();
  in->leaf = false;
  tree_bytes_ += malloc_usable_size(in);
  return in;
}

void ZSetIndex::FreeTree(TreeNode* t) {
  if (t == nullptr) return;
  if (t->leaf) {
    delete static_cast<Leaf*>(t);
    return;
  }
  auto* in = static_cast<Inner*>(t);
  for (size_t i = 0; i < in->n; ++i) FreeTree(in->child[i]);
  delete in;
}

std::unique_ptr<CollectionObject> ZSetIndex::Clone() const {
  auto copy = std::make_unique<ZSetIndex>();
  // Walking in order makes every insert an append: the copy's leaves come out packed.
  for (Cursor c = First(); c.valid(); c.Next()) {
    copy->Insert(c.node()->member(), c.node()->score);
  }
  return copy;
}

size_t ZSetIndex::AllocatedBytes() const {
  return sizeof(ZSetIndex) + table_.MemoryUsage() + tree_bytes_ +
         node_bytes_;
}

// ---------------------------------------------------------------------------------------------
// Public operations

void ZSetIndex::Insert(std::string_view member, double score) {
  ZNode* z = NewZNode(member, score);
  table_.Insert(z);
  TreeInsert(z);
  ++size_;
}

bool ZSetIndex::Erase(std::string_view member) {
  ZNode* z = table_.Find(member);
  if (z == nullptr) return false;
  TreeErase(z);
  table_.Erase(member);
  FreeZNode(z);
  --size_;
  return true;
}

void ZSetIndex::UpdateScore(const ZNode* node, double score) {
  ZNode* z = const_cast<ZNode*>(node);
  if (z->score == score) return;
  TreeErase(z);
  z->score = score;
  TreeInsert(z);
}

size_t ZSetIndex::Rank(const ZNode* node) const {
  size_t rank = 0;
  const TreeNode* t = root_;
  while (!t->leaf) {
    const Inner* in = static_cast<const Inner*>(t);
    const size_t i = ChildFor(in, node);
    for (size_t j = 0; j < i; ++j) rank += in->count[j];
    t = in->child[i];
  }
  const Leaf* leaf = static_cast<const Leaf*>(t);
  return rank + LowerBound(leaf->items, leaf->n, node);
}

ZSetIndex::Cursor ZSetIndex::Select(size_t rank) const {
  if (rank >= size_) return Cursor();
  const TreeNode* t = root_;
  while (!t->leaf) {
    const Inner* in = static_cast<const Inner*>(t);
    size_t i = 0;
    while (rank >= in->count[i]) rank -= in->count[i++];
    t = in->child[i];
  }
  return Cursor(static_cast<const Leaf*>(t), rank);
}

// ---------------------------------------------------------------------------------------------
// Tree internals

ZNode* ZSetIndex::FirstOf(const TreeNode* t) {
  if (t->leaf) return static_cast<const Leaf*>(t)->items[0];
  return static_cast<const Inner*>(t)->first[0];
}

uint64_t ZSetIndex::CountOf(const TreeNode* t) {
  if (t->leaf) return t->n;
  const Inner* in = static_cast<const Inner*>(t);
  uint64_t sum = 0;
  for (size_t i = 0; i < in->n; ++i) sum += in->count[i];
  return sum;
}

// The child of `in` whose key range holds z: the last one whose minimum is <= z.
size_t ZSetIndex::ChildFor(const Inner* in, const ZNode* z) {
  size_t lo = 1;
  size_t hi = in->n;
  while (lo < hi) {
    const size_t mid = (lo + hi) / 2;
    if (ZNodeLess(z, in->first[mid])) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return lo - 1;
}

void ZSetIndex::TreeInsert(ZNode* z) {
  if (root_ == nullptr) root_ = NewLeaf();
  TreeNode* right = InsertRec(root_, z);
  if (right == nullptr) return;
  Inner* root = NewInner();
  root->n = 2;
  root->child[0] = root_;
  root->child[1] = right;
  for (size_t i = 0; i < 2; ++i) {
    root->count[i] = CountOf(root->child[i]);
    root->first[i] = FirstOf(root->child[i]);
  }
  root_ = root;
}

TreeNode* ZSetIndex::InsertRec(TreeNode* t, ZNode* z) {
  if (t->leaf) {
    Leaf* leaf = static_cast<Leaf*>(t);
    const size_t pos = LowerBound(leaf->items, leaf->n, z);
    if (leaf->n < kLeafCap) {
      std::memmove(leaf->items + pos + 1, leaf->items + pos, (leaf->n - pos) * sizeof(ZNode*));
      leaf->items[pos] = z;
      ++leaf->n;
      return nullptr;
    }
    Leaf* right = NewLeaf();
    right->prev = leaf;
    right->next = leaf->next;
    if (leaf->next != nullptr) leaf->next->prev = right;
    leaf->next = right;
    if (pos == kLeafCap && right->next == nullptr) {
      // Appending at the very end: start a fresh leaf, keep this one full.
      right->items[0] = z;
      right->n = 1;
      return right;
    }
    if (pos == 0 && leaf->prev == nullptr) {
      // Prepending at the very start: everything moves right, z stays alone on the left.
      std::memcpy(right->items, leaf->items, kLeafCap * sizeof(ZNode*));
      right->n = kLeafCap;
      leaf->items[0] = z;
      leaf->n = 1;
      return right;
    }
    const size_t keep = kLeafCap / 2;
    right->n = static_cast<uint16_t>(kLeafCap - keep);
    std::memcpy(right->items, leaf->items + keep, right->n * sizeof(ZNode*));
    leaf->n = keep;
    Leaf* target = pos <= keep ? leaf : right;
    const size_t tpos = pos <= keep ? pos : pos - keep;
    std::memmove(target->items + tpos + 1, target->items + tpos,
                 (target->n - tpos) * sizeof(ZNode*));
    target->items[tpos] = z;
    ++target->n;
    return right;
  }

  Inner* in = static_cast<Inner*>(t);
  const size_t i = ChildFor(in, z);
  TreeNode* split = InsertRec(in->child[i], z);
  in->first[i] = FirstOf(in->child[i]);
  if (split == nullptr) {
    ++in->count[i];
    return nullptr;
  }
  in->count[i] = CountOf(in->child[i]);
  const uint64_t split_count = CountOf(split);
  ZNode* split_first = FirstOf(split);
  auto insert_at = [](Inner* node, size_t pos, TreeNode* child, uint64_t count, ZNode* first) {
    const size_t tail = node->n - pos;
    std::memmove(node->child + pos + 1, node->child + pos, tail * sizeof(TreeNode*));
    std::memmove(node->count + pos + 1, node->count + pos, tail * sizeof(uint64_t));
    std::memmove(node->first + pos + 1, node->first + pos, tail * sizeof(ZNode*));
    node->child[pos] = child;
    node->count[pos] = count;
    node->first[pos] = first;
    ++node->n;
  };
  if (in->n < kInnerCap) {
    insert_at(in, i + 1, split, split_count, split_first);
    return nullptr;
  }
  Inner* right = NewInner();
  const size_t keep = kInnerCap / 2;
  right->n = static_cast<uint16_t>(kInnerCap - keep);
  std::memcpy(right->child, in->child + keep, right->n * sizeof(TreeNode*));
  std::memcpy(right->count, in->count + keep, right->n * sizeof(uint64_t));
  std::memcpy(right->first, in->first + keep, right->n * sizeof(ZNode*));
  in->n = keep;
  if (i + 1 <= keep) {
    insert_at(in, i + 1, split, split_count, split_first);
  } else {
    insert_at(right, i + 1 - keep, split, split_count, split_first);
  }
  return right;
}

void ZSetIndex::TreeErase(const ZNode* z) {
  EraseRec(root_, z);
  if (!root_->leaf && root_->n == 1) {
    Inner* old = static_cast<Inner*>(root_);
    root_ = old->child[0];
    tree_bytes_ -= malloc_usable_size(old);
    delete old;
  }
}

void ZSetIndex::EraseRec(TreeNode* t, const ZNode* z) {
  if (t->leaf) {
    Leaf* leaf = static_cast<Leaf*>(t);
    const size_t pos = LowerBound(leaf->items, leaf->n, z);
    std::memmove(leaf->items + pos, leaf->items + pos + 1, (leaf->n - pos - 1) * sizeof(ZNode*));
    --leaf->n;
    return;
  }
  Inner* in = static_cast<Inner*>(t);
  const size_t i = ChildFor(in, z);
  TreeNode* child = in->child[i];
  EraseRec(child, z);
  --in->count[i];
  const size_t min = child->leaf ? kLeafMin : kInnerMin;
  if (child->n < min && in->n > 1) {
    Rebalance(in, i);
  } else if (child->n > 0) {
    in->first[i] = FirstOf(child);
  }
}

// Child i of parent has too few entries: merge it with a neighbour if both fit in one node,
// else move entries over from the neighbour until they are even.
void ZSetIndex::Rebalance(Inner* parent, size_t i) {
  const size_t l = i + 1 < parent->n ? i : i - 1;  // left of the pair (l, l + 1)
  TreeNode* a = parent->child[l];
  TreeNode* b = parent->child[l + 1];
  const size_t cap = a->leaf ? kLeafCap : kInnerCap;
  const size_t total = a->n + b->n;

  if (a->leaf) {
    Leaf* la = static_cast<Leaf*>(a);
    Leaf* lb = static_cast<Leaf*>(b);
    if (total <= cap) {
      std::memcpy(la->items + la->n, lb->items, lb->n * sizeof(ZNode*));
      la->n = static_cast<uint16_t>(total);
    } else {
      const size_t want_a = total / 2;
      if (la->n < want_a) {
        const size_t move = want_a - la->n;
        std::memcpy(la->items + la->n, lb->items, move * sizeof(ZNode*));
        std::memmove(lb->items, lb->items + move, (lb->n - move) * sizeof(ZNode*));
        la->n = static_cast<uint16_t>(want_a);
        lb->n = static_cast<uint16_t>(total - want_a);
      } else {
        const size_t move = la->n - want_a;
        std::memmove(lb->items + move, lb->items, lb->n * sizeof(ZNode*));
        std::memcpy(lb->items, la->items + want_a, move * sizeof(ZNode*));
        la->n = static_cast<uint16_t>(want_a);
        lb->n = static_cast<uint16_t>(total - want_a);
      }
    }
    if (total <= cap) {
      la->next = lb->next;
      if (lb->next != nullptr) lb->next->prev = la;
    }
  } else {
    Inner* ia = static_cast<Inner*>(a);
    Inner* ib = static_cast<Inner*>(b);
    auto move_front_of_b_to_a = [&](size_t k) {
      std::memcpy(ia->child + ia->n, ib->child, k * sizeof(TreeNode*));
      std::memcpy(ia->count + ia->n, ib->count, k * sizeof(uint64_t));
      std::memcpy(ia->first + ia->n, ib->first, k * sizeof(ZNode*));
      const size_t rest = ib->n - k;
      std::memmove(ib->child, ib->child + k, rest * sizeof(TreeNode*));
      std::memmove(ib->count, ib->count + k, rest * sizeof(uint64_t));
      std::memmove(ib->first, ib->first + k, rest * sizeof(ZNode*));
      ia->n = static_cast<uint16_t>(ia->n + k);
      ib->n = static_cast<uint16_t>(rest);
    };
    if (total <= cap) {
      move_front_of_b_to_a(ib->n);
    } else {
      const size_t want_a = total / 2;
      if (ia->n < want_a) {
        move_front_of_b_to_a(want_a - ia->n);
      } else {
        const size_t k = ia->n - want_a;
        std::memmove(ib->child + k, ib->child, ib->n * sizeof(TreeNode*));
        std::memmove(ib->count + k, ib->count, ib->n * sizeof(uint64_t));
        std::memmove(ib->first + k, ib->first, ib->n * sizeof(ZNode*));
        std::memcpy(ib->child, ia->child + want_a, k * sizeof(TreeNode*));
        std::memcpy(ib->count, ia->count + want_a, k * sizeof(uint64_t));
        std::memcpy(ib->first, ia->first + want_a, k * sizeof(ZNode*));
        ia->n = static_cast<uint16_t>(want_a);
        ib->n = static_cast<uint16_t>(ib->n + k);
      }
    }
  }

  if (total <= cap) {
    // b is now empty: drop it from the parent.
    tree_bytes_ -= malloc_usable_size(b);
    if (b->leaf) {
      delete static_cast<Leaf*>(b);
    } else {
      delete static_cast<Inner*>(b);
    }
    const size_t tail = parent->n - (l + 2);
    std::memmove(parent->child + l + 1, parent->child + l + 2, tail * sizeof(TreeNode*));
    std::memmove(parent->count + l + 1, parent->count + l + 2, tail * sizeof(uint64_t));
    std::memmove(parent->first + l + 1, parent->first + l + 2, tail * sizeof(ZNode*));
    --parent->n;
    parent->count[l] = CountOf(a);
    parent->first[l] = FirstOf(a);
    return;
  }
  parent->count[l] = CountOf(a);
  parent->first[l] = FirstOf(a);
  parent->count[l + 1] = CountOf(b);
  parent->first[l + 1] = FirstOf(b);
}

// ---------------------------------------------------------------------------------------------
// Invariants (tests)

bool ZSetIndex::CheckRec(const TreeNode* t, int depth, int* leaf_depth, const ZNode** prev,
                         uint64_t* count) const {
  if (t->leaf) {
    if (*leaf_depth < 0) *leaf_depth = depth;
    if (*leaf_depth != depth) return false;
    const Leaf* leaf = static_cast<const Leaf*>(t);
    if (leaf->n == 0 && t != root_) return false;
    for (size_t i = 0; i < leaf->n; ++i) {
      if (*prev != nullptr && !ZNodeLess(*prev, leaf->items[i])) return false;
      if (table_.Peek(leaf->items[i]->member()) != leaf->items[i]) return false;
      *prev = leaf->items[i];
    }
    *count += leaf->n;
    return true;
  }
  const Inner* in = static_cast<const Inner*>(t);
  if (in->n < (t == root_ ? 2 : 1)) return false;
  for (size_t i = 0; i < in->n; ++i) {
    if (in->first[i] != FirstOf(in->child[i])) return false;
    uint64_t sub = 0;
    if (!CheckRec(in->child[i], depth + 1, leaf_depth, prev, &sub)) return false;
    if (sub != in->count[i]) return false;
    *count += sub;
  }
  return true;
}

bool ZSetIndex::CheckInvariants() const {
  if (root_ == nullptr) return size_ == 0 && table_.size() == 0;
  int leaf_depth = -1;
  const ZNode* prev = nullptr;
  uint64_t count = 0;
  if (!CheckRec(root_, 0, &leaf_depth, &prev, &count)) return false;
  if (count != size_ || table_.size() != size_) return false;
  // The leaf chain visits the same number of elements, both ways.
  size_t forward = 0;
  for (Cursor c = First(); c.valid(); c.Next()) ++forward;
  size_t backward = 0;
  if (size_ > 0) {
    for (Cursor c = Select(size_ - 1); c.valid(); c.Prev()) ++backward;
  }
  return forward == size_ && backward == size_;
}

}  // namespace basalt
