#include "persistence/snapshot.h"

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <vector>

#include "db/access_clock.h"
#include "db/database.h"
#include "persistence/aof_writer.h"
#include "persistence/background_snapshot.h"
#include "persistence/child_process.h"
#include "persistence/dataset_writer.h"
#include "persistence/function_persistence.h"
#include "server/command.h"
#include "server/log.h"
#include "server/server.h"
#include "util/memory.h"

namespace basalt {
namespace {

// Redis's CONFIG_BGSAVE_RETRY_DELAY: seconds before a failed BGSAVE is retried by the rules.
constexpr int64_t kBgsaveRetryDelay = 5;

constexpr std::string_view kMisconf =
    "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist "
    "to disk. Commands that may modify the data set are disabled, because this instance is "
    "configured to report errors during writes if RDB snapshotting fails "
    "(stop-writes-on-bgsave-error option). Please check the Redis logs for details about the "
    "RDB error.";

int64_t NowSeconds() { return static_cast<int64_t>(time(nullptr)); }

std::string Cwd() {
  char buf[PATH_MAX];
  return getcwd(buf, sizeof(buf)) != nullptr ? std::string(buf) : std::string("unknown");
}

std::string TempFileName(pid_t pid) { return "temp-" + std::to_string(pid) + ".rdb"; }


}  // namespace

RdbSaveOptions RdbSaveOptionsOf(const ServerConfig& c, int64_t now_ms) {
  RdbSaveOptions opts;
  opts.compress = c.rdbcompression;
  opts.now_ms = now_ms;
  opts.stream_node_max_bytes = static_cast<size_t>(c.stream_node_max_bytes);
  opts.stream_node_max_entries = c.stream_node_max_entries;
  return opts;
}

RdbLoadLimits RdbLoadLimitsOf(const ServerConfig& c) {
  RdbLoadLimits l;
  l.list.max_listpack_size = c.list_max_listpack_size;
  l.list.compress_depth = c.list_compress_depth;
  l.set.max_intset_entries = c.set_max_intset_entries;
  l.set.max_listpack_entries = c.set_max_listpack_entries;
  l.set.max_listpack_value = c.set_max_listpack_value;
  l.hash.max_listpack_entries = static_cast<size_t>(c.hash_max_listpack_entries);
  l.hash.max_listpack_value = static_cast<size_t>(c.hash_max_listpack_value);
  l.zset.max_listpack_entries = static_cast<size_t>(c.zset_max_listpack_entries);
  l.zset.max_listpack_value = static_cast<size_t>(c.zset_max_listpack_value);
  l.stream_node_max_bytes = static_cast<size_t>(c.stream_node_max_bytes);
  l.stream_node_max_entries = c.stream_node_max_entries;
  return l;
}

namespace {

// Collects a file's keys and libraries in databases of its own until the load is complete.
class StagingTarget final : public RdbLoadTarget {
 public:
  // serve_clients: process client events every loading-process-events-interval-bytes
  // (startup only: DEBUG RELOAD runs inside a command).
  StagingTarget(Server& server, bool serve_clients)
      : server_(server), serve_clients_(serve_clients) {
    dbs_.reserve(server.db_count());
    for (int i = 0; i < server.db_count(); ++i) dbs_.emplace_back(i, &stats_);
    clock_ = server.lru_clock();
    lfu_ = IsLfuPolicy(server.config().eviction_policy);
    lru_ = IsLruPolicy(server.config().eviction_policy);
  }

  bool HasDb(uint64_t db) override { return db < dbs_.size(); }

