// Zeroed arrays of 2 MB and more (hash table buckets), mapped straight from the kernel on a
// 2 MB boundary with transparent huge pages asked for (MADV_HUGEPAGE).
//
// Why: a key lookup reads one bucket slot at a random place in the array. With 4 KB pages
// nearly every such read misses the TLB and walks the page tables, which under a hypervisor
// costs about as much as the memory read itself (perf shows the walks as stalls on the
// prefetches of a pipelined batch). A 2 MB page covers 512 small ones, so the bucket arrays
// of a table with millions of keys fit in a handful of TLB entries. The array is written
// whole anyway while the table fills, so the big pages cost no resident memory a small-page
// array would not; smaller arrays stay in the allocator, where a 2 MB page would waste.
//
// Redis turns transparent huge pages off because its fork's copy-on-write would then copy
// 2 MB per touched page. Basalt's background saves do not fork (unless snapshot-fork yes).
//
// The bytes mapped here count in used memory (see util/memory.h) as the allocator's do.
// Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>

namespace basalt {

inline constexpr size_t kLargeArrayBytes = size_t{2} << 20;

// `bytes` zero bytes, 2 MB aligned, or nullptr when out of memory.
// REQUIRES: bytes >= kLargeArrayBytes.
void* MapLargeArray(size_t bytes);
// Releases what MapLargeArray(bytes) returned.
void UnmapLargeArray(void* p, size_t bytes);
// The bytes currently mapped by MapLargeArray.
uint64_t LargeArrayBytes();

}  // namespace basalt
