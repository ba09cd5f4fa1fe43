// Server-wide statistics kept for INFO: error replies by code, and CONFIG RESETSTAT.
#include <cstring>

#include "server/server.h"

namespace basalt {

void ServerStats::CountErrorReply(std::string_view reply) {
  ++total_error_replies;
  // The code is the first word of the message, looked for in its first 32 bytes as Redis
  // does ("-WRONGTYPE Operation..." → WRONGTYPE); without a space it counts as ERR.
  std::string_view code = "ERR";
  if (!reply.empty() && reply[0] == '-') {
    std::string_view head = reply.substr(0, 32);
    size_t space = head.find(' ');
    if (space != std::string_view::npos && space > 1) code = head.substr(1, space - 1);
  }
  auto it = error_counts.find(code);
  if (it == error_counts.end()) it = error_counts.emplace(std::string(code), 0).first;
  ++it->second;
}

namespace {

void ResetCommandStats(const CommandSpec& spec) {
  spec.stats = CommandStats{};
  for (const CommandSpec& sub : spec.subcommands) ResetCommandStats(sub);
}

}  // namespace

void Server::ResetStats() {
  // What Redis's resetServerStats clears; the dirty counter and peak memory stay.
  ServerStats fresh;
  fresh.peak_memory = stats_.peak_memory;
  fresh.last_sample_ms = now_ms_;
  stats_ = std::move(fresh);
  keyspace_stats_.hits = 0;
  keyspace_stats_.misses = 0;
  keyspace_stats_.expired_keys = 0;
  keyspace_stats_.expired_stale_perc = 0;
  evictor_.ResetStats();
  lazyfree_.ResetStats();
  for (const auto& spec : commands_.all()) ResetCommandStats(*spec);
}

}  // namespace basalt