  void OnAux(std::string_view name, std::string_view value) override {
    std::string v(value);
    if (name == "redis-ver") {
      Log(LogLevel::kNotice, "Loading RDB produced by version %s", v.c_str());
    } else if (name == "ctime") {
      int64_t age = NowSeconds() - std::strtoll(v.c_str(), nullptr, 10);
      Log(LogLevel::kNotice, "RDB age %lld seconds", static_cast<long long>(age < 0 ? 0 : age));
    } else if (name == "used-mem") {
      Log(LogLevel::kNotice, "RDB memory usage when created %.2f Mb",
          static_cast<double>(std::strtoll(v.c_str(), nullptr, 10)) / (1024 * 1024));
    } else if (name == "aof-base" && std::strtoll(v.c_str(), nullptr, 10) != 0) {
      Log(LogLevel::kNotice, "RDB is base AOF");
    } else if (!name.empty() && name[0] == '%') {
      Log(LogLevel::kNotice, "RDB '%s': %s", std::string(name).c_str(), v.c_str());
    }
  }

  bool OnFunction(std::string_view code, std::string* error) override {
    functions_.emplace_back(code);
    return true;
  }

  bool OnKey(uint64_t db, std::string key, Value value, int64_t expire_ms, int64_t idle,
             int freq, std::string* error) override {
    Database& d = dbs_[db];
    if (d.FindRaw(key) != nullptr) {
      *error = "RDB has duplicated key '" + key + "' in DB " + std::to_string(db);
      return false;
    }
    uint32_t clock = static_cast<uint32_t>(clock_);
    if (lfu_ && freq >= 0) {
      clock = static_cast<uint32_t>((((server_.now_ms() / 1000 / 60) & 0xFFFF) << 8) | freq);
    } else if (lru_ && idle >= 0) {
      const uint64_t idle_clock = static_cast<uint64_t>(idle) & 0xFFFFFF;
      clock = static_cast<uint32_t>(clock_ >= idle_clock ? clock_ - idle_clock
                                                         : (1 << 24) - (idle_clock - clock_));
    }
    value.set_lru(clock);
    d.Add(key, std::move(value), expire_ms);
    return true;
  }

  bool OnProgress(size_t offset) override {
    const ServerConfig& c = server_.config();
    if (c.key_load_delay > 0) usleep(static_cast<useconds_t>(c.key_load_delay));
    if (serve_clients_ &&
        offset - events_offset_ >= static_cast<size_t>(c.loading_process_events_interval_bytes)) {
      events_offset_ = offset;
      server_.ProcessEventsWhileLoading();
      // SIGTERM / SHUTDOWN while loading: stop here (the caller exits without saving).
      if (server_.loop().stopping()) {
        interrupted_ = true;
        return false;
      }
    }
    return true;
  }
  bool interrupted() const { return interrupted_; }

  // Makes the staged data the server's. Returns false (changing nothing) if a function
  // library is refused by the scripting hook.
  bool Commit(bool replace_all, std::string* error) {
    if (!LoadFunctionLibraries(server_, functions_, replace_all, error)) return false;
    for (int i = 0; i < server_.db_count(); ++i) {
      if (replace_all) {
        server_.db(i).SwapWith(dbs_[i]);
        continue;
      }
      Database& dest = server_.db(i);
      dbs_[i].ForEach([&](DbEntry* e) {
        dest.Set(e->key(), std::move(e->value), server_.now_ms());
        DbEntry* added = dest.FindRaw(e->key());
        if (added != nullptr) dest.SetExpire(added, e->expire_ms());
      });
    }
    return true;
  }

