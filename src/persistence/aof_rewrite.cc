#include "persistence/aof_rewrite.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <string_view>

#include "db/database.h"
#include "persistence/aof_writer.h"
#include "persistence/background_snapshot.h"
#include "persistence/child_process.h"
#include "persistence/dataset_writer.h"
#include "persistence/dump_payload.h"
#include "persistence/function_persistence.h"
#include "persistence/rdb_writer.h"
#include "persistence/snapshot.h"
#include "server/log.h"
#include "server/propagation.h"
#include "server/server.h"

namespace basalt {
namespace {

int64_t NowSeconds() { return static_cast<int64_t>(time(nullptr)); }

class AutoSyncSink final : public RdbSink {
 public:
  AutoSyncSink(int fd, bool auto_sync) : fd_(fd), inner_(fd), auto_sync_(auto_sync) {}
  bool Write(std::string_view bytes) override {
    if (!inner_.Write(bytes)) return false;
    unsynced_ += bytes.size();
    if (auto_sync_ && unsynced_ >= kAutoSyncBytes) {
      if (fdatasync(fd_) != 0) return false;
      unsynced_ = 0;
    }
    return true;
  }
  int error() const { return inner_.error() != 0 ? inner_.error() : errno; }

 private:
  int fd_;
  FdSink inner_;
  bool auto_sync_;
  uint64_t unsynced_ = 0;
};

std::string RewriteTempFile(pid_t pid) {
  return "temp-rewriteaof-bg-" + std::to_string(pid) + ".aof";
}

void RemoveRewriteTempFiles(pid_t pid) {
  unlink(RewriteTempFile(pid).c_str());
  unlink(("temp-rewriteaof-" + std::to_string(pid) + ".aof").c_str());
}

int64_t FileSize(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 ? st.st_size : 0;
}

}  // namespace

bool WriteCommandBase(Server& server, RdbSink& sink) {
  auto writer = MakeDatasetWriter(server, sink, DatasetForm::kAofBaseCommands);
  return WriteWholeDataset(server, *writer);
}

bool WriteAofBaseFile(Server& server, const std::string& path) {
  const std::string tmp = "temp-rewriteaof-" + std::to_string(getpid()) + ".aof";
  const int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    Log(LogLevel::kWarning, "Opening the temp file for AOF rewrite in rewriteAppendOnlyFile(): %s",
        strerror(errno));
    return false;
  }
  AutoSyncSink sink(fd, server.config().aof_rewrite_incremental_fsync);
  bool ok = server.config().aof_use_rdb_preamble ? WriteDataset(server, sink, {}, true)
                                                 : WriteCommandBase(server, sink);
  int err = ok ? 0 : sink.error();
  if (ok && fsync(fd) != 0) {
    ok = false;
    err = errno;
  }
  if (close(fd) != 0 && ok) {
    ok = false;
    err = errno;
  }
  if (!ok) {
    Log(LogLevel::kWarning, "Write error writing append only file on disk: %s", strerror(err));
    unlink(tmp.c_str());
    return false;
  }
  if (rename(tmp.c_str(), path.c_str()) != 0) {
    Log(LogLevel::kWarning, "Error moving temp append only file on the final destination: %s",
        strerror(errno));
    unlink(tmp.c_str());
    return false;
  }
  return true;
}

Aof::RewriteRequest Aof::RequestRewrite() {
  const PersistenceState& ps = server_.persistence();
  if (ps.aof_child()) return RewriteRequest::kInProgress;
  if (ps.child_pid != -1 || server_.in_exec()) {
    rewrite_scheduled_ = true;
    // Asked for by hand: the back-off of failed automatic rewrites does not apply.
    rewrite_failures_ = 0;
    return RewriteRequest::kScheduled;
  }
  return StartRewrite() ? RewriteRequest::kStarted : RewriteRequest::kFailed;
}

bool Aof::StartRewrite() {
  if (server_.persistence().child_pid != -1) return false;
  const std::string& dir = dirname();
  if (mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
    Log(LogLevel::kWarning, "Can't open or create append-only dir %s: %s", dir.c_str(),
        strerror(errno));
    last_rewrite_ok_ = false;
    return false;
  }
  // The new incr file starts with a SELECT.
  selected_db_ = -1;
  Flush(true);
  if (!OpenNewIncrForRewrite()) {
    last_rewrite_ok_ = false;
    return false;
  }
  ++rewrites_;
  // Builds the (lazily made) scripting state here, so the child only reads it.
  FunctionLibrariesToSave(server_);
  if (!server_.config().snapshot_fork) {
    const ServerConfig& c = server_.config();
    auto job = BackgroundSnapshot::Start(
        server_, c.aof_use_rdb_preamble ? DatasetForm::kAofBaseRdb : DatasetForm::kAofBaseCommands,
        RewriteTempFile(getpid()), /*final_path=*/"", c.aof_rewrite_incremental_fsync);
    if (job == nullptr) {
      last_rewrite_ok_ = false;
      Log(LogLevel::kWarning,
          "Opening the temp file for AOF rewrite in rewriteAppendOnlyFile(): %s",
          strerror(errno));
      return false;
    }
    StartInProcessChild(server_, PersistenceChild::kAof, std::move(job));
    Log(LogLevel::kNotice, "Background append only file rewriting started");
    rewrite_scheduled_ = false;
    rewrite_time_start_s_ = NowSeconds();
    return true;
  }
  uint64_t keys_total = 0;
  for (int i = 0; i < server_.db_count(); ++i) keys_total += server_.db(i).size();
  Server& server = server_;
  const pid_t pid = ForkPersistenceChild(
      server_, PersistenceChild::kAof, keys_total, [&server, keys_total](ChildReporter& r) {
        const std::string tmp = RewriteTempFile(getpid());
        if (!WriteAofBaseFile(server, tmp)) return false;
        Log(LogLevel::kNotice, "Successfully created the temporary AOF base file %s", tmp.c_str());
        r.Final(keys_total);
        return true;
      });
  if (pid < 0) {
    last_rewrite_ok_ = false;
    Log(LogLevel::kWarning, "Can't rewrite append only file in background: fork: %s",
        strerror(errno));
    return false;
  }
  Log(LogLevel::kNotice, "Background append only file rewriting started by pid %ld",
      static_cast<long>(pid));
  rewrite_scheduled_ = false;
  rewrite_time_start_s_ = NowSeconds();
  return true;
}

