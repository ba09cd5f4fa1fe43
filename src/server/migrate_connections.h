// The connections MIGRATE keeps open to target instances (Redis's migrate_cached_sockets):
// one per "host:port", reused while used at least every 10 seconds, at most 64, so that
// migrating many keys one command at a time (as redis-cli --cluster reshard does) does not
// connect per key. INFO stats reports how many are open.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace basalt {

class MigrateConnections {
 public:
  struct Connection {
    int fd = -1;
    int selected_db = -1;  // the target's database after our last SELECT; -1: unknown
    int64_t last_use_ms = 0;
  };
  static constexpr int64_t kIdleCloseMs = 10'000;
  static constexpr size_t kMaxOpen = 64;

  MigrateConnections() = default;
  MigrateConnections(const MigrateConnections&) = delete;
  MigrateConnections& operator=(const MigrateConnections&) = delete;
  ~MigrateConnections();

  // The open connection to host:port, or a new one (closing another when kMaxOpen are
  // open). nullptr when connecting failed within `timeout_ms`.
  Connection* Get(const std::string& host, int port, int64_t timeout_ms, int64_t now_ms);
  // Closes the connection to host:port, if open (after an I/O error its state is unknown).
  void Close(const std::string& host, int port);
  // Closes the connections unused for kIdleCloseMs; called from the cron.
  void CloseIdle(int64_t now_ms);
  size_t size() const { return open_.size(); }

 private:
  std::map<std::string, Connection> open_;  // by "host:port"
};

}  // namespace basalt
