// PersistenceState: what the server remembers about snapshots (RDB saves and loads), read by
// INFO persistence, LASTSAVE, BGSAVE, the save rules in the cron and the MISCONF check.
// Owned by the Server; only the execution thread touches it. Plain data, except the running
// fork-less snapshot it owns (in_process_child). The functions that act on it live in
// persistence/snapshot.h and persistence/child_process.h.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>

namespace basalt {

class BackgroundSnapshot;

// Which background child runs (persistence/child_process.h): at most one at a time.
enum class PersistenceChild { kNone, kRdb, kAof };

struct PersistenceState {
  bool rdb_child() const { return child_kind == PersistenceChild::kRdb; }
  bool aof_child() const { return child_kind == PersistenceChild::kAof; }

  int64_t lastsave_s = 0;             // unix time of the last successful save (LASTSAVE)
  int64_t last_bgsave_try_s = 0;      // for the retry delay after a failed BGSAVE
  bool last_bgsave_ok = true;         // rdb_last_bgsave_status; false arms MISCONF
  pid_t child_pid = -1;               // the BGSAVE or BGREWRITEAOF child, or -1
  // The child when it is a fork-less snapshot (child_pid is then the server's own pid).
  std::unique_ptr<BackgroundSnapshot> in_process_child;
  PersistenceChild child_kind = PersistenceChild::kNone;
  int64_t child_start_ms = 0;
  uint64_t dirty_before_bgsave = 0;   // dirty when the child forked
  int64_t last_bgsave_time_sec = -1;  // rdb_last_bgsave_time_sec
  uint64_t saves = 0;                 // rdb_saves
  bool bgsave_scheduled = false;      // BGSAVE SCHEDULE waiting for the running child
  // What the child reports through a pipe while it saves (Redis's child info): its
  // copy-on-write size (Private_Dirty) and progress, once a second, and a final report.
  int child_info_fd = -1;             // read end, non-blocking; -1 without a child
  uint64_t keys_total = 0;            // current_save_keys_total (keys when it forked)
  uint64_t keys_processed = 0;        // current_save_keys_processed
  // Copy-on-write: for a fork-less snapshot, the bytes serialized and not yet written.
  uint64_t cow_size = 0;              // current_cow_size (bytes)
  uint64_t cow_peak = 0;              // current_cow_peak
  int64_t cow_updated_ms = 0;         // for current_cow_size_age
  uint64_t last_cow_size = 0;         // rdb_last_cow_size (the child's final report)
  uint64_t aof_last_cow_size = 0;     // the same for the last AOF rewrite child
  uint64_t total_forks = 0;           // INFO total_forks
  uint64_t latest_fork_usec = 0;      // INFO latest_fork_usec: how long fork() took
  bool loading = false;
  uint64_t last_load_keys_loaded = 0;
  uint64_t last_load_keys_expired = 0;
};

}  // namespace basalt
