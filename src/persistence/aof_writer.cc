#include "persistence/aof_writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include "persistence/aof_rewrite.h"
#include "server/log.h"
#include "server/server.h"

namespace basalt {
namespace {

int64_t NowSeconds() { return static_cast<int64_t>(time(nullptr)); }

// Seconds between two logs of the same write error (Redis's AOF_WRITE_LOG_ERROR_RATE).
constexpr int64_t kWriteErrorLogRate = 30;

void AppendSelect(std::string* out, int db) {
  const std::string id = std::to_string(db);
  const std::string_view argv[] = {"SELECT", id};
  AppendRespCommand(out, argv);
}

}  // namespace

Aof::Aof(Server& server) : server_(server) {
  if (server.config().appendonly) state_ = AofState::kOn;
  // Redis's updateAppendonly; it runs again with the old value when another parameter of
  // the same CONFIG SET fails, so it acts only on a difference.
  server.config_registry().SetApplyHook({"appendonly"}, [this](ServerConfig& c, std::string* err) {
    if (!c.appendonly && state_ != AofState::kOff) {
      Stop();
    } else if (c.appendonly && state_ == AofState::kOff && !Start()) {
      *err = "Unable to turn on AOF. Check server logs.";
      return false;
    }
    return true;
  });
  // Turning automatic deletion back on deletes what piled up meanwhile.
  server.config_registry().SetApplyHook({"aof-disable-auto-gc"},
                                        [this](ServerConfig& c, std::string*) {
                                          if (!c.aof_disable_auto_gc) DeleteHistoryFiles();
                                          return true;
                                        });
}

// The Server (and its Propagator) is going away too: no need to detach.
Aof::~Aof() {
  if (fd_ >= 0) close(fd_);
}

const std::string& Aof::dirname() const { return server_.config().appenddirname; }
const std::string& Aof::filename() const { return server_.config().appendfilename; }

void Aof::AttachSink() {
  if (sink_attached_) return;
  server_.propagator().AddSink(this);
  sink_attached_ = true;
}

void Aof::DetachSink() {
  if (!sink_attached_) return;
  server_.propagator().RemoveSink(this);
  sink_attached_ = false;
}

void Aof::Append(std::span<const PropagatedCommand> batch) {
  // While AOF is being turned on, only what follows the rewrite's fork matters: the rest is
  // in the new base.
  if (state_ != AofState::kOn &&
      !(state_ == AofState::kWaitRewrite && server_.persistence().aof_child())) {
    return;
  }
  for (const PropagatedCommand& cmd : batch) {
    if (server_.config().aof_timestamp_enabled) {
      const int64_t now = NowSeconds();
      if (cur_timestamp_s_ < now) {
        cur_timestamp_s_ = now;
        buf_ += "#TS:" + std::to_string(now) + "\r\n";
      }
    }
    if (cmd.db >= 0 && cmd.db != selected_db_) {
      AppendSelect(&buf_, cmd.db);
      selected_db_ = cmd.db;
    }
    buf_ += cmd.resp;
  }
}

ssize_t Aof::WriteAll(std::string_view bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = write(fd_, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return done > 0 ? static_cast<ssize_t>(done) : -1;
    }
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  return static_cast<ssize_t>(done);
}

void Aof::Flush(bool force) {
  if (fd_ < 0) return;
  const AofFsync policy = server_.config().aof_fsync;
  const int64_t now = NowSeconds();
  bool sync_in_progress = false;
  bool write = !buf_.empty();
  if (!write) {
    // Nothing new, but what was written may still need its fsync: everysec syncs a second
    // after the last write even when writes stopped, and a switch to `always` syncs at once.
    const bool unsynced = last_incr_fsync_offset_ != last_incr_size_;
    if (!unsynced) return;
    if (policy == AofFsync::kEverySec) {
      sync_in_progress = fsync_.pending() != 0;
      if (now <= last_fsync_s_ || sync_in_progress) return;
    } else if (policy != AofFsync::kAlways) {
      return;
    }
  }
  if (write) {
    if (policy == AofFsync::kEverySec) sync_in_progress = fsync_.pending() != 0;
    if (policy == AofFsync::kEverySec && !force && sync_in_progress) {
      // A write behind a running fsync would block on it: wait up to two seconds.
      if (flush_postponed_start_s_ == 0) {
        flush_postponed_start_s_ = now;
        return;
      }
      if (now - flush_postponed_start_s_ < 2) return;
      ++delayed_fsync_;
      Log(LogLevel::kNotice,
          "Asynchronous AOF fsync is taking too long (disk is busy?). Writing the AOF buffer "
          "without waiting for fsync to complete, this may slow down Redis.");
    }
    if (flush_sleep_us_ > 0) usleep(static_cast<useconds_t>(flush_sleep_us_));
    const int64_t latency_start = EventLoop::NowMs();
    ssize_t written = WriteAll(buf_);
    server_.latency_monitor().AddSampleIfNeeded("aof-write", EventLoop::NowMs() - latency_start);
    flush_postponed_start_s_ = 0;
    if (written != static_cast<ssize_t>(buf_.size())) {
      const int err = written < 0 ? errno : ENOSPC;
      const bool can_log = now - last_write_error_log_s_ > kWriteErrorLogRate;
      if (can_log) last_write_error_log_s_ = now;
      if (written < 0) {
        if (can_log) Log(LogLevel::kWarning, "Error writing to the AOF file: %s", strerror(err));
      } else {
        if (can_log) {
          Log(LogLevel::kWarning,
              "Short write while writing to the AOF file: (nwritten=%lld, expected=%lld)",
              static_cast<long long>(written), static_cast<long long>(buf_.size()));
        }
        // Take the partial command back out, so the file stays a sequence of commands.
        if (ftruncate(fd_, last_incr_size_) == 0) {
          written = -1;
        } else if (can_log) {
          Log(LogLevel::kWarning,
              "Could not remove short write from the append-only file.  Redis may refuse to "
              "load the AOF the next time it starts.  ftruncate: %s",
              strerror(errno));
        }
      }
      last_write_errno_ = err;
      if (policy == AofFsync::kAlways) {
        // The replies are built: sending them would acknowledge writes not on disk.
        Log(LogLevel::kWarning,
            "Can't recover from AOF write error when the AOF fsync policy is 'always'. "
            "Exiting...");
        std::exit(1);
      }
      last_write_ok_ = false;
      if (written > 0) {
        current_size_ += written;
        last_incr_size_ += written;
        buf_.erase(0, static_cast<size_t>(written));
      }
      return;  // retried from the cron
    }
    if (!last_write_ok_) {
      Log(LogLevel::kWarning, "AOF write error looks solved, Redis can write again.");
      last_write_ok_ = true;
    }
    current_size_ += written;
    last_incr_size_ += written;
    if (buf_.capacity() > 4096) {
      std::string().swap(buf_);
    } else {
      buf_.clear();
    }
  }
  // no-appendfsync-on-rewrite: a child is already keeping the disk busy.
  if (server_.config().no_appendfsync_on_rewrite && server_.persistence().child_pid != -1) {
    return;
  }
  if (policy == AofFsync::kAlways) {
    const int64_t latency_start = EventLoop::NowMs();
    if (fdatasync(fd_) != 0) {
      Log(LogLevel::kWarning,
          "Can't persist AOF for fsync error when the AOF fsync policy is 'always': %s. "
          "Exiting...",
          strerror(errno));
      std::exit(1);
    }
    server_.latency_monitor().AddSampleIfNeeded("aof-fsync-always",
                                                EventLoop::NowMs() - latency_start);
    last_incr_fsync_offset_ = last_incr_size_;
    last_fsync_s_ = now;
  } else if (policy == AofFsync::kEverySec && now > last_fsync_s_) {
    if (!sync_in_progress) {
      fsync_.SubmitFsync(fd_);
      last_incr_fsync_offset_ = last_incr_size_;
    }
    last_fsync_s_ = now;
  }
}

std::string_view Aof::WriteErrorRejection() {
  if (state_ == AofState::kOff) return {};
  int err = 0;
  if (!last_write_ok_) {
    err = last_write_errno_;
  } else if (fsync_.last_error() != 0) {
    err = fsync_.last_error();
  } else {
    return {};
  }
  misconf_ = std::string("MISCONF Errors writing to the AOF file: ") + strerror(err);
  return misconf_;
}

bool Aof::OpenOnServerStart() {
  if (state_ != AofState::kOn) {
    DeleteHistoryFiles();  // as Redis, whether AOF is on or not
    return true;
  }
  const std::string& dir = dirname();
  if (mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
    Log(LogLevel::kWarning, "Can't open or create append-only dir %s: %s", dir.c_str(),
        strerror(errno));
    return false;
  }
  const bool had_incr = !manifest_.incrs.empty();
  if (manifest_.empty()) {
    // Starting empty: a base file first, so that the directory is a complete AOF.
    const std::string base =
        AddNewBase(manifest_, filename(), server_.config().aof_use_rdb_preamble);
    if (!WriteAofBaseFile(server_, AofPath(dir, base))) return false;
    Log(LogLevel::kNotice, "Creating AOF base file %s on server start", base.c_str());
  }
  const std::string incr =
      had_incr ? manifest_.incrs.back().name : AddNewIncr(manifest_, filename());
  const std::string path = AofPath(dir, incr);
  fd_ = open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    Log(LogLevel::kWarning, "Can't open the append-only file %s: %s", incr.c_str(),
        strerror(errno));
    return false;
  }
  if (!PersistAofManifest(manifest_, dir, filename())) return false;
  struct stat st;
  last_incr_size_ = fstat(fd_, &st) == 0 ? st.st_size : 0;
  last_incr_fsync_offset_ = last_incr_size_;
  Log(LogLevel::kNotice,
      had_incr ? "Opening AOF incr file %s on server start"
               : "Creating AOF incr file %s on server start",
      incr.c_str());
  AttachSink();
  DeleteHistoryFiles();
  return true;
}

