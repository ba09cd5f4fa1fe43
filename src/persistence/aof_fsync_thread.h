// AofFsyncThread: fsyncs (and closes) AOF file descriptors off the execution thread, as
// Redis's BIO_AOF_FSYNC and BIO_CLOSE_FILE jobs: `appendfsync everysec` hands it one fsync a
// second, and a rewrite hands it the incr file it stops writing (fsync, then close).
//
// Jobs run in order. pending() is what INFO aof_pending_bio_fsync shows and what the writer
// checks before starting another fsync. A failed fsync is remembered (last_error) until the
// writer reads and clears it: writes are then refused with -MISCONF, as in Redis.
//
// Submit* from the execution thread only. The thread starts with the first job and is
// joined, after its queue is done, by the destructor.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>

namespace basalt {

class AofFsyncThread {
 public:
  AofFsyncThread() = default;
  ~AofFsyncThread();
  AofFsyncThread(const AofFsyncThread&) = delete;
  AofFsyncThread& operator=(const AofFsyncThread&) = delete;

  void SubmitFsync(int fd) { Submit(fd, false); }
  // fsync, then close: the fd must not be used by the caller afterwards.
  void SubmitFsyncAndClose(int fd) { Submit(fd, true); }

  uint64_t pending() const { return pending_.load(std::memory_order_acquire); }
  // errno of the last failed fsync, 0 when none since the last ClearError.
  int last_error() const { return error_.load(std::memory_order_acquire); }
  void ClearError() { error_.store(0, std::memory_order_release); }
  // Waits until every queued job ran (stopping AOF, shutdown).
  void Drain();

 private:
  struct Job {
    int fd;
    bool close;
  };
  void Submit(int fd, bool close);
  void Run();

  std::mutex mu_;
  std::condition_variable cv_;       // a job was queued, or stopping
  std::condition_variable idle_cv_;  // the queue emptied
  std::deque<Job> jobs_;
  bool stopping_ = false;
  std::thread thread_;
  std::atomic<uint64_t> pending_{0};
  std::atomic<int> error_{0};
};

}  // namespace basalt