void Aof::KillRewrite() {
  if (!server_.persistence().aof_child()) return;
  Log(LogLevel::kNotice, "Killing running AOF rewrite child: %ld",
      static_cast<long>(server_.persistence().child_pid));
  KillPersistenceChild(server_);  // runs RewriteDone, which removes the temp files
  rewrite_time_start_s_ = -1;
}

void Aof::RewriteDone(pid_t pid, int status) {
  const bool by_signal = !WIFEXITED(status);
  const int exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 0;
  const int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  if (!by_signal && exit_code == 0) {
    Log(LogLevel::kNotice, "Background AOF rewrite terminated with success");
    const std::string tmp = RewriteTempFile(pid);
    AofManifest next = manifest_;
    const std::string base = AddNewBase(next, filename(), server_.config().aof_use_rdb_preamble);
    const std::string base_path = AofPath(dirname(), base);
    bool ok = true;
    if (rename(tmp.c_str(), base_path.c_str()) != 0) {
      Log(LogLevel::kWarning, "Error trying to rename the temporary AOF base file %s into %s: %s",
          tmp.c_str(), base_path.c_str(), strerror(errno));
      ok = false;
    } else {
      Log(LogLevel::kNotice, "Successfully renamed the temporary AOF base file %s into %s",
          tmp.c_str(), base.c_str());
    }
    std::string incr_path;
    if (ok && state_ == AofState::kWaitRewrite) {
      // The writes gathered while turning on become the first incr file.
      const std::string temp_incr = TempIncrFileName(filename());
      const std::string temp_path = AofPath(dirname(), temp_incr);
      const std::string incr = AddNewIncr(next, filename());
      incr_path = AofPath(dirname(), incr);
      if (rename(temp_path.c_str(), incr_path.c_str()) != 0) {
        Log(LogLevel::kWarning, "Error trying to rename the temporary AOF incr file %s into %s: %s",
            temp_path.c_str(), incr_path.c_str(), strerror(errno));
        unlink(base_path.c_str());
        incr_path.clear();
        ok = false;
      } else {
        Log(LogLevel::kNotice, "Successfully renamed the temporary AOF incr file %s into %s",
            temp_incr.c_str(), incr.c_str());
      }
    }
    if (ok) {
      MarkRewrittenIncrsAsHistory(next, /*keep_last=*/fd_ >= 0);
      // The switch: from here the manifest on disk names the new base.
      if (!PersistAofManifest(next, dirname(), filename())) {
        unlink(base_path.c_str());
        if (!incr_path.empty()) unlink(incr_path.c_str());
        ok = false;
      }
    }
    if (ok) {
      manifest_ = std::move(next);
      if (state_ != AofState::kOff) {
        current_size_ = FileSize(base_path) + last_incr_size_;
        rewrite_base_size_ = current_size_;
      }
      DeleteHistoryFiles();
      last_rewrite_ok_ = true;
      rewrite_failures_ = 0;
      Log(LogLevel::kNotice, "Background AOF rewrite finished successfully");
      if (state_ == AofState::kWaitRewrite) state_ = AofState::kOn;
    } else {
      last_rewrite_ok_ = false;
      ++rewrite_failures_;
    }
  } else if (!by_signal) {
    last_rewrite_ok_ = false;
    ++rewrite_failures_;
    Log(LogLevel::kWarning, "Background AOF rewrite terminated with error");
  } else {
    // SIGUSR1 is how the server itself stops a child: not a failure.
    if (sig != SIGUSR1) {
      last_rewrite_ok_ = false;
      ++rewrite_failures_;
    }
    Log(LogLevel::kWarning, "Background AOF rewrite terminated by signal %d", sig);
  }
  RemoveRewriteTempFiles(pid);
  if (state_ == AofState::kWaitRewrite) {
    // Still not on: what the temp incr gathered is useless without the base.
    std::string().swap(buf_);
    Log(LogLevel::kNotice, "Removing the temp incr aof file %s in the background",
        TempIncrFileName(filename()).c_str());
    unlink(AofPath(dirname(), TempIncrFileName(filename())).c_str());
  }
  rewrite_time_last_s_ = rewrite_time_start_s_ >= 0 ? NowSeconds() - rewrite_time_start_s_ : -1;
  rewrite_time_start_s_ = -1;
  // A rewrite started while turning on failed: try again from the cron.
  if (state_ == AofState::kWaitRewrite) rewrite_scheduled_ = true;
}

void AofRewriteDone(Server& server, pid_t pid, int status) {
  server.aof().RewriteDone(pid, status);
}

}  // namespace basalt
