// The server's listening side: the TCP listeners (bind, port, CONFIG SET of either), the Unix
// socket and the metrics listener, opened at startup and reopened at runtime.
#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "server/listener.h"
#include "server/log.h"
#include "server/server.h"

namespace basalt {

bool Server::OpenTcpListeners(int port, const std::vector<std::string>& bind,
                              std::vector<std::unique_ptr<Listener>>* out) {
  out->clear();
  if (port == 0) return true;
  for (std::string addr : bind) {
    bool optional = !addr.empty() && addr[0] == '-';
    if (optional) addr.erase(0, 1);
    std::string error;
    auto listener = Listener::Tcp(this, addr, port, config_.tcp_backlog, &error);
    if (!listener) {
      if (optional) continue;
      Log(LogLevel::kWarning, "Warning: Could not create server TCP listening socket %s:%d: %s",
          addr.c_str(), port, error.c_str());
      out->clear();
      return false;
    }
    out->push_back(std::move(listener));
  }
  return true;
}

bool Server::Listen() {
  std::vector<std::unique_ptr<Listener>> tcp;
  if (!OpenTcpListeners(config_.port, config_.bind, &tcp)) {
    Log(LogLevel::kWarning, "Failed listening on port %d (tcp), aborting.", config_.port);
    return false;
  }
  tcp_listen_port_ = config_.port;
  tcp_listen_bind_ = config_.bind;
  for (auto& listener : tcp) {
    loop_.Add(listener->fd(), listener.get());
    listeners_.push_back(std::move(listener));
  }
  if (!config_.unixsocket.empty()) {
    std::string error;
    auto listener = Listener::Unix(this, config_.unixsocket, config_.unixsocketperm,
                                   config_.tcp_backlog, &error);
    if (!listener) {
      Log(LogLevel::kWarning, "Failed opening Unix socket: %s", error.c_str());
      return false;
    }
    loop_.Add(listener->fd(), listener.get());
    listeners_.push_back(std::move(listener));
  }
  if (listeners_.empty()) {
    Log(LogLevel::kWarning, "Configured to not listen anywhere, exiting.");
    return false;
  }
  if (config_.metrics_port != 0) {
    std::string error;
    if (!metrics_http_.Listen(config_.metrics_port, &error)) {
      Log(LogLevel::kWarning, "Failed listening on metrics port %d: %s", config_.metrics_port,
          error.c_str());
      return false;
    }
  }
  return true;
}

bool Server::ReopenTcpListeners() {
  if (config_.port == tcp_listen_port_ && config_.bind == tcp_listen_bind_) return true;
  auto close_tcp = [this] {
    for (auto it = listeners_.begin(); it != listeners_.end();) {
      if ((*it)->kind() != ConnKind::kTcp) {
        ++it;
        continue;
      }
      loop_.Remove((*it)->fd());
      (*it)->Close();
      retired_listeners_.push_back(std::move(*it));
      it = listeners_.erase(it);
    }
    tcp_listen_port_ = -1;
    tcp_listen_bind_.clear();
    // Freed after the events of this loop iteration, which may still name them.
    loop_.AddTimer(0, [this] {
      retired_listeners_.clear();
      return int64_t{-1};
    });
  };
  std::vector<std::unique_ptr<Listener>> fresh;
  bool ok = OpenTcpListeners(config_.port, config_.bind, &fresh);
  if (!ok && config_.port == tcp_listen_port_) {
    // Our own sockets may be what holds the port (new addresses, same port).
    close_tcp();
    ok = OpenTcpListeners(config_.port, config_.bind, &fresh);
  }
  if (!ok) return false;
  close_tcp();
  for (auto& listener : fresh) {
    loop_.Add(listener->fd(), listener.get());
    listeners_.push_back(std::move(listener));
  }
  tcp_listen_port_ = config_.port;
  tcp_listen_bind_ = config_.bind;
  return true;
}

}  // namespace basalt