bool Aof::Start() {
  state_ = AofState::kWaitRewrite;
  selected_db_ = -1;
  PersistenceState& ps = server_.persistence();
  if (ps.child_pid != -1 && !ps.aof_child()) {
    rewrite_scheduled_ = true;
    Log(LogLevel::kWarning,
        "AOF was enabled but there is already another background operation. An AOF "
        "background was scheduled to start when possible.");
  } else if (server_.in_exec()) {
    rewrite_scheduled_ = true;
    Log(LogLevel::kWarning,
        "AOF was enabled during a transaction. An AOF background was scheduled to start when "
        "possible.");
  } else {
    // A running rewrite did not gather the writes since it forked: start over.
    if (ps.aof_child()) {
      Log(LogLevel::kWarning,
          "AOF was enabled but there is already an AOF rewriting in background. Stopping "
          "background AOF and starting a rewrite now.");
      KillRewrite();
    }
    AttachSink();
    if (!StartRewrite()) {
      state_ = AofState::kOff;
      DetachSink();
      Log(LogLevel::kWarning,
          "Redis needs to enable the AOF but can't trigger a background AOF rewrite "
          "operation. Check the above logs for more info about the error.");
      return false;
    }
  }
  AttachSink();
  last_fsync_s_ = NowSeconds();
  if (fsync_.last_error() != 0) {
    Log(LogLevel::kWarning, "AOF reopen, just ignore the AOF fsync error in bio job");
    fsync_.ClearError();
  }
  if (!last_write_ok_) {
    Log(LogLevel::kWarning, "AOF reopen, just ignore the last error.");
    last_write_ok_ = true;
  }
  return true;
}

