#include "server/latency_monitor.h"

#include <cmath>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

namespace basalt {
namespace {

constexpr int kGraphColumns = 80;
constexpr int kGraphRows = 4;

// One sparkline: samples left to right, scaled between their min and max into
// kGraphRows rows of three heights each ('_', 'o', '#', with '|' filling below), and each
// sample's label ("12s", "3m") written vertically under its column.
struct Sparkline {
  std::vector<std::pair<uint32_t, std::string>> samples;
  uint32_t min = 0;
  uint32_t max = 0;

  void Add(uint32_t value, std::string label) {
    if (samples.empty()) {
      min = max = value;
    } else {
      if (value > max) max = value;
      if (value < min) min = value;
    }
    samples.emplace_back(value, std::move(label));
  }

  void RenderRange(std::string& out, size_t offset, size_t len) const {
    static const char kFill[] = "_o#";
    constexpr int kCharset = 3;
    const int steps = kCharset * kGraphRows;
    double relmax = static_cast<double>(max) - min;
    if (relmax == 0) relmax = 1;
    std::string line;
    for (int row = 0;; ++row) {
      line.assign(len, ' ');
      bool any = false;
      for (size_t j = 0; j < len; ++j) {
        const auto& [value, label] = samples[offset + j];
        int step = static_cast<int>(static_cast<int>((value - min) * static_cast<double>(steps)) /
                                    relmax);
        if (step < 0) step = 0;
        if (step >= steps) step = steps - 1;
        if (row < kGraphRows) {
          any = true;
          const int idx = step - (kGraphRows - row - 1) * kCharset;
          if (idx >= 0 && idx < kCharset) {
            line[j] = kFill[idx];
          } else if (idx >= kCharset) {
            line[j] = '|';
          }
        } else if (row == kGraphRows) {
          any = true;  // one blank line between the chart and the labels
          break;
        } else {
          const size_t at = static_cast<size_t>(row - kGraphRows - 1);
          if (at < label.size()) {
            any = true;
            line[j] = label[at];
          }
        }
      }
      if (!any) break;
      out += line;
      out += '\n';
    }
  }
};

std::string AgeLabel(int64_t elapsed) {
  char buf[32];
  if (elapsed < 60) {
    std::snprintf(buf, sizeof(buf), "%llds", static_cast<long long>(elapsed));
  } else if (elapsed < 3600) {
    std::snprintf(buf, sizeof(buf), "%lldm", static_cast<long long>(elapsed / 60));
  } else if (elapsed < 86400) {
    std::snprintf(buf, sizeof(buf), "%lldh", static_cast<long long>(elapsed / 3600));
  } else {
    std::snprintf(buf, sizeof(buf), "%lldd", static_cast<long long>(elapsed / 86400));
  }
  return buf;
}

}  // namespace

int64_t LatencyMonitor::Now() { return static_cast<int64_t>(std::time(nullptr)); }

void LatencyMonitor::AddSample(std::string_view event, int64_t latency_ms, int64_t now) {
  auto it = events_.find(event);
  if (it == events_.end()) it = events_.emplace(std::string(event), Series{}).first;
  Series& s = it->second;
  const uint32_t latency = static_cast<uint32_t>(latency_ms);
  if (latency > s.max) s.max = latency;
  // One sample per second: the worst of that second.
  Sample& prev = s.samples[(s.idx + kSamples - 1) % kSamples];
  if (prev.time == now) {
    if (latency > prev.latency) prev.latency = latency;
    return;
  }
  s.samples[s.idx] = Sample{now, latency};
  s.idx = (s.idx + 1) % kSamples;
}

std::string LatencyMonitor::Graph(std::string_view event, const Series& series, int64_t now) {
  Sparkline line;
  for (int j = 0; j < kSamples; ++j) {
    const Sample& s = series.samples[(series.idx + j) % kSamples];
    if (s.time == 0) continue;
    line.Add(s.latency, AgeLabel(now - s.time));
  }
  char head[256];
  std::snprintf(head, sizeof(head), "%.*s - high %lu ms, low %lu ms (all time high %lu ms)\n",
                static_cast<int>(event.size()), event.data(),
                static_cast<unsigned long>(line.max), static_cast<unsigned long>(line.min),
                static_cast<unsigned long>(series.max));
  std::string out = head;
  out.append(kGraphColumns, '-');
  out += '\n';
  for (size_t j = 0; j < line.samples.size(); j += kGraphColumns) {
    if (j != 0) out += '\n';
    line.RenderRange(out, j, std::min<size_t>(kGraphColumns, line.samples.size() - j));
  }
  return out;
}

std::string LatencyMonitor::Doctor(int64_t now, int64_t slowlog_threshold_us) const {
  if (events_.empty()) {
    return "Dave, no latency spike was observed during the lifetime of this server, not in the "
           "slightest bit. I honestly think you ought to sleep tonight.\n";
  }
  std::string out =
      "Dave, I have observed latency spikes in this server. You don't mind talking about it, "
      "do you Dave?\n\n";
  int n = 0;
  bool command_events = false;
  for (const auto& [name, series] : events_) {
    // Mean, mean absolute deviation and the mean period between spikes of the series.
    int count = 0;
    uint64_t sum = 0;
    int64_t first = 0, last = 0;
    for (const Sample& s : series.samples) {
      if (s.time == 0) continue;
      ++count;
      sum += s.latency;
      if (first == 0 || s.time < first) first = s.time;
      if (s.time > last) last = s.time;
    }
    if (count == 0) continue;
    const double avg = static_cast<double>(sum) / count;
    double mad = 0;
    for (const Sample& s : series.samples) {
      if (s.time != 0) mad += std::fabs(s.latency - avg);
    }
    mad /= count;
    const double period = count > 1 ? static_cast<double>(last - first) / (count - 1) : 0;
    char line[512];
    std::snprintf(line, sizeof(line),
                  "%d. %s: %d latency spikes (average %.0fms, mean deviation %.0fms, period "
                  "%.2f sec). Worst all time event %ums.\n",
                  ++n, name.c_str(), count, avg, mad, period, series.max);
    out += line;
    if (name == "command" || name == "fast-command") command_events = true;
    (void)now;
  }
  out += "\nSome hints:\n\n";
  if (command_events) {
    out += "- Some commands take long: look at SLOWLOG GET for which ones and their arguments";
    if (slowlog_threshold_us < 0 || slowlog_threshold_us > 10000) {
      out += " (slowlog-log-slower-than is high or off: lower it to see them)";
    }
    out += ". Prefer commands of low complexity, or split big requests into smaller ones.\n";
  }
  out += "- Check that the system is not swapping and that transparent huge pages are "
         "disabled.\n";
  out += "- LATENCY GRAPH <event> draws each series; LATENCY RESET clears them.\n";
  return out;
}

}  // namespace basalt
