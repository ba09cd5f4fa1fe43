// Hash values: the operations of the hash commands (and of SORT's BY/GET key->field lookups)
// over a Value of type kHash, whatever its encoding.
//
// Encodings, as Redis chooses them:
//   listpack   field, value, field, value, ... in one Listpack, while the hash has at most
//              hash-max-listpack-entries fields and no field or value is longer than
//              hash-max-listpack-value bytes. Lookups are linear; it is tiny.
//   hashtable  a StringMap (types/string_map.h), one allocation per field.
// A listpack hash converts to a hashtable when an insertion would break either limit
// (Redis's hashTypeTryConversion before a multi-field write, and hashTypeSet's checks); a
// hashtable never converts back.
//
// Field expiry (Redis 7.4's HEXPIRE family) exists only in the hashtable encoding: giving a
// listpack hash's field a TTL converts the hash first (Redis 7.4 has a third encoding,
// "listpackex", that Basalt does not build). The functions here see every field that is
// stored, expired or not; the database removes expired fields (Database::Lookup and the
// active cycle) before commands get to the value, so commands see only live fields.
//
// Thresholds come in as parameters (HashLimits) so that this module does not depend on the
// server. All functions REQUIRE v.type() == ValueType::kHash.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "db/hash_table.h"
#include "types/string_map.h"
#include "types/value.h"
#include "util/strconv.h"

namespace basalt {

struct HashLimits {
  size_t max_listpack_entries = 128;
  size_t max_listpack_value = 64;
};

// A new, empty hash (listpack encoded; it allocates nothing until the first field).
Value NewHash();

size_t HashSize(const Value& v);

// The value of `field`, or nullopt. The view points into the hash (a listpack integer is
// printed into `scratch`) and is valid until the hash changes.
std::optional<std::string_view> HashGetView(const Value& v, std::string_view field,
                                            char (&scratch)[kInt64StrLen]);
// The same, copied out (SORT BY/GET).
std::optional<std::string> HashGet(const Value& v, std::string_view field);
bool HashExists(const Value& v, std::string_view field);

// Converts a listpack hash to a hashtable if any of `args` (the fields and values about to be
// written) is longer than max_listpack_value, or if together they could push the listpack
// past its safety limit (Redis's hashTypeTryConversion).
void HashTryConversion(Value& v, std::span<const std::string_view> args, const HashLimits& limits);
// Sets field to value; returns true if the field was added, false if updated. Converts to a
// hashtable when the field or value is too long for the listpack, or when the listpack gets
// more than max_listpack_entries fields. keep_ttl: an updated field keeps its TTL (HINCRBY
// and HINCRBYFLOAT edit a value; HSET replaces the field and drops its TTL).
bool HashSet(Value& v, std::string_view field, std::string_view value, const HashLimits& limits,
             bool keep_ttl = false);
// Removes field; returns whether it was there. The caller deletes the key if the hash is now
// empty.
bool HashDelete(Value& v, std::string_view field);
// Converts a listpack hash to the hashtable encoding (no-op if it already is one).
void HashConvertToTable(Value& v);

// Calls f(std::string_view field, std::string_view value) for every field, in storage order.
// f must not modify the hash.
template <typename F>
void ForEachHashField(const Value& v, F f) {
  if (v.encoding() == Encoding::kListpack) {
    const ListpackView lp = v.listpack().view();
    char fbuf[kInt64StrLen];
    char vbuf[kInt64StrLen];
    for (ListpackPos p = lp.First(); p.valid();) {
      const ListpackEntry fe = lp.Get(p);
      p = lp.Next(p);
      const ListpackEntry ve = lp.Get(p);
      p = lp.Next(p);
      std::string_view field =
          fe.is_int ? std::string_view(fbuf, FormatInt64(fe.ival, fbuf)) : fe.sval;
      std::string_view value =
          ve.is_int ? std::string_view(vbuf, FormatInt64(ve.ival, vbuf)) : ve.sval;
      f(field, value);
    }
    return;
  }
  v.object<StringMap>().ForEach([&f](const StringMapNode* n) { f(n->field(), n->value()); });
}

// --- random fields (HRANDFIELD) ---

struct HashPair {
  std::string field;
  std::string value;
};
// One random field (uniform for listpacks; fair sampling for hashtables).
// REQUIRES: the hash is not empty.
HashPair HashRandomField(Value& v, FastRng& rng);
// `count` distinct random fields in random order. REQUIRES: count <= HashSize(v).
std::vector<HashPair> HashRandomDistinctFields(Value& v, size_t count, FastRng& rng);

// --- field expiry (HEXPIRE and friends) ---

// The field's expiry (unix ms); kNoFieldExpire if it has none; nullopt if it is absent.
std::optional<int64_t> HashFieldExpire(const Value& v, std::string_view field);

// The conditions of HEXPIRE's NX / XX / GT / LT.
enum class ExpireCondition { kNone, kNx, kXx, kGt, kLt };

// Per-field results of HashSetFieldExpire, as Redis 7.4 replies them.
enum class FieldExpireResult : int {
  kNoField = -2,  // no such field
  kConditionNotMet = 0,
  kSet = 1,      // expiry set or updated
  kDeleted = 2,  // the time is not in the future: the field was deleted
};

// Sets `field`'s expiry to when_ms if `cond` allows it (a field without a TTL counts as an
// infinite TTL for GT and LT). A time at or before now_ms deletes the field. Converts a
// listpack hash to a hashtable when it sets a TTL. The caller deletes the key if the hash is
// now empty, and tells the database about new TTLs (Database::NoteHashFieldExpiry).
FieldExpireResult HashSetFieldExpire(Value& v, std::string_view field, int64_t when_ms,
                                     ExpireCondition cond, int64_t now_ms);

// HPERSIST's per-field results.
enum class FieldPersistResult : int { kNoField = -2, kNoTtl = -1, kPersisted = 1 };
FieldPersistResult HashPersistField(Value& v, std::string_view field);

// The earliest field expiry of the hash, or kNoFieldExpire when no field has a TTL.
int64_t HashNextFieldExpire(const Value& v);
// Removes up to `limit` fields whose expiry is before now_ms; returns how many.
size_t HashExpireFields(Value& v, int64_t now_ms, size_t limit);

}  // namespace basalt
