// EventLoop: a single-threaded epoll loop with millisecond timers.
//
// Every file descriptor is watched through an FdHandler; the loop calls OnReadable /
// OnWritable when epoll reports them. With EnableBatchedIo, a handler that names a buffer in
// PrepareRead has its read done by the loop instead, together with every other ready
// connection's in one submission (net/batch_io.h), and hears the result in OnReadDone.
// Timers are one-shot or repeating callbacks kept in a min-heap. Before each epoll_wait the
// loop runs the before-sleep hook, which is where the server flushes pending replies (one
// write per client per iteration, however many commands a pipeline held; with batched I/O,
// one submission for all the clients' writes).
//
// Not thread-safe: all calls come from the loop's own thread.
#pragma once

#include <sys/epoll.h>
#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <queue>
#include <unordered_map>
#include <vector>

#include "net/batch_io.h"

namespace basalt {

class FdHandler {
 public:
  struct ReadTarget {
    int fd = -1;
    char* buf = nullptr;  // nullptr: no batched read, call OnReadable
    size_t len = 0;
  };

  virtual ~FdHandler() = default;
  virtual void OnReadable() = 0;
  virtual void OnWritable() {}
  // Batched reads (EnableBatchedIo): where the next read should land. The buffer must stay
  // put until OnReadDone, which gets the read's result (bytes, 0 at EOF, or -errno).
  virtual ReadTarget PrepareRead() { return {}; }
  virtual void OnReadDone(ssize_t result) {}
};

class EventLoop {
 public:
  using TimerId = uint64_t;
  // Returns the delay in ms until the next run, or a negative number to stop the timer.
  using TimerCallback = std::function<int64_t()>;

  EventLoop();
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  bool ok() const { return epoll_fd_ >= 0; }

  // Reads of ready connections (and the writes the owner hands to batch_io()) go through
  // io_uring in batches when it is available; returns whether it is.
  bool EnableBatchedIo();
  // nullptr unless EnableBatchedIo succeeded.
  BatchIo* batch_io() { return batch_io_.get(); }

  // Watches `fd` for readability (always) and writability (when `want_write`).
  bool Add(int fd, FdHandler* handler);
  void SetWantWrite(int fd, FdHandler* handler, bool want_write);
  void Remove(int fd);

  TimerId AddTimer(int64_t delay_ms, TimerCallback callback);
  void CancelTimer(TimerId id);

  void set_before_sleep(std::function<void()> hook) { before_sleep_ = std::move(hook); }
  // From the before-sleep hook: the coming wait for events lasts at most `ms` (0: just poll),
  // for work the hook left to do (a background snapshot's next slice).
  void LimitNextWait(int64_t ms) {
    if (max_wait_ms_ < 0 || ms < max_wait_ms_) max_wait_ms_ = ms;
  }

  // Runs until Stop() is called.
  void Run();
  void Stop() { stop_ = true; }
  // Lets Run() be called again after a Stop().
  void Resume() { stop_ = false; }
  bool stopping() const { return stop_; }
  // Dispatches the file events ready now (waiting at most `timeout_ms`), without timers or
  // the before-sleep hook; returns how many there were. For a command that runs long (a
  // busy script) and must still answer other clients.
  int PollOnce(int timeout_ms);

  static int64_t NowMs();
  static int64_t NowUs();

 private:
  struct Timer {
    int64_t when_ms;
    TimerId id;
    bool operator>(const Timer& o) const { return when_ms > o.when_ms; }
  };

  void RunTimers();
  int NextTimeoutMs() const;

  // Dispatches the events epoll returned, batching the reads when it can.
  void Dispatch(const epoll_event* events, int n, bool batch);
  // Hands the batched reads not delivered yet to their handlers, in order.
  void DeliverBatchedReads();

  int epoll_fd_;
  bool stop_ = false;
  int64_t max_wait_ms_ = -1;  // LimitNextWait's bound on the next wait; -1: none
  std::unique_ptr<BatchIo> batch_io_;
  std::vector<FdHandler*> batched_readers_;  // this turn's, in the order their reads went
  std::vector<ssize_t> batch_results_;  // theirs
  bool delivering_ = false;             // DeliverBatchedReads is on the stack
  std::function<void()> before_sleep_;
  std::priority_queue<Timer, std::vector<Timer>, std::greater<Timer>> timer_heap_;
  std::unordered_map<TimerId, TimerCallback> timers_;
  TimerId next_timer_id_ = 1;
};

}  // namespace basalt