 private:
  Server& server_;
  bool serve_clients_;
  bool interrupted_ = false;
  size_t events_offset_ = 0;
  KeyspaceStats stats_;
  std::vector<Database> dbs_;
  std::vector<std::string> functions_;
  uint64_t clock_;
  bool lfu_;
  bool lru_;
};

// Writes the dataset to `tmp` and renames it to `filename`. Logs failures as Redis.
bool WriteRdbFile(Server& server, const std::string& filename, const std::string& tmp,
                  const std::function<void(uint64_t)>& progress = {}) {
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    Log(LogLevel::kWarning,
        "Failed opening the temp RDB file %s (in server root dir %s) for saving: %s",
        tmp.c_str(), Cwd().c_str(), strerror(errno));
    return false;
  }
  FdSink sink(fd);
  const char* op = nullptr;
  if (!WriteDataset(server, sink, progress)) {
    op = "rdbSaveRio";
    errno = sink.error();
  } else if (fsync(fd) != 0) {
    op = "fsync";
  }
  if (close(fd) != 0 && op == nullptr) op = "fclose";
  if (op != nullptr) {
    Log(LogLevel::kWarning, "Write error saving DB on disk(%s): %s", op, strerror(errno));
    unlink(tmp.c_str());
    return false;
  }
  if (rename(tmp.c_str(), filename.c_str()) != 0) {
    Log(LogLevel::kWarning,
        "Error moving temp DB file %s on the final destination %s (in server root dir %s): %s",
        tmp.c_str(), filename.c_str(), Cwd().c_str(), strerror(errno));
    unlink(tmp.c_str());
    return false;
  }
  return true;
}

}  // namespace

bool WriteDataset(Server& server, RdbSink& sink,
                  const std::function<void(uint64_t keys_done)>& progress, bool aof_base) {
  auto writer =
      MakeDatasetWriter(server, sink, aof_base ? DatasetForm::kAofBaseRdb : DatasetForm::kRdb);
  return WriteWholeDataset(server, *writer, progress);
}

void BackgroundSaveDone(Server& server, pid_t pid, int status) {
  PersistenceState& ps = server.persistence();
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    Log(LogLevel::kNotice, "Background saving terminated with success");
    KeyspaceStats& ks = server.keyspace_stats();
    ks.dirty = ks.dirty >= ps.dirty_before_bgsave ? ks.dirty - ps.dirty_before_bgsave : 0;
    ps.lastsave_s = NowSeconds();
    ps.last_bgsave_ok = true;
  } else if (WIFEXITED(status)) {
    Log(LogLevel::kWarning, "Background saving error");
    ps.last_bgsave_ok = false;
  } else {
    const int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    Log(LogLevel::kWarning, "Background saving terminated by signal %d", sig);
    unlink(TempFileName(pid).c_str());
    // SIGUSR1 is how the server itself stops a child: not a failure.
    if (sig != SIGUSR1) ps.last_bgsave_ok = false;
  }
  ps.last_bgsave_time_sec = (EventLoop::NowMs() - ps.child_start_ms) / 1000;
}

bool SaveRdbFile(Server& server, const std::string& filename) {
  PersistenceState& ps = server.persistence();
  if (!WriteRdbFile(server, filename, TempFileName(getpid()))) return false;
  Log(LogLevel::kNotice, "DB saved on disk");
  server.keyspace_stats().dirty = 0;
  ps.lastsave_s = NowSeconds();
  ps.last_bgsave_ok = true;
  return true;
}