void Aof::Stop() {
  Flush(true);
  if (fd_ >= 0) {
    if (fdatasync(fd_) != 0) {
      Log(LogLevel::kWarning, "Fail to fsync the AOF file: %s", strerror(errno));
    } else {
      last_fsync_s_ = NowSeconds();
    }
    close(fd_);
  }
  fd_ = -1;
  selected_db_ = -1;
  state_ = AofState::kOff;
  rewrite_scheduled_ = false;
  last_incr_size_ = 0;
  last_incr_fsync_offset_ = 0;
  KillRewrite();
  std::string().swap(buf_);
  DetachSink();
}

bool Aof::PrepareShutdown(bool force) {
  if (server_.persistence().aof_child()) {
    if (state_ == AofState::kWaitRewrite) {
      if (!force) {
        Log(LogLevel::kWarning, "Writing initial AOF, can't exit.");
        return false;
      }
      Log(LogLevel::kWarning, "Writing initial AOF. Exit anyway.");
    }
    Log(LogLevel::kWarning, "There is a child rewriting the AOF. Killing it!");
    KillRewrite();
  }
  if (state_ != AofState::kOff) {
    Log(LogLevel::kNotice, "Calling fsync() on the AOF file.");
    Flush(true);
    if (fd_ >= 0 && fdatasync(fd_) != 0) {
      Log(LogLevel::kWarning, "Fail to fsync the AOF file: %s.", strerror(errno));
    }
  }
  fsync_.Drain();
  return true;
}

