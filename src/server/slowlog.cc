#include "server/slowlog.h"

#include "server/command_table.h"
#include "server/server.h"

namespace basalt {
namespace {

// Passwords never reach the log: every argument of AUTH and the two after HELLO's AUTH are
// replaced, as Redis's redactClientCommandArgument does.
bool Redacted(std::span<const std::string_view> argv, size_t i) {
  if (EqualsIgnoreCase(argv[0], "auth")) return i > 0;
  if (EqualsIgnoreCase(argv[0], "hello")) {
    for (size_t j = 2; j + 2 < argv.size(); ++j) {
      if (EqualsIgnoreCase(argv[j], "auth")) {
        if (i == j + 1 || i == j + 2) return true;
        j += 2;
      }
    }
  }
  return false;
}

}  // namespace

void SlowLog::Record(std::span<const std::string_view> argv, int64_t duration_us,
                     std::string_view peer, std::string_view name, int64_t now_s) {
  SlowLogEntry e;
  e.id = next_id_++;
  e.time = now_s;
  e.duration_us = duration_us;
  const size_t kept = std::min(argv.size(), kMaxArgs);
  e.argv.reserve(kept);
  for (size_t i = 0; i < kept; ++i) {
    if (i == kMaxArgs - 1 && argv.size() > kMaxArgs) {
      e.argv.push_back("... (" + std::to_string(argv.size() - kMaxArgs + 1) + " more arguments)");
      break;
    }
    std::string_view a = Redacted(argv, i) ? std::string_view("(redacted)") : argv[i];
    if (a.size() > kMaxArgLength) {
      e.argv.push_back(std::string(a.substr(0, kMaxArgLength)) + "... (" +
                       std::to_string(a.size() - kMaxArgLength) + " more bytes)");
    } else {
      e.argv.emplace_back(a);
    }
  }
  e.peer = std::string(peer);
  e.name = std::string(name);
  entries_.push_front(std::move(e));
}


// The dispatcher's hook (declared in server.h): Redis's call() feeds the latency monitor and
// the slow log after every command that did not block.
void Server::RecordSlowCommand(const Client& client, const CommandSpec& spec,
                               std::span<const std::string_view> argv, int64_t usec) {
  latency_monitor_.AddSampleIfNeeded(spec.has(kCmdFast) ? "fast-command" : "command",
                                     usec / 1000);
  if (spec.has(kCmdSkipSlowlog)) return;
  slowlog_.MaybeRecord(argv, usec, config_.slowlog_log_slower_than, config_.slowlog_max_len,
                       client.addr, client.name, now_ms_ / 1000);
}

}  // namespace basalt
