// MIGRATE host port key|"" destination-db timeout [COPY] [REPLACE] [AUTH password]
//         [AUTH2 username password] [KEYS key [key ...]]
//
// Moves keys to another instance as Redis 7.0 does: their DUMP payloads go to the target as
// RESTORE commands (with the remaining TTL, and REPLACE if asked) over a cached connection
// (server/migrate_connections.h), and each key the target acknowledged is deleted here
// unless COPY. The server blocks while it waits for the target, at most `timeout` ms per
// step, as Redis does: MIGRATE is atomic from the clients' point of view.
//
// Replies: OK; NOKEY when none of the keys exists; "ERR Target instance replied with error:
// ..." (the first error; keys acknowledged before it are still moved); "IOERR error or
// timeout connecting to the client" / "... writing to target instance" / "... reading from
// target instance". A cached connection that fails is reopened and the transfer retried
// once, unless the failure was a timeout or the target may already have run something.
// Propagated as DEL of the moved keys.
#include <cerrno>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "commands/arg_parse.h"
#include "commands/keyspace_events.h"
#include "db/database.h"
#include "persistence/dump_payload.h"
#include "persistence/snapshot.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "server/migrate_connections.h"
#include "server/propagation.h"
#include "net/sync_io.h"
#include "util/strconv.h"

