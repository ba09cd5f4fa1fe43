// AOF rewrites: writing a new base file from the dataset, and BGREWRITEAOF's flow as in
// Redis 7.0 (the Aof methods RequestRewrite, StartRewrite, RewriteDone and KillRewrite are
// defined in aof_rewrite.cc):
//
//   1. the parent writes out aof_buf, opens a new incr file (the manifest names it at once)
//      and forks; writes from then on go to the new incr file;
//   2. the child writes the dataset to temp-rewriteaof-bg-<pid>.aof in the working
//      directory (an RDB image with aux aof-base=1 under aof-use-rdb-preamble, otherwise
//      commands) and exits;
//   3. the parent, from the cron, renames it into the AOF directory as the next base, marks
//      the old base and the incr files before the new one as history, persists the manifest
//      (the atomic switch) and deletes the history files.
// A failed or killed child leaves the old base and every incr file in the manifest: the AOF
// stays complete.
//
// Execution thread only, except the forked child.
#pragma once

#include <sys/types.h>

#include <string>

namespace basalt {

class RdbSink;
class Server;

// Writes the dataset as an AOF base to `path` (via a temp file, fsynced, then renamed), as
// Redis's rewriteAppendOnlyFile. Logs failures as Redis.
bool WriteAofBaseFile(Server& server, const std::string& path);

// A base in command form (aof-use-rdb-preamble no): function libraries as FUNCTION LOAD,
// then per database a SELECT and each key as RESTORE <key> <abs ms|0> <DUMP payload>
// [ABSTTL] (one command per key, whatever its type; Redis writes type-specific commands,
// which load the same). Returns false if the sink failed.
bool WriteCommandBase(Server& server, RdbSink& sink);

// child_process.h's done handler for the rewrite child.
void AofRewriteDone(Server& server, pid_t pid, int status);

}  // namespace basalt
