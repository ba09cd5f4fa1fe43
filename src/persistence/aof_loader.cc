#include "persistence/aof_loader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <memory>
#include <string_view>

#include "persistence/aof_command_reader.h"
#include "persistence/aof_manifest.h"
#include "persistence/aof_writer.h"
#include "persistence/snapshot.h"
#include "server/log.h"
#include "server/server.h"
#include "util/strconv.h"

namespace basalt {
namespace {

// Commands replayed between two rounds of serving clients (Redis: every 1024 loops).
constexpr uint64_t kCommandsPerEventRound = 1024;
// Redis's CLIENT_ID_AOF.
constexpr uint64_t kAofClientId = UINT64_MAX;

bool DirExists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool FileExists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

double SecondsSince(int64_t start_us) {
  return static_cast<double>(EventLoop::NowUs() - start_us) / 1e6;
}

// Redis's aofUpgradePrepare: moves an `appendfilename` from Redis < 7 into the directory as
// the base of a new manifest. Returns false after logging why.
bool UpgradeOldAof(Server& server, AofManifest& m) {
  const std::string& dir = server.config().appenddirname;
  const std::string& name = server.config().appendfilename;
  if (mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
    Log(LogLevel::kWarning, "Can't open or create append-only dir %s: %s", dir.c_str(),
        strerror(errno));
    return false;
  }
  m.base = AofFileInfo{name, 1, 'b'};
  m.base_seq = 1;
  if (!PersistAofManifest(m, dir, name)) return false;
  if (rename(name.c_str(), AofPath(dir, name).c_str()) != 0) {
    Log(LogLevel::kWarning, "Error trying to move the old AOF file %s into dir %s: %s",
        name.c_str(), dir.c_str(), strerror(errno));
    return false;
  }
  Log(LogLevel::kNotice,
      "Successfully migrated an old-style AOF file (%s) into the AOF directory (%s).", name.c_str(),
      dir.c_str());
  return true;
}

// Replays one file. `aof_client` runs the commands.
// `in_command`: DEBUG LOADAOF; clients are then served without freeing any (the caller is
// on the stack).
AofLoadStatus LoadSingleFile(Server& server, Client& aof_client, const std::string& name,
                             bool in_command) {
  const ServerConfig& c = server.config();
  const std::string path = AofPath(c.appenddirname, name);
  // The size and the first bytes first: an RDB base is read by LoadRdbFile, not here too.
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) {
    const int err = errno;
    if (fd >= 0) close(fd);
    if (err == ENOENT) {
      Log(LogLevel::kWarning, "The append log file %s doesn't exist: %s", name.c_str(),
          strerror(err));
      return AofLoadStatus::kNotExist;
    }
    Log(LogLevel::kWarning, "Fatal error: can't open the append log file %s for reading: %s",
        name.c_str(), strerror(err));
    return AofLoadStatus::kOpenError;
  }
  char sig[5];
  const bool rdb = pread(fd, sig, sizeof(sig), 0) == 5 && std::memcmp(sig, "REDIS", 5) == 0;
  close(fd);
  if (st.st_size == 0) return AofLoadStatus::kEmpty;
  PersistenceState& ps = server.persistence();
  size_t start = 0;
  if (rdb) {
    // An RDB base, or a Redis < 7 AOF with an RDB preamble and commands after it.
    const bool old_style = name == c.appendfilename;
    Log(LogLevel::kNotice, old_style ? "Reading RDB preamble from AOF file..."
                                     : "Reading RDB base file on AOF loading...");
    RdbFileLoad r = LoadRdbFile(server, path, /*replace_all=*/true, !in_command);
    ps.loading = true;
    if (!r.ok) {
      if (r.interrupted) {
        Log(LogLevel::kWarning, "Shutdown requested while loading the DB. Exiting now.");
        std::exit(0);
      }
      Log(LogLevel::kWarning, "%s", r.error.c_str());
      Log(LogLevel::kWarning,
          old_style ? "Error reading the RDB preamble of the AOF file %s, AOF loading aborted"
                    : "Error reading the RDB base file %s, AOF loading aborted",
          name.c_str());
      return AofLoadStatus::kFailed;
    }
    start = r.end_offset;
    if (old_style) Log(LogLevel::kNotice, "Reading the remaining AOF tail...");
    if (start >= static_cast<size_t>(st.st_size)) return AofLoadStatus::kOk;
  }
  std::string image;
  int err = 0;
  if (!ReadWholeFile(path, &image, &err)) {
    Log(LogLevel::kWarning, "Unrecoverable error reading the append only file %s: %s", name.c_str(),
        strerror(err));
    return AofLoadStatus::kFailed;
  }

