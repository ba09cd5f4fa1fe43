// Listening TCP sockets: the one place that binds an address and listens on it, for the
// server's listeners, the metrics endpoint and the bench's floor server.
#pragma once

#include <string>

namespace basalt {

// A non-blocking, close-on-exec socket listening on `host`:`port` with SO_REUSEADDR, or -1
// with `error` set (getaddrinfo's or strerror's text). `host` is a numeric IPv4 or IPv6
// address ("0.0.0.0" and "::" mean any); an IPv6 socket is IPV6_V6ONLY, so that binding both
// "0.0.0.0" and "::" on one port works, as in Redis.
int ListenTcp(const std::string& host, int port, int backlog, std::string* error);

}  // namespace basalt
