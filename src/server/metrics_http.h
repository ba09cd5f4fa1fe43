// MetricsHttp: a Prometheus scrape endpoint. With `metrics-port` set (0, the default, is
// off) the server also listens on 127.0.0.1:<port> for plain HTTP and answers
// `GET /metrics` with the text exposition format (version 0.0.4): server, memory, eviction,
// keyspace and per-command counters, the same figures INFO shows. Anything else gets 404;
// one request per connection (HTTP/1.0 style: the server closes after the response).
//
// Loopback only, no TLS, no auth: it is meant for a local agent or sidecar to scrape.
// Runs on the server's event loop (execution thread), like client connections.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "net/event_loop.h"

namespace basalt {

class Server;

// The /metrics body.
std::string RenderPrometheusMetrics(Server& server);

class MetricsHttp : public FdHandler {
 public:
  explicit MetricsHttp(Server& server);
  ~MetricsHttp() override;
  MetricsHttp(const MetricsHttp&) = delete;
  MetricsHttp& operator=(const MetricsHttp&) = delete;

  // Listens on 127.0.0.1:`port` (0: stops listening). False, with `error`, when it cannot.
  bool Listen(int port, std::string* error);
  int port() const { return port_; }

  void OnReadable() override;  // accepts connections

 private:
  class Connection;
  void Retire(Connection* conn);

  Server& server_;
  int fd_ = -1;
  int port_ = 0;
  std::vector<std::unique_ptr<Connection>> connections_;
  // Finished connections, freed on the next loop iteration (an event may still name them).
  std::vector<std::unique_ptr<Connection>> retired_;
  EventLoop::TimerId reap_timer_ = 0;
};

}  // namespace basalt
