// Set commands: SADD, SREM, SMEMBERS, SISMEMBER, SMISMEMBER, SCARD, SPOP, SRANDMEMBER,
// SMOVE, SINTER, SINTERCARD, SINTERSTORE, SUNION, SUNIONSTORE, SDIFF, SDIFFSTORE, SSCAN.
//
// Replies are Redis 7.0's (RESP3 sets where Redis sends sets: SMEMBERS, SINTER, SUNION,
// SDIFF, SPOP with a count); encodings are Redis 7.2's (types/set.h). Dirty counts follow
// t_set.c: SADD/SREM count members, SPOP the members popped, SMOVE one per key changed, the
// STORE variants one per destination written or deleted.
#include "types/set.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "commands/keyspace_events.h"
#include "commands/registry.h"
#include "commands/scan_options.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "util/strconv.h"

namespace basalt {

namespace {

constexpr std::string_view kErrNotPositive = "ERR value is out of range, must be positive";

SetLimits Limits(CommandContext& ctx) {
  const ServerConfig& c = ctx.server.config();
  return SetLimits{.max_intset_entries = c.set_max_intset_entries,
                   .max_listpack_entries = c.set_max_listpack_entries,
                   .max_listpack_value = c.set_max_listpack_value};
}

// Stores a freshly built set under `key` (replacing whatever was there, TTL included).
void StoreSet(CommandContext& ctx, std::string_view key, Value set) {
  set.set_lru(static_cast<uint32_t>(ctx.server.lru_clock()));
  ctx.db().Set(key, std::move(set), ctx.now_ms());
}

// Replies the members of `set` as a set (an array in RESP2).
void ReplySetMembers(CommandContext& ctx, const Value& set) {
  ctx.reply.SetHeader(static_cast<int64_t>(SetSize(set)));
  ForEachSetMember(set, [&ctx](std::string_view m) { ctx.reply.Bulk(m); });
}

// Looks up the sets named by `keys` for reading: nullptr for a missing key. Replies
// WRONGTYPE and returns false at the first key holding another type.
bool LookupSets(CommandContext& ctx, std::span<const std::string_view> keys,
                std::vector<const Value*>* sets) {
  sets->clear();
  for (std::string_view key : keys) {
    DbEntry* e = ctx.LookupRead(key);
    if (e != nullptr && !ctx.CheckType(e, ValueType::kSet)) return false;
    sets->push_back(e == nullptr ? nullptr : &e->value);
  }
  return true;
}

// The result of a STORE variant: kept if non-empty, else the destination is deleted.
void FinishStore(CommandContext& ctx, std::string_view dst, Value result) {
  const size_t size = SetSize(result);
  if (size > 0) {
    StoreSet(ctx, dst, std::move(result));
    ctx.AddDirty();
    ctx.reply.Integer(static_cast<int64_t>(size));
    return;
  }
  if (ctx.db().Delete(dst)) {
    ctx.AddDirty();
    ctx.NotifyInstead(kEvDel, dst);
  }
  ctx.reply.Integer(0);
}

// ---------------------------------------------------------------------------------------------
// Single-key commands

// SADD key member [member ...]
void SAdd(CommandContext& ctx) {
  const SetLimits limits = Limits(ctx);
  DbEntry* e = ctx.LookupWrite(ctx.argv[1]);
  if (e != nullptr && !ctx.CheckType(e, ValueType::kSet)) return;
  const size_t members = ctx.argc() - 2;
  if (e == nullptr) {
    Value set = NewSet(ctx.argv[2], members, limits);
    set.set_lru(static_cast<uint32_t>(ctx.server.lru_clock()));
    e = ctx.db().Add(ctx.argv[1], std::move(set));
  } else {
    SetMaybeConvert(e->value, members, limits);
  }
  int64_t added = 0;
  for (size_t i = 2; i < ctx.argc(); ++i) added += SetAdd(e->value, ctx.argv[i], limits);
  ctx.AddDirty(added);
  ctx.reply.Integer(added);
}

// SREM key member [member ...]
void SRem(CommandContext& ctx) {
  DbEntry* e = ctx.LookupWrite(ctx.argv[1]);
  if (e == nullptr) return ctx.reply.Integer(0);
  if (!ctx.CheckType(e, ValueType::kSet)) return;
  int64_t removed = 0;
  for (size_t i = 2; i < ctx.argc(); ++i) {
    if (!SetRemove(e->value, ctx.argv[i])) continue;
    ++removed;
    if (SetSize(e->value) == 0) {
      ctx.db().Delete(ctx.argv[1]);
      ctx.Notify(kEvDel, ctx.argv[1]);
      break;
    }
  }
  ctx.AddDirty(removed);
  ctx.reply.Integer(removed);
}

// SMEMBERS key
void SMembers(CommandContext& ctx) {
  DbEntry* e = ctx.LookupRead(ctx.argv[1]);
  if (e == nullptr) return ctx.reply.SetHeader(0);
  if (!ctx.CheckType(e, ValueType::kSet)) return;
  ReplySetMembers(ctx, e->value);
}

// SISMEMBER key member
void SIsMember(CommandContext& ctx) {
  DbEntry* e = ctx.LookupRead(ctx.argv[1]);
  if (e == nullptr) return ctx.reply.Integer(0);
  if (!ctx.CheckType(e, ValueType::kSet)) return;
  ctx.reply.Integer(SetContains(e->value, ctx.argv[2]) ? 1 : 0);
}

// SMISMEMBER key member [member ...]
void SMIsMember(CommandContext& ctx) {
  DbEntry* e = ctx.LookupRead(ctx.argv[1]);
  if (e != nullptr && !ctx.CheckType(e, ValueType::kSet)) return;
  ctx.reply.ArrayHeader(static_cast<int64_t>(ctx.argc() - 2));
  for (size_t i = 2; i < ctx.argc(); ++i) {
    ctx.reply.Integer(e != nullptr && SetContains(e->value, ctx.argv[i]) ? 1 : 0);
  }
}

// SCARD key
void SCard(CommandContext& ctx) {
  DbEntry* e = ctx.LookupRead(ctx.argv[1]);
  if (e == nullptr) return ctx.reply.Integer(0);
  if (!ctx.CheckType(e, ValueType::kSet)) return;
  ctx.reply.Integer(static_cast<int64_t>(SetSize(e->value)));
}

// SPOP key count
void SPopWithCount(CommandContext& ctx) {
  std::optional<int64_t> parsed = ParseInt64(ctx.argv[2]);
  if (!parsed || *parsed < 0) return ctx.Error(kErrNotPositive);
  const auto count = static_cast<uint64_t>(*parsed);
  DbEntry* e = ctx.LookupWrite(ctx.argv[1]);
  if (e == nullptr) return ctx.reply.SetHeader(0);
  if (!ctx.CheckType(e, ValueType::kSet)) return;
  if (count == 0) return ctx.reply.SetHeader(0);

  const size_t size = SetSize(e->value);
  if (count >= size) {
    // Everything: reply the whole set and delete the key.
    ctx.AddDirty(size);
    ReplySetMembers(ctx, e->value);
    ctx.db().Delete(ctx.argv[1]);
    ctx.Notify(kEvDel, ctx.argv[1]);
    ctx.PropagateAsDeletion(ctx.argv[1], ctx.server.config().lazyfree_lazy_server_del);
    return;
  }
  ctx.AddDirty(count);
  std::vector<std::string> popped =
      SetPopRandomMembers(e->value, count, ctx.server.rng(), Limits(ctx));
  ctx.reply.SetHeader(static_cast<int64_t>(popped.size()));
  for (const std::string& m : popped) ctx.reply.Bulk(m);
  // The members drawn, as SREMs of up to 1024 members each (as Redis batches them).
  ctx.PreventPropagation();
  if (!ctx.propagating()) return;
  constexpr size_t kBatch = 1024;
  std::vector<std::string_view> argv;
  for (size_t i = 0; i < popped.size(); i += kBatch) {
    argv.assign({"SREM", ctx.argv[1]});
    for (size_t j = i; j < std::min(popped.size(), i + kBatch); ++j) argv.push_back(popped[j]);
    ctx.PropagateAs(argv);
  }
}

// SPOP key [count]
void SPop(CommandContext& ctx) {
  if (ctx.argc() == 3) return SPopWithCount(ctx);
  if (ctx.argc() > 3) return ctx.Error(kErrSyntax);
  DbEntry* e = ctx.LookupWrite(ctx.argv[1]);
  if (e == nullptr) return ctx.reply.Null();
  if (!ctx.CheckType(e, ValueType::kSet)) return;
  const std::string popped = SetPopRandom(e->value, ctx.server.rng());
  ctx.reply.Bulk(popped);
  ctx.PropagateAs({"SREM", ctx.argv[1], popped});
  if (SetSize(e->value) == 0) {
    ctx.db().Delete(ctx.argv[1]);
    ctx.Notify(kEvDel, ctx.argv[1]);
  }
  ctx.AddDirty();
}

// SRANDMEMBER key count
void SRandMemberWithCount(CommandContext& ctx) {
  std::optional<int64_t> parsed = ParseInt64(ctx.argv[2]);
  if (!parsed) return ctx.Error(kErrNotInteger);
  // -LONG_MIN has no positive counterpart: Redis bounds the count to +-LONG_MAX.
  if (*parsed == INT64_MIN) {
    return ctx.Error(
        "ERR value is out of range, value must between -9223372036854775807 and "
        "9223372036854775807");
  }
  const bool distinct = *parsed >= 0;
  const uint64_t count =
      distinct ? static_cast<uint64_t>(*parsed) : -static_cast<uint64_t>(*parsed);

  DbEntry* e = ctx.LookupRead(ctx.argv[1]);
  if (e == nullptr) return ctx.reply.EmptyArray();
  if (!ctx.CheckType(e, ValueType::kSet)) return;
  if (count == 0) return ctx.reply.EmptyArray();
  const Value& set = e->value;

  // A negative count: independent draws, repeats allowed.
  if (!distinct || count == 1) {
    ctx.reply.ArrayHeader(static_cast<int64_t>(count));
    for (uint64_t i = 0; i < count; ++i) ctx.reply.Bulk(SetRandomMember(set, ctx.server.rng()));
    return;
  }
  const size_t size = SetSize(set);
  if (count >= size) {
    ctx.reply.ArrayHeader(static_cast<int64_t>(size));
    ForEachSetMember(set, [&ctx](std::string_view m) { ctx.reply.Bulk(m); });
    return;
  }
  std::vector<std::string> picked = SetRandomDistinctMembers(set, count, ctx.server.rng());
  ctx.reply.ArrayHeader(static_cast<int64_t>(picked.size()));
  for (const std::string& m : picked) ctx.reply.Bulk(m);
}

// SRANDMEMBER key [count]
void SRandMember(CommandContext& ctx) {
  if (ctx.argc() == 3) return SRandMemberWithCount(ctx);
  if (ctx.argc() > 3) return ctx.Error(kErrSyntax);
  DbEntry* e = ctx.LookupRead(ctx.argv[1]);
  if (e == nullptr) return ctx.reply.Null();
  if (!ctx.CheckType(e, ValueType::kSet)) return;
  ctx.reply.Bulk(SetRandomMember(e->value, ctx.server.rng()));
}

// SMOVE source destination member
void SMove(CommandContext& ctx) {
  std::string_view member = ctx.argv[3];
  DbEntry* src = ctx.LookupWrite(ctx.argv[1]);
  DbEntry* dst = ctx.LookupWrite(ctx.argv[2]);
  if (src == nullptr) return ctx.reply.Integer(0);
  if (!ctx.CheckType(src, ValueType::kSet)) return;
  if (dst != nullptr && !ctx.CheckType(dst, ValueType::kSet)) return;
  if (src == dst) return ctx.reply.Integer(SetContains(src->value, member) ? 1 : 0);
  if (!SetRemove(src->value, member)) return ctx.reply.Integer(0);
  ctx.Notify(kEvSRem, ctx.argv[1]);
  if (SetSize(src->value) == 0) {
    ctx.db().Delete(ctx.argv[1]);  // dst is another entry
    ctx.Notify(kEvDel, ctx.argv[1]);
  }
  ctx.KeyModified(ctx.argv[1]);
  const SetLimits limits = Limits(ctx);
  if (dst == nullptr) {
    Value set = NewSet(member, 1, limits);
    set.set_lru(static_cast<uint32_t>(ctx.server.lru_clock()));
    dst = ctx.db().Add(ctx.argv[2], std::move(set));
  }
  ctx.AddDirty();
  if (SetAdd(dst->value, member, limits)) {
    ctx.AddDirty();
    // Only now is the destination modified: a WATCH on it survives a no-op move.
    ctx.KeyModified(ctx.argv[2]);
    ctx.Notify(kEvSAdd, ctx.argv[2]);
  }
  ctx.reply.Integer(1);
}

// ---------------------------------------------------------------------------------------------
// Multi-set operations

// SINTER, SINTERSTORE (dst set) and SINTERCARD (cardinality_only, limit: 0 = none).
void SInterGeneric(CommandContext& ctx, std::span<const std::string_view> keys,
                   std::optional<std::string_view> dst, bool cardinality_only, uint64_t limit) {
  std::vector<const Value*> sets;
  if (!LookupSets(ctx, keys, &sets)) return;
  // Intersecting with an empty (missing) set gives an empty set.
  if (std::find(sets.begin(), sets.end(), nullptr) != sets.end()) {
    if (dst) {
      if (ctx.db().Delete(*dst)) {
        ctx.AddDirty();
        ctx.NotifyInstead(kEvDel, *dst);
      }
      ctx.reply.Integer(0);
    } else if (cardinality_only) {
      ctx.reply.Integer(0);
    } else {
      ctx.reply.SetHeader(0);
    }
    return;
  }
  // Walk the smallest set, probing the others.
  std::stable_sort(sets.begin(), sets.end(),
                   [](const Value* a, const Value* b) { return SetSize(*a) < SetSize(*b); });
  const Value& first = *sets[0];
  auto in_all = [&sets](std::string_view m) {
    for (size_t j = 1; j < sets.size(); ++j) {
      if (sets[j] != sets[0] && !SetContains(*sets[j], m)) return false;
    }
    return true;
  };

  if (cardinality_only) {
    uint64_t cardinality = 0;
    ForEachSetMember(first, [&](std::string_view m) {
      if (in_all(m)) ++cardinality;
      return limit == 0 || cardinality < limit;
    });
    ctx.reply.Integer(static_cast<int64_t>(cardinality));
    return;
  }
  if (!dst) {
    std::vector<std::string> result;
    ForEachSetMember(first, [&](std::string_view m) {
      if (in_all(m)) result.emplace_back(m);
    });
    ctx.reply.SetHeader(static_cast<int64_t>(result.size()));
    for (const std::string& m : result) ctx.reply.Bulk(m);
    return;
  }
  // The destination starts as an intset when the smallest set is one (the result then holds
  // only integers), else as a listpack; it ends as an intset whenever it can.
  const SetLimits limits = Limits(ctx);
  Value result = first.encoding() == Encoding::kIntset ? NewIntsetSet() : NewListpackSet();
  bool only_integers = true;
  ForEachSetMember(first, [&](std::string_view m) {
    if (!in_all(m)) return;
    if (only_integers && !ParseInt64(m)) only_integers = false;
    SetAdd(result, m, limits);
  });
  if (SetSize(result) > 0) {
    if (only_integers) SetMaybeConvertToIntset(result, limits);
    SetShrinkToFit(result);
  }
  FinishStore(ctx, *dst, std::move(result));
}

// SINTER key [key ...]
void SInter(CommandContext& ctx) {
  SInterGeneric(ctx, ctx.argv.subspan(1), std::nullopt, false, 0);
}

// SINTERSTORE destination key [key ...]
void SInterStore(CommandContext& ctx) {
  SInterGeneric(ctx, ctx.argv.subspan(2), ctx.argv[1], false, 0);
}

// SINTERCARD numkeys key [key ...] [LIMIT limit]
void SInterCard(CommandContext& ctx) {
  std::optional<int64_t> numkeys = ParseInt64(ctx.argv[1]);
  if (!numkeys || *numkeys < 1) return ctx.Error("ERR numkeys should be greater than 0");
  if (static_cast<uint64_t>(*numkeys) > ctx.argc() - 2) {
    return ctx.Error("ERR Number of keys can't be greater than number of args");
  }
  uint64_t limit = 0;
  for (size_t j = 2 + static_cast<size_t>(*numkeys); j < ctx.argc(); ++j) {
    const bool more = j + 1 < ctx.argc();
    if (EqualsIgnoreCase(ctx.argv[j], "limit") && more) {
      std::optional<int64_t> v = ParseInt64(ctx.argv[++j]);
      if (!v || *v < 0) return ctx.Error("ERR LIMIT can't be negative");
      limit = static_cast<uint64_t>(*v);
    } else {
      return ctx.Error(kErrSyntax);
    }
  }
  SInterGeneric(ctx, ctx.argv.subspan(2, static_cast<size_t>(*numkeys)), std::nullopt, true, limit);
}

enum class SetOp { kUnion, kDiff };

// SUNION, SDIFF and their STORE variants (dst set).
void SUnionDiffGeneric(CommandContext& ctx, std::span<const std::string_view> keys,
                       std::optional<std::string_view> dst, SetOp op) {
  std::vector<const Value*> sets;
  if (!LookupSets(ctx, keys, &sets)) return;
  bool same_as_first = false;  // a later key names the first set: the difference is empty
  for (size_t j = 1; j < sets.size(); ++j) {
    if (sets[0] != nullptr && sets[j] == sets[0]) same_as_first = true;
  }

  const SetLimits limits = Limits(ctx);
  Value result = NewIntsetSet();
  if (op == SetOp::kUnion) {
    for (const Value* s : sets) {
      if (s == nullptr) continue;
      ForEachSetMember(*s, [&](std::string_view m) { SetAdd(result, m, limits); });
    }
  } else if (sets[0] != nullptr && !same_as_first) {
    // Two ways, as Redis picks them: probe each member of the first set in the others
    // (N*M, cheaper per step, favoured by halving its estimate), or copy the first set and
    // remove everything the others hold (total size).
    uint64_t probe_work = 0;
    uint64_t remove_work = 0;
    for (const Value* s : sets) {
      if (s == nullptr) continue;
      probe_work += SetSize(*sets[0]);
      remove_work += SetSize(*s);
    }
    if (probe_work / 2 <= remove_work) {
      // Biggest sets first: a member they hold is rejected sooner.
      std::stable_sort(sets.begin() + 1, sets.end(), [](const Value* a, const Value* b) {
        return (a ? SetSize(*a) : 0) > (b ? SetSize(*b) : 0);
      });
      ForEachSetMember(*sets[0], [&](std::string_view m) {
        for (size_t j = 1; j < sets.size(); ++j) {
          if (sets[j] != nullptr && SetContains(*sets[j], m)) return;
        }
        SetAdd(result, m, limits);
      });
    } else {
      ForEachSetMember(*sets[0], [&](std::string_view m) { SetAdd(result, m, limits); });
      for (size_t j = 1; j < sets.size() && SetSize(result) > 0; ++j) {
        if (sets[j] == nullptr) continue;
        ForEachSetMember(*sets[j], [&](std::string_view m) { SetRemove(result, m); });
      }
    }
  }

  if (!dst) return ReplySetMembers(ctx, result);
  FinishStore(ctx, *dst, std::move(result));
}

// SUNION key [key ...]
void SUnion(CommandContext& ctx) {
  SUnionDiffGeneric(ctx, ctx.argv.subspan(1), std::nullopt, SetOp::kUnion);
}
// SUNIONSTORE destination key [key ...]
void SUnionStore(CommandContext& ctx) {
  SUnionDiffGeneric(ctx, ctx.argv.subspan(2), ctx.argv[1], SetOp::kUnion);
}
// SDIFF key [key ...]
void SDiff(CommandContext& ctx) {
  SUnionDiffGeneric(ctx, ctx.argv.subspan(1), std::nullopt, SetOp::kDiff);
}
// SDIFFSTORE destination key [key ...]
void SDiffStore(CommandContext& ctx) {
  SUnionDiffGeneric(ctx, ctx.argv.subspan(2), ctx.argv[1], SetOp::kDiff);
}

// SSCAN key cursor [MATCH pattern] [COUNT count]
void SScan(CommandContext& ctx) {
  // Redis checks the cursor first, then the key, and the options only for an existing set:
  // validate the cursor alone through a context that ends at it.
  CommandContext cursor_only(ctx.server, ctx.client, ctx.spec, ctx.argv.first(3));
  if (!ParseScanOptions(cursor_only, 2, ScanKind::kSet)) return;
  DbEntry* e = ctx.LookupRead(ctx.argv[1]);
  if (e == nullptr) {
    ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk("0");
    return ctx.reply.ArrayHeader(0);
  }
  if (!ctx.CheckType(e, ValueType::kSet)) return;
  std::optional<ScanOptions> opts = ParseScanOptions(ctx, 2, ScanKind::kSet);
  if (!opts) return;

  std::vector<std::string> found;
  uint64_t cursor = 0;
  if (e->value.encoding() == Encoding::kHashtable) {
    // Walk buckets until about COUNT members came up, visiting at most COUNT * 10 buckets.
    const StringSet& table = e->value.object<StringSet>();
    const auto count = static_cast<uint64_t>(opts->count);
    uint64_t max_steps = count * 10;
    cursor = opts->cursor;
    do {
      cursor = table.Scan(cursor, [&found](std::string_view m) { found.emplace_back(m); });
    } while (cursor != 0 && max_steps-- > 0 && found.size() < count);
  } else {
    // Compact encodings come back whole, with cursor 0.
    ForEachSetMember(e->value, [&found](std::string_view m) { found.emplace_back(m); });
  }
  if (opts->match) {
    std::erase_if(found, [&opts](const std::string& m) { return !opts->Matches(m); });
  }
  ctx.reply.ArrayHeader(2);
  ctx.reply.Bulk(Int64ToString(static_cast<int64_t>(cursor)));
  ctx.reply.ArrayHeader(static_cast<int64_t>(found.size()));
  for (const std::string& m : found) ctx.reply.Bulk(m);
}

}  // namespace

void RegisterSetCommands(CommandTable& table) {
  const std::string kInterComplexity =
      "O(N*M) worst case where N is the cardinality of the smallest set and M is the number "
      "of sets.";
  const std::string kTotalComplexity =
      "O(N) where N is the total number of elements in all given sets.";
  table.Register({.name = "sadd",
                  .arity = -3,
                  .flags = kCmdWrite | kCmdDenyOom | kCmdFast,
                  .keys = {1, 1, 1},
                  .acl = kAclSet,
                  .group = "set",
                  .since = "1.0.0",
                  .summary = "Add one or more members to a set",
                  .complexity = "O(1) for each element added, so O(N) to add N elements when "
                                "the command is called with multiple arguments.",
                  .handler = SAdd});
  table.Register({.name = "srem",
                  .arity = -3,
                  .flags = kCmdWrite | kCmdFast,
                  .keys = {1, 1, 1},
                  .acl = kAclSet,
                  .group = "set",
                  .since = "1.0.0",
                  .summary = "Remove one or more members from a set",
                  .complexity = "O(N) where N is the number of members to be removed.",
                  .handler = SRem});
  table.Register({.name = "smembers",
                  .arity = 2,
                  .flags = kCmdReadOnly,
                  .keys = {1, 1, 1},
                  .acl = kAclSet,
                  .group = "set",
                  .since = "1.0.0",
                  .summary = "Get all the members in a set",
                  .complexity = "O(N) where N is the set cardinality.",
                  .handler = SMembers});
  table.Register({.name = "sismember",
                  .arity = 3,
                  .flags = kCmdReadOnly | kCmdFast,
                  .keys = {1, 1, 1},
                  .acl = kAclSet,
                  .group = "set",
                  .since = "1.0.0",
                  .summary = "Determine if a given value is a member of a set",
                  .complexity = "O(1)",
                  .handler = SIsMember});
  table.Register({.name = "smismember",
                  .arity = -3,
                  .flags = kCmdReadOnly | kCmdFast,
                  .keys = {1, 1, 1},
                  .acl = kAclSet,
                  .group = "set",
                  .since = "6.2.0",
                  .summary = "Returns the membership associated with the given elements for a "
                             "set",
                  .complexity = "O(N) where N is the number of elements being checked for "
                                "membership",
                  .handler = SMIsMember});
  table.Register({.name = "scard",
                  .arity = 2,
                  .flags = kCmdReadOnly | kCmdFast,
                  .keys = {1, 1, 1},
                  .acl = kAclSet,
                  .group = "set",
                  .since = "1.0.0",
                  .summary = "Get the number of members in a set",
                  .complexity = "O(1)",
                  .handler = SCard});
  table.Register({.name = "spop",
                  .arity = -2,
                  .flags = kCmdWrite | kCmdFast,
                  .keys = {1, 1, 1},
                  .acl = kAclSet,
                  .group = "set",
                  .since = "1.0.0",
                  .summary = "Remove and return one or multiple random members from a set",
                  .complexity = "Without the count argument O(1), otherwise O(N) where N is the "
                                "value of the passed count.",
                  .handler = SPop});
  table.Register({.name = "srandmember",
                  .arity = -2,
                  .flags = kCmdReadOnly,
                  .keys = {1, 1, 1},
                  .acl = kAclSet,
                  .group = "set",
                  .since = "1.0.0",
                  .summary = "Get one or multiple random members from a set",
                  .complexity = "Without the count argument O(1), otherwise O(N) where N is the "
                                "absolute value of the passed count.",
                  .handler = SRandMember});
  table.Register({.name = "smove",
                  .arity = 4,
                  .flags = kCmdWrite | kCmdFast,
                  .keys = {1, 2, 1},
                  .acl = kAclSet,
                  .group = "set",
                  .since = "1.0.0",
                  .summary = "Move a member from one set to another",
                  .complexity = "O(1)",
                  .handler = SMove,
                  .written_keys = WrittenKeys::kNone});
  table.Register({.name = "sinter",
                  .arity = -2,
                  .flags = kCmdReadOnly,
                  .keys = {1, -1, 1},
                  .acl = kAclSet,
                  .group = "set",
                  .since = "1.0.0",
                  .summary = "Intersect multiple sets",
                  .complexity = kInterComplexity,
                  .handler = SInter});
  table.Register({.name = "sintercard",
                  .arity = -3,
                  .flags = kCmdReadOnly | kCmdMovableKeys,
                  .keys = {0, 0, 0},
                  .acl = kAclSet,
                  .group = "set",
                  .since = "7.0.0",
                  .summary = "Intersect multiple sets and return the cardinality of the result",
                  .complexity = kInterComplexity,
                  .handler = SInterCard,
                  .find_keys = NumKeysFinder<1>});
  table.Register({.name = "sinterstore",
                  .arity = -3,
                  .flags = kCmdWrite | kCmdDenyOom,
                  .keys = {1, -1, 1},
                  .acl = kAclSet,
                  .group = "set",
                  .since = "1.0.0",
                  .summary = "Intersect multiple sets and store the resulting set in a key",
                  .complexity = kInterComplexity,
                  .handler = SInterStore,
                  .written_keys = WrittenKeys::kFirst});
  table.Register({.name = "sunion",
                  .arity = -2,
                  .flags = kCmdReadOnly,
                  .keys = {1, -1, 1},
                  .acl = kAclSet,
                  .group = "set",
                  .since = "1.0.0",
                  .summary = "Add multiple sets",
                  .complexity = kTotalComplexity,
                  .handler = SUnion});
  table.Register({.name = "sunionstore",
                  .arity = -3,
                  .flags = kCmdWrite | kCmdDenyOom,
                  .keys = {1, -1, 1},
                  .acl = kAclSet,
                  .group = "set",
                  .since = "1.0.0",
                  .summary = "Add multiple sets and store the resulting set in a key",
                  .complexity = kTotalComplexity,
                  .handler = SUnionStore,
                  .written_keys = WrittenKeys::kFirst});
  table.Register({.name = "sdiff",
                  .arity = -2,
                  .flags = kCmdReadOnly,
                  .keys = {1, -1, 1},
                  .acl = kAclSet,
                  .group = "set",
                  .since = "1.0.0",
                  .summary = "Subtract multiple sets",
                  .complexity = kTotalComplexity,
                  .handler = SDiff});
  table.Register({.name = "sdiffstore",
                  .arity = -3,
                  .flags = kCmdWrite | kCmdDenyOom,
                  .keys = {1, -1, 1},
                  .acl = kAclSet,
                  .group = "set",
                  .since = "1.0.0",
                  .summary = "Subtract multiple sets and store the resulting set in a key",
                  .complexity = kTotalComplexity,
                  .handler = SDiffStore,
                  .written_keys = WrittenKeys::kFirst});
  table.Register({.name = "sscan",
                  .arity = -3,
                  .flags = kCmdReadOnly,
                  .keys = {1, 1, 1},
                  .acl = kAclSet,
                  .group = "set",
                  .since = "2.8.0",
                  .summary = "Incrementally iterate Set elements",
                  .complexity = "O(1) for every call. O(N) for a complete iteration, including "
                                "enough command calls for the cursor to return back to 0. N is "
                                "the number of elements inside the collection..",
                  .handler = SScan});
}

}  // namespace basalt
