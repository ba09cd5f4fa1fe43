// Expected values follow HdrHistogram as Redis 7.0 configures it for latencystats
// (1 ns..1 s, 2 significant digits): e.g. a 1 µs command reads back as p50=1.003.
#include "server/latency_histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace basalt {
namespace {

TEST(LatencyHistogramTest, EmptyReadsZero) {
  LatencyHistogram h;
  EXPECT_TRUE(h.empty());
  EXPECT_EQ(h.total_count(), 0u);
  EXPECT_EQ(h.ValueAtPercentile(50), 0);
  EXPECT_EQ(h.ValueAtPercentile(0), 0);
}

TEST(LatencyHistogramTest, SmallValuesAreExact) {
  for (int64_t v = 1; v < 256; ++v) {
    EXPECT_EQ(LatencyHistogram::LowestEquivalent(v), v);
    EXPECT_EQ(LatencyHistogram::HighestEquivalent(v), v);
  }
  LatencyHistogram h;
  h.Record(7);
  EXPECT_EQ(h.ValueAtPercentile(50), 7);
}

TEST(LatencyHistogramTest, BucketBoundariesMatchHdr) {
  // 256..511: width 2; 512..1023: width 4; and so on, 128 slots per power of two.
  EXPECT_EQ(LatencyHistogram::LowestEquivalent(256), 256);
  EXPECT_EQ(LatencyHistogram::HighestEquivalent(256), 257);
  EXPECT_EQ(LatencyHistogram::LowestEquivalent(511), 510);
  EXPECT_EQ(LatencyHistogram::HighestEquivalent(511), 511);
  EXPECT_EQ(LatencyHistogram::LowestEquivalent(1000), 1000);
  EXPECT_EQ(LatencyHistogram::HighestEquivalent(1000), 1003);
  EXPECT_EQ(LatencyHistogram::LowestEquivalent(1023), 1020);
  EXPECT_EQ(LatencyHistogram::LowestEquivalent(1024), 1024);
  EXPECT_EQ(LatencyHistogram::HighestEquivalent(1024), 1031);
  EXPECT_EQ(LatencyHistogram::HighestEquivalent(50000), 50175);
  EXPECT_EQ(LatencyHistogram::LowestEquivalent(1'000'000'000), 998'244'352);
  EXPECT_EQ(LatencyHistogram::HighestEquivalent(1'000'000'000), 1'002'438'655);
}

TEST(LatencyHistogramTest, OneMicrosecondReadsAsRedisPrintsIt) {
  LatencyHistogram h;
  h.Record(1000);
  EXPECT_EQ(h.ValueAtPercentile(50), 1003);
  EXPECT_EQ(h.ValueAtPercentile(0), 1000);
  const double percentiles[] = {50.0, 99.0, 99.9};
  EXPECT_EQ(FormatLatencyPercentiles(h, percentiles), "p50=1.003,p99=1.003,p99.9=1.003");
}

TEST(LatencyHistogramTest, ClampsToRange) {
  LatencyHistogram h;
  h.Record(0);
  h.Record(-5);
  EXPECT_EQ(h.ValueAtPercentile(100), 1);
  h.Record(5'000'000'000);
  EXPECT_EQ(h.total_count(), 3u);
  EXPECT_EQ(h.ValueAtPercentile(100), 1'002'438'655);
  EXPECT_EQ(h.ValueAtPercentile(250), 1'002'438'655);  // more than 100 is 100
}

TEST(LatencyHistogramTest, RankRoundsHalfUp) {
  // Samples 1..100 µs: p50 is rank 50 (50 µs), p99.9 is rank round(99.9) = 100.
  LatencyHistogram h;
  for (int64_t us = 1; us <= 100; ++us) h.Record(us * 1000);
  EXPECT_EQ(h.ValueAtPercentile(50), LatencyHistogram::HighestEquivalent(50'000));
  EXPECT_EQ(h.ValueAtPercentile(99), LatencyHistogram::HighestEquivalent(99'000));
  EXPECT_EQ(h.ValueAtPercentile(99.9), LatencyHistogram::HighestEquivalent(100'000));
  EXPECT_EQ(h.ValueAtPercentile(0.4), LatencyHistogram::HighestEquivalent(1'000));  // rank 1
  EXPECT_EQ(h.ValueAtPercentile(0), 1'000);
  EXPECT_EQ(h.ValueAtPercentile(100), LatencyHistogram::HighestEquivalent(100'000));
}

TEST(LatencyHistogramTest, PercentilesWithinTwoSignificantDigits) {
  std::mt19937_64 rng(42);
  std::lognormal_distribution<double> dist(9.0, 2.0);  // ~8 µs median, long tail
  LatencyHistogram h;
  std::vector<int64_t> samples;
  for (int i = 0; i < 100000; ++i) {
    int64_t v = std::clamp<int64_t>(static_cast<int64_t>(dist(rng)), 1, 1'000'000'000);
    samples.push_back(v);
    h.Record(v);
  }
  std::sort(samples.begin(), samples.end());
  for (double p : {0.1, 1.0, 25.0, 50.0, 75.0, 90.0, 99.0, 99.9, 99.99, 100.0}) {
    auto rank = static_cast<size_t>(p / 100 * samples.size() + 0.5);
    int64_t exact = samples[std::max<size_t>(rank, 1) - 1];
    int64_t got = h.ValueAtPercentile(p);
    EXPECT_GE(got, exact) << "p" << p;
    EXPECT_LE(got - exact, exact / 128) << "p" << p;  // Redis's precision: < 1/128 above
    EXPECT_EQ(got, LatencyHistogram::HighestEquivalent(exact)) << "p" << p;
  }
}

TEST(LatencyHistogramTest, EverySlotInvertsToItsValues) {
  // Each value's slot reads back as that value's highest equivalent.
  for (int64_t v = 1; v < 1'000'000'000; v += v / 97 + 1) {
    LatencyHistogram h;
    h.Record(v);
    ASSERT_EQ(h.ValueAtPercentile(50), LatencyHistogram::HighestEquivalent(v)) << v;
    ASSERT_EQ(h.ValueAtPercentile(0), LatencyHistogram::LowestEquivalent(v)) << v;
    ASSERT_LE(LatencyHistogram::LowestEquivalent(v), v);
    ASSERT_GE(LatencyHistogram::HighestEquivalent(v), v);
  }
}

TEST(LatencyHistogramTest, FormatsPercentileNamesAsRedis) {
  LatencyHistogram h;
  h.Record(2'000'000);  // 2 ms
  const double percentiles[] = {0.0, 50.0, 99.9, 100.0, 12.345};
  EXPECT_EQ(FormatLatencyPercentiles(h, percentiles),
            "p0=1998.848,p50=2007.039,p99.9=2007.039,p100=2007.039,p12.345=2007.039");
  EXPECT_EQ(FormatLatencyPercentiles(h, {}), "");
}

}  // namespace
}  // namespace basalt
