// PrefetchRead: a hint that `p` will be read soon (prefetcht0 on x86-64).
//
// Why not plain __builtin_prefetch: GCC 12's mod/ref analysis treats a function whose only
// effect is a prefetch as having no effect at all, and deletes calls to it (seen with
// HashTable::Prefetch: -O2 emitted nothing). A volatile asm statement cannot be deleted.
#pragma once

namespace basalt {

inline void PrefetchRead(const void* p) {
#if defined(__x86_64__)
  asm volatile("prefetcht0 %0" : : "m"(*static_cast<const char*>(p)));
#else
  __builtin_prefetch(p);
#endif
}

}  // namespace basalt
