// Process memory figures for INFO memory (and, later, maxmemory and MEMORY STATS).
//
// The server binary links jemalloc; the unit tests and sanitizer builds use the C library
// allocator. `mallctl` is declared weak, so this file links either way: with jemalloc the
// figures are the allocator's own (what Redis reports), without it they come from glibc's
// mallinfo2 and /proc/self/statm.
//
// Each call reads the allocator's statistics afresh (jemalloc needs an "epoch" refresh,
// which merges per-arena counters): cheap enough for INFO and the cron, not for every
// command. Thread-safe.
#pragma once

#include <cstdint>
#include <string>

namespace basalt {

struct MemoryStats {
  uint64_t allocated = 0;  // bytes handed out by the allocator (INFO used_memory)
  uint64_t active = 0;     // bytes in pages holding allocations (allocator_active)
  uint64_t resident = 0;   // allocator pages resident in RAM (allocator_resident)
  uint64_t rss = 0;        // the process's resident set size (used_memory_rss)
};

// Reads the current figures. Fields the allocator cannot tell fall back to the closest
// available one (e.g. active = allocated without jemalloc).
MemoryStats ReadMemoryStats();

// Just the allocated bytes (INFO used_memory).
uint64_t UsedMemory();

// "jemalloc-5.3.0" when jemalloc is linked in, else "libc" (INFO mem_allocator).
std::string AllocatorName();

// Physical memory of the machine, in bytes (INFO total_system_memory); 0 if unknown.
uint64_t TotalSystemMemory();

// Redis's bytesToHuman: "1023B", "1.50K", "2.00M", ... (INFO *_human fields).
std::string BytesToHuman(uint64_t n);

}  // namespace basalt