BgsaveStart StartBackgroundSave(Server& server) {
  PersistenceState& ps = server.persistence();
  if (ps.rdb_child()) return BgsaveStart::kInProgress;
  if (ps.child_pid != -1) return BgsaveStart::kOtherChild;
  ++ps.saves;
  ps.dirty_before_bgsave = server.keyspace_stats().dirty;
  ps.last_bgsave_try_s = NowSeconds();
  const std::string filename = server.config().dbfilename;
  // Builds the (lazily made) scripting state here, so the child only reads it.
  FunctionLibrariesToSave(server);
  if (!server.config().snapshot_fork) {
    // The server's pid would name the temp file of a SAVE (DEBUG RELOAD) meanwhile.
    const std::string tmp = "temp-bgsave-" + std::to_string(getpid()) + ".rdb";
    auto job = BackgroundSnapshot::Start(server, DatasetForm::kRdb, tmp, filename,
                                         server.config().rdb_save_incremental_fsync);
    if (job == nullptr) {
      ps.last_bgsave_ok = false;
      Log(LogLevel::kWarning,
          "Failed opening the temp RDB file %s (in server root dir %s) for saving: %s",
          tmp.c_str(), Cwd().c_str(), strerror(errno));
      return BgsaveStart::kFailed;
    }
    StartInProcessChild(server, PersistenceChild::kRdb, std::move(job));
    Log(LogLevel::kNotice, "Background saving started");
    return BgsaveStart::kStarted;
  }
  uint64_t keys_total = 0;
  for (int i = 0; i < server.db_count(); ++i) keys_total += server.db(i).size();
  const pid_t pid = ForkPersistenceChild(
      server, PersistenceChild::kRdb, keys_total, [&](ChildReporter& reporter) {
        const bool ok = WriteRdbFile(server, filename, TempFileName(getpid()),
                                     [&](uint64_t keys) { reporter.Progress(keys); });
        if (ok) Log(LogLevel::kNotice, "DB saved on disk");
        reporter.Final(keys_total);
        return ok;
      });
  if (pid < 0) {
    ps.last_bgsave_ok = false;
    Log(LogLevel::kWarning, "Can't save in background: fork: %s", strerror(errno));
    return BgsaveStart::kFailed;
  }
  Log(LogLevel::kNotice, "Background saving started by pid %d", static_cast<int>(pid));
  return BgsaveStart::kStarted;
}

void KillBackgroundSave(Server& server) {
  if (server.persistence().rdb_child()) KillPersistenceChild(server);
}

void PersistenceCron(Server& server) {
  PersistenceState& ps = server.persistence();
  ChildCron(server);
  if (ps.child_pid != -1) return;
  const int64_t now = NowSeconds();
  const bool retry_ok = now - ps.last_bgsave_try_s > kBgsaveRetryDelay || ps.last_bgsave_ok;
  if (ps.bgsave_scheduled && retry_ok) {
    if (StartBackgroundSave(server) == BgsaveStart::kStarted) ps.bgsave_scheduled = false;
    return;
  }
  const uint64_t dirty = server.keyspace_stats().dirty;
  for (const SaveParam& sp : server.config().save_params) {
    if (dirty >= static_cast<uint64_t>(sp.changes) && now - LastSaveTime(server) > sp.seconds &&
        retry_ok) {
      Log(LogLevel::kNotice, "%d changes in %d seconds. Saving...", sp.changes,
          static_cast<int>(sp.seconds));
      StartBackgroundSave(server);
      break;
    }
  }
}

std::optional<std::string_view> DiskErrorRejection(Server& server, const CommandSpec& spec) {
  const PersistenceState& ps = server.persistence();
  if (ps.last_bgsave_ok || !server.config().stop_writes_on_bgsave_error ||
      server.config().save_params.empty()) {
    // Then a failed AOF write or fsync (Redis's DISK_ERROR_TYPE_AOF).
    if (!server.aof().enabled() || !(spec.has(kCmdWrite) || spec.name == "ping")) {
      return std::nullopt;
    }
    std::string_view aof_error = server.aof().WriteErrorRejection();
    if (aof_error.empty()) return std::nullopt;
    return aof_error;
  }
  if (spec.has(kCmdWrite) || spec.name == "ping") return kMisconf;
  return std::nullopt;
}

int64_t LastSaveTime(Server& server) {
  PersistenceState& ps = server.persistence();
  if (ps.lastsave_s == 0) ps.lastsave_s = server.start_time_ms() / 1000;
  return ps.lastsave_s;
}

bool ReadWholeFile(const std::string& path, std::string* out, int* err) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *err = errno;
    return false;
  }
  struct stat st;
  if (fstat(fd, &st) == 0 && st.st_size > 0) out->reserve(static_cast<size_t>(st.st_size));
  char buf[1 << 16];
  while (true) {
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n < 0) {
      if (errno == EINTR) continue;
      *err = errno;
      close(fd);
      return false;
    }
    if (n == 0) break;
    out->append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return true;
}

