#include "net/event_loop.h"

#include <sys/epoll.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

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
  ev.events = EPOLLIN | (want_write ? EPOLLOUT : 0);
  ev.data.ptr = handler;
  epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd, &ev);
}

void EventLoop::Remove(int fd) { epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr); }

int64_t EventLoop::NowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

int64_t EventLoop::NowUs() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
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

int EventLoop::PollOnce(int timeout_ms) {
  constexpr int kMaxEvents = 128;
  epoll_event events[kMaxEvents];
  int n = epoll_wait(epoll_fd_, events, kMaxEvents, timeout_ms);
  if (n <= 0) return 0;
  for (int i = 0; i < n; ++i) {
    auto* handler = static_cast<FdHandler*>(events[i].data.ptr);
    uint32_t ev = events[i].events;
    if (ev & (EPOLLIN | EPOLLERR | EPOLLHUP)) {
      handler->OnReadable();
    } else if (ev & EPOLLOUT) {
      handler->OnWritable();
    }
  }
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
    for (int i = 0; i < n; ++i) {
      auto* handler = static_cast<FdHandler*>(events[i].data.ptr);
      uint32_t ev = events[i].events;
      // Errors and hang-ups surface as a failed read, where the handler cleans up.
      if (ev & (EPOLLIN | EPOLLERR | EPOLLHUP)) {
        handler->OnReadable();
      } else if (ev & EPOLLOUT) {
        handler->OnWritable();
      }
    }
    RunTimers();
  }
}

}  // namespace basalt
