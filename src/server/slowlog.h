// SlowLog: the commands that took at least `slowlog-log-slower-than` microseconds, newest
// first, at most `slowlog-max-len` of them (Redis's slowlog.c). Arguments are trimmed as
// Redis does: at most 32 of them (the last one says "... (N more arguments)") and each at
// most 128 bytes ("... (N more bytes)"), so a huge command does not pin huge memory.
//
// Owned by Server; execution thread only.
#pragma once

#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace basalt {

struct SlowLogEntry {
  uint64_t id = 0;
  int64_t time = 0;         // unix seconds when the command ran
  int64_t duration_us = 0;  // execution time
  std::vector<std::string> argv;
  std::string peer;  // client addr
  std::string name;  // client name
};

class SlowLog {
 public:
  static constexpr size_t kMaxArgs = 32;
  static constexpr size_t kMaxArgLength = 128;

  // Records the command when slowlog-log-slower-than (`threshold_us`, negative: off) allows,
  // then trims the log to `max_len` entries.
  void MaybeRecord(std::span<const std::string_view> argv, int64_t duration_us,
                   int64_t threshold_us, size_t max_len, std::string_view peer,
                   std::string_view name, int64_t now_s) {
    if (threshold_us < 0 || duration_us < threshold_us) return;
    Record(argv, duration_us, peer, name, now_s);
    Trim(max_len);
  }
  void Record(std::span<const std::string_view> argv, int64_t duration_us,
              std::string_view peer, std::string_view name, int64_t now_s);
  // Drops the oldest entries beyond `max_len` (CONFIG SET slowlog-max-len applies lazily,
  // at the next record, as in Redis).
  void Trim(size_t max_len) {
    while (entries_.size() > max_len) entries_.pop_back();
  }
  void Reset() { entries_.clear(); }

  const std::deque<SlowLogEntry>& entries() const { return entries_; }  // newest first

 private:
  std::deque<SlowLogEntry> entries_;
  uint64_t next_id_ = 0;
};

}  // namespace basalt
