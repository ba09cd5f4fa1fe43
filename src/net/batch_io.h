// BatchIo: the socket reads and writes of one event-loop turn, issued in one system call.
//
// At -P 1 every request costs a read and a write, each a system call, and a system call's
// entry and exit alone cost about 0.5 us on a virtual machine with today's mitigations. Here
// connections queue their recv and send instead; Submit hands the whole queue to io_uring in
// one io_uring_enter and returns each op's result in queue order. Every op carries
// MSG_DONTWAIT, so it completes inside the submission (bytes, 0 at EOF, or -EAGAIN and the
// like) and Submit never waits for a socket.
//
// Create() returns nullptr when io_uring cannot be used: built without liburing, or
// io_uring_setup refused (containers often filter it, and kernel.io_uring_disabled). The
// caller then does its own read and write calls, one per connection (the epoll path).
//
// Not thread-safe: used from the event loop's thread only.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <memory>
#include <vector>

namespace basalt {

class BatchIo {
 public:
  // nullptr when io_uring is unavailable (see above).
  static std::unique_ptr<BatchIo> Create();
  ~BatchIo();
  BatchIo(const BatchIo&) = delete;
  BatchIo& operator=(const BatchIo&) = delete;

  void QueueRecv(int fd, char* buf, size_t len) { ops_.push_back({fd, buf, len, false}); }
  void QueueSend(int fd, const char* buf, size_t len) {
    ops_.push_back({fd, const_cast<char*>(buf), len, true});
  }
  size_t queued() const { return ops_.size(); }

  // Issues every queued op and empties the queue. The result of op i is at [i]: bytes
  // transferred, or -errno. Valid until the next Submit.
  const std::vector<ssize_t>& Submit();

 private:
  struct Op {
    int fd;
    char* buf;
    size_t len;
    bool send;
  };
  struct Ring;  // liburing's state, kept out of this header
  explicit BatchIo(std::unique_ptr<Ring> ring);

  std::unique_ptr<Ring> ring_;
  std::vector<Op> ops_;
  std::vector<ssize_t> results_;
};

}  // namespace basalt
