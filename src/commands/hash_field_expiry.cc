// Redis 7.4's hash-field expiry commands: HEXPIRE, HPEXPIRE, HEXPIREAT, HPEXPIREAT (set a
// TTL per field), HTTL, HPTTL, HEXPIRETIME, HPEXPIRETIME (read it), HPERSIST (remove it).
//
// Every one of them names its fields as `FIELDS numfields field [field ...]` and replies one
// integer per field. Expired fields are removed by the database (lazily on lookup, actively
// from the cron through its index of hashes with field TTLs, see Database); the commands here
// keep that index informed with Database::NoteHashFieldExpiry.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "commands/hash_family.h"
#include "commands/keyspace_events.h"
#include "server/command_table.h"
#include "util/strconv.h"

namespace basalt {

namespace {

// Redis keeps two bits of the 48-bit expiry spare: field expiry times (ms) stop here.
constexpr int64_t kMaxFieldExpireMs = ((int64_t{1} << 48) - 1) >> 2;

enum class TimeUnit { kSeconds, kMilliseconds };

// Parses `FIELDS numfields field...` with argv[at] the FIELDS keyword. On success returns the
// index of the first field; on error replies it and returns nullopt.
std::optional<size_t> ParseFields(CommandContext& ctx, size_t at, std::string_view count_error) {
  if (at + 1 >= ctx.argc()) {
    // Only HEXPIRE with a condition and nothing after FIELDS gets here (the arity covers the
    // others); Redis 7.4 reads past the arguments there, so answer as an arity error.
    ctx.Error("ERR wrong number of arguments for '" + ctx.spec.full_name + "' command");
    return std::nullopt;
  }
  if (!EqualsIgnoreCase(ctx.argv[at], "fields")) {
    ctx.Error("ERR Mandatory argument FIELDS is missing or not at the right position");
    return std::nullopt;
  }
  const std::optional<int64_t> n = ParseInt64(ctx.argv[at + 1]);
  if (!n || *n < 1) {
    ctx.Error(std::string("ERR ") + std::string(count_error));
    return std::nullopt;
  }
  if (static_cast<uint64_t>(*n) != ctx.argc() - at - 2) {
    ctx.Error("ERR The `numfields` parameter must match the number of arguments");
    return std::nullopt;
  }
  return at + 2;
}

void ReplyAllNoField(CommandContext& ctx, size_t first_field) {
  ctx.reply.ArrayHeader(static_cast<int64_t>(ctx.argc() - first_field));
  for (size_t i = first_field; i < ctx.argc(); ++i) ctx.reply.Integer(-2);
}

// HEXPIRE / HPEXPIRE / HEXPIREAT / HPEXPIREAT key time [NX|XX|GT|LT] FIELDS numfields field...
void ExpireGeneric(CommandContext& ctx, TimeUnit unit, bool absolute) {
  bool wrong_type = false;
  DbEntry* e = LookupHash(ctx, ctx.argv[1], /*write=*/true, &wrong_type);
  if (wrong_type) return;

  std::optional<int64_t> when = ParseInt64(ctx.argv[2]);
  if (!when) return ctx.Error(kErrNotInteger);
  if (*when < 0) return ctx.Error("ERR invalid expire time, must be >= 0");
  const std::string bad_time = "ERR invalid expire time in '" + ctx.spec.full_name + "' command";
  if (unit == TimeUnit::kSeconds) {
    if (*when > kMaxFieldExpireMs / 1000) return ctx.Error(bad_time);
    *when *= 1000;
  }
  const int64_t base = absolute ? 0 : ctx.now_ms();
  if (*when > kMaxFieldExpireMs - base) return ctx.Error(bad_time);
  *when += base;

  ExpireCondition cond = ExpireCondition::kNone;
  const std::string_view opt = ctx.argv[3];
  if (EqualsIgnoreCase(opt, "nx")) {
    cond = ExpireCondition::kNx;
  } else if (EqualsIgnoreCase(opt, "xx")) {
    cond = ExpireCondition::kXx;
  } else if (EqualsIgnoreCase(opt, "gt")) {
    cond = ExpireCondition::kGt;
  } else if (EqualsIgnoreCase(opt, "lt")) {
    cond = ExpireCondition::kLt;
  }
  const std::optional<size_t> first = ParseFields(ctx, cond == ExpireCondition::kNone ? 3 : 4,
                                                  "Parameter `numFields` should be greater than 0");
  if (!first) return;
  if (e == nullptr) return ReplyAllNoField(ctx, *first);

  uint64_t changed = 0;
  bool any_set = false;
  bool any_deleted = false;
  ctx.reply.ArrayHeader(static_cast<int64_t>(ctx.argc() - *first));
  for (size_t i = *first; i < ctx.argc(); ++i) {
    // Once the last field is gone the key is deleted below; what is left answers "no field".
    const FieldExpireResult r =
        HashSize(e->value) == 0
            ? FieldExpireResult::kNoField
            : HashSetFieldExpire(e->value, ctx.argv[i], *when, cond, ctx.now_ms());
    if (r == FieldExpireResult::kSet || r == FieldExpireResult::kDeleted) ++changed;
    any_set |= r == FieldExpireResult::kSet;
    any_deleted |= r == FieldExpireResult::kDeleted;
    ctx.reply.Integer(static_cast<int64_t>(r));
  }
  ctx.AddDirty(changed);
  // As an absolute deadline (HPEXPIREAT, the rest of the arguments kept), so that a replay
  // later sets the same one; a deadline already past deletes the same fields on replay.
  if (changed > 0 && ctx.propagating()) {
    std::vector<std::string_view> argv(ctx.argv.begin(), ctx.argv.end());
    const std::string when_text = std::to_string(*when);
    argv[0] = "HPEXPIREAT";
    argv[2] = when_text;
    ctx.PropagateAs(argv);
  }
  // Redis 7.4: "hdel" when a time in the past deleted fields, else "hexpire"; "del" after.
  if (changed > 0) ctx.Notify(any_deleted ? kEvHDel : kEvHExpire, e->key());
  if (HashSize(e->value) == 0) {
    ctx.Notify(kEvDel, e->key());
    ctx.db().Delete(e->key());
  } else if (any_set) {
    ctx.db().NoteHashFieldExpiry(e->key(), e->value);
  }
}

void HExpire(CommandContext& ctx) { ExpireGeneric(ctx, TimeUnit::kSeconds, false); }
void HPExpire(CommandContext& ctx) { ExpireGeneric(ctx, TimeUnit::kMilliseconds, false); }
void HExpireAt(CommandContext& ctx) { ExpireGeneric(ctx, TimeUnit::kSeconds, true); }
void HPExpireAt(CommandContext& ctx) { ExpireGeneric(ctx, TimeUnit::kMilliseconds, true); }

// HTTL / HPTTL / HEXPIRETIME / HPEXPIRETIME key FIELDS numfields field...
void TtlGeneric(CommandContext& ctx, TimeUnit unit, bool absolute) {
  bool wrong_type = false;
  DbEntry* e = LookupHash(ctx, ctx.argv[1], /*write=*/false, &wrong_type);
  if (wrong_type) return;
  const std::optional<size_t> first =
      ParseFields(ctx, 2, "Number of fields must be a positive integer");
  if (!first) return;
  if (e == nullptr) return ReplyAllNoField(ctx, *first);
  const int64_t base = absolute ? 0 : ctx.now_ms();
  ctx.reply.ArrayHeader(static_cast<int64_t>(ctx.argc() - *first));
  for (size_t i = *first; i < ctx.argc(); ++i) {
    const std::optional<int64_t> when = HashFieldExpire(e->value, ctx.argv[i]);
    if (!when) {
      ctx.reply.Integer(-2);
    } else if (*when == kNoFieldExpire) {
      ctx.reply.Integer(-1);
    } else if (unit == TimeUnit::kSeconds) {
      ctx.reply.Integer((*when + 999 - base) / 1000);  // rounded up, as Redis
    } else {
      ctx.reply.Integer(*when - base);
    }
  }
}

void HTtl(CommandContext& ctx) { TtlGeneric(ctx, TimeUnit::kSeconds, false); }
void HPTtl(CommandContext& ctx) { TtlGeneric(ctx, TimeUnit::kMilliseconds, false); }
void HExpireTime(CommandContext& ctx) { TtlGeneric(ctx, TimeUnit::kSeconds, true); }
void HPExpireTime(CommandContext& ctx) { TtlGeneric(ctx, TimeUnit::kMilliseconds, true); }

// HPERSIST key FIELDS numfields field...
void HPersist(CommandContext& ctx) {
  bool wrong_type = false;
  DbEntry* e = LookupHash(ctx, ctx.argv[1], /*write=*/true, &wrong_type);
  if (wrong_type) return;
  const std::optional<size_t> first =
      ParseFields(ctx, 2, "Number of fields must be a positive integer");
  if (!first) return;
  if (e == nullptr) return ReplyAllNoField(ctx, *first);
  bool changed = false;
  ctx.reply.ArrayHeader(static_cast<int64_t>(ctx.argc() - *first));
  for (size_t i = *first; i < ctx.argc(); ++i) {
    const FieldPersistResult r = HashPersistField(e->value, ctx.argv[i]);
    changed |= r == FieldPersistResult::kPersisted;
    ctx.reply.Integer(static_cast<int64_t>(r));
  }
  if (changed) {
    ctx.AddDirty(1);
    ctx.Notify(kEvHPersist, ctx.argv[1]);
  }
}

}  // namespace

void RegisterHashFieldExpiryCommands(CommandTable& table) {
  constexpr uint64_t kAcl = kAclHash;
  constexpr const char* kComplexity = "O(N) where N is the number of specified fields";
  struct Row {
    const char* name;
    int arity;
    uint64_t flags;
    const char* summary;
    CommandHandler handler;
  };
  constexpr uint64_t kSetFlags = kCmdWrite | kCmdDenyOom | kCmdFast;
  constexpr uint64_t kGetFlags = kCmdReadOnly | kCmdFast;
  const Row rows[] = {
      {"hexpire", -6, kSetFlags,
       "Set expiry for hash field using relative time to expire (seconds)", HExpire},
      {"hpexpire", -6, kSetFlags,
       "Set expiry for hash field using relative time to expire (milliseconds)", HPExpire},
      {"hexpireat", -6, kSetFlags,
       "Set expiry for hash field using an absolute Unix timestamp (seconds)", HExpireAt},
      {"hpexpireat", -6, kSetFlags,
       "Set expiry for hash field using an absolute Unix timestamp (milliseconds)", HPExpireAt},
      {"httl", -5, kGetFlags, "Returns the TTL in seconds of a hash field.", HTtl},
      {"hpttl", -5, kGetFlags, "Returns the TTL in milliseconds of a hash field.", HPTtl},
      {"hexpiretime", -5, kGetFlags,
       "Returns the expiration time of a hash field as a Unix timestamp, in seconds.", HExpireTime},
      {"hpexpiretime", -5, kGetFlags,
       "Returns the expiration time of a hash field as a Unix timestamp, in msec.", HPExpireTime},
      {"hpersist", -5, kCmdWrite | kCmdFast, "Removes the expiration time for each specified field",
       HPersist},
  };
  for (const Row& r : rows) {
    table.Register({.name = r.name,
                    .arity = r.arity,
                    .flags = r.flags,
                    .keys = {1, 1, 1},
                    .acl = kAcl,
                    .group = "hash",
                    .since = "7.4.0",
                    .summary = r.summary,
                    .complexity = kComplexity,
                    .handler = r.handler});
  }
}

}  // namespace basalt
