#include "server/listener.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "net/listen_socket.h"
#include "server/server.h"

namespace basalt {

Listener::~Listener() {
  if (fd_ >= 0) close(fd_);
  if (!unix_path_.empty()) unlink(unix_path_.c_str());
}

std::unique_ptr<Listener> Listener::Tcp(Server* server, const std::string& address, int port,
                                        int backlog, std::string* error) {
  std::string host = address;
  if (host == "*") host = "0.0.0.0";
  if (host == "::*") host = "::";
  const int fd = ListenTcp(host, port, backlog, error);
  if (fd < 0) return nullptr;
  return std::unique_ptr<Listener>(
      new Listener(server, fd, ConnKind::kTcp, host + ":" + std::to_string(port)));
}

std::unique_ptr<Listener> Listener::Unix(Server* server, const std::string& path, int perm,
                                         int backlog, std::string* error) {
  sockaddr_un sa{};
  if (path.size() >= sizeof(sa.sun_path)) {
    *error = "unix socket path too long";
    return nullptr;
  }
  sa.sun_family = AF_UNIX;
  std::memcpy(sa.sun_path, path.c_str(), path.size() + 1);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    *error = std::strerror(errno);
    return nullptr;
  }
  unlink(path.c_str());  // a stale socket file from a previous run, as Redis does
  if (bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) != 0 || listen(fd, backlog) != 0) {
    *error = std::strerror(errno);
    close(fd);
    return nullptr;
  }
  if (perm != 0) chmod(path.c_str(), static_cast<mode_t>(perm));
  auto listener =
      std::unique_ptr<Listener>(new Listener(server, fd, ConnKind::kUnix, path));
  listener->unix_path_ = path;
  return listener;
}

void Listener::Close() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

void Listener::OnReadable() {
  if (fd_ < 0) return;
  // Accept a bounded batch per event so one busy listener can't starve the loop
  // (Redis's MAX_ACCEPTS_PER_CALL).
  for (int i = 0; i < 1000; ++i) {
    int cfd = accept4(fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (cfd < 0) return;  // EAGAIN, or a transient error: epoll tells us again
    server_->AcceptClient(cfd, kind_);
  }
}

}  // namespace basalt
