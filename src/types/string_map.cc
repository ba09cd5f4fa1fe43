#include "types/string_map.h"

#include <malloc.h>

#include <algorithm>
#include <cstdlib>
#include <new>
#include <utility>

namespace basalt {

namespace {

// The width code (0, 1, 2 for 1, 2, 4 bytes) for lengths up to `max_len`.
uint8_t WidthCode(size_t max_len) {
  if (max_len <= 0xFF) return 0;
  if (max_len <= 0xFFFF) return 1;
  return 2;
}

void WriteLen(char* p, size_t w, size_t len) {
  if (w == 1) {
    *p = static_cast<char>(static_cast<uint8_t>(len));
  } else if (w == 2) {
    const auto v = static_cast<uint16_t>(len);
    std::memcpy(p, &v, 2);
  } else {
    const auto v = static_cast<uint32_t>(len);
    std::memcpy(p, &v, 4);
  }
}

}  // namespace

StringMap::~StringMap() {
  table_.Clear([](Node* n) { FreeNode(n); });
}

StringMap::Node* StringMap::NewNode(std::string_view field, std::string_view value,
                                    bool with_expire, int64_t expire_ms) {
  const uint8_t code = WidthCode(std::max(field.size(), value.size()));
  const size_t w = size_t{1} << code;
  const size_t header = 2 * w + (with_expire ? 12 : 0);
  void* mem = std::malloc(offsetof(Node, data) + header + field.size() + value.size());
  if (mem == nullptr) throw std::bad_alloc();
  auto* n = static_cast<Node*>(mem);
  n->next = nullptr;
  n->meta = static_cast<uint8_t>((code << 1) | (with_expire ? Node::kHasExpire : 0));
  WriteLen(n->data, w, field.size());
  WriteLen(n->data + w, w, value.size());
  if (with_expire) {
    n->set_expire_ms(expire_ms);
    n->set_heap_slot(0);
  }
  char* p = n->data + header;
  if (!field.empty()) std::memcpy(p, field.data(), field.size());
  if (!value.empty()) std::memcpy(p + field.size(), value.data(), value.size());
  return n;
}

std::unique_ptr<CollectionObject> StringMap::Clone() const {
  auto copy = std::make_unique<StringMap>();
  ForEach([&copy](const Node* n) {
    Node* c = NewNode(n->field(), n->value(), n->has_expire(), ExpireOf(n));
    copy->table_.Insert(c);
    if (c->has_expire()) copy->HeapPush(c);
  });
  return copy;
}

size_t StringMap::AllocatedBytes() const {
  size_t bytes = sizeof(StringMap) + table_.MemoryUsage() +
                 heap_.capacity() * sizeof(Node*);
  ForEach([&bytes](const Node* n) { bytes += malloc_usable_size(const_cast<Node*>(n)); });
  return bytes;
}

void StringMap::ReplaceNode(Node* old, Node* fresh) {
  table_.Replace(old, fresh);
  if (old->has_expire() && fresh->has_expire()) {
    HeapPlace(old->heap_slot(), fresh);
  } else if (old->has_expire()) {
    HeapRemove(old);
  } else if (fresh->has_expire()) {
    HeapPush(fresh);
  }
  FreeNode(old);
}

bool StringMap::Set(std::string_view field, std::string_view value, bool keep_ttl) {
  const uint64_t hash = Table::HashOf(field);
  Node* n = table_.Find(field, hash);
  if (n == nullptr) {
    table_.Insert(NewNode(field, value, false, 0), hash);
    return true;
  }
  const bool expire = keep_ttl && n->has_expire();
  if (n->value_len() == value.size() && expire == n->has_expire()) {
    if (!value.empty()) std::memmove(n->mutable_value(), value.data(), value.size());
    return false;
  }
  // `field` and `value` may not point into n (callers pass arguments or copies), so n can be
  // freed after the new node is built.
  Node* fresh = NewNode(n->field(), value, expire, expire ? n->expire_ms() : 0);
  ReplaceNode(n, fresh);
  return false;
}

void StringMap::AddNew(std::string_view field, std::string_view value) {
  table_.Insert(NewNode(field, value, false, 0));
}

bool StringMap::Erase(std::string_view field) {
  Node* n = table_.Erase(field);
  if (n == nullptr) return false;
  if (n->has_expire()) HeapRemove(n);
  FreeNode(n);
  return true;
}

bool StringMap::SetExpire(std::string_view field, int64_t when_ms) {
  Node* n = table_.Find(field);
  if (n == nullptr) return false;
  if (when_ms == kNoFieldExpire) {
    if (n->has_expire()) ReplaceNode(n, NewNode(n->field(), n->value(), false, 0));
    return true;
  }
  if (n->has_expire()) {
    n->set_expire_ms(when_ms);
    HeapFix(n->heap_slot());
  } else {
    ReplaceNode(n, NewNode(n->field(), n->value(), true, when_ms));
  }
  return true;
}

size_t StringMap::ExpireFields(int64_t now_ms, size_t limit) {
  size_t removed = 0;
  while (removed < limit && !heap_.empty() && heap_[0]->expire_ms() < now_ms) {
    Node* n = heap_[0];
    HeapRemove(n);
    table_.Erase(n->field());
    FreeNode(n);
    ++removed;
  }
  return removed;
}

// --- the min-heap of fields with an expiry ---

void StringMap::HeapPush(Node* n) {
  heap_.push_back(n);
  n->set_heap_slot(static_cast<uint32_t>(heap_.size() - 1));
  HeapFix(heap_.size() - 1);
}

void StringMap::HeapRemove(Node* n) {
  const size_t slot = n->heap_slot();
  Node* last = heap_.back();
  heap_.pop_back();
  if (last == n) return;
  HeapPlace(slot, last);
  HeapFix(slot);
}

void StringMap::HeapFix(size_t slot) {
  // Sift up while smaller than the parent...
  while (slot > 0) {
    const size_t parent = (slot - 1) / 2;
    if (!HeapLess(slot, parent)) break;
    Node* p = heap_[parent];
    HeapPlace(parent, heap_[slot]);
    HeapPlace(slot, p);
    slot = parent;
  }
  // ...then down while larger than a child.
  for (;;) {
    const size_t left = 2 * slot + 1;
    if (left >= heap_.size()) break;
    size_t child = left;
    if (left + 1 < heap_.size() && HeapLess(left + 1, left)) child = left + 1;
    if (!HeapLess(child, slot)) break;
    Node* c = heap_[child];
    HeapPlace(child, heap_[slot]);
    HeapPlace(slot, c);
    slot = child;
  }
}

}  // namespace basalt
