// Persistence commands: SAVE, BGSAVE [SCHEDULE], LASTSAVE (persistence/snapshot.h) and
// DUMP / RESTORE (persistence/dump_payload.h), with Redis 7.0's replies and errors.
#include <string>
#include <vector>

#include "commands/arg_parse.h"
#include "commands/registry.h"
#include "persistence/aof_writer.h"
#include "persistence/dump_payload.h"
#include "persistence/snapshot.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "util/strconv.h"

namespace basalt {
namespace {

constexpr std::string_view kBgsaveInProgress = "ERR Background save already in progress";

// SAVE
void Save(CommandContext& ctx) {
  PersistenceState& ps = ctx.server.persistence();
  if (ps.rdb_child()) return ctx.Error(kBgsaveInProgress);
  ++ps.saves;
  if (SaveRdbFile(ctx.server, ctx.server.config().dbfilename)) return ctx.reply.Ok();
  ctx.Error("ERR");
}

// BGSAVE [SCHEDULE]
void Bgsave(CommandContext& ctx) {
  bool schedule = false;
  if (ctx.argc() > 1) {
    if (ctx.argc() == 2 && EqualsIgnoreCase(ctx.argv[1], "schedule")) {
      schedule = true;
    } else {
      return ctx.Error(kErrSyntax);
    }
  }
  PersistenceState& ps = ctx.server.persistence();
  if (ps.rdb_child()) return ctx.Error(kBgsaveInProgress);
  // Another child (an AOF rewrite) runs, or inside EXEC: the cron starts it later.
  if (ps.child_pid != -1 || ctx.server.in_exec()) {
    if (!schedule && !ctx.server.in_exec()) {
      return ctx.Error(
          "ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE "
          "SCHEDULE in order to schedule a BGSAVE whenever possible.");
    }
    ps.bgsave_scheduled = true;
    return ctx.reply.SimpleString("Background saving scheduled");
  }
  switch (StartBackgroundSave(ctx.server)) {
    case BgsaveStart::kStarted:
      return ctx.reply.SimpleString("Background saving started");
    case BgsaveStart::kInProgress:
    case BgsaveStart::kOtherChild:
      return ctx.Error(kBgsaveInProgress);
    case BgsaveStart::kFailed:
      return ctx.Error("ERR");
  }
}

// BGREWRITEAOF (persistence/aof_rewrite.h)
void BgRewriteAof(CommandContext& ctx) {
  switch (ctx.server.aof().RequestRewrite()) {
    case Aof::RewriteRequest::kStarted:
      return ctx.reply.SimpleString("Background append only file rewriting started");
    case Aof::RewriteRequest::kScheduled:
      return ctx.reply.SimpleString("Background append only file rewriting scheduled");
    case Aof::RewriteRequest::kInProgress:
      return ctx.Error("ERR Background append only file rewriting already in progress");
    case Aof::RewriteRequest::kFailed:
      return ctx.Error(
          "ERR Can't execute an AOF background rewriting. Please check the server logs for "
          "more information.");
  }
}

// LASTSAVE
void LastSave(CommandContext& ctx) { ctx.reply.Integer(LastSaveTime(ctx.server)); }

// DUMP key
void Dump(CommandContext& ctx) {
  DbEntry* e = ctx.LookupRead(ctx.argv[1]);
  if (e == nullptr) return ctx.reply.Null();
  ctx.reply.Bulk(
      CreateDumpPayload(e->value, RdbSaveOptionsOf(ctx.server.config(), ctx.now_ms())));
}

bool LfuPolicy(CommandContext& ctx) {
  return ctx.server.lfu_policy();
}

// RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]
void Restore(CommandContext& ctx) {
  bool replace = false, absttl = false;
  int64_t idle = -1, freq = -1;
  for (size_t j = 4; j < ctx.argc(); ++j) {
    const size_t additional = ctx.argc() - j - 1;
    std::string_view arg = ctx.argv[j];
    if (EqualsIgnoreCase(arg, "replace")) {
      replace = true;
    } else if (EqualsIgnoreCase(arg, "absttl")) {
      absttl = true;
    } else if (EqualsIgnoreCase(arg, "idletime") && additional >= 1 && freq == -1) {
      if (!ParseIntegerOrReply(ctx, ctx.argv[j + 1], &idle)) return;
      if (idle < 0) return ctx.Error("ERR Invalid IDLETIME value, must be >= 0");
      ++j;
    } else if (EqualsIgnoreCase(arg, "freq") && additional >= 1 && idle == -1) {
      if (!ParseIntegerOrReply(ctx, ctx.argv[j + 1], &freq)) return;
      if (freq < 0 || freq > 255) {
        return ctx.Error("ERR Invalid FREQ value, must be >= 0 and <= 255");
      }
      ++j;
    } else {
      return ctx.Error(kErrSyntax);
    }
  }
  const std::string_view key = ctx.argv[1];
  Database& db = ctx.db();
  if (!replace && db.Lookup(key, ctx.now_ms()) != nullptr) {
    return ctx.Error("BUSYKEY Target key name already exists.");
  }
  int64_t ttl = 0;
  if (!ParseIntegerOrReply(ctx, ctx.argv[2], &ttl)) return;
  if (ttl < 0) return ctx.Error("ERR Invalid TTL value, must be >= 0");
  const std::string_view payload = ctx.argv[3];
  if (!VerifyDumpPayload(payload, !ctx.server.skip_checksum_validation)) {
    return ctx.Error("ERR DUMP payload version or checksum are wrong");
  }
  RdbLoadedValue loaded = DecodeDumpPayload(payload, RdbLoadLimitsOf(ctx.server.config()));
  if (!loaded.value) return ctx.Error("ERR Bad data format");

  bool deleted = replace && db.Delete(key);
  if (ttl != 0 && !absttl) ttl += ctx.now_ms();
  if (ttl != 0 && ctx.AlreadyExpired(ttl)) {
    // Already expired: the key is not created (an existing one was replaced by nothing).
    if (deleted) {
      ctx.KeyModified(key);
      ctx.Notify(kNotifyGeneric, "del", key);
      ctx.AddDirty();
      ctx.PropagateAsDeletion(key, /*lazy=*/false);
    }
    return ctx.reply.Ok();
  }
  Value& v = *loaded.value;
  const uint64_t clock = ctx.server.lru_clock();
  if (freq >= 0 && LfuPolicy(ctx)) {
    v.set_lru(static_cast<uint32_t>((((ctx.now_ms() / 1000 / 60) & 0xFFFF) << 8) | freq));
  } else if (idle >= 0 && !LfuPolicy(ctx)) {
    const uint64_t idle_clock = static_cast<uint64_t>(idle) & 0xFFFFFF;
    v.set_lru(static_cast<uint32_t>(clock >= idle_clock ? clock - idle_clock
                                                        : (1 << 24) - (idle_clock - clock)));
  } else {
    v.set_lru(static_cast<uint32_t>(clock));
  }
  db.Add(key, std::move(v), ttl != 0 ? ttl : kNoExpire);
  ctx.KeyModified(key);
  ctx.Notify(kNotifyGeneric, "restore", key);
  ctx.AddDirty();
  // With the TTL made absolute (ABSTTL), so that a replay later sets the same deadline.
  if (ttl != 0 && !absttl && ctx.propagating()) {
    std::vector<std::string_view> argv(ctx.argv.begin(), ctx.argv.end());
    const std::string ttl_text = std::to_string(ttl);
    argv[2] = ttl_text;
    argv.push_back("ABSTTL");
    ctx.PropagateAs(argv);
  }
  ctx.reply.Ok();
}

}  // namespace

void RegisterPersistenceCommands(CommandTable& table) {
  constexpr uint64_t kAdmin = kCmdAdmin | kCmdNoScript | kCmdNoAsyncLoading;
  table.Register({.name = "save", .arity = 1, .flags = kAdmin | kCmdNoMulti,
                  .group = "server", .since = "1.0.0",
                  .summary = "Synchronously save the dataset to disk",
                  .complexity = "O(N) where N is the total number of keys in all databases",
                  .handler = Save});
  table.Register({.name = "bgsave", .arity = -1, .flags = kAdmin, .group = "server",
                  .since = "1.0.0", .summary = "Asynchronously save the dataset to disk",
                  .complexity = "O(1)", .handler = Bgsave});
  table.Register({.name = "bgrewriteaof", .arity = 1, .flags = kAdmin, .group = "server",
                  .since = "1.0.0", .summary = "Asynchronously rewrite the append-only file",
                  .complexity = "O(1)", .handler = BgRewriteAof});
  table.Register({.name = "lastsave", .arity = 1, .flags = kCmdLoading | kCmdStale | kCmdFast,
                  .acl = kAclAdmin | kAclDangerous, .group = "server", .since = "1.0.0",
                  .summary = "Get the UNIX time stamp of the last successful save to disk",
                  .complexity = "O(1)", .handler = LastSave});
  table.Register(
      {.name = "dump", .arity = 2, .flags = kCmdReadOnly, .keys = {1, 1, 1},
       .acl = kAclKeyspace, .group = "generic", .since = "2.6.0",
       .summary = "Return a serialized version of the value stored at the specified key.",
       .complexity = "O(1) to access the key and additional O(N*M) to serialize it, where N is "
                     "the number of Redis objects composing the value and M their average size. "
                     "For small string values the time complexity is thus O(1)+O(1*M) where M "
                     "is small, so simply O(1).",
       .handler = Dump});
  table.Register(
      {.name = "restore", .arity = -4, .flags = kCmdWrite | kCmdDenyOom, .keys = {1, 1, 1},
       .acl = kAclKeyspace | kAclDangerous, .group = "generic", .since = "2.6.0",
       .summary = "Create a key using the provided serialized value, previously obtained using "
                  "DUMP.",
       .complexity = "O(1) to create the new key and additional O(N*M) to reconstruct the "
                     "serialized value, where N is the number of Redis objects composing the "
                     "value and M their average size. For small string values the time "
                     "complexity is thus O(1)+O(1*M) where M is small, so simply O(1). However "
                     "for sorted set values the complexity is O(N*M*log(N)) because inserting "
                     "values into sorted sets is O(log(N)).",
       .handler = Restore, .written_keys = WrittenKeys::kNone});
}

}  // namespace basalt
