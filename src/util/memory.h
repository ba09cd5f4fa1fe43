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

// Just the allocated bytes, read afresh (refreshes the statistics epoch).
uint64_t UsedMemory();

// --- used memory for the maxmemory check before every command ---
// Reading `stats.allocated` needs an epoch refresh, too slow to do per command, and jemalloc
// counts objects parked in a thread's cache as allocated. So the figure is kept in two parts:
// RefreshUsedMemory() flushes the calling thread's cache and takes `stats.allocated` (the
// cron does this once per tick; INFO and eviction when they need an exact figure), and
// CachedUsedMemory() adds what the calling thread allocated minus what it freed since, from
// jemalloc's per-thread counters (two loads). Allocations by other threads show up at the
// next refresh. Without jemalloc both read the C library's figure. Every figure here includes
// the big arrays mapped outside the allocator (util/large_array.h).
// REQUIRES: both are called from the same thread (the server's execution thread).
void RefreshUsedMemory();
uint64_t CachedUsedMemory();

// MEMORY PURGE: returns unused dirty pages of every arena to the system. False without
// jemalloc.
bool PurgeAllocator();
// MEMORY MALLOC-STATS: jemalloc's malloc_stats_print report, or a note without jemalloc.
std::string AllocatorStatsText();
// DEBUG MALLCTL: reads jemalloc's integer setting `name` (and writes `new_value` when given),
// trying 8-, 4-, 2- and 1-byte widths as the name requires. `error` is strerror's text when
// it fails; `write_only` when the name could only be written (the reply is then OK).
struct AllocatorCtlResult {
  bool ok = false;
  bool write_only = false;
  int64_t old_value = 0;
  std::string error;
};
AllocatorCtlResult AllocatorCtlInt(const char* name, const int64_t* new_value);
// DEBUG MALLCTL-STR: the same for a string setting; `new_value` "VOID" calls a setting that
// takes no value (e.g. thread.tcache.flush). On success `text` holds the old value, or is
// empty with `write_only` set.
struct AllocatorCtlStrResult {
  bool ok = false;
  bool write_only = false;
  std::string text;
  std::string error;
};
AllocatorCtlStrResult AllocatorCtlString(const char* name, const char* new_value);

// A size_t jemalloc statistic by name (e.g. "stats.metadata"); false without jemalloc or
// for a name it does not know. Reads the figures of the last refresh.
bool ReadAllocatorStat(const char* name, uint64_t* out);

// "jemalloc-5.3.0" when jemalloc is linked in, else "libc" (INFO mem_allocator).
std::string AllocatorName();

// Physical memory of the machine, in bytes (INFO total_system_memory); 0 if unknown.
uint64_t TotalSystemMemory();

// Redis's bytesToHuman: "1023B", "1.50K", "2.00M", ... (INFO *_human fields).
std::string BytesToHuman(uint64_t n);

}  // namespace basalt