  AofCommandReader reader(image, start);
  size_t valid_up_to = start;
  size_t valid_before_multi = start;
  uint64_t loops = 0;
  AofCommandReader::Status status;
  while ((status = reader.Next()) == AofCommandReader::Status::kCommand) {
    if (++loops % kCommandsPerEventRound == 0) {
      if (in_command) {
        server.ProcessEventsWhileBlocked();
      } else {
        server.ProcessEventsWhileLoading();
      }
      if (server.loop().stopping()) {
        Log(LogLevel::kWarning, "Shutdown requested while loading the DB. Exiting now.");
        std::exit(0);
      }
    }
    const std::vector<std::string_view>& argv = reader.argv();
    if (server.commands().Find(argv[0]) == nullptr) {
      Log(LogLevel::kWarning, "Unknown command '%s' reading the append only file %s",
          std::string(argv[0]).c_str(), name.c_str());
      return AofLoadStatus::kFailed;
    }
    if (EqualsIgnoreCase(argv[0], "multi")) valid_before_multi = valid_up_to;
    server.Execute(&aof_client, argv);
    aof_client.reply_buf.clear();
    aof_client.reply_sent = 0;
    valid_up_to = reader.offset();
    if (c.key_load_delay > 0) usleep(static_cast<useconds_t>(c.key_load_delay));
  }
  if (status == AofCommandReader::Status::kEof) {
    if (aof_client.multi == nullptr) return AofLoadStatus::kOk;
    // The file ends inside MULTI ... EXEC: the transaction never completed. Drop it, as a
    // file cut short.
    Log(LogLevel::kWarning, "Revert incomplete MULTI/EXEC transaction in AOF file %s",
        name.c_str());
    server.DiscardTransaction(&aof_client);
    valid_up_to = valid_before_multi;
    status = AofCommandReader::Status::kTruncated;
  }
  if (status == AofCommandReader::Status::kFormatError) {
    Log(LogLevel::kWarning, "Bad command in the append only file %s at offset %zu", name.c_str(),
        reader.error_offset());
    Log(LogLevel::kWarning,
        "Bad file format reading the append only file %s: make a backup of your AOF file, then "
        "use ./redis-check-aof --fix <filename.manifest>",
        name.c_str());
    return AofLoadStatus::kFailed;
  }
  // Cut short. Inside MULTI the cut goes before it, so that the file never ends in a
  // transaction that later appends would land in.
  if (aof_client.multi != nullptr) {
    server.DiscardTransaction(&aof_client);
    valid_up_to = valid_before_multi;
  }
  if (c.aof_load_truncated) {
    Log(LogLevel::kWarning, "!!! Warning: short read while loading the AOF file %s!!!",
        name.c_str());
    Log(LogLevel::kWarning, "!!! Truncating the AOF %s at offset %llu !!!", name.c_str(),
        static_cast<unsigned long long>(valid_up_to));
    if (truncate(path.c_str(), static_cast<off_t>(valid_up_to)) != 0) {
      Log(LogLevel::kWarning, "Error truncating the AOF file %s: %s", name.c_str(),
          strerror(errno));
    } else {
      Log(LogLevel::kWarning, "AOF %s loaded anyway because aof-load-truncated is enabled",
          name.c_str());
      return AofLoadStatus::kTruncated;
    }
  }
  Log(LogLevel::kWarning, "Unexpected end of file reading the append only file %s at offset %zu",
      name.c_str(), valid_up_to);
  Log(LogLevel::kWarning,
      "Unexpected end of file reading the append only file %s. You can: 1) Make a backup of "
      "your AOF file, then use ./redis-check-aof --fix <filename.manifest>. 2) Alternatively "
      "you can set the 'aof-load-truncated' configuration option to yes and restart the "
      "server.",
      name.c_str());
  return AofLoadStatus::kFailed;
}

}  // namespace

bool LoadAofManifestAtStartup(Server& server) {
  const ServerConfig& c = server.config();
  if (!DirExists(c.appenddirname)) return true;
  const std::string path = AofPath(c.appenddirname, ManifestFileName(c.appendfilename));
  std::string text;
  int err = 0;
  if (!ReadWholeFile(path, &text, &err)) {
    if (err == ENOENT) return true;
    Log(LogLevel::kWarning, "Fatal error: can't open the AOF manifest file %s for reading: %s",
        path.c_str(), strerror(err));
    return false;
  }
  ManifestParse parsed = ParseAofManifest(text);
  if (!parsed.manifest) {
    Log(LogLevel::kWarning, "\n*** FATAL AOF MANIFEST FILE ERROR ***\n");
    if (parsed.line > 0) {
      Log(LogLevel::kWarning, "Reading the manifest file, at line %d\n", parsed.line);
      Log(LogLevel::kWarning, ">>> '%s'\n", parsed.line_text.c_str());
    }
    Log(LogLevel::kWarning, "%s\n", parsed.error.c_str());
    return false;
  }
  server.aof().manifest() = std::move(*parsed.manifest);
  return true;
}

