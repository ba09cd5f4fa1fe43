#include "persistence/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "persistence/aof_rewrite.h"
#include "persistence/background_snapshot.h"
#include "persistence/snapshot.h"
#include "server/log.h"
#include "server/server.h"

namespace basalt {
namespace {

// One report from the child; smaller than PIPE_BUF, so each write is atomic.
struct ChildInfo {
  uint64_t final;  // 1 for the report sent when the work is done
  uint64_t keys;
  uint64_t cow_bytes;
};

// The child's copy-on-write cost: its private dirty pages (those the parent has written to
// since the fork, plus the child's own allocations), as Redis's zmalloc_get_private_dirty.
uint64_t PrivateDirtyBytes() {
  FILE* f = std::fopen("/proc/self/smaps_rollup", "r");
  if (f == nullptr) return 0;
  char line[256];
  uint64_t kb = 0;
  while (std::fgets(line, sizeof(line), f) != nullptr) {
    if (std::strncmp(line, "Private_Dirty:", 14) == 0) kb += std::strtoull(line + 14, nullptr, 10);
  }
  std::fclose(f);
  return kb * 1024;
}

void SendChildInfo(int fd, bool final, uint64_t keys) {
  if (fd < 0) return;
  ChildInfo info{final ? 1u : 0u, keys, PrivateDirtyBytes()};
  (void)!write(fd, &info, sizeof(info));
}

void CloseChildInfo(Server& server) {
  PersistenceState& ps = server.persistence();
  DrainChildInfo(server);
  if (ps.in_process_child != nullptr) {
    (ps.aof_child() ? ps.aof_last_cow_size : ps.last_cow_size) = ps.cow_peak;
    ps.in_process_child.reset();
  }
  if (ps.child_info_fd >= 0) close(ps.child_info_fd);
  ps.child_info_fd = -1;
  ps.keys_total = ps.keys_processed = ps.cow_size = ps.cow_peak = 0;
  ps.cow_updated_ms = 0;
}

// Forgets the reaped child and runs its kind's done handler.
void ChildDone(Server& server, int status) {
  PersistenceState& ps = server.persistence();
  const pid_t pid = ps.child_pid;
  const PersistenceChild kind = ps.child_kind;
  CloseChildInfo(server);
  ps.child_pid = -1;
  ps.child_kind = PersistenceChild::kNone;
  if (kind == PersistenceChild::kRdb) {
    BackgroundSaveDone(server, pid, status);
  } else if (kind == PersistenceChild::kAof) {
    AofRewriteDone(server, pid, status);
  }
}

// Wait statuses for a fork-less child, as waitpid would report a process.
int ExitStatus(int code) { return W_EXITCODE(code, 0); }
int SignalStatus(int sig) { return W_EXITCODE(0, sig); }

// A fork-less child's file is written (or failed): logs as the forked child would, and runs
// the done handler.
void InProcessChildDone(Server& server) {
  PersistenceState& ps = server.persistence();
  const BackgroundSnapshot& job = *ps.in_process_child;
  const bool ok = job.state() == BackgroundSnapshot::State::kSucceeded;
  if (ok && ps.rdb_child()) {
    Log(LogLevel::kNotice, "DB saved on disk");
  } else if (ok) {
    Log(LogLevel::kNotice, "Successfully created the temporary AOF base file %s",
        job.file().path().c_str());
  } else if (ps.rdb_child()) {
    Log(LogLevel::kWarning, "Write error saving DB on disk(%s): %s", job.file().failed_op(),
        strerror(job.file().error()));
  } else {
    Log(LogLevel::kWarning, "Write error writing append only file on disk: %s",
        strerror(job.file().error()));
  }
  ChildDone(server, ExitStatus(ok ? 0 : 1));
}

}  // namespace

ChildReporter::ChildReporter(int fd) : fd_(fd), last_report_ms_(EventLoop::NowMs()) {}

void ChildReporter::Progress(uint64_t keys_done) {
  if ((keys_done & 127) != 0) return;
  const int64_t now = EventLoop::NowMs();
  if (now - last_report_ms_ < 1000) return;
  last_report_ms_ = now;
  SendChildInfo(fd_, false, keys_done);
}

void ChildReporter::Final(uint64_t keys_done) { SendChildInfo(fd_, true, keys_done); }

pid_t ForkPersistenceChild(Server& server, PersistenceChild kind, uint64_t keys_total,
                           const std::function<bool(ChildReporter&)>& body) {
  PersistenceState& ps = server.persistence();
  int pipe_fds[2] = {-1, -1};
  if (pipe2(pipe_fds, O_CLOEXEC) == 0) fcntl(pipe_fds[0], F_SETFL, O_NONBLOCK);
  const int64_t fork_start_us = EventLoop::NowUs();
  const pid_t pid = fork();
  if (pid == 0) {
    // The child: write from the copy-on-write image and leave without running any of the
    // parent's destructors or atexit handlers.
    signal(SIGTERM, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    signal(SIGUSR1, SIG_DFL);
    if (pipe_fds[0] >= 0) close(pipe_fds[0]);
    SetLogRole('C');
    ChildReporter reporter(pipe_fds[1]);
    _exit(body(reporter) ? 0 : 1);
  }
  const int fork_errno = errno;
  if (pipe_fds[1] >= 0) close(pipe_fds[1]);
  if (pid < 0) {
    if (pipe_fds[0] >= 0) close(pipe_fds[0]);
    errno = fork_errno;
    return -1;
  }
  ++ps.total_forks;
  ps.latest_fork_usec = static_cast<uint64_t>(EventLoop::NowUs() - fork_start_us);
  ps.child_pid = pid;
  ps.child_kind = kind;
  ps.child_start_ms = EventLoop::NowMs();
  ps.child_info_fd = pipe_fds[0];
  ps.keys_total = keys_total;
  ps.keys_processed = ps.cow_size = ps.cow_peak = 0;
  ps.cow_updated_ms = 0;
  return pid;
}

void StartInProcessChild(Server& server, PersistenceChild kind,
                         std::unique_ptr<BackgroundSnapshot> job) {
  PersistenceState& ps = server.persistence();
  // Counted as a fork in INFO (total_forks, latest_fork_usec: the time the start took), which
  // tools and tests watch to see that a background save began.
  ++ps.total_forks;
  ps.latest_fork_usec = static_cast<uint64_t>(EventLoop::NowUs() - job->start_us());
  ps.keys_total = job->keys_total();
  ps.in_process_child = std::move(job);
  ps.child_pid = getpid();
  ps.child_kind = kind;
  ps.child_start_ms = EventLoop::NowMs();
  ps.keys_processed = ps.cow_size = ps.cow_peak = 0;
  ps.cow_updated_ms = EventLoop::NowMs();
}

int64_t StepInProcessChild(Server& server) {
  PersistenceState& ps = server.persistence();
  if (ps.in_process_child == nullptr) return -1;
  const int64_t wait_ms = ps.in_process_child->Step();
  DrainChildInfo(server);
  if (ps.in_process_child->state() != BackgroundSnapshot::State::kRunning) {
    InProcessChildDone(server);
    return -1;
  }
  return wait_ms;
}

void DrainChildInfo(Server& server) {
  PersistenceState& ps = server.persistence();
  if (const BackgroundSnapshot* job = ps.in_process_child.get()) {
    ps.keys_processed = job->keys_done();
    ps.cow_size = job->buffered_bytes();
    ps.cow_peak = std::max(ps.cow_peak, ps.cow_size);
    ps.cow_updated_ms = EventLoop::NowMs();
    return;
  }
  if (ps.child_info_fd < 0) return;
  ChildInfo info;
  while (read(ps.child_info_fd, &info, sizeof(info)) == static_cast<ssize_t>(sizeof(info))) {
    if (info.final != 0) {
      (ps.aof_child() ? ps.aof_last_cow_size : ps.last_cow_size) = info.cow_bytes;
      continue;
    }
    ps.keys_processed = info.keys;
    ps.cow_size = info.cow_bytes;
    ps.cow_peak = std::max(ps.cow_peak, info.cow_bytes);
    ps.cow_updated_ms = EventLoop::NowMs();
  }
}

void KillPersistenceChild(Server& server) {
  PersistenceState& ps = server.persistence();
  if (ps.child_pid == -1) return;
  if (ps.in_process_child != nullptr) {
    ps.in_process_child->Abort();
    ChildDone(server, SignalStatus(SIGUSR1));
    return;
  }
  kill(ps.child_pid, SIGUSR1);
  int status = 0;
  while (waitpid(ps.child_pid, &status, 0) < 0 && errno == EINTR) {
  }
  ChildDone(server, status);
}

void ChildCron(Server& server) {
  PersistenceState& ps = server.persistence();
  if (ps.child_pid == -1) return;
  DrainChildInfo(server);
  if (ps.in_process_child != nullptr) {
    if (ps.in_process_child->state() != BackgroundSnapshot::State::kRunning) {
      InProcessChildDone(server);
    }
    return;
  }
  int status = 0;
  const pid_t pid = waitpid(ps.child_pid, &status, WNOHANG);
  if (pid == ps.child_pid) {
    ChildDone(server, status);
  } else if (pid < 0 && errno == ECHILD) {
    // Reaped elsewhere: forget it.
    CloseChildInfo(server);
    ps.child_pid = -1;
    ps.child_kind = PersistenceChild::kNone;
  }
}

}  // namespace basalt
