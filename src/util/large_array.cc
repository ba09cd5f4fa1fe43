#include "util/large_array.h"

#include <sys/mman.h>

#include <atomic>
#include <cstdint>

namespace basalt {
namespace {

std::atomic<uint64_t> mapped_bytes{0};

}  // namespace

void* MapLargeArray(size_t bytes) {
  // Over-map by one alignment unit, then give back the unaligned head and the tail.
  const size_t span = bytes + kLargeArrayBytes;
  void* raw = mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) return nullptr;
  const auto start = reinterpret_cast<uintptr_t>(raw);
  const uintptr_t aligned = (start + kLargeArrayBytes - 1) & ~(uintptr_t{kLargeArrayBytes} - 1);
  if (aligned > start) munmap(raw, aligned - start);
  const uintptr_t end = start + span;
  if (end > aligned + bytes) munmap(reinterpret_cast<void*>(aligned + bytes), end - aligned - bytes);
  void* p = reinterpret_cast<void*>(aligned);
  // A hint: where THP is off ("never"), or the kernel lacks it, the pages stay small.
  madvise(p, bytes, MADV_HUGEPAGE);
  mapped_bytes.fetch_add(bytes, std::memory_order_relaxed);
  return p;
}

void UnmapLargeArray(void* p, size_t bytes) {
  if (p == nullptr) return;
  munmap(p, bytes);
  mapped_bytes.fetch_sub(bytes, std::memory_order_relaxed);
}

uint64_t LargeArrayBytes() { return mapped_bytes.load(std::memory_order_relaxed); }

}  // namespace basalt