AofLoadStatus LoadAppendOnlyFiles(Server& server, bool in_command) {
  const ServerConfig& c = server.config();
  AofManifest& m = server.aof().manifest();
  // A Redis < 7 AOF in the working directory, not yet moved (or half moved) into the
  // directory.
  if (FileExists(c.appendfilename)) {
    const bool upgrade = !DirExists(c.appenddirname) || m.empty() ||
                         (m.base && m.incrs.empty() && m.base->name == c.appendfilename &&
                          !FileExists(AofPath(c.appenddirname, c.appendfilename)));
    if (upgrade && !UpgradeOldAof(server, m)) std::exit(1);
  }
  if (m.empty()) return AofLoadStatus::kNotExist;

  // Every file must be there before anything is loaded.
  int64_t total = 0, base_size = 0;
  std::vector<const AofFileInfo*> files;
  if (m.base) files.push_back(&*m.base);
  for (const AofFileInfo& f : m.incrs) files.push_back(&f);
  for (const AofFileInfo* f : files) {
    struct stat st;
    if (stat(AofPath(c.appenddirname, f->name).c_str(), &st) != 0) {
      Log(LogLevel::kWarning, "Unable to obtain the AOF file %s length. stat: %s", f->name.c_str(),
          strerror(errno));
      return AofLoadStatus::kFailed;
    }
    total += st.st_size;
    if (f == &*m.base) base_size = st.st_size;
  }
  if (total == 0) return AofLoadStatus::kEmpty;

  PersistenceState& ps = server.persistence();
  ps.loading = true;
  Client aof_client(&server, -1, kAofClientId, ConnKind::kTcp);
  aof_client.addr = "aof";
  aof_client.authenticated = true;
  aof_client.deny_blocking = true;
  aof_client.aof_loading = true;
  AofLoadStatus ret = AofLoadStatus::kOk;
  for (size_t i = 0; i < files.size(); ++i) {
    const AofFileInfo& f = *files[i];
    const bool base = m.base && i == 0;
    const bool last = i + 1 == files.size();
    const int64_t start_us = EventLoop::NowUs();
    ret = LoadSingleFile(server, aof_client, f.name, in_command);
    if (ret == AofLoadStatus::kOk || (ret == AofLoadStatus::kTruncated && last)) {
      Log(LogLevel::kNotice,
          base ? "DB loaded from base file %s: %.3f seconds"
               : "DB loaded from incr file %s: %.3f seconds",
          f.name.c_str(), SecondsSince(start_us));
    }
    // One of the files holds data (total > 0): an empty incr file is fine.
    if (ret == AofLoadStatus::kEmpty) ret = AofLoadStatus::kOk;
    if (ret == AofLoadStatus::kTruncated && !last) {
      ret = AofLoadStatus::kFailed;
      Log(LogLevel::kWarning, "Fatal error: the truncated file is not the last file");
    }
    if (ret == AofLoadStatus::kOpenError || ret == AofLoadStatus::kFailed ||
        ret == AofLoadStatus::kNotExist) {
      break;
    }
  }
  ps.loading = false;
  if (ret == AofLoadStatus::kNotExist) ret = AofLoadStatus::kFailed;
  if (ret == AofLoadStatus::kOk || ret == AofLoadStatus::kTruncated) {
    server.aof().SetLoadedSizes(total, base_size);
  }
  return ret;
}

bool LoadDataFromDisk(Server& server) {
  if (!LoadAofManifestAtStartup(server)) return false;
  if (!server.config().appendonly) {
    if (!LoadDataAtStartup(server)) return false;
  } else {
    const int64_t start_us = EventLoop::NowUs();
    const AofLoadStatus ret = LoadAppendOnlyFiles(server, /*in_command=*/false);
    server.persistence().lastsave_s = static_cast<int64_t>(time(nullptr));
    if (ret == AofLoadStatus::kFailed || ret == AofLoadStatus::kOpenError) return false;
    if (ret != AofLoadStatus::kNotExist) {
      Log(LogLevel::kNotice, "DB loaded from append only file: %.3f seconds",
          SecondsSince(start_us));
    }
  }
  return server.aof().OpenOnServerStart();
}

void DebugLoadAof(Server& server) {
  Aof& aof = server.aof();
  if (aof.state() == AofState::kOn) aof.Flush(true);
  for (int i = 0; i < server.db_count(); ++i) server.db(i).Clear();
  if (!LoadAofManifestAtStartup(server)) std::exit(1);
  aof.DeleteHistoryFiles();
  const AofLoadStatus ret = LoadAppendOnlyFiles(server, /*in_command=*/true);
  if (ret != AofLoadStatus::kOk && ret != AofLoadStatus::kEmpty) std::exit(1);
  server.keyspace_stats().dirty = 0;
  Log(LogLevel::kWarning, "Append Only File loaded by DEBUG LOADAOF");
}

}  // namespace basalt
