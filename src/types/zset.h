// Sorted-set values: every operation the Z* (and GEO*) commands perform on a Value of type
// kZSet, whatever its encoding, and Redis 7.0's rules for choosing and changing the encoding.
//
// Encodings:
//   listpack   member, score, member, score, ... in one Listpack, ordered by score, then by
//              member (memcmp order, shorter first on a common prefix). Used while the set has
//              at most zset-max-listpack-entries members and none is longer than
//              zset-max-listpack-value bytes. Scores are stored in Redis's d2string form
//              (FormatDoubleCompact): integral ones as listpack integers (so -0 reads back
//              as 0, as in Redis), others as %.17g text. Everything is a linear walk.
//   skiplist   (the name Redis reports; OBJECT ENCODING says "skiplist") a ZSetIndex
//              (types/zset_index.h): a B+tree ordered by (score, member) with subtree counts,
//              plus a member -> node hash table. O(log n) insert, delete, rank and select.
//
// Conversions, as Redis 7.0's t_zset.c:
//   - NewZSet(size_hint, longest_member): listpack unless size_hint exceeds the entry limit
//     or longest_member exceeds the value limit (zsetTypeCreate);
//   - ZSetAdd converts listpack -> skiplist when the set would exceed either limit;
//   - ZSetConvertToListpackIfNeeded (ZRANGESTORE, ZUNIONSTORE, ... destinations and
//     GEOSEARCHSTORE): skiplist -> listpack when the finished set fits both limits;
//   - nothing else ever converts back (deleting members keeps the skiplist).
//
// Ranks are 0-based positions in ascending (score, member) order; "reverse" means ranks are
// counted from the highest element (rank 0 = the maximum). Every range function works on
// ranks: a score or lex range is first turned into a half-open rank interval.
//
// Scores are never NaN inside a set (ZSetAdd refuses to create one).
//
// Members and scores handed to visitors are views valid only during the call (listpack
// integers are printed into a scratch buffer). Visitors must not modify the set.
//
// Thresholds come in as ZSetLimits so this module does not depend on the server. Every
// function REQUIRES v.type() == ValueType::kZSet unless said otherwise.
// Not thread-safe: a value belongs to the database that holds it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "db/hash_table.h"
#include "types/value.h"

namespace basalt {

struct ZSetLimits {
  size_t max_listpack_entries = 128;  // zset-max-listpack-entries
  size_t max_listpack_value = 64;     // zset-max-listpack-value
};

// ---------------------------------------------------------------------------------------------
// Ranges (parsing follows Redis's zslParseRange / zslParseLexRange)

// A score interval; min/max may be +-inf. Empty when min > max, or min == max with either end
// exclusive.
struct ScoreRange {
  double min = 0;
  double max = 0;
  bool min_exclusive = false;
  bool max_exclusive = false;

  bool ContainsAboveMin(double score) const {
    return min_exclusive ? score > min : score >= min;
  }
  bool ContainsBelowMax(double score) const {
    return max_exclusive ? score < max : score <= max;
  }
  bool Contains(double score) const { return ContainsAboveMin(score) && ContainsBelowMax(score); }
};

// Parses "1.5", "(1.5", "inf", "-inf", "+inf", "(inf"... for each end. nullopt on a syntax
// error or NaN (callers reply "ERR min or max is not a float").
std::optional<ScoreRange> ParseScoreRange(std::string_view min, std::string_view max);

// A lex interval over members: "-" (minus infinity), "+" (plus infinity), "[x" (inclusive),
// "(x" (exclusive). Only meaningful when all members have the same score (as in Redis).
struct LexRange {
  std::string min;  // without the '[' / '(' prefix
  std::string max;
  bool min_exclusive = false;
  bool max_exclusive = false;
  bool min_is_neg_inf = false;  // "-"
  bool min_is_pos_inf = false;  // "+" as the min: nothing matches
  bool max_is_neg_inf = false;  // "-" as the max: nothing matches
  bool max_is_pos_inf = false;  // "+"

