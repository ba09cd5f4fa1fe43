// Loading the AOF at startup, as Redis 7.0's loadDataFromDisk / loadAppendOnlyFiles:
//
// - The manifest is read whenever the directory has one, even with `appendonly no` (a
//   corrupt manifest stops the server, as in Redis).
// - With `appendonly yes` the AOF is the dataset: dump.rdb is not read, and a missing AOF
//   means an empty dataset (a base file is then written by Aof::OpenOnServerStart). An
//   `appendfilename` file in the working directory from Redis < 7 is first moved into the
//   directory as the base (the upgrade Redis does).
// - The base (an RDB image, or commands) then each incr file are replayed in order. Commands
//   run through the dispatcher on a socketless client, MULTI/EXEC included, while other
//   clients get -LOADING. A last file cut short (a crash mid-write) is truncated to its last
//   whole command and loaded under aof-load-truncated, refused otherwise; anything else
//   wrong (a bad command, a truncated file that is not the last, a missing file) refuses to
//   start, naming the file and the offset.
//
// Execution thread only, before the event loop runs.
#pragma once

#include <string>

namespace basalt {

class Server;

// The outcome of replaying one file or the whole AOF (Redis's AOF_* codes).
enum class AofLoadStatus { kOk, kNotExist, kEmpty, kOpenError, kFailed, kTruncated };

// Reads the manifest into server.aof() if there is one. Returns false after logging Redis's
// FATAL AOF MANIFEST FILE ERROR block.
bool LoadAofManifestAtStartup(Server& server);

// Replays the files the manifest names. Logs as Redis. `in_command`: run from a command
// (DEBUG LOADAOF) rather than at startup.
AofLoadStatus LoadAppendOnlyFiles(Server& server, bool in_command);

// At startup: the manifest, then the AOF (appendonly yes) or the RDB file, then the AOF
// files are opened for writing. Returns false when the server must exit.
bool LoadDataFromDisk(Server& server);

// DEBUG LOADAOF: writes out the AOF buffer, empties the dataset and loads the AOF again
// (re-reading the manifest). Exits the process when it cannot, as Redis.
void DebugLoadAof(Server& server);

}  // namespace basalt
