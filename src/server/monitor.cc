// MONITOR: every command the server executes is shown to the clients in monitor mode as
//   +1700000000.123456 [0 127.0.0.1:5555] "set" "k" "v"
// (Redis's replicationFeedMonitors format: time of the feed, the db the command left the
// client in, the peer, then each argument quoted as sdscatrepr does). The dispatcher calls
// FeedMonitors after a command ran, except for admin and skip_monitor commands.
#include <sys/time.h>

#include <algorithm>
#include <cstdio>

#include "server/command_table.h"
#include "server/config_file.h"
#include "server/server.h"

namespace basalt {
namespace {

// Arguments a monitor must not see (passwords), as Redis's redactClientCommandArgument:
// every argument of AUTH, the two after HELLO's AUTH, and MIGRATE's AUTH/AUTH2 values.
std::vector<bool> RedactedArgs(std::span<const std::string_view> argv) {
  std::vector<bool> redact(argv.size(), false);
  if (EqualsIgnoreCase(argv[0], "auth")) {
    for (size_t i = 1; i < argv.size(); ++i) redact[i] = true;
  } else if (EqualsIgnoreCase(argv[0], "hello")) {
    for (size_t i = 2; i + 2 < argv.size(); ++i) {
      if (EqualsIgnoreCase(argv[i], "auth")) {
        redact[i + 1] = redact[i + 2] = true;
        i += 2;
      }
    }
  } else if (EqualsIgnoreCase(argv[0], "migrate")) {
    for (size_t i = 6; i < argv.size(); ++i) {
      if (EqualsIgnoreCase(argv[i], "auth") && i + 1 < argv.size()) {
        redact[++i] = true;
      } else if (EqualsIgnoreCase(argv[i], "auth2") && i + 2 < argv.size()) {
        redact[i + 1] = redact[i + 2] = true;
        i += 2;
      } else if (EqualsIgnoreCase(argv[i], "keys")) {
        break;
      }
    }
  }
  return redact;
}

}  // namespace

void Server::AddMonitor(Client* client) {
  if (client->monitor) return;
  client->monitor = true;
  monitors_.push_back(client);
}

void Server::RemoveMonitor(Client* client) {
  monitors_.erase(std::remove(monitors_.begin(), monitors_.end(), client), monitors_.end());
  client->monitor = false;
}

void Server::FeedMonitors(const Client& client, std::span<const std::string_view> argv) {
  timeval tv;
  gettimeofday(&tv, nullptr);
  char head[64];
  std::snprintf(head, sizeof(head), "+%ld.%06ld [%d ", static_cast<long>(tv.tv_sec),
                static_cast<long>(tv.tv_usec), client.db_index);
  std::string line = head;
  if (client.kind == ConnKind::kUnix) {
    line += "unix:" + config_.unixsocket;
  } else {
    line += client.addr;
  }
  line += "] ";
  std::vector<bool> redact = RedactedArgs(argv);
  for (size_t i = 0; i < argv.size(); ++i) {
    if (i > 0) line += ' ';
    line += redact[i] ? std::string("\"(redacted)\"") : QuoteArg(argv[i]);
  }
  line += "\r\n";
  for (Client* m : monitors_) {
    if (m->close_asap) continue;
    m->reply_buf += line;
    QueueWrite(m);
  }
}

}  // namespace basalt
