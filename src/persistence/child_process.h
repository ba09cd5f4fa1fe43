// The persistence child: what writes the dataset in the background, either an RDB snapshot
// (BGSAVE) or a new AOF base (BGREWRITEAOF). As in Redis, at most one child runs at a time;
// the other kind waits (BGSAVE SCHEDULE, a scheduled AOF rewrite).
//
// A child is either a forked process (snapshot-fork yes, Redis's way) or, by default, a
// fork-less snapshot written from the event loop (background_snapshot.h), which the rest of
// the server sees as a child whose pid is the server's own. Both end in the kind's done
// handler with a wait status: exit 0 on success, 1 on failure, SIGUSR1 when stopped.
//
// The child writes from its copy-on-write image of the dataset and reports through a pipe
// (Redis's child info): keys written and its copy-on-write size about once a second, and a
// final report. The parent reads the reports from the cron and reaps the child there
// (waitpid WNOHANG), then hands its exit status to the kind's done handler.
//
// Everything here runs on the execution thread, except ChildReporter (in the child).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <memory>

#include "persistence/persistence_state.h"

namespace basalt {

class BackgroundSnapshot;
class Server;

// What the child uses to report to the parent. Not thread-safe (the child is one thread).
class ChildReporter {
 public:
  explicit ChildReporter(int fd);
  // After each key: sends a progress report at most once a second.
  void Progress(uint64_t keys_done);
  // When the work is done: the final copy-on-write size (rdb_/aof_last_cow_size).
  void Final(uint64_t keys_done);

 private:
  int fd_;
  int64_t last_report_ms_;
};

// Forks a child of `kind` that runs `body` and exits 0 when it returns true, 1 otherwise,
// without running the parent's destructors. In the parent records the child (pid, kind,
// start time, report pipe) in PersistenceState. Returns the pid, or -1 when fork failed
// (errno set). REQUIRES: no child is running.
pid_t ForkPersistenceChild(Server& server, PersistenceChild kind, uint64_t keys_total,
                           const std::function<bool(ChildReporter&)>& body);

// Records `job` (started: background_snapshot.h) as the running child of `kind`.
// REQUIRES: no child is running.
void StartInProcessChild(Server& server, PersistenceChild kind,
                         std::unique_ptr<BackgroundSnapshot> job);
// From the event loop, before it waits: runs a slice of a fork-less child, and reaps it when
// its file is written. Returns how long the loop may wait at most, in ms (-1: no limit).
int64_t StepInProcessChild(Server& server);

// Reads the reports the child sent since the last call.
void DrainChildInfo(Server& server);

// Stops the running child with SIGUSR1 (not counted as a failure by the done handlers),
// waits for it and hands its status to the done handler. No-op without a child.
void KillPersistenceChild(Server& server);

// From the cron: reaps a finished child and runs its done handler (snapshot.h's
// BackgroundSaveDone or aof_rewrite.h's AofRewriteDone).
void ChildCron(Server& server);

}  // namespace basalt
