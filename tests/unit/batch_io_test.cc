#include "net/batch_io.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>

namespace basalt {
namespace {

struct SocketPair {
  int fds[2] = {-1, -1};
  SocketPair() { EXPECT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0); }
  ~SocketPair() {
    close(fds[0]);
    close(fds[1]);
  }
};

// Where io_uring is refused (a container's seccomp filter, kernel.io_uring_disabled), Create
// gives nullptr and the server keeps its epoll path: the tests of the ring then skip.
TEST(BatchIoTest, SendsAndReceivesInQueueOrder) {
  auto io = BatchIo::Create();
  if (io == nullptr) GTEST_SKIP() << "io_uring unavailable here";
  SocketPair a, b;
  io->QueueSend(a.fds[0], "hello", 5);
  io->QueueSend(b.fds[0], "hi", 2);
  const std::vector<ssize_t>& sent = io->Submit();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0], 5);
  EXPECT_EQ(sent[1], 2);
  EXPECT_EQ(io->queued(), 0u);

  char buf_a[16], buf_b[16];
  io->QueueRecv(b.fds[1], buf_b, sizeof(buf_b));
  io->QueueRecv(a.fds[1], buf_a, sizeof(buf_a));
  const std::vector<ssize_t>& got = io->Submit();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0], 2);
  EXPECT_EQ(std::string(buf_b, 2), "hi");
  EXPECT_EQ(got[1], 5);
  EXPECT_EQ(std::string(buf_a, 5), "hello");
}

TEST(BatchIoTest, NothingToReadIsEagainNotAWait) {
  auto io = BatchIo::Create();
  if (io == nullptr) GTEST_SKIP() << "io_uring unavailable here";
  SocketPair p;
  char buf[8];
  io->QueueRecv(p.fds[1], buf, sizeof(buf));
  const std::vector<ssize_t>& got = io->Submit();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0], -EAGAIN);
}

TEST(BatchIoTest, EofAndBrokenPeer) {
  auto io = BatchIo::Create();
  if (io == nullptr) GTEST_SKIP() << "io_uring unavailable here";
  int fds[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  close(fds[0]);
  char buf[8];
  io->QueueRecv(fds[1], buf, sizeof(buf));
  io->QueueSend(fds[1], "x", 1);  // no SIGPIPE: MSG_NOSIGNAL
  const std::vector<ssize_t>& got = io->Submit();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0], 0);
  EXPECT_EQ(got[1], -EPIPE);
  close(fds[1]);
}

TEST(BatchIoTest, MoreOpsThanTheRingHoldsGoInChunks) {
  auto io = BatchIo::Create();
  if (io == nullptr) GTEST_SKIP() << "io_uring unavailable here";
  SocketPair p;
  constexpr int kOps = 600;  // more than the ring's 256 entries
  std::string sent;
  for (int i = 0; i < kOps; ++i) sent.push_back(static_cast<char>('a' + i % 26));
  ASSERT_EQ(write(p.fds[0], sent.data(), sent.size()), kOps);
  // One byte per recv, in queue order: the bytes come back in the order they were sent.
  std::string got(kOps, '\0');
  for (int i = 0; i < kOps; ++i) io->QueueRecv(p.fds[1], &got[i], 1);
  const std::vector<ssize_t>& results = io->Submit();
  ASSERT_EQ(results.size(), static_cast<size_t>(kOps));
  for (ssize_t r : results) EXPECT_EQ(r, 1);
  EXPECT_EQ(got, sent);
}

TEST(BatchIoTest, DisabledByEnvironment) {
  setenv("BASALT_IO_URING", "0", 1);
  EXPECT_EQ(BatchIo::Create(), nullptr);
  unsetenv("BASALT_IO_URING");
}

}  // namespace
}  // namespace basalt