void Aof::DeleteHistoryFiles() {
  if (server_.config().aof_disable_auto_gc || manifest_.history.empty()) return;
  for (const AofFileInfo& f : manifest_.history) {
    Log(LogLevel::kNotice, "Removing the history file %s in the background", f.name.c_str());
    unlink(AofPath(dirname(), f.name).c_str());
  }
  manifest_.history.clear();
  PersistAofManifest(manifest_, dirname(), filename());
}

void Aof::Cron() {
  const PersistenceState& ps = server_.persistence();
  // A rewrite asked for while another child ran (BGREWRITEAOF, CONFIG SET appendonly yes).
  if (ps.child_pid == -1 && rewrite_scheduled_ && !RewriteLimited()) StartRewrite();
  // Automatic rewrite once the AOF grew by auto-aof-rewrite-percentage since the last one.
  const ServerConfig& c = server_.config();
  if (state_ == AofState::kOn && ps.child_pid == -1 && c.auto_aof_rewrite_percentage != 0 &&
      current_size_ > c.auto_aof_rewrite_min_size) {
    const int64_t base = rewrite_base_size_ != 0 ? rewrite_base_size_ : 1;
    const int64_t growth = current_size_ * 100 / base - 100;
    if (growth >= c.auto_aof_rewrite_percentage && !RewriteLimited()) {
      Log(LogLevel::kNotice, "Starting automatic rewriting of AOF on %lld%% growth",
          static_cast<long long>(growth));
      StartRewrite();
    }
  }
  if (state_ == AofState::kOff) return;
  // A write postponed behind a slow fsync, or one that failed: try again.
  if (flush_postponed_start_s_ != 0 || !last_write_ok_) Flush(false);
}

bool Aof::RewriteLimited() {
  // After 3 consecutive failures automatic rewrites back off: 1, 2, 4 ... 60 minutes.
  if (rewrite_failures_ < 3) {
    next_rewrite_delay_min_ = 0;
    next_rewrite_time_s_ = 0;
    return false;
  }
  const int64_t now = NowSeconds();
  if (next_rewrite_time_s_ != 0) {
    if (now < next_rewrite_time_s_) return true;
    next_rewrite_time_s_ = 0;
    return false;
  }
  next_rewrite_delay_min_ = next_rewrite_delay_min_ == 0 ? 1 : next_rewrite_delay_min_ * 2;
  if (next_rewrite_delay_min_ > 60) next_rewrite_delay_min_ = 60;
  next_rewrite_time_s_ = now + next_rewrite_delay_min_ * 60;
  Log(LogLevel::kWarning,
      "Background AOF rewrite has repeatedly failed and triggered the limit, will retry in "
      "%d minutes",
      next_rewrite_delay_min_);
  return true;
}

bool Aof::OpenNewIncrForRewrite() {
  if (state_ == AofState::kOff) return true;
  AofManifest next = manifest_;
  const bool waiting = state_ == AofState::kWaitRewrite;
  // While turning on, writes gather in a temp file that becomes an incr only if the
  // rewrite succeeds.
  const std::string name = waiting ? TempIncrFileName(filename()) : AddNewIncr(next, filename());
  const std::string path = AofPath(dirname(), name);
  const int fd = open(path.c_str(), O_WRONLY | O_TRUNC | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    Log(LogLevel::kWarning, "Can't open the append-only file %s: %s", name.c_str(),
        strerror(errno));
    return false;
  }
  if (!waiting && !PersistAofManifest(next, dirname(), filename())) {
    close(fd);
    return false;
  }
  Log(LogLevel::kNotice, "Creating AOF incr file %s on background rewrite", name.c_str());
  // The old file's fsync can wait: under `always` it is synced already.
  if (fd_ >= 0) {
    fsync_.SubmitFsyncAndClose(fd_);
    last_fsync_s_ = NowSeconds();
  }
  fd_ = fd;
  last_incr_size_ = 0;
  last_incr_fsync_offset_ = 0;
  if (!waiting) manifest_ = std::move(next);
  return true;
}

}  // namespace basalt
