// The sorted-set algebra: ZUNION, ZINTER, ZDIFF, their STORE forms and ZINTERCARD (Redis's
// zunionInterDiffGenericCommand). Inputs may be sorted sets or plain sets (whose members
// count with score 1), each scaled by its WEIGHT and combined with AGGREGATE SUM/MIN/MAX.
#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "commands/keyspace_events.h"
#include "commands/registry.h"
#include "commands/zset_family.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "types/set.h"
#include "types/zset.h"
#include "util/strconv.h"

namespace basalt {

namespace {

enum class SetOp { kUnion, kInter, kDiff };
enum class Aggregate { kSum, kMin, kMax };

struct Source {
  const Value* value = nullptr;  // nullptr: a missing key (an empty set)
  double weight = 1;
  size_t size = 0;

  bool is_set() const { return value != nullptr && value->type() == ValueType::kSet; }
  // The member's score in this source (1 for plain sets), or nullopt.
  std::optional<double> Score(std::string_view member) const {
    if (value == nullptr) return std::nullopt;
    if (is_set()) return SetContains(*value, member) ? std::optional<double>(1.0) : std::nullopt;
    return ZSetScore(*value, member);
  }
  // f(member, score) for every member.
  template <typename F>
  void ForEach(F f) const {
    if (value == nullptr) return;
    if (is_set()) {
      ForEachSetMember(*value, [&f](std::string_view m) { f(m, 1.0); });
      return;
    }
    ForEachZSetMember(*value, [&f](std::string_view m, double s) {
      f(m, s);
      return true;
    });
  }
};

// weight * score, with NaN (0 * inf) counted as 0, as Redis does.
double Weighted(double weight, double score) {
  const double v = weight * score;
  return std::isnan(v) ? 0 : v;
}

void Combine(Aggregate agg, double* target, double v) {
  switch (agg) {
    case Aggregate::kSum:
      *target += v;
      if (std::isnan(*target)) *target = 0;  // inf + -inf
      break;
    case Aggregate::kMin:
      *target = std::min(*target, v);
      break;
    case Aggregate::kMax:
      *target = std::max(*target, v);
      break;
  }
}

struct Request {
  std::vector<Source> sources;
  Aggregate aggregate = Aggregate::kSum;
  bool withscores = false;
  int64_t limit = 0;  // ZINTERCARD: stop counting there (0: no limit)
};

// Parses numkeys, the keys and the options; replies an error and returns nullopt on a bad
// argument or a key of another type.
std::optional<Request> ParseRequest(CommandContext& ctx, size_t numkeys_idx, SetOp op,
                                    bool store, bool cardinality_only) {
  std::optional<int64_t> setnum = ParseInt64(ctx.argv[numkeys_idx]);
  if (!setnum) {
    ctx.Error(kErrNotInteger);
    return std::nullopt;
  }
  if (*setnum < 1) {
    ctx.Error("ERR at least 1 input key is needed for '" + ctx.spec.full_name + "' command");
    return std::nullopt;
  }
  if (static_cast<uint64_t>(*setnum) > ctx.argc() - (numkeys_idx + 1)) {
    ctx.Error(kErrSyntax);
    return std::nullopt;
  }
  const auto n = static_cast<size_t>(*setnum);
  Request req;
  req.sources.resize(n);
  size_t j = numkeys_idx + 1;
  for (size_t i = 0; i < n; ++i, ++j) {
    DbEntry* e = ctx.LookupRead(ctx.argv[j]);
    if (e == nullptr) continue;
    if (e->value.type() != ValueType::kZSet && e->value.type() != ValueType::kSet) {
      ctx.Error(kErrWrongType);
      return std::nullopt;
    }
    req.sources[i].value = &e->value;
  }
  while (j < ctx.argc()) {
    const size_t remaining = ctx.argc() - j;
    std::string_view opt = ctx.argv[j];
    if (op != SetOp::kDiff && !cardinality_only && remaining >= n + 1 &&
        EqualsIgnoreCase(opt, "weights")) {
      ++j;
      for (size_t i = 0; i < n; ++i, ++j) {
        std::optional<double> w = ParseDouble(ctx.argv[j]);
        if (!w || std::isnan(*w)) {
          ctx.Error("ERR weight value is not a float");
          return std::nullopt;
        }
        req.sources[i].weight = *w;
      }
    } else if (op != SetOp::kDiff && !cardinality_only && remaining >= 2 &&
               EqualsIgnoreCase(opt, "aggregate")) {
      std::string_view a = ctx.argv[j + 1];
      if (EqualsIgnoreCase(a, "sum")) {
        req.aggregate = Aggregate::kSum;
      } else if (EqualsIgnoreCase(a, "min")) {
        req.aggregate = Aggregate::kMin;
      } else if (EqualsIgnoreCase(a, "max")) {
        req.aggregate = Aggregate::kMax;
      } else {
        ctx.Error(kErrSyntax);
        return std::nullopt;
      }
      j += 2;
    } else if (!store && !cardinality_only && EqualsIgnoreCase(opt, "withscores")) {
      req.withscores = true;
      ++j;
    } else if (cardinality_only && remaining >= 2 && EqualsIgnoreCase(opt, "limit")) {
      std::optional<int64_t> l = ParseInt64(ctx.argv[j + 1]);
      if (!l || *l < 0) {
        ctx.Error("ERR LIMIT can't be negative");
        return std::nullopt;
      }
      req.limit = *l;
      j += 2;
    } else {
      ctx.Error(kErrSyntax);
      return std::nullopt;
    }
  }
  for (Source& s : req.sources) {
    if (s.value == nullptr) continue;
    s.size = s.is_set() ? SetSize(*s.value) : ZSetSize(*s.value);
  }
  return req;
}

// The result of the operation, unordered. For ZINTERCARD (count_only) only *count is set.
std::vector<ZSetEntry> Compute(Request& req, SetOp op, bool count_only, size_t* count) {
  std::vector<ZSetEntry> out;
  *count = 0;
  std::vector<Source>& src = req.sources;
  if (op != SetOp::kDiff) {
    std::stable_sort(src.begin(), src.end(),
                     [](const Source& a, const Source& b) { return a.size < b.size; });
  }
  switch (op) {
    case SetOp::kInter: {
      if (src[0].size == 0) break;
      bool stop = false;
      src[0].ForEach([&](std::string_view m, double s) {
        if (stop) return;
        double score = Weighted(src[0].weight, s);
        for (size_t j = 1; j < src.size(); ++j) {
          std::optional<double> other = src[j].Score(m);
          if (!other) return;
          Combine(req.aggregate, &score, Weighted(src[j].weight, *other));
        }
        ++*count;
        if (count_only) {
          if (req.limit > 0 && *count >= static_cast<size_t>(req.limit)) stop = true;
          return;
        }
        out.push_back(ZSetEntry{std::string(m), score});
      });
      break;
    }
    case SetOp::kUnion: {
      std::unordered_map<std::string, double> acc;
      for (const Source& s : src) {
        s.ForEach([&](std::string_view m, double score) {
          const double v = Weighted(s.weight, score);
          auto [it, inserted] = acc.try_emplace(std::string(m), v);
          if (!inserted) Combine(req.aggregate, &it->second, v);
        });
      }
      out.reserve(acc.size());
      for (auto& [m, s] : acc) out.push_back(ZSetEntry{m, s});
      *count = out.size();
      break;
    }
    case SetOp::kDiff: {
      src[0].ForEach([&](std::string_view m, double s) {
        for (size_t j = 1; j < src.size(); ++j) {
          if (src[j].Score(m)) return;
        }
        out.push_back(ZSetEntry{std::string(m), s});
      });
      *count = out.size();
      break;
    }
  }
  return out;
}

void SortEntries(std::vector<ZSetEntry>& entries) {
  std::sort(entries.begin(), entries.end(), [](const ZSetEntry& a, const ZSetEntry& b) {
    if (a.score != b.score) return a.score < b.score;
    return a.member < b.member;
  });
}

void OpGeneric(CommandContext& ctx, SetOp op, bool store) {
  const size_t numkeys_idx = store ? 2 : 1;
  std::optional<Request> req = ParseRequest(ctx, numkeys_idx, op, store, false);
  if (!req) return;
  size_t count;
  std::vector<ZSetEntry> result = Compute(*req, op, false, &count);
  if (store) return StoreZSetResult(ctx, ctx.argv[1], std::move(result));
  SortEntries(result);
  ReplyZSetEntries(ctx, result, req->withscores);
}

// ZUNION/ZINTER/ZDIFF numkeys key [key ...] [WEIGHTS w ...] [AGGREGATE SUM|MIN|MAX]
// [WITHSCORES]; the STORE forms take a destination first.
void ZUnion(CommandContext& ctx) { OpGeneric(ctx, SetOp::kUnion, false); }
void ZInter(CommandContext& ctx) { OpGeneric(ctx, SetOp::kInter, false); }
void ZDiff(CommandContext& ctx) { OpGeneric(ctx, SetOp::kDiff, false); }
void ZUnionStore(CommandContext& ctx) { OpGeneric(ctx, SetOp::kUnion, true); }
void ZInterStore(CommandContext& ctx) { OpGeneric(ctx, SetOp::kInter, true); }
void ZDiffStore(CommandContext& ctx) { OpGeneric(ctx, SetOp::kDiff, true); }

// ZINTERCARD numkeys key [key ...] [LIMIT limit]
void ZInterCard(CommandContext& ctx) {
  std::optional<Request> req = ParseRequest(ctx, 1, SetOp::kInter, false, true);
  if (!req) return;
  size_t count;
  Compute(*req, SetOp::kInter, true, &count);
  ctx.reply.Integer(static_cast<int64_t>(count));
}

}  // namespace

void RegisterZSetStoreCommands(CommandTable& table) {
  table.Register({.name = "zunion",
                  .arity = -3,
                  .flags = kCmdReadOnly | kCmdMovableKeys,
                  .keys = {0, 0, 0},
                  .acl = kAclSortedSet,
                  .group = "sorted-set",
                  .since = "6.2.0",
                  .summary = "Add multiple sorted sets",
                  .complexity = "O(N)+O(M*log(M)) with N being the sum of the sizes of the input "
                                "sorted sets, and M being the number of elements in the resulting "
                                "sorted set.",
                  .handler = ZUnion,
                  .find_keys = NumKeysFinder<1>});
  table.Register({.name = "zinter",
                  .arity = -3,
                  .flags = kCmdReadOnly | kCmdMovableKeys,
                  .keys = {0, 0, 0},
                  .acl = kAclSortedSet,
                  .group = "sorted-set",
                  .since = "6.2.0",
                  .summary = "Intersect multiple sorted sets",
                  .complexity = "O(N*K)+O(M*log(M)) worst case with N being the smallest input "
                                "sorted set, K being the number of input sorted sets and M being "
                                "the number of elements in the resulting sorted set.",
                  .handler = ZInter,
                  .find_keys = NumKeysFinder<1>});
  table.Register({.name = "zdiff",
                  .arity = -3,
                  .flags = kCmdReadOnly | kCmdMovableKeys,
                  .keys = {0, 0, 0},
                  .acl = kAclSortedSet,
                  .group = "sorted-set",
                  .since = "6.2.0",
                  .summary = "Subtract multiple sorted sets",
                  .complexity = "O(L + (N-K)log(N)) worst case where L is the total number of "
                                "elements in all the sets, N is the size of the first set, and K "
                                "is the size of the result set.",
                  .handler = ZDiff,
                  .find_keys = NumKeysFinder<1>});
  table.Register({.name = "zunionstore",
                  .arity = -4,
                  .flags = kCmdWrite | kCmdDenyOom | kCmdMovableKeys,
                  .keys = {1, 1, 1},
                  .acl = kAclSortedSet,
                  .group = "sorted-set",
                  .since = "2.0.0",
                  .summary = "Add multiple sorted sets and store the resulting sorted set in a "
                             "new key",
                  .complexity = "O(N)+O(M log(M)) with N being the sum of the sizes of the input "
                                "sorted sets, and M being the number of elements in the resulting "
                                "sorted set.",
                  .handler = ZUnionStore,
                  .find_keys = NumKeysFinder<2, 1>,
                  .written_keys = WrittenKeys::kFirst});
  table.Register({.name = "zinterstore",
                  .arity = -4,
                  .flags = kCmdWrite | kCmdDenyOom | kCmdMovableKeys,
                  .keys = {1, 1, 1},
                  .acl = kAclSortedSet,
                  .group = "sorted-set",
                  .since = "2.0.0",
                  .summary = "Intersect multiple sorted sets and store the resulting sorted set "
                             "in a new key",
                  .complexity = "O(N*K)+O(M*log(M)) worst case with N being the smallest input "
                                "sorted set, K being the number of input sorted sets and M being "
                                "the number of elements in the resulting sorted set.",
                  .handler = ZInterStore,
                  .find_keys = NumKeysFinder<2, 1>,
                  .written_keys = WrittenKeys::kFirst});
  table.Register({.name = "zdiffstore",
                  .arity = -4,
                  .flags = kCmdWrite | kCmdDenyOom | kCmdMovableKeys,
                  .keys = {1, 1, 1},
                  .acl = kAclSortedSet,
                  .group = "sorted-set",
                  .since = "6.2.0",
                  .summary = "Subtract multiple sorted sets and store the resulting sorted set in "
                             "a new key",
                  .complexity = "O(L + (N-K)log(N)) worst case where L is the total number of "
                                "elements in all the sets, N is the size of the first set, and K "
                                "is the size of the result set.",
                  .handler = ZDiffStore,
                  .find_keys = NumKeysFinder<2, 1>,
                  .written_keys = WrittenKeys::kFirst});
  table.Register({.name = "zintercard",
                  .arity = -3,
                  .flags = kCmdReadOnly | kCmdMovableKeys,
                  .keys = {0, 0, 0},
                  .acl = kAclSortedSet,
                  .group = "sorted-set",
                  .since = "7.0.0",
                  .summary = "Intersect multiple sorted sets and return the cardinality of the "
                             "result",
                  .complexity = "O(N*K) worst case with N being the smallest input sorted set, K "
                                "being the number of input sorted sets.",
                  .handler = ZInterCard,
                  .find_keys = NumKeysFinder<1>});
}

}  // namespace basalt
