// The unit-test binary does not link jemalloc, so these exercise the C library fallback
// (the jemalloc path is covered by tests/integration/test_info.py against the server).
#include "util/memory.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

namespace basalt {
namespace {

TEST(MemoryTest, BytesToHuman) {
  EXPECT_EQ(BytesToHuman(0), "0B");
  EXPECT_EQ(BytesToHuman(1023), "1023B");
  EXPECT_EQ(BytesToHuman(1024), "1.00K");
  EXPECT_EQ(BytesToHuman(1536), "1.50K");
  EXPECT_EQ(BytesToHuman(100ull << 20), "100.00M");
  EXPECT_EQ(BytesToHuman(3ull << 30), "3.00G");
  EXPECT_EQ(BytesToHuman(5ull << 40), "5.00T");
  EXPECT_EQ(BytesToHuman(7ull << 50), "7.00P");
  EXPECT_EQ(BytesToHuman(1ull << 60), "1152921504606846976B");
}

TEST(MemoryTest, StatsAreConsistent) {
  MemoryStats s = ReadMemoryStats();
  EXPECT_GT(s.allocated, 0u);
  EXPECT_GT(s.rss, 0u);
  EXPECT_GE(s.active, s.allocated);
  EXPECT_GE(s.resident, s.active);
}

TEST(MemoryTest, UsedMemoryFollowsAllocations) {
  uint64_t before = UsedMemory();
  std::vector<std::unique_ptr<char[]>> blocks;
  for (int i = 0; i < 64; ++i) {
    blocks.emplace_back(new char[64 * 1024]);
    blocks.back()[0] = 1;
  }
  uint64_t during = UsedMemory();
  EXPECT_GE(during, before + 64 * 64 * 1024);
  blocks.clear();
  EXPECT_LT(UsedMemory(), during);
}

TEST(MemoryTest, Allocator) {
  EXPECT_EQ(AllocatorName(), "libc");
  EXPECT_GT(TotalSystemMemory(), 0u);
}

}  // namespace
}  // namespace basalt
