#include "server/metrics_http.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "net/listen_socket.h"
#include "server/server.h"
#include "util/memory.h"

namespace basalt {
namespace {

constexpr size_t kMaxRequestBytes = 8192;

class MetricsWriter {
 public:
  // "# HELP" and "# TYPE" once per family, then its samples.
  void Family(const char* name, const char* type, const char* help) {
    out_ += "# HELP basalt_";
    out_ += name;
    out_ += ' ';
    out_ += help;
    out_ += "\n# TYPE basalt_";
    out_ += name;
    out_ += ' ';
    out_ += type;
    out_ += '\n';
  }
  void Sample(const char* name, double value, const std::string& labels = "") {
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%.17g", value);
    out_ += "basalt_";
    out_ += name;
    if (!labels.empty()) {
      out_ += '{';
      out_ += labels;
      out_ += '}';
    }
    out_ += ' ';
    out_ += buf;
    out_ += '\n';
  }
  void One(const char* name, const char* type, const char* help, double value) {
    Family(name, type, help);
    Sample(name, value);
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

// A label value, escaped as the exposition format requires.
std::string Label(const char* name, std::string_view value) {
  std::string out = name;
  out += "=\"";
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  out += '"';
  return out;
}

void CommandSamples(const CommandSpec& spec, MetricsWriter& w, const char* name, int what) {
  const CommandStats& s = spec.stats;
  if (s.calls > 0 || s.rejected_calls > 0 || s.failed_calls > 0) {
    const double v = what == 0   ? static_cast<double>(s.calls)
                     : what == 1 ? static_cast<double>(s.usec) / 1e6
                     : what == 2 ? static_cast<double>(s.rejected_calls)
                                 : static_cast<double>(s.failed_calls);
    w.Sample(name, v, Label("cmd", spec.full_name));
  }
  for (const CommandSpec& sub : spec.subcommands) CommandSamples(sub, w, name, what);
}

}  // namespace

std::string RenderPrometheusMetrics(Server& server) {
  MetricsWriter w;
  const ServerStats& st = server.stats();
  const KeyspaceStats& ks = server.keyspace_stats();
  const ServerConfig& config = server.config();
  RefreshUsedMemory();
  const uint64_t used = CachedUsedMemory();
  const MemoryStats mem = ReadMemoryStats();
  w.One("up", "gauge", "Whether the server answers.", 1);
  w.One("uptime_seconds", "gauge", "Seconds since the server started.",
        static_cast<double>(EventLoop::NowMs() - server.start_time_ms()) / 1000);
  w.One("connected_clients", "gauge", "Client connections open.",
        static_cast<double>(server.clients().size()));
  w.One("blocked_clients", "gauge", "Clients waiting in a blocking command.",
        static_cast<double>(server.blocked_clients()));
  w.One("connections_received_total", "counter", "Connections accepted.",
        static_cast<double>(st.total_connections_received));
  w.One("rejected_connections_total", "counter", "Connections refused (maxclients).",
        static_cast<double>(st.rejected_connections));
  w.One("commands_processed_total", "counter", "Commands executed.",
        static_cast<double>(st.total_commands_processed));
  w.One("net_input_bytes_total", "counter", "Bytes read from clients.",
        static_cast<double>(st.total_net_input_bytes));
  w.One("net_output_bytes_total", "counter", "Bytes written to clients.",
        static_cast<double>(st.total_net_output_bytes));
  w.One("memory_used_bytes", "gauge", "Bytes allocated (INFO used_memory).",
        static_cast<double>(used));
  w.One("memory_rss_bytes", "gauge", "Resident set size of the process.",
        static_cast<double>(mem.rss));
  w.One("memory_peak_bytes", "gauge", "Peak of used memory.",
        static_cast<double>(std::max(st.peak_memory, used)));
  w.One("memory_max_bytes", "gauge", "The maxmemory setting (0: no limit).",
        static_cast<double>(config.maxmemory));
  w.One("evicted_keys_total", "counter", "Keys evicted by maxmemory-policy.",
        static_cast<double>(server.evictor().evicted_keys()));
  w.One("evicted_clients_total", "counter", "Clients evicted by maxmemory-clients.",
        static_cast<double>(server.evictor().evicted_clients()));
  w.One("expired_keys_total", "counter", "Keys removed on expiry.",
        static_cast<double>(ks.expired_keys));
  w.One("keyspace_hits_total", "counter", "Key lookups that found the key.",
        static_cast<double>(ks.hits));
  w.One("keyspace_misses_total", "counter", "Key lookups that did not.",
        static_cast<double>(ks.misses));
  w.One("lazyfree_pending_objects", "gauge", "Objects waiting to be freed in the background.",
        static_cast<double>(server.lazyfree().pending()));
  w.One("slowlog_length", "gauge", "Entries in the slow log.",
        static_cast<double>(server.slowlog().entries().size()));
  w.One("error_replies_total", "counter", "Error replies sent.",
        static_cast<double>(st.total_error_replies));

  w.Family("db_keys", "gauge", "Keys per database.");
  for (int i = 0; i < server.db_count(); ++i) {
    if (server.db(i).size() == 0) continue;
    w.Sample("db_keys", static_cast<double>(server.db(i).size()),
             Label("db", "db" + std::to_string(i)));
  }
  w.Family("db_keys_expiring", "gauge", "Keys with a TTL per database.");
  for (int i = 0; i < server.db_count(); ++i) {
    if (server.db(i).size() == 0) continue;
    w.Sample("db_keys_expiring", static_cast<double>(server.db(i).expires_count()),
             Label("db", "db" + std::to_string(i)));
  }
  w.Family("errors_total", "counter", "Error replies by error code.");
  for (const auto& [code, count] : st.error_counts) {
    w.Sample("errors_total", static_cast<double>(count), Label("err", code));
  }
  static const char* const kCommandFamilies[][2] = {
      {"commands_total", "Calls per command."},
      {"commands_duration_seconds_total", "Time spent executing each command."},
      {"commands_rejected_calls_total", "Calls refused before running, per command."},
      {"commands_failed_calls_total", "Calls that answered an error, per command."},
  };
  for (int what = 0; what < 4; ++what) {
    w.Family(kCommandFamilies[what][0], "counter", kCommandFamilies[what][1]);
    for (const auto& spec : server.commands().all()) {
      CommandSamples(*spec, w, kCommandFamilies[what][0], what);
    }
  }
  return w.Take();
}

// One HTTP exchange: reads the request head, writes the whole response, closes.
class MetricsHttp::Connection : public FdHandler {
 public:
  Connection(MetricsHttp& owner, int fd) : owner_(owner), fd_(fd) {}
  ~Connection() override {
    if (fd_ >= 0) close(fd_);
  }
  int fd() const { return fd_; }

