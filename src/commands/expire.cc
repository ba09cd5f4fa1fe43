// The expiry commands; see expire.h. Semantics follow Redis 7.0's expire.c:
//
// - Options are checked before the time argument, so "EXPIRE k abc FOO" reports FOO.
// - The deadline is computed in milliseconds with overflow checks ("invalid expire time").
// - A deadline already past deletes the key and still replies 1 (a delete, not an expiry:
//   expired_keys does not move).
// - GT treats a key without TTL as an infinite TTL (never greater), LT as infinite too (so
//   any deadline is less).
#include "commands/expire.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "commands/keyspace_events.h"
#include "db/database.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "util/strconv.h"

namespace basalt {
namespace {

enum ExpireFlag : unsigned {
  kExpireNx = 1 << 0,
  kExpireXx = 1 << 1,
  kExpireGt = 1 << 2,
  kExpireLt = 1 << 3,
};

// The NX/XX/GT/LT options after the time, or nullopt after replying an error.
std::optional<unsigned> ParseExpireFlagsOrReply(CommandContext& ctx) {
  unsigned flags = 0;
  for (size_t i = 3; i < ctx.argc(); ++i) {
    std::string_view opt = ctx.argv[i];
    if (EqualsIgnoreCase(opt, "nx")) {
      flags |= kExpireNx;
    } else if (EqualsIgnoreCase(opt, "xx")) {
      flags |= kExpireXx;
    } else if (EqualsIgnoreCase(opt, "gt")) {
      flags |= kExpireGt;
    } else if (EqualsIgnoreCase(opt, "lt")) {
      flags |= kExpireLt;
    } else {
      ctx.Error("ERR Unsupported option " + std::string(opt));
      return std::nullopt;
    }
  }
  if ((flags & kExpireNx) && (flags & (kExpireXx | kExpireGt | kExpireLt))) {
    ctx.Error("ERR NX and XX, GT or LT options at the same time are not compatible");
    return std::nullopt;
  }
  if ((flags & kExpireGt) && (flags & kExpireLt)) {
    ctx.Error("ERR GT and LT options at the same time are not compatible");
    return std::nullopt;
  }
  return flags;
}

// Whether the options let a key whose deadline is `current` (kNoExpire: none) take `when`.
bool ExpireAllowed(unsigned flags, int64_t current, int64_t when) {
  const bool has_ttl = current != kNoExpire;
  if ((flags & kExpireNx) && has_ttl) return false;
  if ((flags & kExpireXx) && !has_ttl) return false;
  if ((flags & kExpireGt) && (!has_ttl || when <= current)) return false;
  if ((flags & kExpireLt) && has_ttl && when >= current) return false;
  return true;
}

// EXPIRE/PEXPIRE/EXPIREAT/PEXPIREAT key time [NX|XX|GT|LT]: `basetime_ms` is now for the
// relative forms and 0 for the absolute ones; `seconds` says the time is in seconds.
void ExpireGeneric(CommandContext& ctx, int64_t basetime_ms, bool seconds) {
  std::optional<unsigned> flags = ParseExpireFlagsOrReply(ctx);
  if (!flags) return;
  std::optional<int64_t> when = ParseInt64(ctx.argv[2]);
  if (!when) return ctx.Error(kErrNotInteger);
  auto invalid_time = [&ctx] {
    ctx.Error("ERR invalid expire time in '" + ctx.spec.full_name + "' command");
  };
  if (seconds) {
    if (*when > INT64_MAX / 1000 || *when < INT64_MIN / 1000) return invalid_time();
    *when *= 1000;
  }
  if (*when > INT64_MAX - basetime_ms) return invalid_time();
  *when += basetime_ms;

  std::string_view key = ctx.argv[1];
  DbEntry* e = ctx.LookupWrite(key);
  if (e == nullptr) return ctx.reply.Integer(0);
  if (!ExpireAllowed(*flags, e->expire_ms(), *when)) return ctx.reply.Integer(0);

  if (ctx.AlreadyExpired(*when)) {
    // An expiry in the past deletes now, under lazyfree-lazy-expire as Redis does.
    if (ctx.server.config().lazyfree_lazy_expire) ctx.server.lazyfree().MaybeFreeLater(e->value);
    ctx.db().DeleteNow(key);
    ctx.NotifyInstead(kEvDel, key);
    ctx.PropagateAsDeletion(key, ctx.server.config().lazyfree_lazy_expire);
  } else {
    ctx.db().SetExpire(e, *when);
    // As an absolute deadline, so that replaying it later sets the same one. The options
    // stay: they hold again where this one held.
    if (ctx.propagating()) {
      std::vector<std::string_view> argv(ctx.argv.begin(), ctx.argv.end());
      const std::string when_text = std::to_string(*when);
      argv[0] = "PEXPIREAT";
      argv[2] = when_text;
      ctx.PropagateAs(argv);
    }
  }
  ctx.AddDirty();
  ctx.reply.Integer(1);
}

void Expire(CommandContext& ctx) { ExpireGeneric(ctx, ctx.now_ms(), true); }
void PExpire(CommandContext& ctx) { ExpireGeneric(ctx, ctx.now_ms(), false); }
void ExpireAt(CommandContext& ctx) { ExpireGeneric(ctx, 0, true); }
void PExpireAt(CommandContext& ctx) { ExpireGeneric(ctx, 0, false); }

// TTL/PTTL/EXPIRETIME/PEXPIRETIME key: -2 when the key does not exist, -1 without a TTL,
// else the remaining time (`absolute`: the deadline), never negative. Seconds round to the
// nearest; unsigned arithmetic so that a deadline near INT64_MAX rounds as Redis prints it.
void TtlGeneric(CommandContext& ctx, bool millis, bool absolute) {
  DbEntry* e = ctx.db().LookupRead(ctx.argv[1], ctx.now_ms());  // no LRU touch, as Redis
  if (e == nullptr) return ctx.reply.Integer(-2);
  if (!e->has_expire()) return ctx.reply.Integer(-1);
  int64_t ttl = absolute ? e->expire_ms() : e->expire_ms() - ctx.now_ms();
  if (ttl < 0) ttl = 0;
  if (millis) return ctx.reply.Integer(ttl);
  ctx.reply.Integer(static_cast<int64_t>((static_cast<uint64_t>(ttl) + 500) / 1000));
}

void Ttl(CommandContext& ctx) { TtlGeneric(ctx, false, false); }
void PTtl(CommandContext& ctx) { TtlGeneric(ctx, true, false); }
void ExpireTime(CommandContext& ctx) { TtlGeneric(ctx, false, true); }
void PExpireTime(CommandContext& ctx) { TtlGeneric(ctx, true, true); }

// PERSIST key
void Persist(CommandContext& ctx) {
  DbEntry* e = ctx.LookupWrite(ctx.argv[1]);
  if (e == nullptr || !e->has_expire()) return ctx.reply.Integer(0);
  ctx.db().SetExpire(e, kNoExpire);
  ctx.AddDirty();
  ctx.reply.Integer(1);
}

CommandSpec ExpireSpec(std::string name, std::string since, std::string summary,
                       CommandHandler handler) {
  return {.name = std::move(name), .arity = -3, .flags = kCmdWrite | kCmdFast,
          .keys = {1, 1, 1}, .acl = kAclKeyspace, .group = "generic", .since = std::move(since),
          .summary = std::move(summary), .complexity = "O(1)", .handler = handler};
}

CommandSpec TtlSpec(std::string name, std::string since, std::string summary,
                    CommandHandler handler) {
  return {.name = std::move(name), .arity = 2, .flags = kCmdReadOnly | kCmdFast,
          .keys = {1, 1, 1}, .acl = kAclKeyspace, .group = "generic", .since = std::move(since),
          .summary = std::move(summary), .complexity = "O(1)", .handler = handler};
}

}  // namespace

void RegisterExpireCommands(CommandTable& table) {
  table.Register(ExpireSpec("expire", "1.0.0", "Set a key's time to live in seconds", Expire));
  table.Register(
      ExpireSpec("pexpire", "2.6.0", "Set a key's time to live in milliseconds", PExpire));
  table.Register(ExpireSpec("expireat", "1.2.0",
                            "Set the expiration for a key as a UNIX timestamp", ExpireAt));
  table.Register(ExpireSpec(
      "pexpireat", "2.6.0",
      "Set the expiration for a key as a UNIX timestamp specified in milliseconds", PExpireAt));
  table.Register(TtlSpec("ttl", "1.0.0", "Get the time to live for a key in seconds", Ttl));
  table.Register(
      TtlSpec("pttl", "2.6.0", "Get the time to live for a key in milliseconds", PTtl));
  table.Register(TtlSpec("expiretime", "7.0.0", "Get the expiration Unix timestamp for a key",
                         ExpireTime));
  table.Register(TtlSpec("pexpiretime", "7.0.0",
                         "Get the expiration Unix timestamp for a key in milliseconds",
                         PExpireTime));
  table.Register({.name = "persist", .arity = 2, .flags = kCmdWrite | kCmdFast,
                  .keys = {1, 1, 1}, .acl = kAclKeyspace, .group = "generic", .since = "2.2.0",
                  .summary = "Remove the expiration from a key", .complexity = "O(1)",
                  .handler = Persist});
}

}  // namespace basalt
