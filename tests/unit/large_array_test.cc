#include "util/large_array.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>

#include "db/hash_table.h"
#include "util/memory.h"

namespace basalt {
namespace {

TEST(LargeArrayTest, MappedZeroedAlignedAndCounted) {
  const uint64_t before = LargeArrayBytes();
  const size_t bytes = kLargeArrayBytes * 2 + 4096;
  auto* p = static_cast<unsigned char*>(MapLargeArray(bytes));
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % kLargeArrayBytes, 0u);
  EXPECT_EQ(p[0], 0);
  EXPECT_EQ(p[bytes / 2], 0);
  EXPECT_EQ(p[bytes - 1], 0);
  std::memset(p, 0xAB, bytes);  // the whole span is ours to write
  EXPECT_EQ(LargeArrayBytes(), before + bytes);
  UnmapLargeArray(p, bytes);
  EXPECT_EQ(LargeArrayBytes(), before);
}

TEST(LargeArrayTest, UsedMemoryIncludesMappedArrays) {
  const uint64_t before = CachedUsedMemory();
  const size_t bytes = kLargeArrayBytes * 4;
  void* p = MapLargeArray(bytes);
  ASSERT_NE(p, nullptr);
  EXPECT_GE(CachedUsedMemory(), before + bytes);
  EXPECT_GE(ReadMemoryStats().allocated, bytes);
  UnmapLargeArray(p, bytes);
}

struct Node {
  std::string key;
  Node* next = nullptr;
};
struct Traits {
  static std::string_view Key(const Node* n) { return n->key; }
  static Node* Next(const Node* n) { return n->next; }
  static void SetNext(Node* n, Node* next) { n->next = next; }
  static uint64_t Hash(std::string_view key) { return KeyHash(key); }
};

TEST(LargeArrayTest, HashTableBucketsMoveToMappedArraysAndBack) {
  const uint64_t before = LargeArrayBytes();
  std::vector<Node> nodes(300000);
  HashTable<Node, Traits> table;
  for (size_t i = 0; i < nodes.size(); ++i) {
    nodes[i].key = "key:" + std::to_string(i);
    table.Insert(&nodes[i]);
  }
  while (table.RehashStep(1000)) {
  }
  // 300k keys: 512k buckets of 8 bytes, 4 MB.
  EXPECT_EQ(table.bucket_count(), size_t{1} << 19);
  EXPECT_EQ(LargeArrayBytes(), before + (size_t{1} << 19) * sizeof(Node*));
  for (size_t i = 0; i < nodes.size(); i += 997) {
    EXPECT_EQ(table.Find(nodes[i].key), &nodes[i]);
  }
  for (Node& n : nodes) ASSERT_EQ(table.Erase(n.key), &n);
  while (table.RehashStep(1000)) {
  }
  EXPECT_EQ(LargeArrayBytes(), before);
}

}  // namespace
}  // namespace basalt
