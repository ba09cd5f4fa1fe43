#include "util/memory.h"

#include <fcntl.h>
#include <malloc.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

// jemalloc's control interface; null when the binary does not link jemalloc.
extern "C" int mallctl(const char* name, void* oldp, size_t* oldlenp, void* newp, size_t newlen)
    __attribute__((weak));

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

}  // namespace

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
  if (s.active < s.allocated) s.active = s.allocated;
  if (s.resident < s.active) s.resident = s.active;
  return s;
}

uint64_t UsedMemory() {
  if (!HaveJemalloc()) return LibcAllocated();
  RefreshJemallocStats();
  uint64_t allocated = 0;
  ReadJemallocStat("stats.allocated", &allocated);
  return allocated;
}

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
