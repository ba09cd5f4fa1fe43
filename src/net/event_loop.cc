#include "net/event_loop.h"

#include <sys/epoll.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <utility>

namespace basalt {

EventLoop::EventLoop() : epoll_fd_(epoll_create1(EPOLL_CLOEXEC)) {}

EventLoop::~EventLoop() {
  if (epoll_fd_ >= 0) close(epoll_fd_);
}

bool EventLoop::Add(int fd, FdHandler* handler) {
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.ptr = handler;
  return epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) == 0;
}

void EventLoop::SetWantWrite(int fd, FdHandler* handler, bool want_write) {
  epoll_event ev{};
  ev.events = EPOLLIN | (want_write ? static_cast<uint32_t>(EPOLLOUT) : 0u);
  ev.data.ptr = handler;
  epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd, &ev);
}

void EventLoop::Remove(int fd) { epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr); }

// clock_gettime directly (vDSO, no syscall): every command reads the clock, and
// std::chrono's system_clock::now is an out-of-line call around the same read.
int64_t EventLoop::NowMs() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

int64_t EventLoop::NowUs() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

EventLoop::TimerId EventLoop::AddTimer(int64_t delay_ms, TimerCallback callback) {
  TimerId id = next_timer_id_++;
  timers_.emplace(id, std::move(callback));
  timer_heap_.push(Timer{NowMs() + delay_ms, id});
  return id;
}

void EventLoop::CancelTimer(TimerId id) { timers_.erase(id); }

int EventLoop::NextTimeoutMs() const {
  if (timer_heap_.empty()) return 1000;
  int64_t delta = timer_heap_.top().when_ms - NowMs();
  if (delta < 0) return 0;
  return delta > 1000 ? 1000 : static_cast<int>(delta);
}

void EventLoop::RunTimers() {
  int64_t now = NowMs();
  while (!timer_heap_.empty() && timer_heap_.top().when_ms <= now) {
    Timer t = timer_heap_.top();
    timer_heap_.pop();
    auto it = timers_.find(t.id);
    if (it == timers_.end()) continue;  // cancelled
    int64_t next = it->second();
    // The callback may have cancelled its own timer.
    it = timers_.find(t.id);
    if (it == timers_.end()) continue;
    if (next < 0) {
      timers_.erase(it);
    } else {
      timer_heap_.push(Timer{now + next, t.id});
    }
  }
}

bool EventLoop::EnableBatchedIo() {
  if (batch_io_ == nullptr) batch_io_ = BatchIo::Create();
  return batch_io_ != nullptr;
}

void EventLoop::Dispatch(const epoll_event* events, int n, bool batch) {
  if (batch) {
    // A lone read costs one system call either way, and io_uring's own bookkeeping on top.
    int readable = 0;
    for (int i = 0; i < n && readable < 2; ++i) {
      if (events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) ++readable;
    }
    batch = readable >= 2;
  }
  for (int i = 0; i < n; ++i) {
    auto* handler = static_cast<FdHandler*>(events[i].data.ptr);
    uint32_t ev = events[i].events;
    // Errors and hang-ups surface as a failed read, where the handler cleans up.
    if (ev & (EPOLLIN | EPOLLERR | EPOLLHUP)) {
      if (batch) {
        const FdHandler::ReadTarget target = handler->PrepareRead();
        if (target.buf != nullptr) {
          batch_io_->QueueRecv(target.fd, target.buf, target.len);
          batched_readers_.push_back(handler);
          continue;
        }
      }
      handler->OnReadable();
    } else if (ev & EPOLLOUT) {
      handler->OnWritable();
    }
  }
  // Unbatched (PollOnce) may run inside the batched turn's OnReadDone: its list is not ours.
  if (!batch || batched_readers_.empty()) return;
  // A copy: a handler that runs long may submit the batch's writes meanwhile.
  batch_results_ = batch_io_->Submit();
  delivering_ = true;
  DeliverBatchedReads();
  delivering_ = false;
  batched_readers_.clear();
}

void EventLoop::DeliverBatchedReads() {
  // A handler is freed only between turns (see FdHandler's owners), so all are still here.
  // Each result goes out once: a delivered handler's slot is cleared first, since a handler
  // may run long and poll (PollOnce), which delivers the rest of the batch from inside it.
  for (size_t i = 0; i < batched_readers_.size(); ++i) {
    FdHandler* handler = std::exchange(batched_readers_[i], nullptr);
    if (handler != nullptr) handler->OnReadDone(batch_results_[i]);
  }
}

int EventLoop::PollOnce(int timeout_ms) {
  // Called from inside a handler (a busy script). Connections whose requests the batched
  // turn already read must be heard now, not after the handler returns: what they sent
  // (PING, SCRIPT KILL, SHUTDOWN NOSAVE) is what a busy script waits for.
  if (delivering_) DeliverBatchedReads();
  constexpr int kMaxEvents = 128;
  epoll_event events[kMaxEvents];
  int n = epoll_wait(epoll_fd_, events, kMaxEvents, timeout_ms);
  if (n <= 0) return 0;
  Dispatch(events, n, /*batch=*/false);
  return n;
}

void EventLoop::Run() {
  constexpr int kMaxEvents = 512;
  epoll_event events[kMaxEvents];
  while (!stop_) {
    if (before_sleep_) before_sleep_();
    if (stop_) break;
    int timeout_ms = NextTimeoutMs();
    if (max_wait_ms_ >= 0 && max_wait_ms_ < timeout_ms) timeout_ms = static_cast<int>(max_wait_ms_);
    max_wait_ms_ = -1;
    int n = epoll_wait(epoll_fd_, events, kMaxEvents, timeout_ms);
    if (n < 0 && errno != EINTR) break;
    Dispatch(events, n, batch_io_ != nullptr);
    RunTimers();
  }
}

}  // namespace basalt
