#include "server/migrate_connections.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "net/sync_io.h"

namespace basalt {
namespace {

// A loopback listener on a free port; the kernel completes connections to it (backlog).
class Listener {
 public:
  Listener() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    listen(fd_, 16);
    socklen_t len = sizeof(addr);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~Listener() { close(fd_); }
  int port() const { return port_; }

 private:
  int fd_;
  int port_;
};

TEST(MigrateConnectionsTest, ReusesOpenConnectionsAndClosesIdleOnes) {
  Listener a, b;
  MigrateConnections cache;
  MigrateConnections::Connection* first = cache.Get("127.0.0.1", a.port(), 1000, 0);
  ASSERT_NE(first, nullptr);
  const int fd = first->fd;
  EXPECT_EQ(first->selected_db, -1);
  first->selected_db = 9;
  MigrateConnections::Connection* again = cache.Get("127.0.0.1", a.port(), 1000, 5000);
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->fd, fd);
  EXPECT_EQ(again->selected_db, 9);
  ASSERT_NE(cache.Get("localhost", b.port(), 1000, 8000), nullptr);
  EXPECT_EQ(cache.size(), 2u);

  cache.CloseIdle(5000 + MigrateConnections::kIdleCloseMs);  // a was used at 5000
  EXPECT_EQ(cache.size(), 2u);
  cache.CloseIdle(5001 + MigrateConnections::kIdleCloseMs);
  EXPECT_EQ(cache.size(), 1u);
  cache.Close("localhost", b.port());
  EXPECT_EQ(cache.size(), 0u);
}

TEST(MigrateConnectionsTest, RefusedConnectionIsNotCached) {
  int port;
  { Listener gone; port = gone.port(); }
  MigrateConnections cache;
  EXPECT_EQ(cache.Get("127.0.0.1", port, 1000, 0), nullptr);
  EXPECT_EQ(cache.size(), 0u);
}

TEST(SyncIoTest, WritesAndReadsLinesOverASocketPair) {
  int fds[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  ASSERT_TRUE(SyncWrite(fds[0], "+OK\r\n-ERR bad\r\n", 1000));
  EXPECT_EQ(SyncReadLine(fds[1], 1000), "+OK");
  EXPECT_EQ(SyncReadLine(fds[1], 1000), "-ERR bad");
  EXPECT_EQ(SyncReadLine(fds[1], 50), std::nullopt);  // nothing more: the deadline passes
  close(fds[0]);
  EXPECT_EQ(SyncReadLine(fds[1], 1000), std::nullopt);  // end of stream
  close(fds[1]);
}

}  // namespace
}  // namespace basalt
