// Aof: the append-only file while the server runs, in Redis 7.0's multi-part layout
// (aof_manifest.h): a base file written by a rewrite, then incr files of commands.
//
// As a PropagationSink it receives every write's effects (server/propagation.h), emits
// SELECT when the database changes (and again first thing in a new incr file) and optional
// #TS:<unix time> annotations (aof-timestamp-enabled), and gathers them in aof_buf. The
// buffer is written before any reply of the event-loop turn is sent (Server's
// HandleClientWrites calls Flush), with Redis's appendfsync guarantees:
//   always    write + fdatasync before the replies go out; a failure exits the process,
//             since the replies would acknowledge writes that are not on disk;
//   everysec  write now, fdatasync on a background thread about once a second (at most
//             ~1 s of acknowledged writes lost); a write waits up to 2 s for a slow fsync;
//   no        write now, the kernel syncs when it likes.
// A failed write keeps the buffer, retries from the cron and refuses writes with -MISCONF
// meanwhile.
//
// States, as Redis's aof_state: off; on; wait-rewrite (just turned on at runtime: the
// rewrite that makes the first base runs, and writes go to a temp incr file that becomes
// the first incr when it ends). Rewrites (BGREWRITEAOF, automatic ones) are in
// aof_rewrite.cc, loading at startup in aof_loader.h.
//
// Owned by the Server; execution thread only (the fsync thread only syncs and closes fds).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "persistence/aof_fsync_thread.h"
#include "persistence/aof_manifest.h"
#include "server/propagation.h"

namespace basalt {

class Server;

enum class AofState { kOff, kOn, kWaitRewrite };

class Aof final : public PropagationSink {
 public:
  // State `on` when the config says `appendonly yes`; installs the `appendonly` hook.
  explicit Aof(Server& server);
  ~Aof() override;
  Aof(const Aof&) = delete;
  Aof& operator=(const Aof&) = delete;

  void Append(std::span<const PropagatedCommand> batch) override;

  AofState state() const { return state_; }
  bool enabled() const { return state_ != AofState::kOff; }
  AofManifest& manifest() { return manifest_; }
  // The directory the files live in (relative to `dir`, the working directory).
  const std::string& dirname() const;
  const std::string& filename() const;

  // --- startup (Redis's aofOpenIfNeededOnServerStart), after the dataset loaded ---
  // With AOF on: writes a base file if there is none, opens the last incr file (or a new
  // one) for appending and persists the manifest. Then (AOF on or off) deletes the history
  // files a manifest names. Returns false after logging why (the server then exits).
  bool OpenOnServerStart();
  // Sizes the loader measured (aof_current_size, aof_base_size).
  void SetLoadedSizes(int64_t total, int64_t base) {
    current_size_ = total;
    rewrite_base_size_ = base;
  }

  // --- CONFIG SET appendonly ---
  // Turning on starts a rewrite (or schedules one while another child runs). Returns false
  // when it cannot (the value is then refused).
  bool Start();
  void Stop();

  // Writes aof_buf, then fsyncs as appendfsync says. `force`: do not postpone the write
  // behind a slow background fsync (everysec).
  void Flush(bool force);
  // Before replies are sent (HandleClientWrites).
  void FlushBeforeReplies() {
    if (state_ != AofState::kOff) Flush(false);
  }
  // From the server cron: postponed flushes, write error retries, scheduled and automatic
  // rewrites.
  void Cron();
  // Before exiting: stops a rewrite child, writes and fsyncs what is buffered. Returns false
  // when the AOF is still waiting for its first rewrite and `force` is not set (SHUTDOWN
  // then refuses, as Redis).
  bool PrepareShutdown(bool force);

  // Deletes history files (unless aof-disable-auto-gc) and persists the manifest.
  void DeleteHistoryFiles();
  // DEBUG AOF-FLUSH-SLEEP: microseconds to sleep before each write of the buffer (tests).
  void set_flush_sleep_us(int64_t us) { flush_sleep_us_ = us; }

  // -MISCONF text while writes must be refused (a failed write or fsync), nullopt-like empty
  // view otherwise.
  std::string_view WriteErrorRejection();

  // --- rewrite (aof_rewrite.cc) ---
  enum class RewriteRequest { kStarted, kScheduled, kInProgress, kFailed };
  // BGREWRITEAOF.
  RewriteRequest RequestRewrite();
  // Redis's rewriteAppendOnlyFileBackground: opens a new incr file and forks the child that
  // writes the new base. Returns false after logging why.
  bool StartRewrite();
  // The rewrite child exited (child_process.h): installs the new base or records the failure.
  void RewriteDone(pid_t pid, int status);
  // Stops a running rewrite child and removes its temp files.
  void KillRewrite();

  // --- INFO persistence ---
  bool rewrite_scheduled() const { return rewrite_scheduled_; }
  int64_t last_rewrite_time_sec() const { return rewrite_time_last_s_; }
  int64_t rewrite_time_start_s() const { return rewrite_time_start_s_; }
  bool last_rewrite_ok() const { return last_rewrite_ok_; }
  uint64_t rewrites() const { return rewrites_; }
  uint64_t rewrite_consecutive_failures() const { return rewrite_failures_; }
  bool last_write_ok() const { return last_write_ok_ && fsync_.last_error() == 0; }
  int64_t current_size() const { return current_size_; }
  int64_t base_size() const { return rewrite_base_size_; }
  size_t buffer_length() const { return buf_.size(); }
  uint64_t pending_fsync() const { return fsync_.pending(); }
  uint64_t delayed_fsync() const { return delayed_fsync_; }

 private:
  // Redis's openNewIncrAofForAppend: the file writes go to once a rewrite starts.
  bool OpenNewIncrForRewrite();
  // Appends `bytes` to the open file, retrying short writes. Returns bytes written or -1.
  ssize_t WriteAll(std::string_view bytes);
  // Whether repeated rewrite failures hold automatic rewrites back (aofRewriteLimited).
  bool RewriteLimited();
  void AttachSink();
  void DetachSink();

  Server& server_;
  AofState state_ = AofState::kOff;
  bool sink_attached_ = false;
  int fd_ = -1;
  int selected_db_ = -1;
  std::string buf_;
  AofManifest manifest_;
  AofFsyncThread fsync_;

  int64_t current_size_ = 0;       // base + incr files (aof_current_size)
  int64_t rewrite_base_size_ = 0;  // the size after the last rewrite (aof_base_size)
  int64_t last_incr_size_ = 0;     // bytes in the incr file being written
  int64_t last_incr_fsync_offset_ = 0;
  int64_t last_fsync_s_ = 0;
  int64_t flush_postponed_start_s_ = 0;
  int64_t cur_timestamp_s_ = 0;  // the last #TS annotation written
  uint64_t delayed_fsync_ = 0;
  bool last_write_ok_ = true;
  int last_write_errno_ = 0;
  int64_t last_write_error_log_s_ = 0;
  int64_t flush_sleep_us_ = 0;
  std::string misconf_;

  bool rewrite_scheduled_ = false;
  bool last_rewrite_ok_ = true;
  uint64_t rewrites_ = 0;
  uint64_t rewrite_failures_ = 0;  // consecutive
  int64_t rewrite_time_start_s_ = -1;
  int64_t rewrite_time_last_s_ = -1;
  int next_rewrite_delay_min_ = 0;  // aofRewriteLimited's back-off
  int64_t next_rewrite_time_s_ = 0;
};

}  // namespace basalt
