#include "db/access_clock.h"

namespace basalt {

uint64_t LruIdleSeconds(uint32_t clock, uint32_t lru) {
  clock &= kLruClockMax;
  lru &= kLruClockMax;
  return clock >= lru ? clock - lru : static_cast<uint64_t>(clock) + (kLruClockMax - lru);
}

uint32_t LfuDecrAndReturn(uint32_t stamp, int64_t now_ms, int decay_time) {
  const uint32_t last_minute = (stamp >> 8) & 0xFFFF;
  const uint32_t counter = stamp & 0xFF;
  const uint32_t now = LfuMinutesFromMs(now_ms);
  const uint32_t elapsed = now >= last_minute ? now - last_minute : 0xFFFF - last_minute + now;
  const uint32_t periods = decay_time > 0 ? elapsed / static_cast<uint32_t>(decay_time) : 0;
  return periods > counter ? 0 : counter - periods;
}

uint32_t LfuLogIncr(uint32_t counter, int log_factor, double r) {
  if (counter >= 255) return 255;
  double base = static_cast<double>(counter) - kLfuInitVal;
  if (base < 0) base = 0;
  const double p = 1.0 / (base * log_factor + 1);
  return r < p ? counter + 1 : counter;
}

uint32_t LfuTouch(uint32_t stamp, int64_t now_ms, int log_factor, int decay_time, double r) {
  uint32_t counter = LfuDecrAndReturn(stamp, now_ms, decay_time);
  counter = LfuLogIncr(counter, log_factor, r);
  return (LfuMinutesFromMs(now_ms) << 8) | counter;
}

}  // namespace basalt