  bool ContainsAboveMin(std::string_view m) const;
  bool ContainsBelowMax(std::string_view m) const;
  bool Contains(std::string_view m) const { return ContainsAboveMin(m) && ContainsBelowMax(m); }
};

// nullopt on a bad bound (callers reply "ERR min or max not valid string range item").
std::optional<LexRange> ParseLexRange(std::string_view min, std::string_view max);

// A half-open interval of ascending ranks [begin, end).
struct RankSpan {
  size_t begin = 0;
  size_t end = 0;
  size_t size() const { return end > begin ? end - begin : 0; }
  bool empty() const { return end <= begin; }
};

// ---------------------------------------------------------------------------------------------
// Creation, size, lookups

// A new, empty sorted set in the encoding Redis's zsetTypeCreate would pick for a set about to
// receive `size_hint` members whose longest is `longest_member` bytes.
Value NewZSet(size_t size_hint, size_t longest_member, const ZSetLimits& limits);

size_t ZSetSize(const Value& v);

// The member's score, or nullopt if it is not a member.
std::optional<double> ZSetScore(const Value& v, std::string_view member);

// The member's rank (0-based; from the top when reverse) and score, or nullopt.
struct ZSetRankResult {
  size_t rank = 0;
  double score = 0;
};
std::optional<ZSetRankResult> ZSetRank(const Value& v, std::string_view member, bool reverse);

// ---------------------------------------------------------------------------------------------
// Adding, updating, removing

// ZADD's flags (combinable as Redis's ZADD_IN_*).
enum ZAddFlag : int {
  kZAddNone = 0,
  kZAddIncr = 1 << 0,  // add the score to the current one (missing member: current = 0)
  kZAddNx = 1 << 1,    // only add new members
  kZAddXx = 1 << 2,    // only update existing members
  kZAddGt = 1 << 3,    // only update when the new score is greater
  kZAddLt = 1 << 4,    // only update when the new score is less
};

// What ZSetAdd did (Redis's ZADD_OUT_*).
enum class ZAddOutcome {
  kAdded,    // a new member
  kUpdated,  // an existing member's score changed
  kNop,      // member present, score unchanged (or a flag forbade the change)
  kNaN,      // INCR produced NaN: nothing changed ("ERR resulting score is not a number (NaN)")
};
struct ZAddResult {
  ZAddOutcome outcome = ZAddOutcome::kNop;
  double score = 0;        // the member's score after the call (for INCR replies)
  bool skipped = false;    // NX/XX/GT/LT prevented the operation (INCR then replies nil)
};

// Redis's zsetAdd. REQUIRES: score is not NaN. Converts listpack -> skiplist when the set
// would exceed a limit.
ZAddResult ZSetAdd(Value& v, double score, std::string_view member, int flags,
                   const ZSetLimits& limits);

// Removes member; returns whether it was there. The caller deletes the key if the set is
// now empty.
bool ZSetRemove(Value& v, std::string_view member);

// Converts to skiplist if `size_hint` more members are coming than the listpack may hold or
// `longest_member` is too long (Redis's zsetTypeMaybeConvert).
void ZSetMaybeConvert(Value& v, size_t size_hint, size_t longest_member,
                      const ZSetLimits& limits);
// Converts a skiplist set back to a listpack when it fits both limits (Redis's
// zsetConvertToListpackIfNeeded, applied to the results of the STORE commands). No-op on a
// listpack.
void ZSetConvertToListpackIfNeeded(Value& v, const ZSetLimits& limits);
// Unconditional conversions (tests, DEBUG). No-op when already in that encoding.
void ZSetConvertToSkiplist(Value& v);
void ZSetConvertToListpack(Value& v);

// ---------------------------------------------------------------------------------------------
// Ranges

// The ascending ranks of the members whose score lies in `range` / whose member lies in
// `range`. O(log n) for skiplists, O(n) for listpacks.
RankSpan ZSetScoreSpan(const Value& v, const ScoreRange& range);
RankSpan ZSetLexSpan(const Value& v, const LexRange& range);

// Turns ZRANGE-style start/stop indexes (negative = from the end, inclusive stop) into an
// ascending-rank span for a set of `size` elements; `reverse` interprets the indexes as
// ranks from the top (ZREVRANGE). Empty when out of range.
RankSpan RankSpanFromIndexes(int64_t start, int64_t stop, size_t size, bool reverse);

// Visits the members with ascending ranks in `span`, in ascending order, or descending when
// reverse: f(std::string_view member, double score) -> bool (false stops the walk).
using ZSetVisitor = std::function<bool(std::string_view member, double score)>;
void ZSetVisitSpan(const Value& v, RankSpan span, bool reverse, const ZSetVisitor& f);
// Every member in ascending order.
void ForEachZSetMember(const Value& v, const ZSetVisitor& f);

// Removes the members with ascending ranks in `span`; returns how many. The caller deletes the
// key if the set is now empty.
size_t ZSetDeleteSpan(Value& v, RankSpan span);

// A member with its score, copied out.
struct ZSetEntry {
  std::string member;
  double score = 0;
  bool operator==(const ZSetEntry&) const = default;
};

// Removes and returns up to `count` members from the bottom (or the top when `max`), in the
// order popped (ZPOPMIN/ZPOPMAX/ZMPOP/BZPOP*).
std::vector<ZSetEntry> ZSetPop(Value& v, size_t count, bool max);

// The entries of `span` (ascending, or descending when reverse), copied out.
std::vector<ZSetEntry> ZSetEntries(const Value& v, RankSpan span, bool reverse);

// ---------------------------------------------------------------------------------------------
// Random members (ZRANDMEMBER)

// One uniformly random member. REQUIRES: ZSetSize(v) > 0.
ZSetEntry ZSetRandomMember(const Value& v, FastRng& rng);
// `count` distinct random members in random order. REQUIRES: count <= ZSetSize(v).
std::vector<ZSetEntry> ZSetRandomDistinctMembers(const Value& v, size_t count, FastRng& rng);

// ---------------------------------------------------------------------------------------------
// Building a set from entries (ZUNIONSTORE/ZRANGESTORE/GEOSEARCHSTORE destinations)

// A new set holding `entries` (members must be distinct; any order), in the encoding Redis
// would give a STORE destination: listpack if it fits the limits, else skiplist.
Value ZSetFromEntries(std::vector<ZSetEntry> entries, const ZSetLimits& limits);

// ---------------------------------------------------------------------------------------------
// ZSCAN: listpacks return everything at once (cursor 0); skiplists walk the member hash table
// with Redis's reverse-binary cursor. Calls f(member, score) for each element of one step
// and returns the next cursor (0 = done): about `count` elements, after at most count * 10
// bucket steps (as Redis's SCAN family).
uint64_t ZSetScan(Value& v, uint64_t cursor, size_t count,
                  const std::function<void(std::string_view, double)>& f);

}  // namespace basalt
