#include "net/batch_io.h"

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#ifdef BASALT_HAVE_LIBURING
#include <liburing.h>
#endif

namespace basalt {

#ifdef BASALT_HAVE_LIBURING

namespace {

// Submission queue entries: a turn with more ops is issued in chunks of this many.
constexpr unsigned kRingEntries = 256;

}  // namespace

struct BatchIo::Ring {
  io_uring ring;
  ~Ring() { io_uring_queue_exit(&ring); }
};

std::unique_ptr<BatchIo> BatchIo::Create() {
  // BASALT_IO_URING=0 keeps the plain read/write path (for comparing the two).
  if (const char* env = std::getenv("BASALT_IO_URING"); env != nullptr && env[0] == '0') {
    return nullptr;
  }
  auto ring = std::make_unique<Ring>();
  // Only this thread submits, and completions are reaped right after the submission: the
  // kernel may skip the cross-thread signalling it otherwise does for each completion.
  io_uring_params params{};
  params.flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_COOP_TASKRUN;
  if (io_uring_queue_init_params(kRingEntries, &ring->ring, &params) != 0) {
    params = io_uring_params{};
    if (io_uring_queue_init_params(kRingEntries, &ring->ring, &params) != 0) return nullptr;
  }
  return std::unique_ptr<BatchIo>(new BatchIo(std::move(ring)));
}

const std::vector<ssize_t>& BatchIo::Submit() {
  results_.assign(ops_.size(), 0);
  io_uring* ring = &ring_->ring;
  for (size_t base = 0; base < ops_.size();) {
    const size_t chunk = std::min<size_t>(ops_.size() - base, kRingEntries);
    for (size_t i = base; i < base + chunk; ++i) {
      const Op& op = ops_[i];
      io_uring_sqe* sqe = io_uring_get_sqe(ring);
      if (op.send) {
        io_uring_prep_send(sqe, op.fd, op.buf, op.len, MSG_DONTWAIT | MSG_NOSIGNAL);
      } else {
        io_uring_prep_recv(sqe, op.fd, op.buf, op.len, MSG_DONTWAIT);
      }
      io_uring_sqe_set_data64(sqe, i);
    }
    int rc;
    do {
      rc = io_uring_submit_and_wait(ring, static_cast<unsigned>(chunk));
    } while (rc == -EINTR);
    size_t reaped = 0;
    while (reaped < chunk) {
      io_uring_cqe* cqe = nullptr;
      int wait = io_uring_wait_cqe(ring, &cqe);
      if (wait == -EINTR) continue;
      if (wait != 0) {
        // The ring itself failed (should not happen once set up): report the ops not
        // heard of as failed, so their connections close instead of hanging.
        for (size_t i = base; i < base + chunk; ++i) {
          if (results_[i] == 0) results_[i] = wait;
        }
        break;
      }
      results_[io_uring_cqe_get_data64(cqe)] = cqe->res;
      io_uring_cqe_seen(ring, cqe);
      ++reaped;
    }
    base += chunk;
  }
  ops_.clear();
  return results_;
}

#else  // !BASALT_HAVE_LIBURING

struct BatchIo::Ring {};

std::unique_ptr<BatchIo> BatchIo::Create() { return nullptr; }

const std::vector<ssize_t>& BatchIo::Submit() {
  results_.clear();
  ops_.clear();
  return results_;
}

#endif

BatchIo::BatchIo(std::unique_ptr<Ring> ring) : ring_(std::move(ring)) {}

BatchIo::~BatchIo() = default;

}  // namespace basalt