namespace basalt {
namespace {

struct MigrateArgs {
  std::string host;
  int port = 0;
  int64_t db = 0;
  int64_t timeout_ms = 0;
  bool copy = false;
  bool replace = false;
  std::optional<std::string_view> username;
  std::optional<std::string_view> password;
  std::vector<std::string_view> keys;
};

// Where the keys are: argv[3], or everything after KEYS (then argv[3] must be "").
std::vector<int> MigrateKeys(std::span<const std::string_view> argv) {
  for (size_t j = 6; j < argv.size(); ++j) {
    if (EqualsIgnoreCase(argv[j], "keys")) {
      std::vector<int> keys;
      for (size_t k = j + 1; k < argv.size(); ++k) keys.push_back(static_cast<int>(k));
      return keys;
    }
    if (EqualsIgnoreCase(argv[j], "auth")) ++j;
    if (EqualsIgnoreCase(argv[j], "auth2")) j += 2;
  }
  return argv.size() > 3 ? std::vector<int>{3} : std::vector<int>{};
}

std::optional<MigrateArgs> ParseOrReply(CommandContext& ctx) {
  MigrateArgs a;
  size_t first_key = 3, num_keys = 1;
  for (size_t j = 6; j < ctx.argc(); ++j) {
    const size_t more = ctx.argc() - 1 - j;
    std::string_view opt = ctx.argv[j];
    if (EqualsIgnoreCase(opt, "copy")) {
      a.copy = true;
    } else if (EqualsIgnoreCase(opt, "replace")) {
      a.replace = true;
    } else if (EqualsIgnoreCase(opt, "auth") && more >= 1) {
      a.password = ctx.argv[++j];
    } else if (EqualsIgnoreCase(opt, "auth2") && more >= 2) {
      a.username = ctx.argv[++j];
      a.password = ctx.argv[++j];
    } else if (EqualsIgnoreCase(opt, "keys")) {
      if (!ctx.argv[3].empty()) {
        ctx.Error("ERR When using MIGRATE KEYS option, the key argument must be set to the "
                  "empty string");
        return std::nullopt;
      }
      first_key = j + 1;
      num_keys = ctx.argc() - j - 1;
      break;
    } else {
      ctx.Error(kErrSyntax);
      return std::nullopt;
    }
  }
  if (!ParseIntegerOrReply(ctx, ctx.argv[5], &a.timeout_ms) ||
      !ParseIntegerOrReply(ctx, ctx.argv[4], &a.db)) {
    return std::nullopt;
  }
  if (a.timeout_ms <= 0) a.timeout_ms = 1000;
  int64_t port;
  if (!ParseIntegerOrReply(ctx, ctx.argv[2], &port)) return std::nullopt;
  a.host = std::string(ctx.argv[1]);
  a.port = static_cast<int>(port);
  a.keys.assign(ctx.argv.begin() + static_cast<ptrdiff_t>(first_key),
                ctx.argv.begin() + static_cast<ptrdiff_t>(first_key + num_keys));
  return a;
}

// The outcome of one attempt to transfer the keys.
struct Attempt {
  enum class Io { kOk, kConnect, kWrite, kRead } io = Io::kOk;
  bool timed_out = false;
  bool target_ran_something = false;  // a reply was read: retrying could apply things twice
  std::string target_error;           // the first error reply of the target
  std::vector<std::string_view> moved;  // keys whose RESTORE the target acknowledged
};

Attempt TryTransfer(CommandContext& ctx, const MigrateArgs& a,
                    const std::vector<std::string_view>& keys) {
  Attempt out;
  errno = 0;
  MigrateConnections::Connection* conn = ctx.server.migrate_connections().Get(
      a.host, a.port, a.timeout_ms, ctx.now_ms());
  if (conn == nullptr) {
    // Redis reports a refused connection as a failed write (its connect does not look at
    // the socket's error; the write that follows does); only silence is a connect timeout.
    out.timed_out = errno == ETIMEDOUT;
    out.io = out.timed_out ? Attempt::Io::kConnect : Attempt::Io::kWrite;
    return out;
  }
  std::string request;
  if (a.password) {
    if (a.username) {
      AppendRespCommand(&request, std::vector<std::string_view>{"AUTH", *a.username,
                                                                *a.password});
    } else {
      AppendRespCommand(&request, std::vector<std::string_view>{"AUTH", *a.password});
    }
  }
  const bool select = conn->selected_db != a.db;
  if (select) {
    AppendRespCommand(&request, std::vector<std::string_view>{"SELECT", std::to_string(a.db)});
  }
  const RdbSaveOptions save = RdbSaveOptionsOf(ctx.server.config(), ctx.now_ms());
  std::vector<std::string_view> sent;
  for (std::string_view key : keys) {
    DbEntry* e = ctx.db().Lookup(key, ctx.now_ms());
    if (e == nullptr) continue;  // expired since it was found
    int64_t ttl = 0;
    if (e->has_expire()) ttl = std::max<int64_t>(1, e->expire_ms() - ctx.now_ms());
    const std::string payload = CreateDumpPayload(e->value, save);
    const std::string ttl_text = std::to_string(ttl);
    std::vector<std::string_view> restore = {"RESTORE", key, ttl_text, payload};
    if (a.replace) restore.push_back("REPLACE");
    AppendRespCommand(&request, restore);
    sent.push_back(key);
  }
  errno = 0;
  if (!SyncWrite(conn->fd, request, a.timeout_ms)) {
    out.io = Attempt::Io::kWrite;
    out.timed_out = errno == ETIMEDOUT;
    return out;
  }
  // One reply per command sent, in order; the first error decides the reply.
  auto read_reply = [&]() -> std::optional<std::string> {
    errno = 0;
    std::optional<std::string> line = SyncReadLine(conn->fd, a.timeout_ms);
    if (!line) {
      out.io = Attempt::Io::kRead;
      out.timed_out = errno == ETIMEDOUT;
    } else {
      out.target_ran_something = true;
    }
    return line;
  };
  auto note_error = [&](const std::string& reply) {
    if (!reply.empty() && reply[0] == '-' && out.target_error.empty()) {
      out.target_error = reply.substr(1);
    }
  };
  for (bool expected : {a.password.has_value(), select}) {
    if (!expected) continue;
    std::optional<std::string> reply = read_reply();
    if (!reply) return out;
    note_error(*reply);
  }
  // After an AUTH or SELECT error no key counts as moved: each may have gone to another
  // database, or nowhere. Otherwise every key the target acknowledged did move, even after
  // another key's error.
  const bool preamble_ok = out.target_error.empty();
  for (std::string_view key : sent) {
    std::optional<std::string> reply = read_reply();
    if (!reply) return out;
    note_error(*reply);
    if (preamble_ok && !reply->starts_with('-')) out.moved.push_back(key);
  }
  // An error leaves the target's selected database unknown.
  conn->selected_db = out.target_error.empty() ? static_cast<int>(a.db) : -1;
  return out;
}

void Migrate(CommandContext& ctx) {
  std::optional<MigrateArgs> a = ParseOrReply(ctx);
  if (!a) return;
  std::vector<std::string_view> present;
  for (std::string_view key : a->keys) {
    if (ctx.LookupRead(key) != nullptr) present.push_back(key);
  }
  if (present.empty()) return ctx.reply.SimpleString("NOKEY");

  Attempt attempt = TryTransfer(ctx, *a, present);
  if (attempt.io != Attempt::Io::kOk) {
    // A cached connection may have been closed by the target: reconnect and try once more,
    // unless waiting already took the whole timeout or the target ran part of the request.
    ctx.server.migrate_connections().Close(a->host, a->port);
    if (!attempt.timed_out && !attempt.target_ran_something) {
      attempt = TryTransfer(ctx, *a, present);
      if (attempt.io != Attempt::Io::kOk) ctx.server.migrate_connections().Close(a->host, a->port);
    }
  }
  if (!a->copy && !attempt.moved.empty()) {
    std::vector<std::string_view> del = {"DEL"};
    for (std::string_view key : attempt.moved) {
      ctx.db().Delete(key);
      ctx.KeyModified(key);
      ctx.Notify(kEvDel, key);
      ctx.AddDirty();
      del.push_back(key);
    }
    ctx.PropagateAs(del);
  } else {
    ctx.PreventPropagation();
  }
  if (!attempt.target_error.empty()) {
    return ctx.Error("ERR Target instance replied with error: " + attempt.target_error);
  }
  switch (attempt.io) {
    case Attempt::Io::kOk:
      return ctx.reply.Ok();
    case Attempt::Io::kConnect:
      return ctx.Error("IOERR error or timeout connecting to the client");
    case Attempt::Io::kWrite:
      return ctx.Error("IOERR error or timeout writing to target instance");
    case Attempt::Io::kRead:
      return ctx.Error("IOERR error or timeout reading from target instance");
  }
}

}  // namespace

void RegisterMigrateCommand(CommandTable& table) {
  table.Register(
      {.name = "migrate", .arity = -6, .flags = kCmdWrite | kCmdMovableKeys, .keys = {3, 3, 1},
       .acl = kAclKeyspace | kAclDangerous, .group = "generic", .since = "2.6.0",
       .summary = "Atomically transfer a key from a Redis instance to another one.",
       .complexity = "This command actually executes a DUMP+DEL in the source instance, and a "
                     "RESTORE in the target instance. See the pages of these commands for time "
                     "complexity. Also an O(N) data transfer between the two instances is "
                     "performed.",
       .handler = Migrate, .find_keys = MigrateKeys, .written_keys = WrittenKeys::kNone});
}

}  // namespace basalt
