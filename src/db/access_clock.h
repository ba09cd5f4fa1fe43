// The 24-bit access clock every value carries (Value::lru), read two ways as Redis does:
//
//   LRU policies (and no policy):  | seconds since the epoch, mod 2^24 (24 bits) |
//   LFU policies:                  | minutes, mod 2^16 (16 bits) | counter (8 bits) |
//
// The LFU counter is logarithmic (LfuLogIncr: the more hits it has, the less likely one more
// hit raises it, with lfu-log-factor as the brake) and decays by one per lfu-decay-time
// minutes without access (LfuDecrAndReturn). New values start at counter kLfuInitVal so that
// they are not evicted before they had a chance to be read.
//
// Plain functions of their arguments (the caller supplies the clock and the random draw), so
// they are testable without a server. Used by the dispatcher's lookups (Server::TouchValue),
// the eviction pool and OBJECT IDLETIME/FREQ.
#pragma once

#include <cstdint>

namespace basalt {

inline constexpr uint32_t kLruClockMax = (1u << 24) - 1;
inline constexpr uint32_t kLfuInitVal = 5;

// Redis's LRU_CLOCK(): whole seconds, 24 bits.
inline uint32_t LruClockFromMs(int64_t ms) {
  return static_cast<uint32_t>(ms / 1000) & kLruClockMax;
}
// Redis's LFUGetTimeInMinutes(): whole minutes, 16 bits.
inline uint32_t LfuMinutesFromMs(int64_t ms) {
  return static_cast<uint32_t>(ms / 1000 / 60) & 0xFFFF;
}
// The stamp of a value created under an LFU policy.
inline uint32_t LfuInitialStamp(int64_t now_ms) {
  return (LfuMinutesFromMs(now_ms) << 8) | kLfuInitVal;
}

// Redis's estimateObjectIdleTime in seconds: the distance from `lru` to `clock`, allowing
// for one wrap-around of the 24-bit clock.
uint64_t LruIdleSeconds(uint32_t clock, uint32_t lru);

// Redis's LFUTimeElapsed + LFUDecrAndReturn: the counter of `stamp` less one per
// `decay_time` minutes since its minute (decay_time 0: no decay).
uint32_t LfuDecrAndReturn(uint32_t stamp, int64_t now_ms, int decay_time);

// Redis's LFULogIncr: `counter` plus one with probability 1 / ((counter - 5) * factor + 1);
// `r` is a uniform draw from [0, 1). Saturates at 255.
uint32_t LfuLogIncr(uint32_t counter, int log_factor, double r);

// Redis's updateLFU: the stamp after one access at `now_ms`.
uint32_t LfuTouch(uint32_t stamp, int64_t now_ms, int log_factor, int decay_time, double r);

}  // namespace basalt
