#include "types/zset.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <unordered_set>

#include "types/zset_index.h"
#include "util/strconv.h"

namespace basalt {

namespace {

bool IsListpack(const Value& v) { return v.encoding() == Encoding::kListpack; }

// ---------------------------------------------------------------------------------------------
// Listpack encoding: member, score pairs sorted by (score, member).

std::string_view EntryText(const ListpackEntry& e, char (&buf)[kInt64StrLen]) {
  if (e.is_int) return {buf, FormatInt64(e.ival, buf)};
  return e.sval;
}

double EntryScore(const ListpackEntry& e) {
  if (e.is_int) return static_cast<double>(e.ival);
  // Stored by us with FormatDoubleCompact: always parses (inf/-inf included).
  return ParseDouble(e.sval).value_or(0);
}

// Redis's ordering of (score, member) pairs.
bool PairLess(double sa, std::string_view ma, double sb, std::string_view mb) {
  if (sa != sb) return sa < sb;
  return ma < mb;
}

// The member entry of `member` and its score, or an invalid Pos.
ListpackPos LpFind(const ListpackView& lp, std::string_view member, double* score) {
  const ListpackPos first = lp.First();
  if (!first.valid()) return first;
  const ListpackPos p = lp.Find(first, member, /*skip=*/1);
  if (p.valid() && score != nullptr) *score = EntryScore(lp.Get(lp.Next(p)));
  return p;
}

void LpInsert(Listpack& lp, std::string_view member, double score) {
  // Redis stores an integral score as an integer, so -0 comes back as 0 from a listpack.
  if (score == 0) score = 0;
  const std::string score_text = FormatDoubleCompact(score);
  char buf[kInt64StrLen];
  for (ListpackPos p = lp.First(); p.valid();) {
    const ListpackPos sp = lp.Next(p);
    const double s = EntryScore(lp.Get(sp));
    if (PairLess(score, member, s, EntryText(lp.Get(p), buf))) {
      const ListpackPos mp = lp.Insert(p, Listpack::Where::kBefore, member);
      lp.Insert(mp, Listpack::Where::kAfter, score_text);
      return;
    }
    p = lp.Next(sp);
  }
  lp.Append(member);
  lp.Append(score_text);
}

ZSetIndex& Index(Value& v) { return v.object<ZSetIndex>(); }
const ZSetIndex& Index(const Value& v) { return v.object<ZSetIndex>(); }

// The number of leading elements (ascending) for which pred(score, member) holds.
template <typename Pred>
size_t CountPrefix(const Value& v, Pred pred) {
  if (!IsListpack(v)) {
    return Index(v).CountWhile([&pred](const ZNode* z) { return pred(z->score, z->member()); });
  }
  const ListpackView lp = v.listpack().view();
  size_t n = 0;
  char buf[kInt64StrLen];
  for (ListpackPos p = lp.First(); p.valid(); ++n) {
    const ListpackPos sp = lp.Next(p);
    if (!pred(EntryScore(lp.Get(sp)), EntryText(lp.Get(p), buf))) break;
    p = lp.Next(sp);
  }
  return n;
}

bool ParseScoreBound(std::string_view s, double* value, bool* exclusive) {
  *exclusive = false;
  if (!s.empty() && s[0] == '(') {
    *exclusive = true;
    s.remove_prefix(1);
  }
  std::optional<double> d = ParseDouble(s);
  if (!d || std::isnan(*d)) return false;
  *value = *d;
  return true;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Ranges

std::optional<ScoreRange> ParseScoreRange(std::string_view min, std::string_view max) {
  ScoreRange r;
  if (!ParseScoreBound(min, &r.min, &r.min_exclusive)) return std::nullopt;
  if (!ParseScoreBound(max, &r.max, &r.max_exclusive)) return std::nullopt;
  return r;
}

bool LexRange::ContainsAboveMin(std::string_view m) const {
  if (min_is_neg_inf) return true;
  if (min_is_pos_inf) return false;
  return min_exclusive ? m > min : m >= min;
}

bool LexRange::ContainsBelowMax(std::string_view m) const {
  if (max_is_pos_inf) return true;
  if (max_is_neg_inf) return false;
  return max_exclusive ? m < max : m <= max;
}

std::optional<LexRange> ParseLexRange(std::string_view min, std::string_view max) {
  LexRange r;
  auto parse = [](std::string_view s, std::string* out, bool* ex, bool* neg, bool* pos) {
    if (s.empty()) return false;
    if (s.size() == 1 && s[0] == '-') return *neg = true;
    if (s.size() == 1 && s[0] == '+') return *pos = true;
    if (s[0] != '(' && s[0] != '[') return false;
    *ex = s[0] == '(';
    out->assign(s.substr(1));
    return true;
  };
  if (!parse(min, &r.min, &r.min_exclusive, &r.min_is_neg_inf, &r.min_is_pos_inf)) {
    return std::nullopt;
  }
  if (!parse(max, &r.max, &r.max_exclusive, &r.max_is_neg_inf, &r.max_is_pos_inf)) {
    return std::nullopt;
  }
  return r;
}

RankSpan ZSetScoreSpan(const Value& v, const ScoreRange& range) {
  // Empty ranges (min > max, or a point with an exclusive end) match nothing.
  if (range.min > range.max ||
      (range.min == range.max && (range.min_exclusive || range.max_exclusive))) {
    return {};
  }
  const size_t begin =
      CountPrefix(v, [&](double s, std::string_view) { return !range.ContainsAboveMin(s); });
  const size_t end =
      CountPrefix(v, [&](double s, std::string_view) { return range.ContainsBelowMax(s); });
  return {begin, std::max(begin, end)};
}

RankSpan ZSetLexSpan(const Value& v, const LexRange& range) {
  // As Redis, the walk assumes equal scores: members are compared in storage order.
  const size_t begin =
      CountPrefix(v, [&](double, std::string_view m) { return !range.ContainsAboveMin(m); });
  const size_t end =
      CountPrefix(v, [&](double, std::string_view m) { return range.ContainsBelowMax(m); });
  return {begin, std::max(begin, end)};
}

RankSpan RankSpanFromIndexes(int64_t start, int64_t stop, size_t size, bool reverse) {
  const auto n = static_cast<int64_t>(size);
  if (start < 0) start += n;
  if (stop < 0) stop += n;
  if (start < 0) start = 0;
  if (start > stop || start >= n) return {};
  if (stop >= n) stop = n - 1;
  if (!reverse) return {static_cast<size_t>(start), static_cast<size_t>(stop) + 1};
  return {static_cast<size_t>(n - 1 - stop), static_cast<size_t>(n - start)};
}

// ---------------------------------------------------------------------------------------------
// Creation, size, lookups

Value NewZSet(size_t size_hint, size_t longest_member, const ZSetLimits& limits) {
  if (size_hint <= limits.max_listpack_entries && longest_member <= limits.max_listpack_value &&
      limits.max_listpack_entries > 0) {
    return Value::FromListpack(ValueType::kZSet, Listpack());
  }
  return Value::FromObject(ValueType::kZSet, Encoding::kSkiplist, std::make_unique<ZSetIndex>());
}

size_t ZSetSize(const Value& v) {
  if (IsListpack(v)) return v.listpack().size() / 2;
  return Index(v).size();
}

std::optional<double> ZSetScore(const Value& v, std::string_view member) {
  if (IsListpack(v)) {
    double score = 0;
    if (!LpFind(v.listpack().view(), member, &score).valid()) return std::nullopt;
    return score;
  }
  const ZNode* z = Index(v).Find(member);
  if (z == nullptr) return std::nullopt;
  return z->score;
}

std::optional<ZSetRankResult> ZSetRank(const Value& v, std::string_view member, bool reverse) {
  const size_t size = ZSetSize(v);
  ZSetRankResult r;
  if (IsListpack(v)) {
    const ListpackView lp = v.listpack().view();
    size_t rank = 0;
    for (ListpackPos p = lp.First(); p.valid(); ++rank) {
      const ListpackPos sp = lp.Next(p);
      if (lp.Get(p).Equals(member)) {
        r.rank = rank;
        r.score = EntryScore(lp.Get(sp));
        if (reverse) r.rank = size - 1 - r.rank;
        return r;
      }
      p = lp.Next(sp);
    }
    return std::nullopt;
  }
  const ZSetIndex& index = Index(v);
  const ZNode* z = index.Find(member);
  if (z == nullptr) return std::nullopt;
  r.rank = index.Rank(z);
  r.score = z->score;
  if (reverse) r.rank = size - 1 - r.rank;
  return r;
}

// ---------------------------------------------------------------------------------------------
// Conversions

void ZSetConvertToSkiplist(Value& v) {
  if (!IsListpack(v)) return;
  auto index = std::make_unique<ZSetIndex>();
  ForEachZSetMember(v, [&index](std::string_view m, double s) {
    index->Insert(m, s);
    return true;
  });
  v.ConvertTo(Encoding::kSkiplist, std::move(index));
}

void ZSetConvertToListpack(Value& v) {
  if (IsListpack(v)) return;
  Listpack lp;
  for (ZSetIndex::Cursor c = Index(v).First(); c.valid(); c.Next()) {
    lp.Append(c.node()->member());
    lp.Append(FormatDoubleCompact(c.node()->score == 0 ? 0.0 : c.node()->score));
  }
  v.ConvertTo(std::move(lp));
}

void ZSetMaybeConvert(Value& v, size_t size_hint, size_t longest_member,
                      const ZSetLimits& limits) {
  if (!IsListpack(v)) return;
  if (size_hint > limits.max_listpack_entries || longest_member > limits.max_listpack_value) {
    ZSetConvertToSkiplist(v);
  }
}

void ZSetConvertToListpackIfNeeded(Value& v, const ZSetLimits& limits) {
  if (IsListpack(v)) return;
  const ZSetIndex& index = Index(v);
  if (index.size() > limits.max_listpack_entries) return;
  size_t total = 0;
  for (ZSetIndex::Cursor c = index.First(); c.valid(); c.Next()) {
    const size_t len = c.node()->member().size();
    if (len > limits.max_listpack_value) return;
    total += len;
  }
  if (total > Listpack::kMaxSafetySize) return;
  ZSetConvertToListpack(v);
}

// ---------------------------------------------------------------------------------------------
// Adding, updating, removing

ZAddResult ZSetAdd(Value& v, double score, std::string_view member, int flags,
                   const ZSetLimits& limits) {
  const bool incr = (flags & kZAddIncr) != 0;
  const bool nx = (flags & kZAddNx) != 0;
  const bool xx = (flags & kZAddXx) != 0;
  const bool gt = (flags & kZAddGt) != 0;
  const bool lt = (flags & kZAddLt) != 0;
  ZAddResult r;

  std::optional<double> current = ZSetScore(v, member);
  if (current) {
    if (nx) {
      r.skipped = true;
      return r;
    }
    if (incr) {
      score += *current;
      if (std::isnan(score)) {
        r.outcome = ZAddOutcome::kNaN;
        return r;
      }
    }
    if ((lt && score >= *current) || (gt && score <= *current)) {
      r.skipped = true;
      r.score = *current;
      return r;
    }
    r.score = score;
    if (score == *current) return r;
    r.outcome = ZAddOutcome::kUpdated;
    if (IsListpack(v)) {
      Listpack& lp = v.listpack();
      const ListpackPos p = LpFind(lp.view(), member, nullptr);
      lp.DeleteRange(p, 2);
      LpInsert(lp, member, score);
    } else {
      ZSetIndex& index = Index(v);
      index.UpdateScore(index.Find(member), score);
    }
    return r;
  }
  if (xx) {
    r.skipped = true;
    return r;
  }
  if (IsListpack(v)) {
    Listpack& lp = v.listpack();
    if (lp.size() / 2 + 1 > limits.max_listpack_entries ||
        member.size() > limits.max_listpack_value || !lp.SafeToAdd(member.size() + 40)) {
      ZSetConvertToSkiplist(v);
    } else {
      LpInsert(lp, member, score);
    }
  }
  if (!IsListpack(v)) Index(v).Insert(member, score);
  r.outcome = ZAddOutcome::kAdded;
  r.score = score;
  return r;
}

bool ZSetRemove(Value& v, std::string_view member) {
  if (!IsListpack(v)) return Index(v).Erase(member);
  Listpack& lp = v.listpack();
  const ListpackPos p = LpFind(lp.view(), member, nullptr);
  if (!p.valid()) return false;
  lp.DeleteRange(p, 2);
  return true;
}

// ---------------------------------------------------------------------------------------------
// Walking and deleting ranges

void ZSetVisitSpan(const Value& v, RankSpan span, bool reverse, const ZSetVisitor& f) {
  const size_t size = ZSetSize(v);
  span.end = std::min(span.end, size);
  if (span.empty()) return;
  size_t remaining = span.size();
  if (IsListpack(v)) {
    const ListpackView lp = v.listpack().view();
    char buf[kInt64StrLen];
    if (!reverse) {
      for (ListpackPos p = lp.Seek(static_cast<int64_t>(2 * span.begin)); remaining > 0;
           --remaining) {
        const ListpackPos sp = lp.Next(p);
        if (!f(EntryText(lp.Get(p), buf), EntryScore(lp.Get(sp)))) return;
        p = lp.Next(sp);
      }
    } else {
      for (ListpackPos p = lp.Seek(static_cast<int64_t>(2 * (span.end - 1))); remaining > 0;
           --remaining) {
        const ListpackPos sp = lp.Next(p);
        if (!f(EntryText(lp.Get(p), buf), EntryScore(lp.Get(sp)))) return;
        if (remaining > 1) p = lp.Prev(lp.Prev(p));
      }
    }
    return;
  }
  const ZSetIndex& index = Index(v);
  ZSetIndex::Cursor c = index.Select(reverse ? span.end - 1 : span.begin);
  for (; remaining > 0 && c.valid(); --remaining) {
    if (!f(c.node()->member(), c.node()->score)) return;
    if (reverse) {
      c.Prev();
    } else {
      c.Next();
    }
  }
}

void ForEachZSetMember(const Value& v, const ZSetVisitor& f) {
  ZSetVisitSpan(v, RankSpan{0, ZSetSize(v)}, /*reverse=*/false, f);
}

size_t ZSetDeleteSpan(Value& v, RankSpan span) {
  span.end = std::min(span.end, ZSetSize(v));
  if (span.empty()) return 0;
  const size_t n = span.size();
  if (IsListpack(v)) {
    v.listpack().DeleteRange(static_cast<int64_t>(2 * span.begin), 2 * n);
    return n;
  }
  ZSetIndex& index = Index(v);
  for (size_t i = 0; i < n; ++i) {
    const std::string member(index.Select(span.begin).node()->member());
    index.Erase(member);
  }
  return n;
}

std::vector<ZSetEntry> ZSetEntries(const Value& v, RankSpan span, bool reverse) {
  std::vector<ZSetEntry> out;
  out.reserve(std::min(span.size(), ZSetSize(v)));
  ZSetVisitSpan(v, span, reverse, [&out](std::string_view m, double s) {
    out.push_back(ZSetEntry{std::string(m), s});
    return true;
  });
  return out;
}

std::vector<ZSetEntry> ZSetPop(Value& v, size_t count, bool max) {
  const size_t size = ZSetSize(v);
  count = std::min(count, size);
  const RankSpan span = max ? RankSpan{size - count, size} : RankSpan{0, count};
  std::vector<ZSetEntry> out = ZSetEntries(v, span, /*reverse=*/max);
  ZSetDeleteSpan(v, span);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Random members

ZSetEntry ZSetRandomMember(const Value& v, FastRng& rng) {
  if (IsListpack(v)) {
    const size_t r = rng.Below(ZSetSize(v));
    return ZSetEntries(v, RankSpan{r, r + 1}, false)[0];
  }
  const ZNode* z = Index(v).RandomNode(rng);
  return ZSetEntry{std::string(z->member()), z->score};
}

std::vector<ZSetEntry> ZSetRandomDistinctMembers(const Value& v, size_t count, FastRng& rng) {
  const size_t size = ZSetSize(v);
  count = std::min(count, size);
  std::vector<ZSetEntry> out;
  out.reserve(count);
  if (IsListpack(v) || count * 3 > size) {
    // Most of the set (or a small listpack): shuffle all of it and take a prefix.
    std::vector<ZSetEntry> all = ZSetEntries(v, RankSpan{0, size}, false);
    for (size_t i = 0; i < count; ++i) {
      std::swap(all[i], all[i + rng.Below(size - i)]);
      out.push_back(std::move(all[i]));
    }
    return out;
  }
  // A small part of a big set: draw random members until `count` distinct ones.
  std::unordered_set<const ZNode*> seen;
  const ZSetIndex& index = Index(v);
  while (out.size() < count) {
    const ZNode* z = index.RandomNode(rng);
    if (seen.insert(z).second) out.push_back(ZSetEntry{std::string(z->member()), z->score});
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Building and scanning

Value ZSetFromEntries(std::vector<ZSetEntry> entries, const ZSetLimits& limits) {
  size_t longest = 0;
  for (const ZSetEntry& e : entries) longest = std::max(longest, e.member.size());
  std::sort(entries.begin(), entries.end(), [](const ZSetEntry& a, const ZSetEntry& b) {
    return PairLess(a.score, a.member, b.score, b.member);
  });
  Value v = NewZSet(entries.size(), longest, limits);
  if (IsListpack(v)) {
    Listpack& lp = v.listpack();
    for (const ZSetEntry& e : entries) {
      lp.Append(e.member);
      lp.Append(FormatDoubleCompact(e.score == 0 ? 0.0 : e.score));
    }
    return v;
  }
  ZSetIndex& index = Index(v);
  for (const ZSetEntry& e : entries) index.Insert(e.member, e.score);
  return v;
}

uint64_t ZSetScan(Value& v, uint64_t cursor, size_t count,
                  const std::function<void(std::string_view, double)>& f) {
  if (IsListpack(v)) {
    ForEachZSetMember(v, [&f](std::string_view m, double s) {
      f(m, s);
      return true;
    });
    return 0;
  }
  ZSetIndex& index = Index(v);
  size_t seen = 0;
  size_t steps = std::max<size_t>(count, 1) * 10;
  do {
    cursor = index.Scan(cursor, [&](const ZNode* z) {
      f(z->member(), z->score);
      ++seen;
    });
  } while (cursor != 0 && --steps > 0 && seen < count);
  return cursor;
}

}  // namespace basalt
