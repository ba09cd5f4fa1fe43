// floor-server: the least a RESP server can do per request, as a yardstick for run.py --floor.
//
// It accepts connections, finds request boundaries with Basalt's own RequestParser, and
// answers every request without looking at it: +PONG to PING (so that run.py's start-up check
// passes), +OK to anything else. No keyspace, no command table, no allocation per request.
// The loop is the plain one a single-threaded server has: level-triggered epoll, one read per
// readable connection, and one write per connection per turn, after the turn's reads.
//
// What it is for: at -P 1 a request's CPU cost is mostly the kernel's (the loopback TCP send
// and the read), which any server pays. This server's ops per CPU-second is therefore the
// ceiling for any server on the same kernel and machine, and floor/Redis is the best ratio a
// server can reach against Redis there. run.py starts it like the real servers; it takes
// their arguments and uses only --port.
//
//   build/bench/floor-server --port 7000
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "net/listen_socket.h"
#include "protocol/request_parser.h"
#include "server/command_table.h"  // EqualsIgnoreCase

namespace {

constexpr size_t kReadSize = 16 * 1024;

struct Connection {
  int fd = -1;
  std::string input;
  std::string output;
  size_t output_sent = 0;
  bool queued = false;       // in this turn's write list
  bool want_write = false;   // EPOLLOUT registered: the socket buffer was full
  bool close_after_write = false;  // a protocol error was answered
  bool closing = false;            // in closing_: freed at the end of the turn
  basalt::RequestParser parser;
};

class FloorServer {
 public:
  bool Listen(int port) {
    std::string error;
    listen_fd_ = basalt::ListenTcp("127.0.0.1", port, 511, &error);
    if (listen_fd_ < 0) {
      std::fprintf(stderr, "floor-server: port %d: %s\n", port, error.c_str());
      return false;
    }
    epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = nullptr;  // the listener
    return epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, listen_fd_, &ev) == 0;
  }

  void Run() {
    constexpr int kMaxEvents = 512;
    epoll_event events[kMaxEvents];
    for (;;) {
      WriteReplies();
      int n = epoll_wait(epoll_fd_, events, kMaxEvents, -1);
      if (n < 0 && errno != EINTR) return;
      for (int i = 0; i < n; ++i) {
        auto* conn = static_cast<Connection*>(events[i].data.ptr);
        if (conn == nullptr) {
          Accept();
        } else if (events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) {
          Read(conn);
        } else if (events[i].events & EPOLLOUT) {
          Queue(conn);
        }
      }
      CloseMarked();
    }
  }

 private:
  void Accept() {
    for (;;) {
      int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) return;
      int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
      auto conn = std::make_unique<Connection>();
      conn->fd = fd;
      epoll_event ev{};
      ev.events = EPOLLIN;
      ev.data.ptr = conn.get();
      epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev);
      connections_.emplace(fd, std::move(conn));
    }
  }

  void Read(Connection* conn) {
    if (conn->close_after_write) return;  // what it sends after a protocol error is ignored
    // Into a buffer of the loop's, then only the bytes read onto the input: growing the string
    // by kReadSize first would zero 16 KB per read, work no server needs to do.
    ssize_t got = read(conn->fd, read_buf_, kReadSize);
    if (got <= 0) {
      if (got == 0 || (errno != EAGAIN && errno != EINTR)) MarkClosing(conn);
      return;
    }
    conn->input.append(read_buf_, static_cast<size_t>(got));
    size_t start = 0;
    const basalt::ParserLimits limits;
    for (;;) {
      std::string_view rest(conn->input.data() + start, conn->input.size() - start);
      const auto status = conn->parser.Parse(rest, limits);
      if (status == basalt::RequestParser::Status::kNeedMore) break;
      if (status == basalt::RequestParser::Status::kError) {
        conn->output += "-ERR " + conn->parser.error() + "\r\n";
        conn->close_after_write = true;
        Queue(conn);
        return;
      }
      if (status == basalt::RequestParser::Status::kCommand) {
        conn->output += basalt::EqualsIgnoreCase(conn->parser.args()[0], "ping") ? "+PONG\r\n" : "+OK\r\n";
      }
      start += conn->parser.consumed();
      conn->parser.Reset();
    }
    conn->input.erase(0, start);
    Queue(conn);
  }

  void Queue(Connection* conn) {
    if (conn->queued || conn->output.size() == conn->output_sent) return;
    conn->queued = true;
    pending_writes_.push_back(conn);
  }

  void WriteReplies() {
    for (Connection* conn : pending_writes_) {
      conn->queued = false;
      if (conn->closing) continue;
      const size_t left = conn->output.size() - conn->output_sent;
      ssize_t sent = write(conn->fd, conn->output.data() + conn->output_sent, left);
      if (sent < 0 && errno != EAGAIN && errno != EINTR) {
        MarkClosing(conn);
        continue;
      }
      if (sent > 0) conn->output_sent += static_cast<size_t>(sent);
      const bool done = conn->output_sent == conn->output.size();
      if (done && conn->close_after_write) {
        MarkClosing(conn);
        continue;
      }
      if (done) {
        conn->output.clear();
        conn->output_sent = 0;
      }
      if (done == conn->want_write) {  // EPOLLOUT on while output is left, off once sent
        conn->want_write = !done;
        epoll_event ev{};
        ev.events = EPOLLIN | (conn->want_write ? static_cast<uint32_t>(EPOLLOUT) : 0u);
        ev.data.ptr = conn;
        epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, conn->fd, &ev);
      }
    }
    pending_writes_.clear();
    CloseMarked();
  }

  void MarkClosing(Connection* conn) {
    if (conn->closing) return;
    conn->closing = true;
    closing_.push_back(conn);
  }

  // At the end of a turn, when no event of the turn refers to them any more.
  void CloseMarked() {
    for (Connection* conn : closing_) {
      const int fd = conn->fd;
      std::erase(pending_writes_, conn);
      epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
      close(fd);
      connections_.erase(fd);  // frees conn
    }
    closing_.clear();
  }

  char read_buf_[kReadSize];
  int listen_fd_ = -1;
  int epoll_fd_ = -1;
  std::unordered_map<int, std::unique_ptr<Connection>> connections_;
  std::vector<Connection*> pending_writes_;
  std::vector<Connection*> closing_;
};

}  // namespace

int main(int argc, char** argv) {
  int port = 6379;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--version") == 0) {
      std::puts("floor-server (Basalt bench yardstick)");
      return 0;
    }
    if (std::strcmp(argv[i], "--port") == 0 && i + 1 < argc) port = std::atoi(argv[++i]);
  }
  FloorServer server;
  if (!server.Listen(port)) return 1;
  server.Run();
  return 0;
}
