// The list commands: LPUSH ... LMPOP and the blocking BLPOP, BRPOP, BLMOVE, BRPOPLPUSH,
// BLMPOP, with redis-server 7.0's argument checks, error texts and reply shapes. The list
// operations themselves (and the encodings) live in types/list.h.
#include "types/list.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "commands/arg_parse.h"
#include "commands/keyspace_events.h"
#include "commands/registry.h"
#include "db/database.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "util/strconv.h"

namespace basalt {

namespace {

ListConfig Config(CommandContext& ctx) {
  const ServerConfig& c = ctx.server.config();
  return ListConfig{c.list_max_listpack_size, c.list_compress_depth};
}

// ---- argument parsing (integers: commands/arg_parse.h) -------------------------------------

// LEFT / RIGHT.
bool ParseEnd(CommandContext& ctx, std::string_view arg, ListEnd* out) {
  if (EqualsIgnoreCase(arg, "left")) {
    *out = ListEnd::kHead;
  } else if (EqualsIgnoreCase(arg, "right")) {
    *out = ListEnd::kTail;
  } else {
    ctx.Error(kErrSyntax);
    return false;
  }
  return true;
}

// ---- shared pieces -------------------------------------------------------------------------

void ReplyElement(ReplyBuilder& reply, const ListpackEntry& e) {
  if (e.is_int) {
    reply.BulkInt(e.ival);
  } else {
    reply.Bulk(e.sval);
  }
}

// Redis's addListRangeReply: elements start..end (inclusive, negative from the tail),
// reversed (end to start) when asked.
void ReplyRange(CommandContext& ctx, const Value& list, int64_t start, int64_t end, bool reverse) {
  const int64_t llen = static_cast<int64_t>(ListLength(list));
  if (start < 0) start = llen + start;
  if (end < 0) end = llen + end;
  if (start < 0) start = 0;
  if (start > end || start >= llen) return ctx.reply.EmptyArray();
  if (end >= llen) end = llen - 1;
  int64_t n = end - start + 1;
  ctx.reply.ArrayHeader(n);
  for (ListIterator it(list, reverse ? end : start, !reverse); n > 0 && !it.Done();
       it.Advance(), --n) {
    ReplyElement(ctx.reply, it.Get());
  }
}

// After `count` elements left the list under `key`: the empty-collection rule, or a
// possible conversion back to a listpack; and the dirty count.
void ElementsRemoved(CommandContext& ctx, std::string_view key, DbEntry* e, size_t count) {
  if (ListLength(e->value) == 0) {
    ctx.db().Delete(key);
    ctx.Notify(kEvDel, key);
  } else {
    ListAfterShrink(e->value, Config(ctx));
  }
  ctx.AddDirty(count);
}

// Looks `key` up for writing, creating an empty list when it does not exist.
// REQUIRES: the key does not hold another type.
DbEntry* LookupOrCreate(CommandContext& ctx, std::string_view key) {
  DbEntry* e = ctx.LookupWrite(key);
  if (e != nullptr) return e;
  Value v = NewList();
  v.set_lru(static_cast<uint32_t>(ctx.server.lru_clock()));
  return ctx.db().Add(key, std::move(v));
}

// Pops min(count, length) elements from one end and replies with them (an array).
void PopRangeReply(CommandContext& ctx, std::string_view key, DbEntry* e, ListEnd where,
                   int64_t count) {
  const int64_t llen = static_cast<int64_t>(ListLength(e->value));
  const int64_t n = std::min(count, llen);
  const bool head = where == ListEnd::kHead;
  ReplyRange(ctx, e->value, head ? 0 : -n, head ? n - 1 : -1, !head);
  ListDeleteRange(e->value, head ? 0 : -n, n);
  ElementsRemoved(ctx, key, e, static_cast<size_t>(n));
}

// ---- push ----------------------------------------------------------------------------------

// LPUSH/RPUSH/LPUSHX/RPUSHX key element [element ...]
void PushGeneric(CommandContext& ctx, ListEnd where, bool only_existing) {
  std::string_view key = ctx.argv[1];
  DbEntry* e = ctx.LookupWrite(key);
  if (e != nullptr && !ctx.CheckType(e, ValueType::kList)) return;
  if (e == nullptr) {
    if (only_existing) return ctx.reply.Integer(0);
    e = LookupOrCreate(ctx, key);
  }
  size_t bytes = 0;
  for (size_t i = 2; i < ctx.argc(); ++i) bytes += ctx.argv[i].size();
  ListPrepareGrowth(e->value, bytes, ctx.argc() - 2, Config(ctx));
  for (size_t i = 2; i < ctx.argc(); ++i) ListPush(e->value, ctx.argv[i], where);
  ctx.AddDirty(ctx.argc() - 2);
  ctx.reply.Integer(static_cast<int64_t>(ListLength(e->value)));
  ctx.SignalKeyReady(key);
}

void LPush(CommandContext& ctx) { PushGeneric(ctx, ListEnd::kHead, false); }
void RPush(CommandContext& ctx) { PushGeneric(ctx, ListEnd::kTail, false); }
void LPushX(CommandContext& ctx) { PushGeneric(ctx, ListEnd::kHead, true); }
void RPushX(CommandContext& ctx) { PushGeneric(ctx, ListEnd::kTail, true); }

// LINSERT key BEFORE|AFTER pivot element
void LInsert(CommandContext& ctx) {
  bool after;
  if (EqualsIgnoreCase(ctx.argv[2], "after")) {
    after = true;
  } else if (EqualsIgnoreCase(ctx.argv[2], "before")) {
    after = false;
  } else {
    return ctx.Error(kErrSyntax);
  }
  DbEntry* e = ctx.LookupWrite(ctx.argv[1]);
  if (e == nullptr) return ctx.reply.Integer(0);
  if (!ctx.CheckType(e, ValueType::kList)) return;
  if (!ListInsert(e->value, after, ctx.argv[3], ctx.argv[4], Config(ctx))) {
    return ctx.reply.Integer(-1);
  }
  ctx.AddDirty(1);
  ctx.SignalKeyReady(ctx.argv[1]);
  ctx.reply.Integer(static_cast<int64_t>(ListLength(e->value)));
}

// ---- read ----------------------------------------------------------------------------------

// LLEN key
void LLen(CommandContext& ctx) {
  DbEntry* e = ctx.LookupRead(ctx.argv[1]);
  if (e == nullptr) return ctx.reply.Integer(0);
  if (!ctx.CheckType(e, ValueType::kList)) return;
  ctx.reply.Integer(static_cast<int64_t>(ListLength(e->value)));
}

// LINDEX key index
void LIndex(CommandContext& ctx) {
  DbEntry* e = ctx.LookupRead(ctx.argv[1]);
  if (e == nullptr) return ctx.reply.Null();
  if (!ctx.CheckType(e, ValueType::kList)) return;
  int64_t index;
  if (!ParseIntegerOrReply(ctx, ctx.argv[2], &index)) return;
  ListIterator it(e->value, index, true);
  if (it.Done()) return ctx.reply.Null();
  ReplyElement(ctx.reply, it.Get());
}

// LRANGE key start stop
void LRange(CommandContext& ctx) {
  int64_t start;
  int64_t end;
  if (!ParseIntegerOrReply(ctx, ctx.argv[2], &start) || !ParseIntegerOrReply(ctx, ctx.argv[3], &end)) return;
  DbEntry* e = ctx.LookupRead(ctx.argv[1]);
  if (e == nullptr) return ctx.reply.EmptyArray();
  if (!ctx.CheckType(e, ValueType::kList)) return;
  ReplyRange(ctx, e->value, start, end, false);
}

// LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]
void LPos(CommandContext& ctx) {
  int64_t rank = 1;
  int64_t count = -1;  // -1: no COUNT option
  int64_t maxlen = 0;
  for (size_t j = 3; j < ctx.argc(); ++j) {
    std::string_view opt = ctx.argv[j];
    const bool more = j + 1 < ctx.argc();
    if (EqualsIgnoreCase(opt, "rank") && more) {
      if (!ParseIntegerOrReply(ctx, ctx.argv[++j], &rank)) return;
      if (rank == 0) {
        return ctx.Error(
            "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... "
            "or use negative to start from the end of the list");
      }
    } else if (EqualsIgnoreCase(opt, "count") && more) {
      if (!ParsePositiveOrReply(ctx, ctx.argv[++j], "COUNT can't be negative", &count)) return;
    } else if (EqualsIgnoreCase(opt, "maxlen") && more) {
      if (!ParsePositiveOrReply(ctx, ctx.argv[++j], "MAXLEN can't be negative", &maxlen)) return;
    } else {
      return ctx.Error(kErrSyntax);
    }
  }
  bool forward = true;
  // Redis 7.0 negates LONG_MIN into itself: every match then passes the rank, and a COUNT
  // never stops the scan. Reproduced without the overflow.
  bool unbounded_count = false;
  if (rank < 0) {
    forward = false;
    if (rank == INT64_MIN) {
      rank = 1;
      unbounded_count = true;
    } else {
      rank = -rank;
    }
  }

  DbEntry* e = ctx.LookupRead(ctx.argv[1]);
  if (e == nullptr) return count != -1 ? ctx.reply.EmptyArray() : ctx.reply.Null();
  if (!ctx.CheckType(e, ValueType::kList)) return;

  const int64_t llen = static_cast<int64_t>(ListLength(e->value));
  std::vector<int64_t> found;
  int64_t matches = 0;
  int64_t index = 0;
  std::string_view element = ctx.argv[2];
  for (ListIterator it(e->value, forward ? 0 : -1, forward);
       !it.Done() && (maxlen == 0 || index < maxlen); it.Advance(), ++index) {
    if (!it.Get().Equals(element)) continue;
    ++matches;
    if (matches < rank) continue;
    found.push_back(forward ? index : llen - index - 1);
    if (count == -1) break;
    if (count != 0 && !unbounded_count && matches - rank + 1 >= count) break;
  }
  if (count != -1) {
    ctx.reply.ArrayHeader(static_cast<int64_t>(found.size()));
    for (int64_t i : found) ctx.reply.Integer(i);
  } else if (!found.empty()) {
    ctx.reply.Integer(found[0]);
  } else {
    ctx.reply.Null();
  }
}

// ---- write ---------------------------------------------------------------------------------

// LSET key index element
void LSet(CommandContext& ctx) {
  DbEntry* e = ctx.LookupWrite(ctx.argv[1]);
  if (e == nullptr) return ctx.Error(kErrNoSuchKey);
  if (!ctx.CheckType(e, ValueType::kList)) return;
  int64_t index;
  if (!ParseIntegerOrReply(ctx, ctx.argv[2], &index)) return;
  if (!ListSet(e->value, index, ctx.argv[3], Config(ctx))) {
    return ctx.Error("ERR index out of range");
  }
  ctx.AddDirty(1);
  ctx.reply.Ok();
}

// LREM key count element
void LRem(CommandContext& ctx) {
  int64_t count;
  if (!ParseIntegerOrReply(ctx, ctx.argv[2], &count)) return;
  DbEntry* e = ctx.LookupWrite(ctx.argv[1]);
  if (e == nullptr) return ctx.reply.Integer(0);
  if (!ctx.CheckType(e, ValueType::kList)) return;
  size_t removed = ListRemove(e->value, count, ctx.argv[3]);
  if (removed > 0) ElementsRemoved(ctx, ctx.argv[1], e, removed);
  ctx.reply.Integer(static_cast<int64_t>(removed));
}

// LTRIM key start stop
void LTrim(CommandContext& ctx) {
  int64_t start;
  int64_t end;
  if (!ParseIntegerOrReply(ctx, ctx.argv[2], &start) || !ParseIntegerOrReply(ctx, ctx.argv[3], &end)) return;
  DbEntry* e = ctx.LookupWrite(ctx.argv[1]);
  if (e == nullptr) return ctx.reply.Ok();
  if (!ctx.CheckType(e, ValueType::kList)) return;
  const int64_t llen = static_cast<int64_t>(ListLength(e->value));
  if (start < 0) start = llen + start;
  if (end < 0) end = llen + end;
  if (start < 0) start = 0;
  int64_t ltrim;
  int64_t rtrim;
  if (start > end || start >= llen) {
    ltrim = llen;
    rtrim = 0;
  } else {
    if (end >= llen) end = llen - 1;
    ltrim = start;
    rtrim = llen - end - 1;
  }
  ListDeleteRange(e->value, 0, ltrim);
  ListDeleteRange(e->value, -rtrim, rtrim);
  // Redis raises "ltrim" even when nothing was trimmed (and counts no change).
  if (ltrim + rtrim == 0) ctx.NotifyInstead(kEvLTrim, ctx.argv[1]);
  ElementsRemoved(ctx, ctx.argv[1], e, static_cast<size_t>(ltrim + rtrim));
  ctx.reply.Ok();
}

// ---- pop -----------------------------------------------------------------------------------

// LPOP/RPOP key [count]
void PopGeneric(CommandContext& ctx, ListEnd where) {
  const bool has_count = ctx.argc() == 3;
  if (ctx.argc() > 3) {
    return ctx.Error("ERR wrong number of arguments for '" + ctx.spec.full_name + "' command");
  }
  int64_t count = 0;
  if (has_count && !ParsePositiveOrReply(ctx, ctx.argv[2], nullptr, &count)) return;
  DbEntry* e = ctx.LookupWrite(ctx.argv[1]);
  if (e == nullptr) return has_count ? ctx.reply.NullArray() : ctx.reply.Null();
  if (!ctx.CheckType(e, ValueType::kList)) return;
  if (has_count && count == 0) return ctx.reply.EmptyArray();
  if (!has_count) {
    std::string value = ListPop(e->value, where);
    ctx.reply.Bulk(value);
    ElementsRemoved(ctx, ctx.argv[1], e, 1);
  } else {
    PopRangeReply(ctx, ctx.argv[1], e, where, count);
  }
}

void LPop(CommandContext& ctx) { PopGeneric(ctx, ListEnd::kHead); }
void RPop(CommandContext& ctx) { PopGeneric(ctx, ListEnd::kTail); }

enum class PopOutcome { kServed, kError, kEmpty };

// Pops from the first of `keys` that holds a non-empty list: one element replied as
// [key, element] (count < 0), or up to `count` as [key, [elements]]. WRONGTYPE stops the
// walk at the first key of another type, as in Redis.
PopOutcome PopFromFirstList(CommandContext& ctx, std::span<const std::string_view> keys,
                            ListEnd where, int64_t count) {
  for (std::string_view key : keys) {
    DbEntry* e = ctx.LookupWrite(key);
    if (e == nullptr) continue;
    if (!ctx.CheckType(e, ValueType::kList)) return PopOutcome::kError;
    if (ListLength(e->value) == 0) continue;
    ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk(key);
    ctx.Notify(where == ListEnd::kHead ? kEvLPop : kEvRPop, key);  // before a "del"
    // A blocking or multi-key pop is replayed as the plain pop of the key it served.
    const std::string_view pop = where == ListEnd::kHead ? "LPOP" : "RPOP";
    if (count >= 0) {
      if (ctx.propagating()) {
        const int64_t n = std::min<int64_t>(count, static_cast<int64_t>(ListLength(e->value)));
        ctx.PropagateAs({pop, key, std::to_string(n)});
      }
      PopRangeReply(ctx, key, e, where, count);
    } else {
      ctx.PropagateAs({pop, key});
      std::string value = ListPop(e->value, where);
      ctx.reply.Bulk(value);
      ElementsRemoved(ctx, key, e, 1);
    }
    return PopOutcome::kServed;
  }
  return PopOutcome::kEmpty;
}

// BLPOP/BRPOP key [key ...] timeout
void BlockingPop(CommandContext& ctx, ListEnd where) {
  int64_t deadline;
  if (!ctx.ParseBlockTimeout(ctx.argv.back(), /*in_seconds=*/true, &deadline)) return;
  auto keys = ctx.argv.subspan(1, ctx.argc() - 2);
  if (PopFromFirstList(ctx, keys, where, -1) != PopOutcome::kEmpty) return;
  if (!ctx.CanBlock()) return ctx.reply.NullArray();
  ctx.BlockOn(keys, ValueType::kList, deadline, BlockTimeoutReply::kNullArray);
}

void BLPop(CommandContext& ctx) { BlockingPop(ctx, ListEnd::kHead); }
void BRPop(CommandContext& ctx) { BlockingPop(ctx, ListEnd::kTail); }

// LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]
// BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]
void MPopGeneric(CommandContext& ctx, size_t numkeys_idx, bool blocking) {
  int64_t numkeys;  // then the keys, then the direction
  if (!ParseNumKeysOrReply(ctx, numkeys_idx, /*args_after=*/1, &numkeys)) return;
  const size_t where_idx = numkeys_idx + static_cast<size_t>(numkeys) + 1;
  ListEnd where;
  if (!ParseEnd(ctx, ctx.argv[where_idx], &where)) return;
  int64_t count = -1;
  for (size_t j = where_idx + 1; j < ctx.argc(); ++j) {
    if (count == -1 && EqualsIgnoreCase(ctx.argv[j], "count") && j + 1 < ctx.argc()) {
      if (!ParseRangeOrReply(ctx, ctx.argv[++j], 1, INT64_MAX, "count should be greater than 0", &count)) {
        return;
      }
    } else {
      return ctx.Error(kErrSyntax);
    }
  }
  if (count == -1) count = 1;
  auto keys = ctx.argv.subspan(numkeys_idx + 1, static_cast<size_t>(numkeys));
  int64_t deadline = 0;
  if (blocking && !ctx.ParseBlockTimeout(ctx.argv[1], /*in_seconds=*/true, &deadline)) return;
  if (PopFromFirstList(ctx, keys, where, count) != PopOutcome::kEmpty) return;
  if (!blocking || !ctx.CanBlock()) return ctx.reply.NullArray();
  ctx.BlockOn(keys, ValueType::kList, deadline, BlockTimeoutReply::kNullArray);
}

void LMPop(CommandContext& ctx) { MPopGeneric(ctx, 1, false); }
void BLMPop(CommandContext& ctx) { MPopGeneric(ctx, 2, true); }

// ---- move ----------------------------------------------------------------------------------

// Pops from argv[1]'s `from` end and pushes onto argv[2]'s `to` end; replies the element.
void MoveGeneric(CommandContext& ctx, ListEnd from, ListEnd to) {
  std::string_view src_key = ctx.argv[1];
  std::string_view dst_key = ctx.argv[2];
  DbEntry* src = ctx.LookupWrite(src_key);
  if (src == nullptr) return ctx.reply.Null();
  if (!ctx.CheckType(src, ValueType::kList)) return;
  if (ListLength(src->value) == 0) return ctx.reply.Null();
  DbEntry* dst = ctx.LookupWrite(dst_key);
  if (dst != nullptr && !ctx.CheckType(dst, ValueType::kList)) return;
  std::string value = ListPop(src->value, from);
  if (dst == nullptr) dst = LookupOrCreate(ctx, dst_key);
  ListPrepareGrowth(dst->value, value.size(), 1, Config(ctx));
  ListPush(dst->value, value, to);
  ctx.SignalKeyReady(dst_key);
  ctx.reply.Bulk(value);
  ctx.Notify(to == ListEnd::kHead ? kEvLPush : kEvRPush, dst_key);
  ctx.Notify(from == ListEnd::kHead ? kEvLPop : kEvRPop, src_key);
  // The source goes (or shrinks) only now: it may be the destination too.
  ElementsRemoved(ctx, src_key, src, 1);
}

// LMOVE source destination LEFT|RIGHT LEFT|RIGHT
void LMove(CommandContext& ctx) {
  ListEnd from;
  ListEnd to;
  if (!ParseEnd(ctx, ctx.argv[3], &from) || !ParseEnd(ctx, ctx.argv[4], &to)) return;
  MoveGeneric(ctx, from, to);
}

// RPOPLPUSH source destination
void RPopLPush(CommandContext& ctx) { MoveGeneric(ctx, ListEnd::kTail, ListEnd::kHead); }

void BlockingMove(CommandContext& ctx, ListEnd from, ListEnd to, int64_t deadline) {
  DbEntry* src = ctx.LookupWrite(ctx.argv[1]);
  if (src != nullptr && !ctx.CheckType(src, ValueType::kList)) return;
  if (src != nullptr) {
    MoveGeneric(ctx, from, to);
    // Replayed as LMOVE (BLMOVE) or RPOPLPUSH (BRPOPLPUSH), without the timeout.
    if (ctx.dirty > 0) {
      std::vector<std::string_view> argv(ctx.argv.begin(), ctx.argv.end() - 1);
      argv[0] = argv.size() == 5 ? "LMOVE" : "RPOPLPUSH";
      ctx.PropagateAs(argv);
    }
    return;
  }
  if (!ctx.CanBlock()) return ctx.reply.Null();
  // Redis 7.0 answers a timed-out BLMOVE with a null array (as every blocked list command),
  // though a BLMOVE that may not block answers a null bulk.
  ctx.BlockOn(ctx.argv.subspan(1, 1), ValueType::kList, deadline, BlockTimeoutReply::kNullArray);
}

// BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout
void BLMove(CommandContext& ctx) {
  ListEnd from;
  ListEnd to;
  if (!ParseEnd(ctx, ctx.argv[3], &from) || !ParseEnd(ctx, ctx.argv[4], &to)) return;
  int64_t deadline;
  if (!ctx.ParseBlockTimeout(ctx.argv[5], /*in_seconds=*/true, &deadline)) return;
  BlockingMove(ctx, from, to, deadline);
}

// BRPOPLPUSH source destination timeout
void BRPopLPush(CommandContext& ctx) {
  int64_t deadline;
  if (!ctx.ParseBlockTimeout(ctx.argv[3], /*in_seconds=*/true, &deadline)) return;
  BlockingMove(ctx, ListEnd::kTail, ListEnd::kHead, deadline);
}

constexpr const char* kPushComplexity =
    "O(1) for each element added, so O(N) to add N elements when the command is called with "
    "multiple arguments.";

}  // namespace

void RegisterListCommands(CommandTable& table) {
  const uint64_t kWriteFast = kCmdWrite | kCmdDenyOom | kCmdFast;
  table.Register({.name = "lpush",
                  .arity = -3,
                  .flags = kWriteFast,
                  .keys = {1, 1, 1},
                  .acl = kAclList,
                  .group = "list",
                  .since = "1.0.0",
                  .summary = "Prepend one or multiple elements to a list",
                  .complexity = kPushComplexity,
                  .handler = LPush});
  table.Register({.name = "rpush",
                  .arity = -3,
                  .flags = kWriteFast,
                  .keys = {1, 1, 1},
                  .acl = kAclList,
                  .group = "list",
                  .since = "1.0.0",
                  .summary = "Append one or multiple elements to a list",
                  .complexity = kPushComplexity,
                  .handler = RPush});
  table.Register({.name = "lpushx",
                  .arity = -3,
                  .flags = kWriteFast,
                  .keys = {1, 1, 1},
                  .acl = kAclList,
                  .group = "list",
                  .since = "2.2.0",
                  .summary = "Prepend an element to a list, only if the list exists",
                  .complexity = kPushComplexity,
                  .handler = LPushX});
  table.Register({.name = "rpushx",
                  .arity = -3,
                  .flags = kWriteFast,
                  .keys = {1, 1, 1},
                  .acl = kAclList,
                  .group = "list",
                  .since = "2.2.0",
                  .summary = "Append an element to a list, only if the list exists",
                  .complexity = kPushComplexity,
                  .handler = RPushX});
  table.Register({.name = "lpop",
                  .arity = -2,
                  .flags = kCmdWrite | kCmdFast,
                  .keys = {1, 1, 1},
                  .acl = kAclList,
                  .group = "list",
                  .since = "1.0.0",
                  .summary = "Remove and get the first elements in a list",
                  .complexity = "O(N) where N is the number of elements returned",
                  .handler = LPop});
  table.Register({.name = "rpop",
                  .arity = -2,
                  .flags = kCmdWrite | kCmdFast,
                  .keys = {1, 1, 1},
                  .acl = kAclList,
                  .group = "list",
                  .since = "1.0.0",
                  .summary = "Remove and get the last elements in a list",
                  .complexity = "O(N) where N is the number of elements returned",
                  .handler = RPop});
  table.Register({.name = "llen",
                  .arity = 2,
                  .flags = kCmdReadOnly | kCmdFast,
                  .keys = {1, 1, 1},
                  .acl = kAclList,
                  .group = "list",
                  .since = "1.0.0",
                  .summary = "Get the length of a list",
                  .complexity = "O(1)",
                  .handler = LLen});
  table.Register({.name = "lrange",
                  .arity = 4,
                  .flags = kCmdReadOnly,
                  .keys = {1, 1, 1},
                  .acl = kAclList,
                  .group = "list",
                  .since = "1.0.0",
                  .summary = "Get a range of elements from a list",
                  .complexity =
                      "O(S+N) where S is the distance of start offset from HEAD for small lists, "
                      "from nearest end (HEAD or TAIL) for large lists; and N is the number of "
                      "elements in the specified range.",
                  .handler = LRange});
  table.Register({.name = "lindex",
                  .arity = 3,
                  .flags = kCmdReadOnly,
                  .keys = {1, 1, 1},
                  .acl = kAclList,
                  .group = "list",
                  .since = "1.0.0",
                  .summary = "Get an element from a list by its index",
                  .complexity =
                      "O(N) where N is the number of elements to traverse to get to the element "
                      "at index. This makes asking for the first or the last element of the list "
                      "O(1).",
                  .handler = LIndex});
  table.Register({.name = "lset",
                  .arity = 4,
                  .flags = kCmdWrite | kCmdDenyOom,
                  .keys = {1, 1, 1},
                  .acl = kAclList,
                  .group = "list",
                  .since = "1.0.0",
                  .summary = "Set the value of an element in a list by its index",
                  .complexity =
                      "O(N) where N is the length of the list. Setting either the first or the "
                      "last element of the list is O(1).",
                  .handler = LSet});
  table.Register({.name = "linsert",
                  .arity = 5,
                  .flags = kCmdWrite | kCmdDenyOom,
                  .keys = {1, 1, 1},
                  .acl = kAclList,
                  .group = "list",
                  .since = "2.2.0",
                  .summary = "Insert an element before or after another element in a list",
                  .complexity =
                      "O(N) where N is the number of elements to traverse before seeing the value "
                      "pivot. This means that inserting somewhere on the left end on the list "
                      "(head) can be considered O(1) and inserting somewhere on the right end "
                      "(tail) is O(N).",
                  .handler = LInsert});
  table.Register({.name = "lrem",
                  .arity = 4,
                  .flags = kCmdWrite,
                  .keys = {1, 1, 1},
                  .acl = kAclList,
                  .group = "list",
                  .since = "1.0.0",
                  .summary = "Remove elements from a list",
                  .complexity = "O(N+M) where N is the length of the list and M is the number of "
                                "elements removed.",
                  .handler = LRem});
  table.Register({.name = "ltrim",
                  .arity = 4,
                  .flags = kCmdWrite,
                  .keys = {1, 1, 1},
                  .acl = kAclList,
                  .group = "list",
                  .since = "1.0.0",
                  .summary = "Trim a list to the specified range",
                  .complexity = "O(N) where N is the number of elements to be removed by the "
                                "operation.",
                  .handler = LTrim});
  table.Register({.name = "lpos",
                  .arity = -3,
                  .flags = kCmdReadOnly,
                  .keys = {1, 1, 1},
                  .acl = kAclList,
                  .group = "list",
                  .since = "6.0.6",
                  .summary = "Return the index of matching elements on a list",
                  .complexity =
                      "O(N) where N is the number of elements in the list, for the average case. "
                      "When searching for elements near the head or the tail of the list, or when "
                      "the MAXLEN option is provided, the command may run in constant time.",
                  .handler = LPos});
  table.Register({.name = "lmove",
                  .arity = 5,
                  .flags = kCmdWrite | kCmdDenyOom,
                  .keys = {1, 2, 1},
                  .acl = kAclList,
                  .group = "list",
                  .since = "6.2.0",
                  .summary = "Pop an element from a list, push it to another list and return it",
                  .complexity = "O(1)",
                  .handler = LMove});
  table.Register(
      {.name = "rpoplpush",
       .arity = 3,
       .flags = kCmdWrite | kCmdDenyOom,
       .keys = {1, 2, 1},
       .acl = kAclList,
       .group = "list",
       .since = "1.2.0",
       .summary = "Remove the last element in a list, prepend it to another list and return it",
       .complexity = "O(1)",
       .handler = RPopLPush});
  table.Register({.name = "lmpop",
                  .arity = -4,
                  .flags = kCmdWrite | kCmdMovableKeys,
                  .keys = {0, 0, 0},
                  .acl = kAclList,
                  .group = "list",
                  .since = "7.0.0",
                  .summary = "Pop elements from a list",
                  .complexity = "O(N+M) where N is the number of provided keys and M is the "
                                "number of elements returned.",
                  .handler = LMPop,
                  .find_keys = NumKeysFinder<1>});
  table.Register(
      {.name = "blpop",
       .arity = -3,
       .flags = kCmdWrite | kCmdNoScript | kCmdBlocking,
       .keys = {1, -2, 1},
       .acl = kAclList,
       .group = "list",
       .since = "2.0.0",
       .summary = "Remove and get the first element in a list, or block until one is available",
       .complexity = "O(N) where N is the number of provided keys.",
       .handler = BLPop});
  table.Register(
      {.name = "brpop",
       .arity = -3,
       .flags = kCmdWrite | kCmdNoScript | kCmdBlocking,
       .keys = {1, -2, 1},
       .acl = kAclList,
       .group = "list",
       .since = "2.0.0",
       .summary = "Remove and get the last element in a list, or block until one is available",
       .complexity = "O(N) where N is the number of provided keys.",
       .handler = BRPop});
  table.Register({.name = "blmove",
                  .arity = 6,
                  .flags = kCmdWrite | kCmdDenyOom | kCmdNoScript | kCmdBlocking,
                  .keys = {1, 2, 1},
                  .acl = kAclList,
                  .group = "list",
                  .since = "6.2.0",
                  .summary =
                      "Pop an element from a list, push it to another list and return it; or block "
                      "until one is available",
                  .complexity = "O(1)",
                  .handler = BLMove});
  table.Register({.name = "brpoplpush",
                  .arity = 4,
                  .flags = kCmdWrite | kCmdDenyOom | kCmdNoScript | kCmdBlocking,
                  .keys = {1, 2, 1},
                  .acl = kAclList,
                  .group = "list",
                  .since = "2.2.0",
                  .summary =
                      "Pop an element from a list, push it to another list and return it; or block "
                      "until one is available",
                  .complexity = "O(1)",
                  .handler = BRPopLPush});
  table.Register({.name = "blmpop",
                  .arity = -5,
                  .flags = kCmdWrite | kCmdBlocking | kCmdMovableKeys,
                  .keys = {0, 0, 0},
                  .acl = kAclList,
                  .group = "list",
                  .since = "7.0.0",
                  .summary = "Pop elements from a list, or block until one is available",
                  .complexity = "O(N+M) where N is the number of provided keys and M is the "
                                "number of elements returned.",
                  .handler = BLMPop,
                  .find_keys = NumKeysFinder<2>});
}

}  // namespace basalt
