// CommandContext: what a command handler works with: the calling client, its selected
// database, the arguments, the reply builder, and the server for server-level commands.
//
// Handlers report writes with AddDirty(); the dispatcher turns that into the shared
// bookkeeping (dirty counter, WATCH, the table's keyspace event; propagation as it lands).
// A context holds the keyspace events raised while its command runs (server/notify.h).
#pragma once

#include <initializer_list>
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
      : server(server), client(client), spec(spec), argv(argv), reply(client.reply) {
    outer_events_ = server.ExchangePendingEvents(&events);
  }
  ~CommandContext() { server.ExchangePendingEvents(outer_events_); }
  CommandContext(const CommandContext&) = delete;
  CommandContext& operator=(const CommandContext&) = delete;

  Server& server;
  Client& client;
  const CommandSpec& spec;
  std::span<const std::string_view> argv;  // argv[0] is the command name as sent
  ReplyBuilder& reply;

  Database& db() { return server.db(client.db_index); }
  int64_t now_ms() const { return server.now_ms(); }
  size_t argc() const { return argv.size(); }

  // Lookup for reading: lazily expires, counts keyspace hits/misses, refreshes the LRU clock
  // or LFU counter (Server::TouchValue) unless the client asked for CLIENT NO-TOUCH.
  // nullptr when the key does not exist.
  DbEntry* LookupRead(std::string_view key) {
    DbEntry* e = db().LookupRead(key, now_ms());
    if (e != nullptr && !client.no_touch) server.TouchValue(e->value);
    return e;
  }
  // Lookup for writing: lazily expires, no hit/miss accounting.
  DbEntry* LookupWrite(std::string_view key) {
    DbEntry* e = db().Lookup(key, now_ms());
    if (e != nullptr) server.TouchValue(e->value);
    return e;
  }
  // Redis's checkAlreadyExpired: a deadline at or before now deletes the key at once,
  // except while the dataset loads, when the key keeps it (and expires once loaded).
  bool AlreadyExpired(int64_t when_ms) const {
    return when_ms <= now_ms() && !server.persistence().loading;
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

  // --- propagation to AOF and replicas (server/propagation.h) ---
  // A command that changed the dataset (dirty) is propagated as it was sent, unless its
  // handler says otherwise with these (Redis's rewriteClientCommandVector, alsoPropagate,
  // preventCommandPropagation, forceCommandPropagation).
  //
  // Whether effects are being recorded: guard rewrites that cost something to build.
  bool propagating() const { return server.propagating() && !client.no_propagation; }
  // Propagates `argv` (in this client's database) in place of the command; a second call
  // adds another command after the first (SPOP's SREM batches).
  void PropagateAs(std::span<const std::string_view> argv) {
    propagation_replaced = true;
    if (propagating()) server.propagator().Add(client.db_index, argv);
  }
  void PropagateAs(std::span<const std::string> argv) {
    propagation_replaced = true;
    if (propagating()) server.propagator().Add(client.db_index, argv);
  }
  void PropagateAs(std::initializer_list<std::string_view> argv) {
    PropagateAs(std::span<const std::string_view>(argv.begin(), argv.size()));
  }
  // Propagates the command as the DEL of `key`, or UNLINK when `lazy` (GETDEL, an EXPIRE
  // whose deadline has passed).
  void PropagateAsDeletion(std::string_view key, bool lazy) {
    PropagateAs({lazy ? "UNLINK" : "DEL", key});
  }
  // The command is not propagated (its effects went out another way, or it has none).
  void PreventPropagation() { propagation_replaced = true; }
  // The command is propagated as sent even if it changed nothing (FLUSHALL on empty dbs).
  void ForcePropagation() { propagation_forced = true; }
  bool propagation_replaced = false;
  bool propagation_forced = false;

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
  // Redis's signalModifiedKey, for commands whose written keys the dispatcher cannot tell
  // (CommandSpec::written_keys == kNone): WATCH, client tracking and blocked clients hear
  // that `key` (of this database, or of `db`) changed.
  void KeyModified(std::string_view key) { KeyModified(client.db_index, key); }
  void KeyModified(int db, std::string_view key) { server.SignalModifiedKey(&client, db, key); }
  // Tells clients blocked on `key` (in this database) that it may now serve them.
  void SignalKeyReady(std::string_view key) { server.SignalKeyReady(client.db_index, key); }
  std::optional<BlockRequest> block;  // set by BlockOn

  // --- keyspace notifications (server/notify.h, commands/keyspace_events.h) ---
  // The dispatcher raises the command's default event from the table; handlers raise only
  // the outcome-dependent extras, with the table file's named constants (`event` must be a
  // literal). Each is one flag test when notifications are off.
  void Notify(int type_class, std::string_view event, std::string_view key) {
    server.RaiseKeyspaceEvent(KeyspaceEvent{type_class, event}, key, client.db_index);
  }
  void Notify(KeyspaceEvent event, std::string_view key) {
    server.RaiseKeyspaceEvent(event, key, client.db_index);
  }
  void Notify(KeyspaceEvent event, std::string_view key, int db) {
    server.RaiseKeyspaceEvent(event, key, db);
  }
  // Raises `event` in place of the table's default one (a *STORE that deleted its
  // destination raises "del", ZADD INCR "zincr").
  void NotifyInstead(KeyspaceEvent event, std::string_view key) {
    default_event_replaced = true;
    Notify(event, key);
  }
  PendingKeyspaceEvents events;  // held until the command ends
  bool default_event_replaced = false;

  // Replies "ERR syntax error" etc.; `message` without the leading '-'.
  void Error(std::string_view message) { reply.Error(message); }

 private:
  PendingKeyspaceEvents* outer_events_ = nullptr;  // restored when this command ends
};

}  // namespace basalt
