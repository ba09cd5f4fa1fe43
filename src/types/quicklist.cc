#include "types/quicklist.h"

#include <cstdint>
#include <utility>

namespace basalt {

namespace {

// Copies every element of `src` to the end (or, reversed, the front) of `dst`.
void AppendAll(const Listpack& src, Listpack& dst) {
  for (ListpackEntry e : src.view()) {
    if (e.is_int) {
      dst.Append(e.ival);
    } else {
      dst.Append(e.sval);
    }
  }
}

void PrependAll(const Listpack& src, Listpack& dst) {
  for (ListpackPos p = src.Last(); p.valid(); p = src.Prev(p)) {
    ListpackEntry e = src.Get(p);
    if (e.is_int) {
      dst.Prepend(e.ival);
    } else {
      dst.Prepend(e.sval);
    }
  }
}

}  // namespace

void Quicklist::NodeLimit(int fill, size_t* size_limit, size_t* count_limit) {
  *size_limit = SIZE_MAX;
  *count_limit = SIZE_MAX;
  if (fill >= 0) {
    *count_limit = fill == 0 ? 1 : static_cast<size_t>(fill);  // a node holds one at least
  } else {
    size_t level = static_cast<size_t>(-(fill + 1));
    constexpr size_t kLevels = sizeof(kNegFillLimits) / sizeof(kNegFillLimits[0]);
    if (level >= kLevels) level = kLevels - 1;
    *size_limit = kNegFillLimits[level];
  }
}

bool Quicklist::NodeExceedsLimit(int fill, size_t new_sz, size_t new_count) {
  size_t size_limit;
  size_t count_limit;
  NodeLimit(fill, &size_limit, &count_limit);
  if (size_limit != SIZE_MAX) return new_sz > size_limit;
  // Counting entries, a node still stays under the safety size so that one node of many
  // large elements cannot grow without bound.
  if (new_sz > kSizeSafetyLimit) return true;
  return new_count > count_limit;
}

bool Quicklist::IsLargeElement(size_t sz, int fill) {
  if (fill >= 0) return sz > kSizeSafetyLimit;
  size_t size_limit;
  size_t count_limit;
  NodeLimit(fill, &size_limit, &count_limit);
  return sz > size_limit;
}

Quicklist::~Quicklist() {
  Node* n = head_;
  while (n != nullptr) {
    Node* next = n->next;
    delete n;
    n = next;
  }
}

std::unique_ptr<CollectionObject> Quicklist::Clone() const {
  auto copy = std::make_unique<Quicklist>(fill_);
  for (const Node* n = head_; n != nullptr; n = n->next) {
    Node* c = new Node;
    c->count = n->count;
    c->is_plain = n->is_plain;
    if (n->is_plain) {
      c->plain = n->plain;
    } else {
      c->lp = std::move(*Listpack::FromBytes(n->lp.bytes(), /*deep=*/false));
    }
    copy->LinkNode(copy->tail_, c, /*after=*/true);
  }
  copy->count_ = count_;
  return copy;
}

size_t Quicklist::AllocatedBytes() const {
  size_t total = sizeof(*this);
  for (const Node* n = head_; n != nullptr; n = n->next) {
    total += sizeof(Node) + n->lp.AllocatedBytes();
    if (n->is_plain) total += n->plain.capacity() + 1;
  }
  return total;
}

Quicklist::Node* Quicklist::NewPackedNode() { return new Node; }

Quicklist::Node* Quicklist::NewPlainNode(std::string_view value) {
  Node* n = new Node;
  n->is_plain = true;
  n->plain.assign(value);
  n->count = 1;
  return n;
}

void Quicklist::LinkNode(Node* old, Node* node, bool after) {
  if (old == nullptr) {
    // Only into an empty list, or at an end when the caller passed head_/tail_ == nullptr.
    node->prev = node->next = nullptr;
    head_ = tail_ = node;
  } else if (after) {
    node->prev = old;
    node->next = old->next;
    if (old->next != nullptr) old->next->prev = node;
    old->next = node;
    if (tail_ == old) tail_ = node;
  } else {
    node->next = old;
    node->prev = old->prev;
    if (old->prev != nullptr) old->prev->next = node;
    old->prev = node;
    if (head_ == old) head_ = node;
  }
  ++len_;
}

void Quicklist::DeleteNode(Node* node) {
  if (node->next != nullptr) node->next->prev = node->prev;
  if (node->prev != nullptr) node->prev->next = node->next;
  if (node == tail_) tail_ = node->prev;
  if (node == head_) head_ = node->next;
  --len_;
  count_ -= node->count;
  delete node;
}

bool Quicklist::AllowInsert(const Node* node, size_t sz) const {
  if (node == nullptr || node->is_plain || IsLargeElement(sz, fill_)) return false;
  // An overestimate of what the entry adds (encoding and backlen), as Redis makes.
  size_t new_sz = node->sz() + sz + kSizeEstimateOverhead;
  return !NodeExceedsLimit(fill_, new_sz, node->count + 1);
}

bool Quicklist::AllowMerge(const Node* a, const Node* b) const {
  if (a == nullptr || b == nullptr || a->is_plain || b->is_plain) return false;
  // One header and terminator (7 bytes) go away in the merge.
  size_t merge_sz = a->sz() + b->sz() - 7;
  return !NodeExceedsLimit(fill_, merge_sz, a->count + b->count);
}

void Quicklist::PushHead(std::string_view value) {
  if (IsLargeElement(value.size(), fill_)) {
    LinkNode(head_, NewPlainNode(value), /*after=*/false);
  } else if (AllowInsert(head_, value.size())) {
    head_->lp.Prepend(value);
    ++head_->count;
  } else {
    Node* n = NewPackedNode();
    n->lp.Prepend(value);
    n->count = 1;
    LinkNode(head_, n, /*after=*/false);
  }
  ++count_;
}

void Quicklist::PushTail(std::string_view value) {
  if (IsLargeElement(value.size(), fill_)) {
    LinkNode(tail_, NewPlainNode(value), /*after=*/true);
  } else if (AllowInsert(tail_, value.size())) {
    tail_->lp.Append(value);
    ++tail_->count;
  } else {
    Node* n = NewPackedNode();
    n->lp.Append(value);
    n->count = 1;
    LinkNode(tail_, n, /*after=*/true);
  }
  ++count_;
}

void Quicklist::AppendListpack(Listpack lp) {
  Node* n = NewPackedNode();
  n->count = static_cast<uint32_t>(lp.size());
  n->lp = std::move(lp);
  LinkNode(tail_, n, /*after=*/true);
  count_ += n->count;
}

Quicklist::Entry Quicklist::EntryAt(Node* node, int64_t offset) const {
  Entry e;
  e.node = node;
  e.offset = offset;
  if (!node->is_plain) e.pos = node->lp.Seek(offset);
  return e;
}

Quicklist::Entry Quicklist::At(int64_t index) const {
  if (index < 0) index += static_cast<int64_t>(count_);
  if (index < 0 || static_cast<size_t>(index) >= count_) return {};
  const size_t i = static_cast<size_t>(index);
  // Walk from whichever end is closer.
  if (i <= (count_ - 1) / 2) {
    size_t accum = 0;
    for (Node* n = head_; n != nullptr; n = n->next) {
      if (accum + n->count > i) return EntryAt(n, static_cast<int64_t>(i - accum));
      accum += n->count;
    }
  } else {
    size_t from_tail = count_ - 1 - i;
    size_t accum = 0;
    for (Node* n = tail_; n != nullptr; n = n->prev) {
      if (accum + n->count > from_tail) {
        return EntryAt(n, static_cast<int64_t>(n->count - 1 - (from_tail - accum)));
      }
      accum += n->count;
    }
  }
  return {};
}

Quicklist::Entry Quicklist::Next(const Entry& e) const {
  if (!e.node->is_plain) {
    ListpackPos p = e.node->lp.Next(e.pos);
    if (p.valid()) return Entry{e.node, p, e.offset + 1};
  }
  Node* n = e.node->next;
  if (n == nullptr) return {};
  return Entry{n, n->is_plain ? ListpackPos{} : n->lp.First(), 0};
}

Quicklist::Entry Quicklist::Prev(const Entry& e) const {
  if (!e.node->is_plain) {
    ListpackPos p = e.node->lp.Prev(e.pos);
    if (p.valid()) return Entry{e.node, p, e.offset - 1};
  }
  Node* n = e.node->prev;
  if (n == nullptr) return {};
  return Entry{n, n->is_plain ? ListpackPos{} : n->lp.Last(), static_cast<int64_t>(n->count) - 1};
}

ListpackEntry Quicklist::Get(const Entry& e) const {
  if (e.node->is_plain) {
    ListpackEntry out;
    out.sval = e.node->plain;
    return out;
  }
  return e.node->lp.Get(e.pos);
}

Quicklist::Entry Quicklist::Delete(const Entry& e, bool forward) {
  Node* node = e.node;
  Node* prev = node->prev;
  Node* next = node->next;
  if (node->is_plain || node->count == 1) {
    DeleteNode(node);
    if (forward) return next != nullptr ? EntryAt(next, 0) : Entry{};
    return prev != nullptr ? EntryAt(prev, static_cast<int64_t>(prev->count) - 1) : Entry{};
  }
  ListpackPos after = node->lp.Delete(e.pos);
  --node->count;
  --count_;
  if (forward) {
    if (after.valid()) return Entry{node, after, e.offset};
    return next != nullptr ? EntryAt(next, 0) : Entry{};
  }
  if (e.offset == 0) {
    return prev != nullptr ? EntryAt(prev, static_cast<int64_t>(prev->count) - 1) : Entry{};
  }
  ListpackPos before = after.valid() ? node->lp.Prev(after) : node->lp.Last();
  return Entry{node, before, e.offset - 1};
}

Quicklist::Node* Quicklist::SplitNode(Node* node, int64_t offset, bool after) {
  Node* new_node = NewPackedNode();
  new_node->lp = std::move(*Listpack::FromBytes(node->lp.bytes(), /*deep=*/false));
  const int64_t orig_start = after ? offset + 1 : 0;
  const size_t orig_extent = after ? SIZE_MAX : static_cast<size_t>(offset);
  const int64_t new_start = after ? 0 : offset;
  const size_t new_extent = after ? static_cast<size_t>(offset + 1) : SIZE_MAX;
  if (orig_extent > 0) node->lp.DeleteRange(orig_start, orig_extent);
  node->count = static_cast<uint32_t>(node->lp.size());
  if (new_extent > 0) new_node->lp.DeleteRange(new_start, new_extent);
  new_node->count = static_cast<uint32_t>(new_node->lp.size());
  return new_node;
}

Quicklist::Node* Quicklist::MergePair(Node* a, Node* b) {
  // Copy the smaller listpack's entries into the larger one.
  Node* keep;
  Node* gone;
  if (a->lp.bytes_len() >= b->lp.bytes_len()) {
    AppendAll(b->lp, a->lp);
    keep = a;
    gone = b;
  } else {
    PrependAll(a->lp, b->lp);
    keep = b;
    gone = a;
  }
  keep->count = static_cast<uint32_t>(keep->lp.size());
  gone->count = 0;  // its elements now live in `keep`
  DeleteNode(gone);
  return keep;
}

Quicklist::Node* Quicklist::MergeAround(Node* center) {
  Node* prev = center->prev;
  Node* prev_prev = prev != nullptr ? prev->prev : nullptr;
  Node* next = center->next;
  Node* next_next = next != nullptr ? next->next : nullptr;
  if (AllowMerge(prev, prev_prev)) MergePair(prev_prev, prev);
  if (AllowMerge(next, next_next)) MergePair(next, next_next);
  Node* target = center;
  if (AllowMerge(center, center->prev)) target = MergePair(center->prev, center);
  if (AllowMerge(target, target->next)) target = MergePair(target, target->next);
  return target;
}

void Quicklist::Insert(const Entry& e, std::string_view value, bool after) {
  Node* node = e.node;
  const size_t sz = value.size();
  const bool full = !AllowInsert(node, sz);
  const bool at_tail = after && e.offset == static_cast<int64_t>(node->count) - 1;
  const bool at_head = !after && e.offset == 0;
  const bool avail_next = at_tail && AllowInsert(node->next, sz);
  const bool avail_prev = at_head && AllowInsert(node->prev, sz);

  if (IsLargeElement(sz, fill_)) {
    if (node->is_plain || at_tail || at_head) {
      LinkNode(node, NewPlainNode(value), after);
    } else {
      Node* rest = SplitNode(node, e.offset, after);
      Node* plain = NewPlainNode(value);
      LinkNode(node, plain, after);
      LinkNode(plain, rest, after);
    }
    ++count_;
    return;
  }

  if (!full) {
    node->lp.Insert(e.pos, after ? Listpack::Where::kAfter : Listpack::Where::kBefore, value);
    ++node->count;
  } else if (avail_next) {
    node->next->lp.Prepend(value);
    ++node->next->count;
  } else if (avail_prev) {
    node->prev->lp.Append(value);
    ++node->prev->count;
  } else if (at_tail || at_head) {
    // Full, and so is the neighbour on that side: a new node between them.
    Node* n = NewPackedNode();
    n->lp.Prepend(value);
    n->count = 1;
    LinkNode(node, n, after);
  } else {
    // Full, inserting in the middle: split at the pivot, put the value at the cut.
    Node* n = SplitNode(node, e.offset, after);
    if (after) {
      n->lp.Prepend(value);
    } else {
      n->lp.Append(value);
    }
    ++n->count;
    LinkNode(node, n, after);
    MergeAround(node);
  }
  ++count_;
}

void Quicklist::Replace(const Entry& e, std::string_view value) {
  Node* node = e.node;
  const bool large = IsLargeElement(value.size(), fill_);
  if (!node->is_plain && !large) {
    node->lp.Replace(e.pos, value);
  } else if (node->is_plain) {
    if (large) {
      node->plain.assign(value);
    } else {
      Insert(e, value, /*after=*/true);
      DeleteNode(node);
    }
  } else {
    // A large value into a packed node: it gets a plain node of its own at the element's
    // place, cutting the node after the element, whose copy then goes.
    Node* rest = nullptr;
    if (e.offset != static_cast<int64_t>(node->count) - 1) rest = SplitNode(node, e.offset, true);
    Node* plain = NewPlainNode(value);
    LinkNode(node, plain, /*after=*/true);
    if (rest != nullptr) LinkNode(plain, rest, /*after=*/true);
    ++count_;
    if (node->count == 1) {
      DeleteNode(node);
    } else {
      node->lp.Delete(node->lp.Last());
      --node->count;
      --count_;
      MergeAround(plain);
    }
  }
}

void Quicklist::DeleteRange(int64_t start, int64_t count) {
  if (count <= 0) return;
  size_t extent = static_cast<size_t>(count);
  if (start >= 0 && extent > count_ - std::min<size_t>(count_, static_cast<size_t>(start))) {
    extent = count_ - std::min<size_t>(count_, static_cast<size_t>(start));
  } else if (start < 0 && extent > static_cast<size_t>(-start)) {
    extent = static_cast<size_t>(-start);
  }
  Entry first = At(start);
  if (!first.valid()) return;
  Node* node = first.node;
  size_t offset = static_cast<size_t>(first.offset);
  while (extent > 0 && node != nullptr) {
    Node* next = node->next;
    size_t del;
    bool whole = false;
    if (offset == 0 && extent >= node->count) {
      whole = true;
      del = node->count;
    } else {
      del = std::min<size_t>(extent, node->count - offset);
    }
    if (whole || node->is_plain) {
      DeleteNode(node);
    } else {
      node->lp.DeleteRange(static_cast<int64_t>(offset), del);
      node->count -= static_cast<uint32_t>(del);
      count_ -= del;
      if (node->count == 0) DeleteNode(node);
    }
    extent -= del;
    node = next;
    offset = 0;
  }
}

Listpack Quicklist::TakeSingleListpack() {
  Listpack lp = std::move(head_->lp);
  head_->count = 0;
  DeleteNode(head_);
  count_ = 0;
  return lp;
}

bool Quicklist::Verify() const {
  size_t nodes = 0;
  size_t elements = 0;
  const Node* prev = nullptr;
  for (const Node* n = head_; n != nullptr; n = n->next) {
    if (n->prev != prev) return false;
    if (n->count == 0) return false;
    if (n->is_plain) {
      if (n->count != 1 || !n->lp.empty()) return false;
    } else if (n->lp.size() != n->count) {
      return false;
    }
    ++nodes;
    elements += n->count;
    prev = n;
  }
  if (prev != tail_) return false;
  if (head_ != nullptr && head_->prev != nullptr) return false;
  return nodes == len_ && elements == count_;
}

std::vector<uint32_t> Quicklist::NodeCounts() const {
  std::vector<uint32_t> out;
  for (const Node* n = head_; n != nullptr; n = n->next) out.push_back(n->count);
  return out;
}

}  // namespace basalt
