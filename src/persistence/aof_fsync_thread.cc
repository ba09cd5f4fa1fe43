#include "persistence/aof_fsync_thread.h"

#include <unistd.h>

#include <cerrno>

namespace basalt {

AofFsyncThread::~AofFsyncThread() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void AofFsyncThread::Submit(int fd, bool close) {
  pending_.fetch_add(1, std::memory_order_acq_rel);
  {
    std::lock_guard<std::mutex> lock(mu_);
    jobs_.push_back(Job{fd, close});
    if (!thread_.joinable()) thread_ = std::thread([this] { Run(); });
  }
  cv_.notify_one();
}

void AofFsyncThread::Drain() {
  std::unique_lock<std::mutex> lock(mu_);
  idle_cv_.wait(lock, [this] { return pending_.load(std::memory_order_acquire) == 0; });
}

void AofFsyncThread::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    cv_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
    if (jobs_.empty()) return;  // stopping, and nothing left to do
    const Job job = jobs_.front();
    jobs_.pop_front();
    lock.unlock();
    // fdatasync, as Redis's redis_fsync on Linux: the data and the file size, not the times.
    if (fdatasync(job.fd) != 0 && errno != EBADF && errno != EINVAL) {
      error_.store(errno, std::memory_order_release);
    }
    if (job.close) close(job.fd);
    lock.lock();
    if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) idle_cv_.notify_all();
  }
}

}  // namespace basalt
