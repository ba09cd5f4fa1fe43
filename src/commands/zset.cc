// The sorted-set commands on one key: ZADD ... ZSCAN, the ranges (ZRANGE and its BYSCORE /
// BYLEX / REV forms, ZRANGESTORE), the pops (ZPOPMIN/ZPOPMAX/ZMPOP) and the blocking pops
// (BZPOPMIN/BZPOPMAX/BZMPOP), with redis-server 7.0's argument checks, error texts and reply
// shapes. The multi-key algebra (ZUNION, ZINTER, ZDIFF, ...) lives in zset_store.cc.
#include "types/zset.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "commands/arg_parse.h"
#include "commands/keyspace_events.h"
#include "commands/registry.h"
#include "commands/scan_options.h"
#include "commands/zset_family.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "util/strconv.h"

namespace basalt {

namespace {

constexpr std::string_view kErrScoreRange = "ERR min or max is not a float";
constexpr std::string_view kErrLexRange = "ERR min or max not valid string range item";
constexpr std::string_view kErrNaN = "ERR resulting score is not a number (NaN)";

// getDoubleFromObject: a float, NaN rejected.
std::optional<double> ParseScore(std::string_view s) {
  std::optional<double> d = ParseDouble(s);
  if (!d || std::isnan(*d)) return std::nullopt;
  return d;
}

// Looks up a sorted set: nullptr when missing (*wrong_type false) or of another type
// (WRONGTYPE replied, *wrong_type true).
DbEntry* LookupZSet(CommandContext& ctx, std::string_view key, bool write, bool* wrong_type) {
  DbEntry* e = write ? ctx.LookupWrite(key) : ctx.LookupRead(key);
  *wrong_type = false;
  if (e != nullptr && !ctx.CheckType(e, ValueType::kZSet)) {
    *wrong_type = true;
    return nullptr;
  }
  return e;
}

// Deletes the key if the set became empty.
void DeleteIfEmpty(CommandContext& ctx, std::string_view key, DbEntry* e) {
  if (ZSetSize(e->value) != 0) return;
  ctx.Notify(kEvDel, key);
  ctx.db().Delete(key);
}

// ---------------------------------------------------------------------------------------------
// ZADD / ZINCRBY

void AddGeneric(CommandContext& ctx, int flags) {
  size_t idx = 2;
  bool ch = false;
  for (; idx < ctx.argc(); ++idx) {
    std::string_view opt = ctx.argv[idx];
    if (EqualsIgnoreCase(opt, "nx")) {
      flags |= kZAddNx;
    } else if (EqualsIgnoreCase(opt, "xx")) {
      flags |= kZAddXx;
    } else if (EqualsIgnoreCase(opt, "ch")) {
      ch = true;
    } else if (EqualsIgnoreCase(opt, "incr")) {
      flags |= kZAddIncr;
    } else if (EqualsIgnoreCase(opt, "gt")) {
      flags |= kZAddGt;
    } else if (EqualsIgnoreCase(opt, "lt")) {
      flags |= kZAddLt;
    } else {
      break;
    }
  }
  const size_t remaining = ctx.argc() - idx;
  if (remaining == 0 || remaining % 2 != 0) return ctx.Error(kErrSyntax);
  const size_t elements = remaining / 2;
  const bool incr = (flags & kZAddIncr) != 0;
  const bool nx = (flags & kZAddNx) != 0;
  const bool gt = (flags & kZAddGt) != 0;
  const bool lt = (flags & kZAddLt) != 0;
  if (nx && (flags & kZAddXx) != 0) {
    return ctx.Error("ERR XX and NX options at the same time are not compatible");
  }
  if ((gt && nx) || (lt && nx) || (gt && lt)) {
    return ctx.Error("ERR GT, LT, and/or NX options at the same time are not compatible");
  }
  if (incr && elements > 1) {
    return ctx.Error("ERR INCR option supports a single increment-element pair");
  }
  std::vector<double> scores(elements);
  for (size_t j = 0; j < elements; ++j) {
    std::optional<double> s = ParseScore(ctx.argv[idx + 2 * j]);
    if (!s) return ctx.Error(kErrNotFloat);
    scores[j] = *s;
  }

  const ZSetLimits limits = ZSetLimitsOf(ctx);
  std::string_view key = ctx.argv[1];
  bool wrong_type;
  DbEntry* e = LookupZSet(ctx, key, /*write=*/true, &wrong_type);
  if (wrong_type) return;
  size_t added = 0;
  size_t updated = 0;
  size_t processed = 0;
  double score = 0;
  if (e == nullptr && (flags & kZAddXx) == 0) {
    // Redis 7.0 picks the encoding from the first member alone; ZSetAdd converts later.
    Value v = NewZSet(1, ctx.argv[idx + 1].size(), limits);
    v.set_lru(static_cast<uint32_t>(ctx.server.lru_clock()));
    e = ctx.db().Add(key, std::move(v));
  }
  if (e != nullptr) {
    for (size_t j = 0; j < elements; ++j) {
      const ZAddResult r = ZSetAdd(e->value, scores[j], ctx.argv[idx + 2 * j + 1], flags, limits);
      if (r.outcome == ZAddOutcome::kNaN) {
        ctx.Error(kErrNaN);
        processed = SIZE_MAX;
        break;
      }
      if (r.outcome == ZAddOutcome::kAdded) ++added;
      if (r.outcome == ZAddOutcome::kUpdated) ++updated;
      if (!r.skipped) {
        ++processed;
        score = r.score;
      }
    }
    if (added + updated > 0) {
      ctx.AddDirty(added + updated);
      ctx.SignalKeyReady(key);
      if (incr) ctx.NotifyInstead(kEvZIncr, key);
    }
    DeleteIfEmpty(ctx, key, e);  // a NaN INCR on a new key leaves it empty
    if (processed == SIZE_MAX) return;
  }
  if (incr) {
    if (processed > 0) return ctx.reply.Double(score);
    return ctx.reply.Null();
  }
  ctx.reply.Integer(static_cast<int64_t>(ch ? added + updated : added));
}

// ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]
void ZAdd(CommandContext& ctx) { AddGeneric(ctx, kZAddNone); }

// ZINCRBY key increment member
void ZIncrBy(CommandContext& ctx) { AddGeneric(ctx, kZAddIncr); }

// ---------------------------------------------------------------------------------------------
// Reads

// ZSCORE key member
void ZScore(CommandContext& ctx) {
  bool wrong_type;
  DbEntry* e = LookupZSet(ctx, ctx.argv[1], false, &wrong_type);
  if (wrong_type) return;
  std::optional<double> s = e == nullptr ? std::nullopt : ZSetScore(e->value, ctx.argv[2]);
  if (!s) return ctx.reply.Null();
  ctx.reply.Double(*s);
}

// ZMSCORE key member [member ...]
void ZMScore(CommandContext& ctx) {
  bool wrong_type;
  DbEntry* e = LookupZSet(ctx, ctx.argv[1], false, &wrong_type);
  if (wrong_type) return;
  ctx.reply.ArrayHeader(static_cast<int64_t>(ctx.argc() - 2));
  for (size_t j = 2; j < ctx.argc(); ++j) {
    std::optional<double> s = e == nullptr ? std::nullopt : ZSetScore(e->value, ctx.argv[j]);
    if (s) {
      ctx.reply.Double(*s);
    } else {
      ctx.reply.Null();
    }
  }
}

// ZCARD key
void ZCard(CommandContext& ctx) {
  bool wrong_type;
  DbEntry* e = LookupZSet(ctx, ctx.argv[1], false, &wrong_type);
  if (wrong_type) return;
  ctx.reply.Integer(e == nullptr ? 0 : static_cast<int64_t>(ZSetSize(e->value)));
}

// ZCOUNT key min max
void ZCount(CommandContext& ctx) {
  std::optional<ScoreRange> range = ParseScoreRange(ctx.argv[2], ctx.argv[3]);
  if (!range) return ctx.Error(kErrScoreRange);
  bool wrong_type;
  DbEntry* e = LookupZSet(ctx, ctx.argv[1], false, &wrong_type);
  if (wrong_type) return;
  ctx.reply.Integer(e == nullptr ? 0
                                : static_cast<int64_t>(ZSetScoreSpan(e->value, *range).size()));
}

// ZLEXCOUNT key min max
void ZLexCount(CommandContext& ctx) {
  std::optional<LexRange> range = ParseLexRange(ctx.argv[2], ctx.argv[3]);
  if (!range) return ctx.Error(kErrLexRange);
  bool wrong_type;
  DbEntry* e = LookupZSet(ctx, ctx.argv[1], false, &wrong_type);
  if (wrong_type) return;
  ctx.reply.Integer(e == nullptr ? 0 : static_cast<int64_t>(ZSetLexSpan(e->value, *range).size()));
}

// ZRANK / ZREVRANK key member
void RankGeneric(CommandContext& ctx, bool reverse) {
  bool wrong_type;
  DbEntry* e = LookupZSet(ctx, ctx.argv[1], false, &wrong_type);
  if (wrong_type) return;
  std::optional<ZSetRankResult> r =
      e == nullptr ? std::nullopt : ZSetRank(e->value, ctx.argv[2], reverse);
  if (!r) return ctx.reply.Null();
  ctx.reply.Integer(static_cast<int64_t>(r->rank));
}

void ZRank(CommandContext& ctx) { RankGeneric(ctx, false); }
void ZRevRank(CommandContext& ctx) { RankGeneric(ctx, true); }

// ---------------------------------------------------------------------------------------------
// Ranges (Redis's zrangeGenericCommand)

enum class RangeType { kAuto, kRank, kScore, kLex };
enum class Direction { kAuto, kForward, kReverse };

// ZRANGE and friends: key at argv[key_idx], then min/max (or start/stop), then options.
// store: ZRANGESTORE, whose destination is argv[1].
void RangeGeneric(CommandContext& ctx, size_t key_idx, bool store, RangeType type,
                  Direction dir) {
  size_t min_idx = key_idx + 1;
  size_t max_idx = key_idx + 2;
  bool withscores = false;
  int64_t offset = 0;
  int64_t limit = -1;
  for (size_t j = key_idx + 3; j < ctx.argc(); ++j) {
    const size_t left = ctx.argc() - j - 1;
    std::string_view opt = ctx.argv[j];
    if (!store && EqualsIgnoreCase(opt, "withscores")) {
      withscores = true;
    } else if (EqualsIgnoreCase(opt, "limit") && left >= 2) {
      std::optional<int64_t> o = ParseInt64(ctx.argv[j + 1]);
      std::optional<int64_t> l = o ? ParseInt64(ctx.argv[j + 2]) : std::nullopt;
      if (!o || !l) return ctx.Error(kErrNotInteger);
      offset = *o;
      limit = *l;
      j += 2;
    } else if (dir == Direction::kAuto && EqualsIgnoreCase(opt, "rev")) {
      dir = Direction::kReverse;
    } else if (type == RangeType::kAuto && EqualsIgnoreCase(opt, "bylex")) {
      type = RangeType::kLex;
    } else if (type == RangeType::kAuto && EqualsIgnoreCase(opt, "byscore")) {
      type = RangeType::kScore;
    } else {
      return ctx.Error(kErrSyntax);
    }
  }
  if (dir == Direction::kAuto) dir = Direction::kForward;
  if (type == RangeType::kAuto) type = RangeType::kRank;
  const bool reverse = dir == Direction::kReverse;
  if (limit != -1 && type == RangeType::kRank) {
    return ctx.Error(
        "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
  }
  if (withscores && type == RangeType::kLex) {
    return ctx.Error("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
  }
  if (reverse && type != RangeType::kRank) std::swap(min_idx, max_idx);

  int64_t start = 0;
  int64_t stop = 0;
  std::optional<ScoreRange> score_range;
  std::optional<LexRange> lex_range;
  switch (type) {
    case RangeType::kAuto:
    case RangeType::kRank: {
      std::optional<int64_t> a = ParseInt64(ctx.argv[min_idx]);
      std::optional<int64_t> b = a ? ParseInt64(ctx.argv[max_idx]) : std::nullopt;
      if (!a || !b) return ctx.Error(kErrNotInteger);
      start = *a;
      stop = *b;
      break;
    }
    case RangeType::kScore:
      score_range = ParseScoreRange(ctx.argv[min_idx], ctx.argv[max_idx]);
      if (!score_range) return ctx.Error(kErrScoreRange);
      break;
    case RangeType::kLex:
      lex_range = ParseLexRange(ctx.argv[min_idx], ctx.argv[max_idx]);
      if (!lex_range) return ctx.Error(kErrLexRange);
      break;
  }

  std::string_view key = ctx.argv[key_idx];
  bool wrong_type;
  DbEntry* e = LookupZSet(ctx, key, false, &wrong_type);
  if (wrong_type) return;
  if (e == nullptr) {
    if (store) return StoreZSetResult(ctx, ctx.argv[1], {});
    return ctx.reply.EmptyArray();
  }

  const size_t size = ZSetSize(e->value);
  RankSpan span;
  if (type == RangeType::kRank) {
    span = RankSpanFromIndexes(start, stop, size, reverse);
  } else {
    span = type == RangeType::kScore ? ZSetScoreSpan(e->value, *score_range)
                                     : ZSetLexSpan(e->value, *lex_range);
    // LIMIT counts in the direction of the walk; a negative offset selects nothing and a
    // negative count means "all".
    if (offset < 0) {
      span = {};
    } else if (!span.empty()) {
      const size_t off = static_cast<size_t>(offset);
      if (off >= span.size()) {
        span = {};
      } else if (!reverse) {
        span.begin += off;
        if (limit >= 0) span.end = std::min(span.end, span.begin + static_cast<size_t>(limit));
      } else {
        span.end -= off;
        if (limit >= 0 && span.size() > static_cast<size_t>(limit)) {
          span.begin = span.end - static_cast<size_t>(limit);
        }
      }
    }
  }
  std::vector<ZSetEntry> entries = ZSetEntries(e->value, span, reverse);
  if (store) return StoreZSetResult(ctx, ctx.argv[1], std::move(entries));
  ReplyZSetEntries(ctx, entries, withscores);
}

void ZRange(CommandContext& ctx) {
  RangeGeneric(ctx, 1, false, RangeType::kAuto, Direction::kAuto);
}
void ZRangeStore(CommandContext& ctx) {
  RangeGeneric(ctx, 2, true, RangeType::kAuto, Direction::kAuto);
}
void ZRevRange(CommandContext& ctx) {
  RangeGeneric(ctx, 1, false, RangeType::kRank, Direction::kReverse);
}
void ZRangeByScore(CommandContext& ctx) {
  RangeGeneric(ctx, 1, false, RangeType::kScore, Direction::kForward);
}
void ZRevRangeByScore(CommandContext& ctx) {
  RangeGeneric(ctx, 1, false, RangeType::kScore, Direction::kReverse);
}
void ZRangeByLex(CommandContext& ctx) {
  RangeGeneric(ctx, 1, false, RangeType::kLex, Direction::kForward);
}
void ZRevRangeByLex(CommandContext& ctx) {
  RangeGeneric(ctx, 1, false, RangeType::kLex, Direction::kReverse);
}

// ---------------------------------------------------------------------------------------------
// Removal

// ZREM key member [member ...]
void ZRem(CommandContext& ctx) {
  bool wrong_type;
  DbEntry* e = LookupZSet(ctx, ctx.argv[1], true, &wrong_type);
  if (wrong_type) return;
  if (e == nullptr) return ctx.reply.Integer(0);
  size_t deleted = 0;
  for (size_t j = 2; j < ctx.argc(); ++j) {
    if (ZSetRemove(e->value, ctx.argv[j])) ++deleted;
    if (ZSetSize(e->value) == 0) break;
  }
  DeleteIfEmpty(ctx, ctx.argv[1], e);
  ctx.AddDirty(deleted);
  ctx.reply.Integer(static_cast<int64_t>(deleted));
}

// ZREMRANGEBYRANK/BYSCORE/BYLEX key min max
void RemRangeGeneric(CommandContext& ctx, RangeType type) {
  int64_t start = 0;
  int64_t stop = 0;
  std::optional<ScoreRange> score_range;
  std::optional<LexRange> lex_range;
  if (type == RangeType::kRank) {
    std::optional<int64_t> a = ParseInt64(ctx.argv[2]);
    std::optional<int64_t> b = a ? ParseInt64(ctx.argv[3]) : std::nullopt;
    if (!a || !b) return ctx.Error(kErrNotInteger);
    start = *a;
    stop = *b;
  } else if (type == RangeType::kScore) {
    score_range = ParseScoreRange(ctx.argv[2], ctx.argv[3]);
    if (!score_range) return ctx.Error(kErrScoreRange);
  } else {
    lex_range = ParseLexRange(ctx.argv[2], ctx.argv[3]);
    if (!lex_range) return ctx.Error(kErrLexRange);
  }
  bool wrong_type;
  DbEntry* e = LookupZSet(ctx, ctx.argv[1], true, &wrong_type);
  if (wrong_type) return;
  if (e == nullptr) return ctx.reply.Integer(0);
  RankSpan span;
  if (type == RangeType::kRank) {
    span = RankSpanFromIndexes(start, stop, ZSetSize(e->value), false);
  } else if (type == RangeType::kScore) {
    span = ZSetScoreSpan(e->value, *score_range);
  } else {
    span = ZSetLexSpan(e->value, *lex_range);
  }
  const size_t deleted = ZSetDeleteSpan(e->value, span);
  DeleteIfEmpty(ctx, ctx.argv[1], e);
  ctx.AddDirty(deleted);
  ctx.reply.Integer(static_cast<int64_t>(deleted));
}

void ZRemRangeByRank(CommandContext& ctx) { RemRangeGeneric(ctx, RangeType::kRank); }
void ZRemRangeByScore(CommandContext& ctx) { RemRangeGeneric(ctx, RangeType::kScore); }
void ZRemRangeByLex(CommandContext& ctx) { RemRangeGeneric(ctx, RangeType::kLex); }

// ---------------------------------------------------------------------------------------------
// Pops (Redis's genericZpopCommand)

// How a pop replies: ZPOPMIN without count: flat [m, s]; with count: flat (RESP2) or
// [[m, s], ...] (RESP3); BZPOPMIN: flat [key, m, s]; ZMPOP/BZMPOP: [key, [[m, s], ...]].
struct PopShape {
  bool emit_key = false;
  bool nested = false;
};

// Pops up to `count` (-1: one, the single-pop form) from the first non-empty sorted set of
// `keys`. Returns false (nothing replied) when all are missing or empty; true when it
// replied (an error included).
bool PopFirst(CommandContext& ctx, std::span<const std::string_view> keys, bool max,
              int64_t count, PopShape shape) {
  for (std::string_view key : keys) {
    bool wrong_type;
    DbEntry* e = LookupZSet(ctx, key, true, &wrong_type);
    if (wrong_type) return true;
    if (e == nullptr || ZSetSize(e->value) == 0) continue;
    if (count == 0) {
      ctx.reply.EmptyArray();
      return true;
    }
    std::vector<ZSetEntry> popped =
        ZSetPop(e->value, count < 0 ? 1 : static_cast<size_t>(count), max);
    const auto n = static_cast<int64_t>(popped.size());
    if (shape.emit_key && shape.nested) {
      ctx.reply.ArrayHeader(2);
      ctx.reply.Bulk(key);
      ctx.reply.ArrayHeader(n);
    } else if (shape.emit_key) {
      ctx.reply.ArrayHeader(2 * n + 1);
      ctx.reply.Bulk(key);
    } else {
      ctx.reply.ArrayHeader(shape.nested ? n : 2 * n);
    }
    for (const ZSetEntry& p : popped) {
      if (shape.nested) ctx.reply.ArrayHeader(2);
      ctx.reply.Bulk(p.member);
      ctx.reply.Double(p.score);
    }
    ctx.AddDirty(popped.size());
    ctx.Notify(max ? kEvZPopMax : kEvZPopMin, key);
    DeleteIfEmpty(ctx, key, e);
    // Blocking and multi-key pops are replayed as the plain pop of the key they served.
    const std::string_view pop = max ? "ZPOPMAX" : "ZPOPMIN";
    if (count < 0) {
      ctx.PropagateAs({pop, key});
    } else if (ctx.propagating()) {
      ctx.PropagateAs({pop, key, std::to_string(popped.size())});
    }
    return true;
  }
  return false;
}

// ZPOPMIN / ZPOPMAX key [count]
void PopGeneric(CommandContext& ctx, bool max) {
  if (ctx.argc() > 3) return ctx.Error(kErrSyntax);
  int64_t count = -1;
  if (ctx.argc() == 3 &&
      !ParseRangeOrReply(ctx, ctx.argv[2], 0, INT64_MAX, "value is out of range, must be positive",
                     &count)) {
    return;
  }
  const PopShape shape{.emit_key = false, .nested = ctx.reply.resp() >= 3 && count != -1};
  if (!PopFirst(ctx, ctx.argv.subspan(1, 1), max, count, shape)) ctx.reply.EmptyArray();
}

void ZPopMin(CommandContext& ctx) { PopGeneric(ctx, false); }
void ZPopMax(CommandContext& ctx) { PopGeneric(ctx, true); }

// BZPOPMIN / BZPOPMAX key [key ...] timeout
void BlockingPopGeneric(CommandContext& ctx, bool max) {
  int64_t deadline;
  if (!ctx.ParseBlockTimeout(ctx.argv.back(), /*in_seconds=*/true, &deadline)) return;
  auto keys = ctx.argv.subspan(1, ctx.argc() - 2);
  if (PopFirst(ctx, keys, max, -1, PopShape{.emit_key = true, .nested = false})) return;
  if (!ctx.CanBlock()) return ctx.reply.NullArray();
  ctx.BlockOn(keys, ValueType::kZSet, deadline, BlockTimeoutReply::kNullArray);
}

void BZPopMin(CommandContext& ctx) { BlockingPopGeneric(ctx, false); }
void BZPopMax(CommandContext& ctx) { BlockingPopGeneric(ctx, true); }

// ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]
// BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]
void MPopGeneric(CommandContext& ctx, size_t numkeys_idx, bool blocking) {
  int64_t numkeys;  // then the keys, then the direction
  if (!ParseNumKeysOrReply(ctx, numkeys_idx, /*args_after=*/1, &numkeys)) return;
  const size_t where_idx = numkeys_idx + static_cast<size_t>(numkeys) + 1;
  bool max;
  if (EqualsIgnoreCase(ctx.argv[where_idx], "min")) {
    max = false;
  } else if (EqualsIgnoreCase(ctx.argv[where_idx], "max")) {
    max = true;
  } else {
    return ctx.Error(kErrSyntax);
  }
  int64_t count = -1;
  for (size_t j = where_idx + 1; j < ctx.argc(); ++j) {
    if (count == -1 && EqualsIgnoreCase(ctx.argv[j], "count") && j + 1 < ctx.argc()) {
      if (!ParseRangeOrReply(ctx, ctx.argv[++j], 1, INT64_MAX, "count should be greater than 0",
                         &count)) {
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
  if (PopFirst(ctx, keys, max, count, PopShape{.emit_key = true, .nested = true})) return;
  if (!blocking || !ctx.CanBlock()) return ctx.reply.NullArray();
  ctx.BlockOn(keys, ValueType::kZSet, deadline, BlockTimeoutReply::kNullArray);
}

void ZMPop(CommandContext& ctx) { MPopGeneric(ctx, 1, false); }
void BZMPop(CommandContext& ctx) { MPopGeneric(ctx, 2, true); }

// ---------------------------------------------------------------------------------------------
// ZRANDMEMBER key [count [WITHSCORES]]

void ZRandMember(CommandContext& ctx) {
  if (ctx.argc() >= 3) {
    int64_t l;
    if (!ParseRangeOrReply(ctx, ctx.argv[2], -INT64_MAX, INT64_MAX, nullptr, &l)) return;
    bool withscores = false;
    if (ctx.argc() > 4 || (ctx.argc() == 4 && !EqualsIgnoreCase(ctx.argv[3], "withscores"))) {
      return ctx.Error(kErrSyntax);
    }
    if (ctx.argc() == 4) {
      withscores = true;
      if (l < -INT64_MAX / 2 || l > INT64_MAX / 2) return ctx.Error("ERR value is out of range");
    }
    bool wrong_type;
    DbEntry* e = LookupZSet(ctx, ctx.argv[1], false, &wrong_type);
    if (wrong_type) return;
    if (e == nullptr || l == 0) return ctx.reply.EmptyArray();
    FastRng& rng = ctx.server.rng();
    std::vector<ZSetEntry> out;
    if (l < 0) {
      // Repeats allowed: stream the picks rather than buffering a possibly huge count.
      const auto count = static_cast<int64_t>(-l);
      const bool pairs = withscores && ctx.reply.resp() >= 3;
      ctx.reply.ArrayHeader(withscores && !pairs ? 2 * count : count);
      for (int64_t i = 0; i < count; ++i) {
        const ZSetEntry pick = ZSetRandomMember(e->value, rng);
        if (pairs) ctx.reply.ArrayHeader(2);
        ctx.reply.Bulk(pick.member);
        if (withscores) ctx.reply.Double(pick.score);
      }
      return;
    } else {
      const auto count = static_cast<size_t>(l);
      const size_t size = ZSetSize(e->value);
      if (count >= size) {
        out = ZSetEntries(e->value, RankSpan{0, size}, false);
      } else {
        out = ZSetRandomDistinctMembers(e->value, count, rng);
      }
    }
    return ReplyZSetEntries(ctx, out, withscores);
  }
  bool wrong_type;
  DbEntry* e = LookupZSet(ctx, ctx.argv[1], false, &wrong_type);
  if (wrong_type) return;
  if (e == nullptr) return ctx.reply.Null();
  ctx.reply.Bulk(ZSetRandomMember(e->value, ctx.server.rng()).member);
}

// ---------------------------------------------------------------------------------------------
// ZSCAN key cursor [MATCH pattern] [COUNT count]

void ZScan(CommandContext& ctx) {
  // Redis checks the cursor first, then the key, and the options only for an existing set.
  CommandContext cursor_only(ctx.server, ctx.client, ctx.spec, ctx.argv.first(3));
  if (!ParseScanOptions(cursor_only, 2, ScanKind::kZSet)) return;
  bool wrong_type;
  DbEntry* e = LookupZSet(ctx, ctx.argv[1], false, &wrong_type);
  if (wrong_type) return;
  if (e == nullptr) {
    ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk("0");
    return ctx.reply.ArrayHeader(0);
  }
  std::optional<ScanOptions> opts = ParseScanOptions(ctx, 2, ScanKind::kZSet);
  if (!opts) return;
  const bool listpack = e->value.encoding() == Encoding::kListpack;
  std::vector<std::pair<std::string, std::string>> found;
  const uint64_t cursor =
      ZSetScan(e->value, opts->cursor, static_cast<size_t>(opts->count),
               [&](std::string_view m, double s) {
                 if (opts->match && !opts->Matches(m)) return;
                 // As Redis: listpacks hand out the stored text, skiplists print "%.17Lg".
                 found.emplace_back(std::string(m), listpack ? FormatDoubleCompact(s)
                                                             : FormatLongDouble(s, false));
               });
  ctx.reply.ArrayHeader(2);
  ctx.reply.Bulk(Int64ToString(static_cast<int64_t>(cursor)));
  ctx.reply.ArrayHeader(static_cast<int64_t>(2 * found.size()));
  for (const auto& [m, s] : found) {
    ctx.reply.Bulk(m);
    ctx.reply.Bulk(s);
  }
}

}  // namespace

void RegisterZSetCommands(CommandTable& table) {
  table.Register({.name = "zadd",
                  .arity = -4,
                  .flags = kCmdWrite | kCmdDenyOom | kCmdFast,
                  .keys = {1, 1, 1},
                  .acl = kAclSortedSet,
                  .group = "sorted-set",
                  .since = "1.2.0",
                  .summary = "Add one or more members to a sorted set, or update its score if it "
                             "already exists",
                  .complexity = "O(log(N)) for each item added, where N is the number of elements "
                                "in the sorted set.",
                  .handler = ZAdd});
  table.Register({.name = "zincrby",
                  .arity = 4,
                  .flags = kCmdWrite | kCmdDenyOom | kCmdFast,
                  .keys = {1, 1, 1},
                  .acl = kAclSortedSet,
                  .group = "sorted-set",
                  .since = "1.2.0",
                  .summary = "Increment the score of a member in a sorted set",
                  .complexity = "O(log(N)) where N is the number of elements in the sorted set.",
                  .handler = ZIncrBy});
  table.Register({.name = "zscore",
                  .arity = 3,
                  .flags = kCmdReadOnly | kCmdFast,
                  .keys = {1, 1, 1},
                  .acl = kAclSortedSet,
                  .group = "sorted-set",
                  .since = "1.2.0",
                  .summary = "Get the score associated with the given member in a sorted set",
                  .complexity = "O(1)",
                  .handler = ZScore});
  table.Register({.name = "zmscore",
                  .arity = -3,
                  .flags = kCmdReadOnly | kCmdFast,
                  .keys = {1, 1, 1},
                  .acl = kAclSortedSet,
                  .group = "sorted-set",
                  .since = "6.2.0",
                  .summary = "Get the score associated with the given members in a sorted set",
                  .complexity = "O(N) where N is the number of members being requested.",
                  .handler = ZMScore});
  table.Register({.name = "zcard",
                  .arity = 2,
                  .flags = kCmdReadOnly | kCmdFast,
                  .keys = {1, 1, 1},
                  .acl = kAclSortedSet,
                  .group = "sorted-set",
                  .since = "1.2.0",
                  .summary = "Get the number of members in a sorted set",
                  .complexity = "O(1)",
                  .handler = ZCard});
  table.Register({.name = "zcount",
                  .arity = 4,
                  .flags = kCmdReadOnly | kCmdFast,
                  .keys = {1, 1, 1},
                  .acl = kAclSortedSet,
                  .group = "sorted-set",
                  .since = "2.0.0",
                  .summary = "Count the members in a sorted set with scores within the given "
                             "values",
                  .complexity = "O(log(N)) with N being the number of elements in the sorted set.",
                  .handler = ZCount});
  table.Register({.name = "zlexcount",
                  .arity = 4,
                  .flags = kCmdReadOnly | kCmdFast,
                  .keys = {1, 1, 1},
                  .acl = kAclSortedSet,
                  .group = "sorted-set",
                  .since = "2.8.9",
                  .summary = "Count the number of members in a sorted set between a given "
                             "lexicographical range",
                  .complexity = "O(log(N)) with N being the number of elements in the sorted set.",
                  .handler = ZLexCount});
  table.Register({.name = "zrank",
                  .arity = 3,
                  .flags = kCmdReadOnly | kCmdFast,
                  .keys = {1, 1, 1},
                  .acl = kAclSortedSet,
                  .group = "sorted-set",
                  .since = "2.0.0",
                  .summary = "Determine the index of a member in a sorted set",
                  .complexity = "O(log(N))",
                  .handler = ZRank});
  table.Register({.name = "zrevrank",
                  .arity = 3,
                  .flags = kCmdReadOnly | kCmdFast,
                  .keys = {1, 1, 1},
                  .acl = kAclSortedSet,
                  .group = "sorted-set",
                  .since = "2.0.0",
                  .summary = "Determine the index of a member in a sorted set, with scores "
                             "ordered from high to low",
                  .complexity = "O(log(N))",
                  .handler = ZRevRank});
  table.Register({.name = "zrange",
                  .arity = -4,
                  .flags = kCmdReadOnly,
                  .keys = {1, 1, 1},
                  .acl = kAclSortedSet,
                  .group = "sorted-set",
                  .since = "1.2.0",
                  .summary = "Return a range of members in a sorted set",
                  .complexity = "O(log(N)+M) with N being the number of elements in the sorted "
                                "set and M the number of elements returned.",
                  .handler = ZRange});
  table.Register({.name = "zrangestore",
                  .arity = -5,
                  .flags = kCmdWrite | kCmdDenyOom,
                  .keys = {1, 2, 1},
                  .acl = kAclSortedSet,
                  .group = "sorted-set",
                  .since = "6.2.0",
                  .summary = "Store a range of members from sorted set into another key",
                  .complexity = "O(log(N)+M) with N being the number of elements in the sorted "
                                "set and M the number of elements stored into the destination key.",
                  .handler = ZRangeStore,
                  .written_keys = WrittenKeys::kFirst});
  table.Register({.name = "zrangebyscore",
                  .arity = -4,
                  .flags = kCmdReadOnly,
                  .keys = {1, 1, 1},
                  .acl = kAclSortedSet,
                  .group = "sorted-set",
                  .since = "1.0.5",
                  .summary = "Return a range of members in a sorted set, by score",
                  .complexity = "O(log(N)+M) with N being the number of elements in the sorted "
                                "set and M the number of elements being returned. If M is "
                                "constant (e.g. always asking for the first 10 elements with "
                                "LIMIT), you can consider it O(log(N)).",
                  .handler = ZRangeByScore});
  table.Register({.name = "zrevrangebyscore",
                  .arity = -4,
                  .flags = kCmdReadOnly,
                  .keys = {1, 1, 1},
                  .acl = kAclSortedSet,
                  .group = "sorted-set",
                  .since = "2.2.0",
                  .summary = "Return a range of members in a sorted set, by score, with scores "
                             "ordered from high to low",
                  .complexity = "O(log(N)+M) with N being the number of elements in the sorted "
                                "set and M the number of elements being returned. If M is "
                                "constant (e.g. always asking for the first 10 elements with "
                                "LIMIT), you can consider it O(log(N)).",
                  .handler = ZRevRangeByScore});
  table.Register({.name = "zrangebylex",
                  .arity = -4,
                  .flags = kCmdReadOnly,
                  .keys = {1, 1, 1},
                  .acl = kAclSortedSet,
                  .group = "sorted-set",
                  .since = "2.8.9",
                  .summary = "Return a range of members in a sorted set, by lexicographical range",
                  .complexity = "O(log(N)+M) with N being the number of elements in the sorted "
                                "set and M the number of elements being returned. If M is "
                                "constant (e.g. always asking for the first 10 elements with "
                                "LIMIT), you can consider it O(log(N)).",
                  .handler = ZRangeByLex});
  table.Register({.name = "zrevrangebylex",
                  .arity = -4,
                  .flags = kCmdReadOnly,
                  .keys = {1, 1, 1},
                  .acl = kAclSortedSet,
                  .group = "sorted-set",
                  .since = "2.8.9",
                  .summary = "Return a range of members in a sorted set, by lexicographical "
                             "range, ordered from higher to lower strings.",
                  .complexity = "O(log(N)+M) with N being the number of elements in the sorted "
                                "set and M the number of elements being returned. If M is "
                                "constant (e.g. always asking for the first 10 elements with "
                                "LIMIT), you can consider it O(log(N)).",
                  .handler = ZRevRangeByLex});
  table.Register({.name = "zrevrange",
                  .arity = -4,
                  .flags = kCmdReadOnly,
                  .keys = {1, 1, 1},
                  .acl = kAclSortedSet,
                  .group = "sorted-set",
                  .since = "1.2.0",
                  .summary = "Return a range of members in a sorted set, by index, with scores "
                             "ordered from high to low",
                  .complexity = "O(log(N)+M) with N being the number of elements in the sorted "
                                "set and M the number of elements returned.",
                  .handler = ZRevRange});
  table.Register({.name = "zrem",
                  .arity = -3,
                  .flags = kCmdWrite | kCmdFast,
                  .keys = {1, 1, 1},
                  .acl = kAclSortedSet,
                  .group = "sorted-set",
                  .since = "1.2.0",
                  .summary = "Remove one or more members from a sorted set",
                  .complexity = "O(M*log(N)) with N being the number of elements in the sorted "
                                "set and M the number of elements to be removed.",
                  .handler = ZRem});
  table.Register({.name = "zremrangebyrank",
                  .arity = 4,
                  .flags = kCmdWrite,
                  .keys = {1, 1, 1},
                  .acl = kAclSortedSet,
                  .group = "sorted-set",
                  .since = "2.0.0",
                  .summary = "Remove all members in a sorted set within the given indexes",
                  .complexity = "O(log(N)+M) with N being the number of elements in the sorted "
                                "set and M the number of elements removed by the operation.",
                  .handler = ZRemRangeByRank});
  table.Register({.name = "zremrangebyscore",
                  .arity = 4,
                  .flags = kCmdWrite,
                  .keys = {1, 1, 1},
                  .acl = kAclSortedSet,
                  .group = "sorted-set",
                  .since = "1.2.0",
                  .summary = "Remove all members in a sorted set within the given scores",
                  .complexity = "O(log(N)+M) with N being the number of elements in the sorted "
                                "set and M the number of elements removed by the operation.",
                  .handler = ZRemRangeByScore});
  table.Register({.name = "zremrangebylex",
                  .arity = 4,
                  .flags = kCmdWrite,
                  .keys = {1, 1, 1},
                  .acl = kAclSortedSet,
                  .group = "sorted-set",
                  .since = "2.8.9",
                  .summary = "Remove all members in a sorted set between the given "
                             "lexicographical range",
                  .complexity = "O(log(N)+M) with N being the number of elements in the sorted "
                                "set and M the number of elements removed by the operation.",
                  .handler = ZRemRangeByLex});
  table.Register({.name = "zpopmin",
                  .arity = -2,
                  .flags = kCmdWrite | kCmdFast,
                  .keys = {1, 1, 1},
                  .acl = kAclSortedSet,
                  .group = "sorted-set",
                  .since = "5.0.0",
                  .summary = "Remove and return members with the lowest scores in a sorted set",
                  .complexity = "O(log(N)*M) with N being the number of elements in the sorted "
                                "set, and M being the number of elements popped.",
                  .handler = ZPopMin});
  table.Register({.name = "zpopmax",
                  .arity = -2,
                  .flags = kCmdWrite | kCmdFast,
                  .keys = {1, 1, 1},
                  .acl = kAclSortedSet,
                  .group = "sorted-set",
                  .since = "5.0.0",
                  .summary = "Remove and return members with the highest scores in a sorted set",
                  .complexity = "O(log(N)*M) with N being the number of elements in the sorted "
                                "set, and M being the number of elements popped.",
                  .handler = ZPopMax});
  table.Register({.name = "zmpop",
                  .arity = -4,
                  .flags = kCmdWrite | kCmdMovableKeys,
                  .keys = {0, 0, 0},
                  .acl = kAclSortedSet,
                  .group = "sorted-set",
                  .since = "7.0.0",
                  .summary = "Remove and return members with scores in a sorted set",
                  .complexity = "O(K) + O(M*log(N)) where K is the number of provided keys, N "
                                "being the number of elements in the sorted set, and M being the "
                                "number of elements popped.",
                  .handler = ZMPop,
                  .find_keys = NumKeysFinder<1>});
  table.Register({.name = "zrandmember",
                  .arity = -2,
                  .flags = kCmdReadOnly,
                  .keys = {1, 1, 1},
                  .acl = kAclSortedSet,
                  .group = "sorted-set",
                  .since = "6.2.0",
                  .summary = "Get one or multiple random elements from a sorted set",
                  .complexity = "O(N) where N is the number of elements returned",
                  .handler = ZRandMember});
  table.Register({.name = "zscan",
                  .arity = -3,
                  .flags = kCmdReadOnly,
                  .keys = {1, 1, 1},
                  .acl = kAclSortedSet,
                  .group = "sorted-set",
                  .since = "2.8.0",
                  .summary = "Incrementally iterate sorted sets elements and associated scores",
                  .complexity = "O(1) for every call. O(N) for a complete iteration, including "
                                "enough command calls for the cursor to return back to 0. N is "
                                "the number of elements inside the collection..",
                  .handler = ZScan});
  table.Register({.name = "bzpopmin",
                  .arity = -3,
                  .flags = kCmdWrite | kCmdNoScript | kCmdBlocking | kCmdFast,
                  .keys = {1, -2, 1},
                  .acl = kAclSortedSet | kAclBlocking,
                  .group = "sorted-set",
                  .since = "5.0.0",
                  .summary = "Remove and return the member with the lowest score from one or more "
                             "sorted sets, or block until one is available",
                  .complexity = "O(log(N)) with N being the number of elements in the sorted set.",
                  .handler = BZPopMin});
  table.Register({.name = "bzpopmax",
                  .arity = -3,
                  .flags = kCmdWrite | kCmdNoScript | kCmdBlocking | kCmdFast,
                  .keys = {1, -2, 1},
                  .acl = kAclSortedSet | kAclBlocking,
                  .group = "sorted-set",
                  .since = "5.0.0",
                  .summary = "Remove and return the member with the highest score from one or "
                             "more sorted sets, or block until one is available",
                  .complexity = "O(log(N)) with N being the number of elements in the sorted set.",
                  .handler = BZPopMax});
  table.Register({.name = "bzmpop",
                  .arity = -5,
                  .flags = kCmdWrite | kCmdBlocking | kCmdMovableKeys,
                  .keys = {0, 0, 0},
                  .acl = kAclSortedSet | kAclBlocking,
                  .group = "sorted-set",
                  .since = "7.0.0",
                  .summary = "Remove and return members with scores in a sorted set or block "
                             "until one is available",
                  .complexity = "O(K) + O(M*log(N)) where K is the number of provided keys, N "
                                "being the number of elements in the sorted set, and M being the "
                                "number of elements popped.",
                  .handler = BZMPop,
                  .find_keys = NumKeysFinder<2>});
  RegisterZSetStoreCommands(table);
}

}  // namespace basalt
