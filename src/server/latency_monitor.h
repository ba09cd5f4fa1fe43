// LatencyMonitor: Redis's latency monitor (latency.c): for each named event ("command",
// "fast-command", "expire-cycle", "eviction-cycle", "eviction-del", ...), the latest 160
// samples of the latency spikes at or over `latency-monitor-threshold` ms, one per second
// (the worst of that second), and the worst ever seen. LATENCY LATEST / HISTORY / RESET /
// GRAPH / DOCTOR read it (commands/latency.cc).
//
// Owned by Server; execution thread only.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace basalt {

class LatencyMonitor {
 public:
  static constexpr int kSamples = 160;  // Redis's LATENCY_TS_LEN

  struct Sample {
    int64_t time = 0;      // unix seconds; 0: an empty slot
    uint32_t latency = 0;  // ms
  };
  struct Series {
    int idx = 0;  // the next slot to write
    uint32_t max = 0;
    std::array<Sample, kSamples> samples{};
    const Sample& latest() const { return samples[(idx + kSamples - 1) % kSamples]; }
  };

  // The threshold in ms (0: monitoring off); kept in step with the config by the server.
  void set_threshold(int64_t ms) { threshold_ms_ = ms; }
  int64_t threshold() const { return threshold_ms_; }

  // Redis's latencyAddSampleIfNeeded: records `latency_ms` for `event` when monitoring is on
  // and it reaches the threshold. One compare otherwise.
  void AddSampleIfNeeded(std::string_view event, int64_t latency_ms) {
    if (threshold_ms_ > 0 && latency_ms >= threshold_ms_) AddSample(event, latency_ms, Now());
  }
  // Records unconditionally at unix time `now`.
  void AddSample(std::string_view event, int64_t latency_ms, int64_t now);

  // Drops one event's series (true if it existed) or all of them (returns how many).
  bool Reset(std::string_view event) { return events_.erase(std::string(event)) > 0; }
  size_t ResetAll() {
    size_t n = events_.size();
    events_.clear();
    return n;
  }

  const std::map<std::string, Series, std::less<>>& events() const { return events_; }
  const Series* Find(std::string_view event) const {
    auto it = events_.find(event);
    return it == events_.end() ? nullptr : &it->second;
  }

  // LATENCY GRAPH: the ASCII chart of a series, as Redis draws it.
  static std::string Graph(std::string_view event, const Series& series, int64_t now);
  // LATENCY DOCTOR: the human-readable analysis.
  std::string Doctor(int64_t now, int64_t slowlog_threshold_us) const;

 private:
  static int64_t Now();

  int64_t threshold_ms_ = 0;
  std::map<std::string, Series, std::less<>> events_;
};

}  // namespace basalt
