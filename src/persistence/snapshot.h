// Snapshots: saving the whole dataset to the RDB file (SAVE, BGSAVE, the `save` rules, SHUTDOWN,
// FLUSHALL, DEBUG RELOAD) and loading it (startup, DEBUG RELOAD), with Redis 7.0's behaviour
// and log lines.
//
// Saving writes `temp-<pid>.rdb` in the working directory (the server chdirs to `dir`),
// fsyncs it and renames it over `dbfilename`, so the file is always a complete snapshot.
// BGSAVE forks: the child writes from its copy-on-write image of the dataset and exits with
// 0 or 1; the parent reaps it from the cron (waitpid WNOHANG) and records the outcome.
// A fork-less alternative (not built) would snapshot incrementally: mark every key with a
// save epoch, serialize a bounded number of buckets per event loop turn, and have writes to
// keys not yet serialized in the current epoch serialize the old value first (as Dragonfly
// does), trading the fork's copy-on-write memory for per-write bookkeeping.
//
// Loading reads the file into staging databases and swaps them in only when the whole file
// parsed and its checksum matched: a corrupt or truncated file changes nothing.
//
// All functions run on the execution thread (the BGSAVE child excepted, which only writes).
#pragma once

#include <sys/types.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "persistence/rdb_reader.h"
#include "persistence/rdb_writer.h"

namespace basalt {

class Server;
struct CommandSpec;
struct ServerConfig;

// The encoding thresholds a loaded value is converted by (the server's *-max-listpack-*,
// intset and stream node settings): one place for RDB files and RESTORE payloads.
RdbLoadLimits RdbLoadLimitsOf(const ServerConfig& c);
// How values are written at `now_ms` (rdbcompression, stream node sizes): one place for RDB
// files, DUMP and MIGRATE.
RdbSaveOptions RdbSaveOptionsOf(const ServerConfig& c, int64_t now_ms);

// Writes the whole dataset as an RDB file into `sink` (aux fields, functions, databases).
// `progress`, if given, is called after each key with the number of keys written so far.
// `aof_base`: the image is an AOF base (aux aof-base 1, as Redis's RDBFLAGS_AOF_PREAMBLE).
bool WriteDataset(Server& server, RdbSink& sink,
                  const std::function<void(uint64_t keys_done)>& progress = {},
                  bool aof_base = false);

// SAVE: writes the dataset to `filename` (via temp-<pid>.rdb). On success resets the dirty
// counter and LASTSAVE. Logs failures as Redis does.
bool SaveRdbFile(Server& server, const std::string& filename);

// kOtherChild: an AOF rewrite child runs (BGSAVE SCHEDULE waits for it).
enum class BgsaveStart { kStarted, kInProgress, kOtherChild, kFailed };
// BGSAVE: forks a child that saves to `dbfilename`.
BgsaveStart StartBackgroundSave(Server& server);
// Stops a running BGSAVE child (SIGUSR1: not counted as a failure), waits for it and removes
// its temp file. No-op without a child.
void KillBackgroundSave(Server& server);

// The BGSAVE child `pid` exited with `status` (child_process.h): records the outcome.
void BackgroundSaveDone(Server& server, pid_t pid, int status);

// Called from the server cron: reaps a finished child, then starts a scheduled BGSAVE or one
// a `save <seconds> <changes>` rule asks for.
void PersistenceCron(Server& server);

// The MISCONF error when the last BGSAVE failed, stop-writes-on-bgsave-error is on and save
// points exist, for write commands (and PING, as Redis); nullopt otherwise.
std::optional<std::string_view> DiskErrorRejection(Server& server, const CommandSpec& spec);

// LASTSAVE: unix seconds of the last successful save (the start time until one happens).
int64_t LastSaveTime(Server& server);

struct RdbFileLoad {
  bool ok = false;
  bool missing = false;  // the file does not exist (not an error at startup)
  bool interrupted = false;  // a shutdown was requested while loading
  std::string error;     // includes the offset for corrupt files
  RdbLoadStats stats;
  size_t end_offset = 0;  // where the RDB image ended (an old AOF's command tail follows)
};
// Loads `path` into the server. replace_all: the file's keys replace the dataset (startup,
// DEBUG RELOAD); otherwise they are merged in, overwriting keys of the same name (DEBUG
// RELOAD MERGE). Nothing changes unless the whole file loads. serve_clients: clients are
// served between chunks meanwhile (INFO loading:1, -LOADING for most commands).
RdbFileLoad LoadRdbFile(Server& server, const std::string& path, bool replace_all,
                        bool serve_clients = false);

// Reads `path` whole into *out. On failure sets *err to errno.
bool ReadWholeFile(const std::string& path, std::string* out, int* err);

// At startup: loads `dbfilename` if present, logging as Redis. Returns false (after logging
// "Fatal error loading the DB ...") when the file exists but cannot be loaded.
bool LoadDataAtStartup(Server& server);

// Before exiting (SHUTDOWN, SIGTERM/SIGINT): stops a BGSAVE child, then saves when `save` is
// forced, or when save points exist and `nosave` is not given. Returns false if a needed
// save failed (SHUTDOWN then refuses unless FORCE).
// With AOF on, first writes and fsyncs it (refusing, unless `force`, while AOF waits for its
// first rewrite).
bool SaveBeforeShutdown(Server& server, bool save, bool nosave, bool force = false);

// FLUSHALL's persistence side (Redis's flushAllDataAndResetRDB): kills a BGSAVE child, and
// with save points rewrites the (now empty) RDB file without resetting the dirty counter.
// Returns whether it saved (the dirty counter is then 0).
bool AfterFlushAll(Server& server);

}  // namespace basalt
