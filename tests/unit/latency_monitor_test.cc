#include "server/latency_monitor.h"

#include <gtest/gtest.h>

namespace basalt {
namespace {

TEST(LatencyMonitorTest, ThresholdGatesSamples) {
  LatencyMonitor m;
  m.AddSampleIfNeeded("command", 500);  // threshold 0: off
  EXPECT_TRUE(m.events().empty());
  m.set_threshold(100);
  m.AddSampleIfNeeded("command", 99);
  EXPECT_TRUE(m.events().empty());
  m.AddSampleIfNeeded("command", 100);
  ASSERT_NE(m.Find("command"), nullptr);
  EXPECT_EQ(m.Find("command")->latest().latency, 100u);
}

TEST(LatencyMonitorTest, OneSamplePerSecondKeepsTheWorst) {
  LatencyMonitor m;
  m.AddSample("ev", 10, 1000);
  m.AddSample("ev", 30, 1000);
  m.AddSample("ev", 20, 1000);
  m.AddSample("ev", 5, 1001);
  const LatencyMonitor::Series* s = m.Find("ev");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->idx, 2);
  EXPECT_EQ(s->samples[0].latency, 30u);
  EXPECT_EQ(s->latest().time, 1001);
  EXPECT_EQ(s->latest().latency, 5u);
  EXPECT_EQ(s->max, 30u);
}

TEST(LatencyMonitorTest, RingKeepsTheLast160) {
  LatencyMonitor m;
  for (int i = 0; i < 200; ++i) m.AddSample("ev", i, 1000 + i);
  const LatencyMonitor::Series* s = m.Find("ev");
  int kept = 0;
  for (const auto& sample : s->samples) kept += sample.time != 0;
  EXPECT_EQ(kept, LatencyMonitor::kSamples);
  EXPECT_EQ(s->samples[s->idx].time, 1040);  // the oldest left
  EXPECT_EQ(s->max, 199u);
}

TEST(LatencyMonitorTest, Reset) {
  LatencyMonitor m;
  m.AddSample("a", 1, 1);
  m.AddSample("b", 1, 1);
  EXPECT_FALSE(m.Reset("c"));
  EXPECT_TRUE(m.Reset("a"));
  EXPECT_EQ(m.ResetAll(), 1u);
  EXPECT_TRUE(m.events().empty());
}

TEST(LatencyMonitorTest, GraphOfOneSample) {
  LatencyMonitor m;
  m.AddSample("command", 150, 1000);
  std::string g = LatencyMonitor::Graph("command", *m.Find("command"), 1003);
  EXPECT_EQ(g,
            "command - high 150 ms, low 150 ms (all time high 150 ms)\n" + std::string(80, '-') +
                "\n \n \n \n_\n \n3\ns\n");
}

TEST(LatencyMonitorTest, GraphScalesBetweenMinAndMax) {
  LatencyMonitor m;
  m.AddSample("e", 100, 1000);
  m.AddSample("e", 400, 1001);
  std::string g = LatencyMonitor::Graph("e", *m.Find("e"), 1001);
  // The highest sample fills its column up to the top row; the lowest is the baseline.
  EXPECT_NE(g.find("\n #\n |\n |\n_|\n"), std::string::npos) << g;
}

TEST(LatencyMonitorTest, Doctor) {
  LatencyMonitor m;
  EXPECT_NE(m.Doctor(0, 10000).find("no latency spike"), std::string::npos);
  m.AddSample("command", 300, 1000);
  EXPECT_NE(m.Doctor(1000, 10000).find("1. command: 1 latency spikes"), std::string::npos);
}

}  // namespace
}  // namespace basalt