RdbFileLoad LoadRdbFile(Server& server, const std::string& path, bool replace_all,
                        bool serve_clients) {
  RdbFileLoad result;
  std::string image;
  int err = 0;
  if (!ReadWholeFile(path, &image, &err)) {
    result.missing = err == ENOENT;
    result.error = strerror(err);
    return result;
  }
  PersistenceState& ps = server.persistence();
  ps.loading = true;
  RdbLoadOptions opts;
  opts.limits = RdbLoadLimitsOf(server.config());
  opts.verify_checksum = server.config().rdbchecksum;
  opts.now_ms = EventLoop::NowMs();
  StagingTarget staging(server, serve_clients);
  RdbLoadResult r = LoadRdb(image, opts, staging);
  ps.loading = false;
  result.stats = r.stats;
  result.end_offset = r.offset;
  result.interrupted = staging.interrupted();
  if (!r.ok) {
    result.error = r.error + " at offset " + std::to_string(r.offset);
    return result;
  }
  std::string error;
  if (!staging.Commit(replace_all, &error)) {
    result.error = "failed loading library: " + error;
    return result;
  }
  ps.last_load_keys_loaded = r.stats.keys_loaded;
  ps.last_load_keys_expired = r.stats.keys_expired;
  if (r.stats.empty_keys_skipped > 0) {
    Log(LogLevel::kWarning,
        "Done loading RDB, keys loaded: %llu, keys expired: %llu, empty keys skipped: %llu.",
        static_cast<unsigned long long>(r.stats.keys_loaded),
        static_cast<unsigned long long>(r.stats.keys_expired),
        static_cast<unsigned long long>(r.stats.empty_keys_skipped));
  } else {
    Log(LogLevel::kNotice, "Done loading RDB, keys loaded: %llu, keys expired: %llu.",
        static_cast<unsigned long long>(r.stats.keys_loaded),
        static_cast<unsigned long long>(r.stats.keys_expired));
  }
  result.ok = true;
  return result;
}

bool LoadDataAtStartup(Server& server) {
  const int64_t start_us = EventLoop::NowUs();
  const std::string& filename = server.config().dbfilename;
  RdbFileLoad r = LoadRdbFile(server, filename, /*replace_all=*/true, /*serve_clients=*/true);
  server.persistence().lastsave_s = NowSeconds();  // at startup the dataset counts as saved
  if (r.ok) {
    Log(LogLevel::kNotice, "DB loaded from disk: %.3f seconds",
        static_cast<double>(EventLoop::NowUs() - start_us) / 1e6);
    return true;
  }
  if (r.missing) return true;
  if (r.interrupted) {
    // As Redis: a shutdown requested while loading exits at once, saving nothing (the
    // dataset in memory is incomplete; the file on disk stays as it was).
    Log(LogLevel::kWarning, "Shutdown requested while loading the DB. Exiting now.");
    std::exit(0);
  }
  Log(LogLevel::kWarning, "Fatal error loading the DB: %s. Exiting.", r.error.c_str());
  return false;
}

bool SaveBeforeShutdown(Server& server, bool save, bool nosave, bool force) {
  PersistenceState& ps = server.persistence();
  if (ps.rdb_child()) {
    Log(LogLevel::kWarning, "There is a child saving an .rdb. Killing it!");
    KillBackgroundSave(server);
  }
  // The AOF first: stop a rewrite, write and fsync what is buffered.
  if (!server.aof().PrepareShutdown(force)) return false;
  if (nosave || (!save && server.config().save_params.empty())) return true;
  Log(LogLevel::kNotice, "Saving the final RDB snapshot before exiting.");
  if (!SaveRdbFile(server, server.config().dbfilename)) {
    Log(LogLevel::kWarning, "Error trying to save the DB, can't exit.");
    return false;
  }
  return true;
}

bool AfterFlushAll(Server& server) {
  KillBackgroundSave(server);
  if (server.config().save_params.empty()) return false;
  return SaveRdbFile(server, server.config().dbfilename);
}

}  // namespace basalt
