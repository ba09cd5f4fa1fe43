#include "types/string_set.h"

#include <malloc.h>

#include <cstdlib>
#include <cstring>

namespace basalt {

StringSet::~StringSet() {
  table_.Clear([](Node* n) { FreeNode(n); });
}

StringSet::Node* StringSet::NewNode(std::string_view member) {
  void* mem = std::malloc(sizeof(Node) + member.size());
  if (mem == nullptr) std::abort();  // as zmalloc: out of memory is not recoverable here
  Node* n = static_cast<Node*>(mem);
  n->next = nullptr;
  n->len = static_cast<uint32_t>(member.size());
  if (!member.empty()) std::memcpy(n->data, member.data(), member.size());
  return n;
}

bool StringSet::Add(std::string_view member) {
  const uint64_t hash = Table::HashOf(member);
  if (table_.Find(member, hash) != nullptr) return false;
  table_.Insert(NewNode(member), hash);
  return true;
}

bool StringSet::Remove(std::string_view member) {
  Node* n = table_.Erase(member);
  if (n == nullptr) return false;
  FreeNode(n);
  return true;
}

std::unique_ptr<CollectionObject> StringSet::Clone() const {
  auto copy = std::make_unique<StringSet>();
  ForEach([&copy](std::string_view m) { copy->table_.Insert(NewNode(m)); });
  return copy;
}

size_t StringSet::AllocatedBytes() const {
  size_t bytes = sizeof(StringSet) + table_.MemoryUsage();
  table_.ForEach([&bytes](Node* n) { bytes += malloc_usable_size(n); });
  return bytes;
}

}  // namespace basalt
