#include "types/set.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <unordered_set>
#include <utility>

#include "util/strconv.h"

namespace basalt {

namespace {

// How much bigger than the remainder an SPOP count must be before Redis switches from
// popping members one by one to keeping a random remainder (SPOP_MOVE_STRATEGY_MUL).
constexpr size_t kSpopMoveStrategyMul = 5;
// SRANDMEMBER copies the whole set and drops random members when the set is less than this
// many times the count (SRANDMEMBER_SUB_STRATEGY_MUL).
constexpr size_t kSrandSubStrategyMul = 3;

// Characters of v in decimal, sign included (Redis's sdigits10).
size_t DecimalLength(int64_t v) {
  char buf[kInt64StrLen];
  return set_internal::IntToText(v, buf).size();
}

std::string EntryToString(const ListpackEntry& e) {
  return e.is_int ? Int64ToString(e.ival) : std::string(e.sval);
}

// The member at a random index of a listpack set.
ListpackPos RandomListpackPos(const Listpack& lp, FastRng& rng) {
  return lp.Seek(static_cast<int64_t>(rng.Below(lp.size())));
}

// Knuth's selection sampling: `k` distinct entries of the listpack, chosen uniformly, in
// listpack order, in one pass.
std::vector<ListpackPos> SampleListpack(const Listpack& lp, size_t k, FastRng& rng) {
  std::vector<ListpackPos> out;
  out.reserve(k);
  size_t left = lp.size();
  for (ListpackPos p = lp.First(); p.valid() && out.size() < k; p = lp.Next(p), --left) {
    if (rng.Below(left) < k - out.size()) out.push_back(p);
  }
  return out;
}

void ConvertToHashtable(Value& set) {
  auto table = std::make_unique<StringSet>();
  ForEachSetMember(set, [&table](std::string_view m) { table->Add(m); });
  set.ConvertTo(Encoding::kHashtable, std::move(table));
}

void ConvertToListpack(Value& set) {
  Listpack lp;
  if (set.encoding() == Encoding::kIntset) {
    for (int64_t v : set.intset()) lp.Append(v);
  } else {
    ForEachSetMember(set, [&lp](std::string_view m) { lp.Append(m); });
  }
  set.ConvertTo(std::move(lp));
}

void ConvertToIntset(Value& set) {
  IntSet is;
  ForEachSetMember(set, [&is](std::string_view m) {
    std::optional<int64_t> v = ParseInt64(m);
    if (v) is.Add(*v);
  });
  set.ConvertTo(std::move(is));
}

// Replaces the contents of `set` by those of `replacement`, keeping its LRU clock.
void ReplaceSet(Value& set, Value replacement) {
  const uint32_t lru = set.lru();
  set = std::move(replacement);
  set.set_lru(lru);
}

}  // namespace

// --- Creation --------------------------------------------------------------------------------

Value NewIntsetSet() { return Value::FromIntSet(IntSet()); }
Value NewListpackSet() { return Value::FromListpack(ValueType::kSet, Listpack()); }
Value NewHashtableSet() {
  return Value::FromObject(ValueType::kSet, Encoding::kHashtable, std::make_unique<StringSet>());
}

Value NewSet(std::string_view first_member, size_t size_hint, const SetLimits& limits) {
  if (ParseInt64(first_member) && size_hint <= limits.max_intset_entries) return NewIntsetSet();
  if (size_hint <= limits.max_listpack_entries) return NewListpackSet();
  return NewHashtableSet();
}

Value SetFromMembers(std::span<const std::string_view> members, const SetLimits& limits) {
  Value set = NewSet(members.front(), members.size(), limits);
  for (std::string_view m : members) SetAdd(set, m, limits);
  return set;
}

Value SetFromMembers(std::span<const std::string> members, const SetLimits& limits) {
  Value set = NewSet(members.front(), members.size(), limits);
  for (const std::string& m : members) SetAdd(set, m, limits);
  return set;
}

// --- Queries ---------------------------------------------------------------------------------

size_t SetSize(const Value& set) {
  switch (set.encoding()) {
    case Encoding::kIntset:
      return set.intset().size();
    case Encoding::kListpack:
      return set.listpack().size();
    default:
      return set.object<StringSet>().size();
  }
}

bool SetContains(const Value& set, std::string_view member) {
  switch (set.encoding()) {
    case Encoding::kIntset: {
      std::optional<int64_t> v = ParseInt64(member);
      return v && set.intset().Contains(*v);
    }
    case Encoding::kListpack: {
      const Listpack& lp = set.listpack();
      return !lp.empty() && lp.Find(lp.First(), member).valid();
    }
    default:
      return set.object<StringSet>().Contains(member);
  }
}

std::string SetRandomMember(const Value& set, FastRng& rng) {
  switch (set.encoding()) {
    case Encoding::kIntset:
      return Int64ToString(set.intset().Random(rng));
    case Encoding::kListpack: {
      const Listpack& lp = set.listpack();
      return EntryToString(lp.Get(RandomListpackPos(lp, rng)));
    }
    default:
      return std::string(set.object<StringSet>().Random(rng));
  }
}

std::vector<std::string> SetRandomDistinctMembers(const Value& set, size_t count, FastRng& rng) {
  std::vector<std::string> out;
  if (set.encoding() == Encoding::kListpack) {
    // Listpack sets are small: one sampling pass, no copies of the set.
    const Listpack& lp = set.listpack();
    for (ListpackPos p : SampleListpack(lp, count, rng)) out.push_back(EntryToString(lp.Get(p)));
    return out;
  }
  const size_t size = SetSize(set);
  if (count * kSrandSubStrategyMul > size) {
    // Nearly the whole set: copy it, then drop random members down to `count`.
    out.reserve(size);
    ForEachSetMember(set, [&out](std::string_view m) { out.emplace_back(m); });
    while (out.size() > count) {
      std::swap(out[rng.Below(out.size())], out.back());
      out.pop_back();
    }
    return out;
  }
  // A small part of a big set: draw until `count` distinct members came up.
  std::unordered_set<std::string> seen;
  seen.reserve(count);
  out.reserve(count);
  while (out.size() < count) {
    std::string m = SetRandomMember(set, rng);
    if (seen.insert(m).second) out.push_back(std::move(m));
  }
  return out;
}

// --- Mutations -------------------------------------------------------------------------------

void SetMaybeConvert(Value& set, size_t size_hint, const SetLimits& limits) {
  if ((set.encoding() == Encoding::kListpack && size_hint > limits.max_listpack_entries) ||
      (set.encoding() == Encoding::kIntset && size_hint > limits.max_intset_entries)) {
    ConvertToHashtable(set);
  }
}

bool SetAdd(Value& set, std::string_view member, const SetLimits& limits) {
  switch (set.encoding()) {
    case Encoding::kIntset: {
      IntSet& is = set.intset();
      if (std::optional<int64_t> v = ParseInt64(member)) {
        if (!is.Add(*v)) return false;
        if (is.size() > limits.IntsetMax()) ConvertToHashtable(set);
        return true;
      }
      // A non-integer: a listpack if everything would fit one, judging the integers by the
      // longest of the extremes.
      const size_t n = is.size();
      size_t longest = 0;
      if (n != 0) longest = std::max(DecimalLength(is.Min()), DecimalLength(is.Max()));
      constexpr size_t kMaxIntEntryBytes = 11;  // a 64-bit integer entry with its backlen
      if (n < limits.max_listpack_entries && member.size() <= limits.max_listpack_value &&
          longest <= limits.max_listpack_value &&
          n * kMaxIntEntryBytes + member.size() <= Listpack::kMaxSafetySize) {
        ConvertToListpack(set);
        set.listpack().Append(member);
        set.listpack().ShrinkToFit();
      } else {
        ConvertToHashtable(set);
        set.object<StringSet>().Add(member);
      }
      return true;
    }
    case Encoding::kListpack: {
      Listpack& lp = set.listpack();
      if (!lp.empty() && lp.Find(lp.First(), member).valid()) return false;
      if (lp.size() < limits.max_listpack_entries && member.size() <= limits.max_listpack_value &&
          lp.SafeToAdd(member.size())) {
        lp.Append(member);
      } else {
        ConvertToHashtable(set);
        set.object<StringSet>().Add(member);
      }
      return true;
    }
    default:
      return set.object<StringSet>().Add(member);
  }
}

bool SetRemove(Value& set, std::string_view member) {
  switch (set.encoding()) {
    case Encoding::kIntset: {
      std::optional<int64_t> v = ParseInt64(member);
      return v && set.intset().Remove(*v);
    }
    case Encoding::kListpack: {
      Listpack& lp = set.listpack();
      if (lp.empty()) return false;
      ListpackPos p = lp.Find(lp.First(), member);
      if (!p.valid()) return false;
      lp.Delete(p);
      return true;
    }
    default:
      return set.object<StringSet>().Remove(member);
  }
}

std::string SetPopRandom(Value& set, FastRng& rng) {
  switch (set.encoding()) {
    case Encoding::kIntset: {
      const int64_t v = set.intset().Random(rng);
      set.intset().Remove(v);
      return Int64ToString(v);
    }
    case Encoding::kListpack: {
      Listpack& lp = set.listpack();
      ListpackPos p = RandomListpackPos(lp, rng);
      std::string m = EntryToString(lp.Get(p));
      lp.Delete(p);
      return m;
    }
    default: {
      StringSet& table = set.object<StringSet>();
      std::string m(table.Random(rng));
      table.Remove(m);
      return m;
    }
  }
}

std::vector<std::string> SetPopRandomMembers(Value& set, size_t count, FastRng& rng,
                                             const SetLimits& limits) {
  std::vector<std::string> out;
  out.reserve(count);
  const size_t remaining = SetSize(set) - count;
  if (remaining * kSpopMoveStrategyMul > count) {
    // Few members asked for: pop them one by one (a listpack in one sampling pass).
    if (set.encoding() == Encoding::kListpack) {
      Listpack& lp = set.listpack();
      std::vector<ListpackPos> picks = SampleListpack(lp, count, rng);
      for (ListpackPos p : picks) out.push_back(EntryToString(lp.Get(p)));
      // Back to front, so that the positions not yet deleted stay valid.
      for (auto it = picks.rbegin(); it != picks.rend(); ++it) lp.Delete(*it);
    } else {
      for (size_t i = 0; i < count; ++i) out.push_back(SetPopRandom(set, rng));
    }
    return out;
  }

  // Most of the set asked for: move a random remainder to a new set, return the rest.
  Value kept;
  if (set.encoding() == Encoding::kListpack) {
    kept = NewListpackSet();
    const Listpack& lp = set.listpack();
    std::vector<ListpackPos> keep = SampleListpack(lp, remaining, rng);
    size_t k = 0;
    for (ListpackPos p = lp.First(); p.valid(); p = lp.Next(p)) {
      std::string m = EntryToString(lp.Get(p));
      if (k < keep.size() && keep[k] == p) {
        SetAdd(kept, m, limits);
        ++k;
      } else {
        out.push_back(std::move(m));
      }
    }
  } else {
    // An intset's members are integers (the remainder starts as an intset), a hashtable's
    // are taken as strings (a listpack), and SetAdd converts from there.
    kept = set.encoding() == Encoding::kIntset ? NewIntsetSet() : NewListpackSet();
    for (size_t i = 0; i < remaining; ++i) SetAdd(kept, SetPopRandom(set, rng), limits);
    ForEachSetMember(set, [&out](std::string_view m) { out.emplace_back(m); });
  }
  ReplaceSet(set, std::move(kept));
  return out;
}

void SetMaybeConvertToIntset(Value& set, const SetLimits& limits) {
  if (set.encoding() == Encoding::kIntset || SetSize(set) > limits.IntsetMax()) return;
  ConvertToIntset(set);
}

void SetShrinkToFit(Value& set) {
  if (set.encoding() == Encoding::kListpack) set.listpack().ShrinkToFit();
}

void SetConvert(Value& set, Encoding encoding) {
  if (set.encoding() == encoding) return;
  switch (encoding) {
    case Encoding::kIntset:
      ConvertToIntset(set);
      break;
    case Encoding::kListpack:
      ConvertToListpack(set);
      break;
    default:
      ConvertToHashtable(set);
      break;
  }
}

}  // namespace basalt
