#include "types/hash.h"

#include <algorithm>
#include <memory>
#include <unordered_set>

namespace basalt {

namespace {

bool IsListpack(const Value& v) { return v.encoding() == Encoding::kListpack; }

// The position of `field` in a field/value listpack, or an invalid Pos.
ListpackPos FindField(const ListpackView& lp, std::string_view field) {
  const ListpackPos first = lp.First();
  if (!first.valid()) return first;
  return lp.Find(first, field, /*skip=*/1);
}

std::string EntryString(const ListpackEntry& e) { return e.ToString(); }

HashPair ListpackPairAt(const ListpackView& lp, size_t index) {
  const ListpackPos f = lp.Seek(static_cast<int64_t>(2 * index));
  const ListpackPos val = lp.Next(f);
  return HashPair{EntryString(lp.Get(f)), EntryString(lp.Get(val))};
}

HashPair NodePair(const StringMapNode* n) {
  return HashPair{std::string(n->field()), std::string(n->value())};
}

}  // namespace

Value NewHash() { return Value::FromListpack(ValueType::kHash, Listpack()); }

size_t HashSize(const Value& v) {
  if (IsListpack(v)) return v.listpack().size() / 2;
  return v.object<StringMap>().size();
}

std::optional<std::string_view> HashGetView(const Value& v, std::string_view field,
                                            char (&scratch)[kInt64StrLen]) {
  if (IsListpack(v)) {
    const ListpackView lp = v.listpack().view();
    const ListpackPos f = FindField(lp, field);
    if (!f.valid()) return std::nullopt;
    const ListpackEntry e = lp.Get(lp.Next(f));
    if (e.is_int) return std::string_view(scratch, FormatInt64(e.ival, scratch));
    return e.sval;
  }
  const StringMapNode* n = v.object<StringMap>().Peek(field);
  if (n == nullptr) return std::nullopt;
  return n->value();
}

std::optional<std::string> HashGet(const Value& v, std::string_view field) {
  char scratch[kInt64StrLen];
  std::optional<std::string_view> view = HashGetView(v, field, scratch);
  if (!view) return std::nullopt;
  return std::string(*view);
}

bool HashExists(const Value& v, std::string_view field) {
  if (IsListpack(v)) return FindField(v.listpack().view(), field).valid();
  return v.object<StringMap>().Peek(field) != nullptr;
}

void HashConvertToTable(Value& v) {
  if (!IsListpack(v)) return;
  auto map = std::make_unique<StringMap>();
  ForEachHashField(v, [&map](std::string_view f, std::string_view val) { map->AddNew(f, val); });
  v.ConvertTo(Encoding::kHashtable, std::move(map));
}

void HashTryConversion(Value& v, std::span<const std::string_view> args, const HashLimits& limits) {
  if (!IsListpack(v)) return;
  size_t sum = 0;
  for (std::string_view a : args) {
    if (a.size() > limits.max_listpack_value) return HashConvertToTable(v);
    sum += a.size();
  }
  if (!v.listpack().SafeToAdd(sum)) HashConvertToTable(v);
}

bool HashSet(Value& v, std::string_view field, std::string_view value, const HashLimits& limits,
             bool keep_ttl) {
  if (IsListpack(v) &&
      (field.size() > limits.max_listpack_value || value.size() > limits.max_listpack_value ||
       !v.listpack().SafeToAdd(field.size() + value.size() + 22))) {
    HashConvertToTable(v);
  }
  if (!IsListpack(v)) return v.object<StringMap>().Set(field, value, keep_ttl);

  Listpack& lp = v.listpack();
  const ListpackPos f = FindField(lp.view(), field);
  if (f.valid()) {
    lp.Replace(lp.Next(f), value);
    return false;
  }
  lp.Append(field);
  lp.Append(value);
  if (lp.size() / 2 > limits.max_listpack_entries) HashConvertToTable(v);
  return true;
}

bool HashDelete(Value& v, std::string_view field) {
  if (!IsListpack(v)) return v.object<StringMap>().Erase(field);
  Listpack& lp = v.listpack();
  const ListpackPos f = FindField(lp.view(), field);
  if (!f.valid()) return false;
  lp.DeleteRange(f, 2);
  return true;
}

HashPair HashRandomField(Value& v, FastRng& rng) {
  if (IsListpack(v)) {
    const ListpackView lp = v.listpack().view();
    return ListpackPairAt(lp, rng.Below(lp.size() / 2));
  }
  return NodePair(v.object<StringMap>().RandomNode(rng));
}

std::vector<HashPair> HashRandomDistinctFields(Value& v, size_t count, FastRng& rng) {
  std::vector<HashPair> out;
  const size_t size = HashSize(v);
  count = std::min(count, size);
  out.reserve(count);
  if (IsListpack(v)) {
    // Partial Fisher-Yates over the pair indices: uniform, and in random order.
    const ListpackView lp = v.listpack().view();
    std::vector<size_t> idx(size);
    for (size_t i = 0; i < size; ++i) idx[i] = i;
    for (size_t i = 0; i < count; ++i) {
      std::swap(idx[i], idx[i + rng.Below(size - i)]);
      out.push_back(ListpackPairAt(lp, idx[i]));
    }
    return out;
  }
  StringMap& map = v.object<StringMap>();
  if (count * 3 > size) {
    // Most of the hash is wanted: shuffle all of it (Redis's CASE 3 removes random elements
    // from a copy instead; the outcome is the same uniform sample).
    std::vector<const StringMapNode*> all;
    all.reserve(size);
    map.ForEach([&all](const StringMapNode* n) { all.push_back(n); });
    for (size_t i = 0; i < count; ++i) {
      std::swap(all[i], all[i + rng.Below(size - i)]);
      out.push_back(NodePair(all[i]));
    }
    return out;
  }
  // A small part is wanted: draw random fields until `count` distinct ones (Redis's CASE 4).
  std::unordered_set<const StringMapNode*> seen;
  while (out.size() < count) {
    const StringMapNode* n = map.RandomNode(rng);
    if (seen.insert(n).second) out.push_back(NodePair(n));
  }
  return out;
}

std::optional<int64_t> HashFieldExpire(const Value& v, std::string_view field) {
  if (IsListpack(v)) {
    if (!HashExists(v, field)) return std::nullopt;
    return kNoFieldExpire;
  }
  const StringMapNode* n = v.object<StringMap>().Peek(field);
  if (n == nullptr) return std::nullopt;
  return StringMap::ExpireOf(n);
}

FieldExpireResult HashSetFieldExpire(Value& v, std::string_view field, int64_t when_ms,
                                     ExpireCondition cond, int64_t now_ms) {
  const std::optional<int64_t> current = HashFieldExpire(v, field);
  if (!current) return FieldExpireResult::kNoField;
  if (*current == kNoFieldExpire) {
    // No TTL is an infinite one: GT can never pass, LT always does.
    if (cond == ExpireCondition::kXx || cond == ExpireCondition::kGt) {
      return FieldExpireResult::kConditionNotMet;
    }
  } else if (cond == ExpireCondition::kNx ||
             (cond == ExpireCondition::kGt && *current >= when_ms) ||
             (cond == ExpireCondition::kLt && *current <= when_ms)) {
    return FieldExpireResult::kConditionNotMet;
  }
  if (when_ms <= now_ms) {
    HashDelete(v, field);
    return FieldExpireResult::kDeleted;
  }
  HashConvertToTable(v);
  v.object<StringMap>().SetExpire(field, when_ms);
  return FieldExpireResult::kSet;
}

FieldPersistResult HashPersistField(Value& v, std::string_view field) {
  const std::optional<int64_t> current = HashFieldExpire(v, field);
  if (!current) return FieldPersistResult::kNoField;
  if (*current == kNoFieldExpire) return FieldPersistResult::kNoTtl;
  v.object<StringMap>().SetExpire(field, kNoFieldExpire);
  return FieldPersistResult::kPersisted;
}

int64_t HashNextFieldExpire(const Value& v) {
  if (IsListpack(v)) return kNoFieldExpire;
  return v.object<StringMap>().next_expire();
}

size_t HashExpireFields(Value& v, int64_t now_ms, size_t limit) {
  if (IsListpack(v)) return 0;
  return v.object<StringMap>().ExpireFields(now_ms, limit);
}

}  // namespace basalt
