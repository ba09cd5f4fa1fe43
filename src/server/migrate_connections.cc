#include "server/migrate_connections.h"

#include <unistd.h>

#include "net/sync_io.h"

namespace basalt {
namespace {

std::string TargetName(const std::string& host, int port) {
  return host + ":" + std::to_string(port);
}

}  // namespace

MigrateConnections::~MigrateConnections() {
  for (auto& [name, c] : open_) close(c.fd);
}

MigrateConnections::Connection* MigrateConnections::Get(const std::string& host, int port,
                                                        int64_t timeout_ms, int64_t now_ms) {
  const std::string name = TargetName(host, port);
  if (auto it = open_.find(name); it != open_.end()) {
    it->second.last_use_ms = now_ms;
    return &it->second;
  }
  if (open_.size() >= kMaxOpen) {
    close(open_.begin()->second.fd);
    open_.erase(open_.begin());
  }
  const int fd = SyncConnect(host, port, timeout_ms);
  if (fd < 0) return nullptr;
  Connection& c = open_[name];
  c.fd = fd;
  c.last_use_ms = now_ms;
  return &c;
}

void MigrateConnections::Close(const std::string& host, int port) {
  auto it = open_.find(TargetName(host, port));
  if (it == open_.end()) return;
  close(it->second.fd);
  open_.erase(it);
}

void MigrateConnections::CloseIdle(int64_t now_ms) {
  for (auto it = open_.begin(); it != open_.end();) {
    if (now_ms - it->second.last_use_ms > kIdleCloseMs) {
      close(it->second.fd);
      it = open_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace basalt
