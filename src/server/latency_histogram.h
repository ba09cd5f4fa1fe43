// LatencyHistogram: the per-command latency distribution behind INFO latencystats.
//
// A log-linear histogram of integer values (nanoseconds) in [kMinValue, kMaxValue], with
// the same bucket boundaries as the HdrHistogram Redis 7.0 uses for this (range 1 ns..1 s,
// 2 significant digits), so the percentiles INFO prints are the ones Redis prints for the
// same samples:
//
//   values 0..255       one slot per value (exact)
//   values 2^k..2^(k+1) for k >= 8: 128 slots of width 2^(k-7) (relative error < 1/128)
//
//   slot(v) = (shift << 7) + (v >> shift), shift = max(0, floor(log2 v) - 7)
//
// so a 1 µs sample (1000 ns) lands in [1000, 1003] and reads back as 1003 ns ("1.003").
// The slot array (~3,050 counters, 24 KB) is allocated by the first Record: commands that
// never ran cost 32 bytes. A histogram that has recorded nothing has empty() == true, which
// INFO uses to skip commands without calls since the last CONFIG RESETSTAT.
//
// Thread-compatible: owned by the command table, used by the server thread.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace basalt {
namespace latency_histogram_internal {

inline constexpr int kSubBucketBits = 7;  // 128 slots per power of two past 255

// The power-of-two shift of `v`'s slot: its width is 1 << Shift(v). REQUIRES: v >= 0.
constexpr int Shift(int64_t v) {
  int log2 = std::bit_width(static_cast<uint64_t>(v)) - 1;
  return log2 > kSubBucketBits ? log2 - kSubBucketBits : 0;
}

constexpr int SlotOf(int64_t v) {
  int shift = Shift(v);
  return (shift << kSubBucketBits) + static_cast<int>(v >> shift);
}

}  // namespace latency_histogram_internal

class LatencyHistogram {
 public:
  static constexpr int64_t kMinValue = 1;              // 1 ns
  static constexpr int64_t kMaxValue = 1'000'000'000;  // 1 s

  // Counts one sample; values outside [kMinValue, kMaxValue] count as the nearest bound.
  void Record(int64_t value) {
    if (counts_.empty()) counts_.resize(kSlots, 0);
    ++counts_[SlotOf(Clamp(value))];
    ++total_count_;
  }

  bool empty() const { return total_count_ == 0; }
  uint64_t total_count() const { return total_count_; }

  // The value at `percentile` (0..100; more is 100) as HdrHistogram reports it: the
  // highest value equivalent to the sample at that rank (the lowest one for percentile 0).
  // 0 when nothing was recorded.
  int64_t ValueAtPercentile(double percentile) const;

  // How many samples are at most `value` (whose slot counts whole): LATENCY HISTOGRAM's
  // cumulative counts.
  uint64_t CountAtOrBelow(int64_t value) const;
  // Bucket geometry, exposed for tests: the range of values sharing `value`'s slot.
  static int64_t LowestEquivalent(int64_t value);
  static int64_t HighestEquivalent(int64_t value);

 private:
  static constexpr int64_t Clamp(int64_t v) { return std::clamp(v, kMinValue, kMaxValue); }
  static constexpr int SlotOf(int64_t v) { return latency_histogram_internal::SlotOf(v); }
  static constexpr int kSlots = latency_histogram_internal::SlotOf(kMaxValue) + 1;

  std::vector<uint64_t> counts_;  // empty until the first Record
  uint64_t total_count_ = 0;
};

// One INFO latencystats value: "p50=1.003,p99=2.007,p99.9=10.015" for the given
// percentiles, each named as Redis prints it ("%f" without trailing zeros: 99.9 → p99.9,
// 50.0 → p50) and valued in microseconds with three decimals. Empty list → "".
std::string FormatLatencyPercentiles(const LatencyHistogram& histogram,
                                     std::span<const double> percentiles);

}  // namespace basalt
