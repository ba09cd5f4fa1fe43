// Listener: a listening socket (TCP on one address, or a unix socket) that hands accepted
// connections to the server.
#pragma once

#include <memory>
#include <string>

#include "net/event_loop.h"
#include "server/client.h"

namespace basalt {

class Server;

class Listener : public FdHandler {
 public:
  ~Listener() override;

  // Binds `address`:`port` ("*" and "::*" mean any). Returns nullptr and sets `error`.
  static std::unique_ptr<Listener> Tcp(Server* server, const std::string& address, int port,
                                       int backlog, std::string* error);
  static std::unique_ptr<Listener> Unix(Server* server, const std::string& path, int perm,
                                        int backlog, std::string* error);

  // Stops listening now (the port is free again); the object may still receive an event
  // already fetched by the loop, which then finds nothing to accept.
  void Close();

  void OnReadable() override;
  int fd() const { return fd_; }
  ConnKind kind() const { return kind_; }
  const std::string& description() const { return description_; }

 private:
  Listener(Server* server, int fd, ConnKind kind, std::string description)
      : server_(server), fd_(fd), kind_(kind), description_(std::move(description)) {}

  Server* server_;
  int fd_;
  ConnKind kind_;
  std::string description_;
  std::string unix_path_;
};

}  // namespace basalt
