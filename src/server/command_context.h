// CommandContext: what a command handler works with: the calling client, its selected
// database, the arguments, the reply builder, and the server for server-level commands.
//
// Handlers report writes with AddDirty(); the dispatcher turns that into the shared
// bookkeeping (dirty counter now; propagation, WATCH and keyspace events as they land).
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "server/client.h"
#include "server/command.h"
#include "server/server.h"

namespace basalt {

class CommandContext {
 public:
  CommandContext(Server& server, Client& client, const CommandSpec& spec,
                 std::span<const std::string_view> argv)
      : server(server), client(client), spec(spec), argv(argv), reply(client.reply) {}

  Server& server;
  Client& client;
  const CommandSpec& spec;
  std::span<const std::string_view> argv;  // argv[0] is the command name as sent
  ReplyBuilder& reply;

  Database& db() { return server.db(client.db_index); }
  int64_t now_ms() const { return server.now_ms(); }
  size_t argc() const { return argv.size(); }

  // Lookup for reading: lazily expires, counts keyspace hits/misses, refreshes the LRU clock
  // (unless the client asked for CLIENT NO-TOUCH). nullptr when the key does not exist.
  DbEntry* LookupRead(std::string_view key) {
    DbEntry* e = db().LookupRead(key, now_ms());
    if (e != nullptr && !client.no_touch) e->value.set_lru(server.lru_clock());
    return e;
  }
  // Lookup for writing: lazily expires, no hit/miss accounting.
  DbEntry* LookupWrite(std::string_view key) {
    DbEntry* e = db().Lookup(key, now_ms());
    if (e != nullptr) e->value.set_lru(server.lru_clock());
    return e;
  }
  // Replies WRONGTYPE and returns false when `e` holds another type than `type`.
  bool CheckType(const DbEntry* e, ValueType type) {
    if (e->value.type() == type) return true;
    reply.Error(kErrWrongType);
    return false;
  }

  // Reports that the command changed the dataset (`n` changes, as Redis counts them).
  void AddDirty(uint64_t n = 1) { dirty += n; }
  uint64_t dirty = 0;

  // --- blocking commands (see server/blocking.h) ---
  // Whether the command may block now: false inside MULTI/EXEC and scripts, where a
  // blocking command that cannot be served answers as if it had timed out.
  bool CanBlock() const { return !client.deny_blocking; }
  // Parks the client on `keys` until one holds `type` and the command, re-executed, is
  // served, or until `deadline_ms` (0: forever). The handler must not reply.
  void BlockOn(std::span<const std::string_view> keys, ValueType type, int64_t deadline_ms,
               BlockTimeoutReply timeout_reply);
  // Parses a blocking timeout (seconds as a float, or milliseconds as an integer) into an
  // absolute deadline (0 for "forever"), replying Redis's error and returning false if bad.
  bool ParseBlockTimeout(std::string_view arg, bool in_seconds, int64_t* deadline_ms);
  // Tells clients blocked on `key` (in this database) that it may now serve them.
  void SignalKeyReady(std::string_view key) { server.SignalKeyReady(client.db_index, key); }
  std::optional<BlockRequest> block;  // set by BlockOn

  // Replies "ERR syntax error" etc.; `message` without the leading '-'.
  void Error(std::string_view message) { reply.Error(message); }
};

}  // namespace basalt
