#include "server/latency_histogram.h"

#include <cstdio>

namespace basalt {

using latency_histogram_internal::kSubBucketBits;
using latency_histogram_internal::Shift;

int64_t LatencyHistogram::LowestEquivalent(int64_t value) {
  int shift = Shift(value);
  return (value >> shift) << shift;
}

int64_t LatencyHistogram::HighestEquivalent(int64_t value) {
  return LowestEquivalent(value) + (int64_t{1} << Shift(value)) - 1;
}

int64_t LatencyHistogram::ValueAtPercentile(double percentile) const {
  if (total_count_ == 0) return 0;
  double p = percentile < 100.0 ? percentile : 100.0;
  // The rank HdrHistogram looks for: round half up, and at least the first sample.
  int64_t rank = static_cast<int64_t>(p / 100 * static_cast<double>(total_count_) + 0.5);
  if (rank < 1) rank = 1;
  uint64_t seen = 0;
  for (int slot = 0; slot < kSlots; ++slot) {
    seen += counts_[slot];
    if (seen < static_cast<uint64_t>(rank)) continue;
    // Invert SlotOf: slots below 256 are exact values, then 128 per power of two.
    int shift = slot >> kSubBucketBits;
    shift = shift > 1 ? shift - 1 : 0;
    int64_t lowest = static_cast<int64_t>(slot - (shift << kSubBucketBits)) << shift;
    return percentile == 0.0 ? lowest : HighestEquivalent(lowest);
  }
  return 0;  // unreachable: the counts add up to total_count_
}

uint64_t LatencyHistogram::CountAtOrBelow(int64_t value) const {
  if (total_count_ == 0) return 0;
  const int last = SlotOf(Clamp(value));
  uint64_t seen = 0;
  for (int slot = 0; slot <= last; ++slot) seen += counts_[slot];
  return seen;
}

std::string FormatLatencyPercentiles(const LatencyHistogram& histogram,
                                     std::span<const double> percentiles) {
  std::string out;
  for (size_t i = 0; i < percentiles.size(); ++i) {
    char name[128];
    int len = std::snprintf(name, sizeof(name), "%f", percentiles[i]);
    // Redis's trimDoubleString: "99.900000" → "99.9", "50.000000" → "50".
    while (len > 0 && name[len - 1] == '0') --len;
    if (len > 0 && name[len - 1] == '.') --len;
    char value[64];
    std::snprintf(value, sizeof(value), "%.3f",
                  static_cast<double>(histogram.ValueAtPercentile(percentiles[i])) / 1000.0);
    if (i > 0) out += ',';
    out += 'p';
    out.append(name, static_cast<size_t>(len));
    out += '=';
    out += value;
  }
  return out;
}

}  // namespace basalt