  void OnReadable() override {
    if (done_) return;
    char buf[4096];
    for (;;) {
      ssize_t n = read(fd_, buf, sizeof(buf));
      if (n > 0) {
        request_.append(buf, static_cast<size_t>(n));
        if (request_.size() > kMaxRequestBytes) return Respond("413 Payload Too Large", "");
        continue;
      }
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) break;
      return Finish();  // closed or failed before a full request
    }
    if (request_.find("\r\n\r\n") == std::string::npos &&
        request_.find("\n\n") == std::string::npos) {
      return;  // wait for the rest of the head
    }
    const bool get = request_.compare(0, 4, "GET ") == 0;
    const size_t path_end = request_.find(' ', 4);
    const std::string path = get && path_end != std::string::npos
                                 ? request_.substr(4, path_end - 4)
                                 : std::string();
    if (!get) return Respond("405 Method Not Allowed", "");
    if (path != "/metrics" && path.rfind("/metrics?", 0) != 0) {
      return Respond("404 Not Found", "");
    }
    Respond("200 OK", RenderPrometheusMetrics(owner_.server_));
  }

  void OnWritable() override { Flush(); }

 private:
  void Respond(const char* status, const std::string& body) {
    response_ = "HTTP/1.0 ";
    response_ += status;
    response_ += "\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\nContent-Length: ";
    response_ += std::to_string(body.size());
    response_ += "\r\nConnection: close\r\n\r\n";
    response_ += body;
    Flush();
  }

  void Flush() {
    while (sent_ < response_.size()) {
      ssize_t n = write(fd_, response_.data() + sent_, response_.size() - sent_);
      if (n > 0) {
        sent_ += static_cast<size_t>(n);
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else if (n < 0 && errno == EAGAIN) {
        if (!want_write_) {
          owner_.server_.loop().SetWantWrite(fd_, this, true);
          want_write_ = true;
        }
        return;
      } else {
        break;
      }
    }
    Finish();
  }

  void Finish() {
    if (done_) return;
    done_ = true;
    owner_.Retire(this);
  }

  MetricsHttp& owner_;
  int fd_;
  std::string request_;
  std::string response_;
  size_t sent_ = 0;
  bool want_write_ = false;
  bool done_ = false;
};

MetricsHttp::MetricsHttp(Server& server) : server_(server) {}

MetricsHttp::~MetricsHttp() {
  std::string ignored;
  Listen(0, &ignored);
  if (reap_timer_ != 0) server_.loop().CancelTimer(reap_timer_);
}

bool MetricsHttp::Listen(int port, std::string* error) {
  if (fd_ >= 0) {
    server_.loop().Remove(fd_);
    close(fd_);
    fd_ = -1;
    port_ = 0;
  }
  if (port == 0) return true;
  const int fd = ListenTcp("127.0.0.1", port, 64, error);
  if (fd < 0) return false;
  fd_ = fd;
  port_ = port;
  server_.loop().Add(fd_, this);
  return true;
}

void MetricsHttp::OnReadable() {
  if (fd_ < 0) return;
  for (int i = 0; i < 100; ++i) {
    int cfd = accept4(fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (cfd < 0) return;
    connections_.push_back(std::make_unique<Connection>(*this, cfd));
    server_.loop().Add(cfd, connections_.back().get());
  }
}

void MetricsHttp::Retire(Connection* conn) {
  server_.loop().Remove(conn->fd());
  for (auto it = connections_.begin(); it != connections_.end(); ++it) {
    if (it->get() != conn) continue;
    retired_.push_back(std::move(*it));
    connections_.erase(it);
    break;
  }
  if (reap_timer_ == 0) {
    reap_timer_ = server_.loop().AddTimer(1, [this] {
      reap_timer_ = 0;
      retired_.clear();
      return int64_t{-1};
    });
  }
}

}  // namespace basalt
