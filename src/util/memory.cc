#include "util/memory.h"

#include <fcntl.h>
#include <malloc.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "util/large_array.h"

// jemalloc's control interface; null when the binary does not link jemalloc.
extern "C" int mallctl(const char* name, void* oldp, size_t* oldlenp, void* newp, size_t newlen)
    __attribute__((weak));
extern "C" void malloc_stats_print(void (*write_cb)(void*, const char*), void* cbopaque,
                                   const char* opts) __attribute__((weak));

namespace basalt {
namespace {

bool HaveJemalloc() { return mallctl != nullptr; }

// Reads one size_t statistic; false when jemalloc is absent or does not know `name`.
bool ReadJemallocStat(const char* name, uint64_t* out) {
  if (!HaveJemalloc()) return false;
  size_t value = 0;
  size_t len = sizeof(value);
  if (mallctl(name, &value, &len, nullptr, 0) != 0) return false;
  *out = value;
  return true;
}

// jemalloc caches its statistics until the epoch is advanced.
void RefreshJemallocStats() {
  uint64_t epoch = 1;
  size_t len = sizeof(epoch);
  mallctl("epoch", &epoch, &len, &epoch, len);
}

// Resident set size from /proc/self/statm (second field, in pages).
uint64_t ProcessRss() {
  int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  char buf[128];
  ssize_t n = read(fd, buf, sizeof(buf) - 1);
  close(fd);
  if (n <= 0) return 0;
  buf[n] = '\0';
  char* p = buf;
  std::strtoull(p, &p, 10);  // total program size: skipped
  uint64_t pages = std::strtoull(p, nullptr, 10);
  return pages * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
}

uint64_t LibcAllocated() {
  struct mallinfo2 mi = mallinfo2();
  return mi.uordblks + mi.hblkhd;
}

// The calling thread's cumulative allocated / freed byte counters (jemalloc keeps them in
// thread-local storage and hands out their addresses), and the figures of the last refresh.
struct ThreadMemoryCounters {
  bool initialized = false;
  const uint64_t* allocated = nullptr;
  const uint64_t* deallocated = nullptr;
  uint64_t base_used = 0;  // stats.allocated at the last refresh
  uint64_t base_net = 0;   // *allocated - *deallocated at the last refresh
};
thread_local ThreadMemoryCounters tls_counters;

void InitThreadCounters(ThreadMemoryCounters& c) {
  c.initialized = true;
  uint64_t* p = nullptr;
  size_t len = sizeof(p);
  if (mallctl("thread.allocatedp", &p, &len, nullptr, 0) == 0) c.allocated = p;
  len = sizeof(p);
  if (mallctl("thread.deallocatedp", &p, &len, nullptr, 0) == 0) c.deallocated = p;
  if (c.allocated == nullptr || c.deallocated == nullptr) c.allocated = c.deallocated = nullptr;
}

}  // namespace

void RefreshUsedMemory() {
  if (!HaveJemalloc()) return;
  ThreadMemoryCounters& c = tls_counters;
  if (!c.initialized) InitThreadCounters(c);
  // Objects in this thread's cache count as allocated in the arena statistics: return them
  // first so that the base is what the server really holds.
  mallctl("thread.tcache.flush", nullptr, nullptr, nullptr, 0);
  RefreshJemallocStats();
  uint64_t used = 0;
  ReadJemallocStat("stats.allocated", &used);
  c.base_used = used;
  c.base_net = c.allocated != nullptr ? *c.allocated - *c.deallocated : 0;
}

namespace {

// CachedUsedMemory's part held by the allocator.
uint64_t CachedAllocatorUsed() {
  if (!HaveJemalloc()) return LibcAllocated();
  ThreadMemoryCounters& c = tls_counters;
  if (c.allocated == nullptr) {
    // First call, or no per-thread counters: refresh every time (slow but right).
    RefreshUsedMemory();
    if (c.allocated == nullptr) return c.base_used;
  }
  const int64_t delta = static_cast<int64_t>(*c.allocated - *c.deallocated - c.base_net);
  const int64_t used = static_cast<int64_t>(c.base_used) + delta;
  return used > 0 ? static_cast<uint64_t>(used) : 0;
}

// UsedMemory's part held by the allocator.
uint64_t AllocatorUsed() {
  if (!HaveJemalloc()) return LibcAllocated();
  RefreshJemallocStats();
  uint64_t allocated = 0;
  ReadJemallocStat("stats.allocated", &allocated);
  return allocated;
}

}  // namespace

uint64_t CachedUsedMemory() { return CachedAllocatorUsed() + LargeArrayBytes(); }

bool PurgeAllocator() {
  if (!HaveJemalloc()) return false;
  // MALLCTL_ARENAS_ALL (4096) names every arena.
  return mallctl("arena.4096.purge", nullptr, nullptr, nullptr, 0) == 0;
}

std::string AllocatorStatsText() {
  if (!HaveJemalloc() || malloc_stats_print == nullptr) {
    return "Stats not supported for the current allocator";
  }
  std::string out;
  malloc_stats_print(
      [](void* opaque, const char* text) { static_cast<std::string*>(opaque)->append(text); },
      &out, nullptr);
  return out;
}

AllocatorCtlResult AllocatorCtlInt(const char* name, const int64_t* new_value) {
  AllocatorCtlResult r;
  if (!HaveJemalloc()) {
    r.error = std::strerror(ENOENT);
    return r;
  }
  for (size_t width = sizeof(int64_t); width > 0; width /= 2) {
    // Little-endian: the low bytes of an int64 are the narrower integer.
    int64_t old = 0;
    int64_t value = new_value != nullptr ? *new_value : 0;
    size_t len = width;
    int rc = mallctl(name, &old, &len, new_value != nullptr ? &value : nullptr,
                     new_value != nullptr ? width : 0);
    if (rc == 0) {
      r.ok = true;
      r.old_value = old;
      return r;
    }
    if (rc == EPERM && new_value != nullptr &&
        mallctl(name, nullptr, nullptr, &value, width) == 0) {
      r.ok = r.write_only = true;
      return r;
    }
    if (rc != EINVAL) {
      r.error = std::strerror(rc);
      return r;
    }
  }
  r.error = std::strerror(EINVAL);
  return r;
}

AllocatorCtlStrResult AllocatorCtlString(const char* name, const char* new_value) {
  AllocatorCtlStrResult r;
  if (!HaveJemalloc()) {
    r.error = std::strerror(ENOENT);
    return r;
  }
  const char* old = nullptr;
  size_t len = sizeof(old);
  // Read first (a write-only setting refuses with EPERM, which is fine when writing).
  const int read_rc = mallctl(name, &old, &len, nullptr, 0);
  if (read_rc != 0 && !(read_rc == EPERM && new_value != nullptr)) {
    r.error = std::strerror(read_rc);
    return r;
  }
  int write_rc = 0;
  if (new_value != nullptr) {
    const char* value = new_value;
    const bool none = std::strcmp(new_value, "VOID") == 0;
    write_rc = mallctl(name, nullptr, nullptr, none ? nullptr : &value, none ? 0 : sizeof(value));
  }
  if (read_rc == 0) {
    r.ok = true;
    r.text = old != nullptr ? old : "";
  } else if (write_rc != 0) {
    r.error = std::strerror(write_rc);
  } else {
    r.ok = r.write_only = true;
  }
  return r;
}

bool ReadAllocatorStat(const char* name, uint64_t* out) { return ReadJemallocStat(name, out); }

MemoryStats ReadMemoryStats() {
  MemoryStats s;
  s.rss = ProcessRss();
  if (HaveJemalloc()) {
    RefreshJemallocStats();
    ReadJemallocStat("stats.allocated", &s.allocated);
    ReadJemallocStat("stats.active", &s.active);
    ReadJemallocStat("stats.resident", &s.resident);
  } else {
    s.allocated = LibcAllocated();
    struct mallinfo2 mi = mallinfo2();
    s.active = mi.arena + mi.hblkhd;
    s.resident = s.rss;
  }
  // The big arrays mapped outside the allocator are held by it as far as the figures go.
  const uint64_t mapped = LargeArrayBytes();
  s.allocated += mapped;
  s.active += mapped;
  s.resident += mapped;
  if (s.active < s.allocated) s.active = s.allocated;
  if (s.resident < s.active) s.resident = s.active;
  return s;
}

uint64_t UsedMemory() { return AllocatorUsed() + LargeArrayBytes(); }

std::string AllocatorName() {
  if (!HaveJemalloc()) return "libc";
  const char* version = nullptr;
  size_t len = sizeof(version);
  if (mallctl("version", &version, &len, nullptr, 0) != 0 || version == nullptr) {
    return "jemalloc";
  }
  // jemalloc reports "5.3.0-0-g54eaed1d8b56b1aa528be3bdd1877e59c56fa90c"; Redis shows
  // the release only.
  std::string v(version);
  size_t dash = v.find('-');
  if (dash != std::string::npos) v.resize(dash);
  return "jemalloc-" + v;
}

uint64_t TotalSystemMemory() {
  long pages = sysconf(_SC_PHYS_PAGES);
  long page_size = sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page_size <= 0) return 0;
  return static_cast<uint64_t>(pages) * static_cast<uint64_t>(page_size);
}

std::string BytesToHuman(uint64_t n) {
  static const char kUnits[] = "KMGTP";
  char buf[64];
  if (n < 1024) {
    std::snprintf(buf, sizeof(buf), "%lluB", static_cast<unsigned long long>(n));
    return buf;
  }
  double d = static_cast<double>(n);
  for (int i = 0; i < 5; ++i) {
    d /= 1024;
    if (d < 1024) {
      std::snprintf(buf, sizeof(buf), "%.2f%c", d, kUnits[i]);
      return buf;
    }
  }
  std::snprintf(buf, sizeof(buf), "%lluB", static_cast<unsigned long long>(n));
  return buf;
}

}  // namespace basalt
