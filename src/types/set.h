// Set values: the operations SADD, SREM, SPOP, SINTER, ... perform on a set Value, whatever
// its encoding, and the rules (Redis 7.2's) that choose and change the encoding.
//
// Encodings, smallest first:
//   intset     every member is a canonical int64 (ParseInt64 rules) and there are at most
//              min(set-max-intset-entries, 2^30) of them; sorted, 2-8 bytes per member;
//   listpack   at most set-max-listpack-entries members, each at most set-max-listpack-value
//              bytes; unsorted, insertion order; ~2 bytes + length per member;
//   hashtable  anything else (a StringSet, types/string_set.h).
//
// Conversions, as Redis 7.2's t_set.c:
//   - a new set (NewSet, from its first member and a hint of how many members are coming):
//     intset if the member is an integer and hint <= set-max-intset-entries, else listpack
//     if hint <= set-max-listpack-entries, else hashtable;
//   - before a batch of additions (SetMaybeConvert, SADD's argument count): straight to
//     hashtable if the hint exceeds the current encoding's entry limit;
//   - SetAdd: intset + integer past the intset limit -> hashtable; intset + non-integer ->
//     listpack if the set has fewer than set-max-listpack-entries members and both the new
//     member and the longest integer (in decimal) fit set-max-listpack-value, else
//     hashtable; listpack + a member that breaks either listpack limit -> hashtable;
//   - sets never move back to a smaller encoding by themselves, except when a caller that
//     knows all members are integers asks for it (SetMaybeConvertToIntset: SINTERSTORE).
//
// Members are binary-safe byte strings. Integer-encoded members are handed out as their
// decimal text. Random picks take an Rng such as FastRng (db/hash_table.h).
//
// Not thread-safe: a set belongs to the database that holds it.
#pragma once

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "db/hash_table.h"
#include "types/string_set.h"
#include "types/value.h"

namespace basalt {

// The encoding thresholds (ServerConfig's set-max-* parameters).
struct SetLimits {
  uint64_t max_intset_entries = 512;
  uint64_t max_listpack_entries = 128;
  uint64_t max_listpack_value = 64;

  // The intset limit actually applied: intsets stop at 2^30 members whatever the config.
  uint64_t IntsetMax() const {
    return max_intset_entries < (uint64_t{1} << 30) ? max_intset_entries : uint64_t{1} << 30;
  }
};

// --- Creation --------------------------------------------------------------------------------

// An empty set in the encoding Redis's setTypeCreate picks for `first_member` when about
// `size_hint` members will be added. The caller adds the members (including the first).
Value NewSet(std::string_view first_member, size_t size_hint, const SetLimits& limits);
// Empty sets of a given encoding (what SUNIONSTORE, SINTERSTORE and SPOP start from).
Value NewIntsetSet();
Value NewListpackSet();
Value NewHashtableSet();

// A set holding `members` (duplicates collapse), encoded as SADD on a missing key would
// encode it. REQUIRES: !members.empty().
Value SetFromMembers(std::span<const std::string_view> members, const SetLimits& limits);
Value SetFromMembers(std::span<const std::string> members, const SetLimits& limits);

// --- Queries ---------------------------------------------------------------------------------

// REQUIRES (all functions below): set.type() == ValueType::kSet.
size_t SetSize(const Value& set);
bool SetContains(const Value& set, std::string_view member);

// Calls f(std::string_view member) for every member: intsets in ascending order, listpacks
// in insertion order, hashtables in table order. If f returns bool, false stops the walk.
// The view is valid during the call only; f must not modify the set.
template <typename F>
void ForEachSetMember(const Value& set, F f);

// One uniformly random member. REQUIRES: SetSize(set) > 0.
std::string SetRandomMember(const Value& set, FastRng& rng);

// `count` distinct random members (SRANDMEMBER with a positive count), in no particular
// order. REQUIRES: count < SetSize(set) (the caller returns the whole set otherwise).
std::vector<std::string> SetRandomDistinctMembers(const Value& set, size_t count, FastRng& rng);

// --- Mutations -------------------------------------------------------------------------------

// Converts to hashtable when about `size_hint` more members are coming than the current
// encoding may hold (Redis's setTypeMaybeConvert).
void SetMaybeConvert(Value& set, size_t size_hint, const SetLimits& limits);

// Adds `member`, converting the encoding as needed; false if it was already a member.
bool SetAdd(Value& set, std::string_view member, const SetLimits& limits);
// Removes `member`; false if it was absent. The caller deletes a set that became empty.
bool SetRemove(Value& set, std::string_view member);

// Removes and returns one random member. REQUIRES: SetSize(set) > 0.
std::string SetPopRandom(Value& set, FastRng& rng);
// Removes and returns `count` random members (SPOP with a count). Small counts pop one at a
// time; counts close to the size keep a random remainder in a new set instead, as Redis
// does, so the value may change encoding. REQUIRES: 0 < count < SetSize(set).
std::vector<std::string> SetPopRandomMembers(Value& set, size_t count, FastRng& rng,
                                             const SetLimits& limits);

// Converts to intset if the set fits one. REQUIRES: every member is an integer.
void SetMaybeConvertToIntset(Value& set, const SetLimits& limits);
// Gives back a listpack's slack after bulk building.
void SetShrinkToFit(Value& set);

// Converts to `encoding` (kIntset, kListpack or kHashtable) regardless of the thresholds
// (for tests and tools). REQUIRES: an intset target only for all-integer sets.
void SetConvert(Value& set, Encoding encoding);

// --- Implementation of the templates ---------------------------------------------------------

namespace set_internal {

template <typename F>
bool CallMember(F& f, std::string_view member) {
  if constexpr (std::is_same_v<std::invoke_result_t<F&, std::string_view>, bool>) {
    return f(member);
  } else {
    f(member);
    return true;
  }
}

inline std::string_view IntToText(int64_t v, char (&buf)[kInt64StrLen]) {
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  return {buf, static_cast<size_t>(end - buf)};
}

}  // namespace set_internal

template <typename F>
void ForEachSetMember(const Value& set, F f) {
  switch (set.encoding()) {
    case Encoding::kIntset: {
      char buf[kInt64StrLen];
      for (int64_t v : set.intset()) {
        if (!set_internal::CallMember(f, set_internal::IntToText(v, buf))) return;
      }
      return;
    }
    case Encoding::kListpack: {
      char buf[kInt64StrLen];
      for (ListpackEntry e : set.listpack().view()) {
        std::string_view m = e.is_int ? set_internal::IntToText(e.ival, buf) : e.sval;
        if (!set_internal::CallMember(f, m)) return;
      }
      return;
    }
    default: {
      bool stopped = false;
      set.object<StringSet>().ForEach([&](std::string_view m) {
        if (!stopped && !set_internal::CallMember(f, m)) stopped = true;
      });
      return;
    }
  }
}

}  // namespace basalt
