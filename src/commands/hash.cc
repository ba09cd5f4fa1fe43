// The hash commands of Redis 7.0: HSET, HGET, HDEL, HINCRBY, HGETALL, HRANDFIELD, HSCAN, ...
// Redis 7.4's field-expiry commands (HEXPIRE, HTTL, HPERSIST, ...) are in
// hash_field_expiry.cc. Encodings and conversions live in types/hash.h.
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "commands/hash_family.h"
#include "commands/keyspace_events.h"
#include "commands/registry.h"
#include "commands/scan_options.h"
#include "server/command_table.h"
#include "util/strconv.h"

namespace basalt {

namespace {

// Redis's hashTypeLookupWriteOrCreate: the hash at `key`, created empty if missing; nullptr
// (WRONGTYPE replied) if the key holds another type.
DbEntry* LookupOrCreateHash(CommandContext& ctx, std::string_view key) {
  bool wrong_type = false;
  DbEntry* e = LookupHash(ctx, key, /*write=*/true, &wrong_type);
  if (e != nullptr || wrong_type) return e;
  Value v = NewHash();
  v.set_lru(static_cast<uint32_t>(ctx.server.lru_clock()));
  return ctx.db().Add(key, std::move(v));
}

// Deletes the key if its hash has become empty (the empty-collection rule).
void DeleteIfEmpty(CommandContext& ctx, DbEntry* e) {
  if (HashSize(e->value) != 0) return;
  ctx.Notify(kEvDel, e->key());  // copies the key before it goes
  ctx.db().Delete(e->key());
}

void ReplyArity(CommandContext& ctx) {
  ctx.Error("ERR wrong number of arguments for '" + ctx.spec.full_name + "' command");
}

// ---------------------------------------------------------------------------------------------
// Writing

// HSET key field value [field value ...]  /  HMSET (same, replies OK)
void HSet(CommandContext& ctx) {
  if (ctx.argc() % 2 == 1) return ReplyArity(ctx);
  DbEntry* e = LookupOrCreateHash(ctx, ctx.argv[1]);
  if (e == nullptr) return;
  const HashLimits limits = HashLimitsOf(ctx);
  HashTryConversion(e->value, ctx.argv.subspan(2), limits);
  int64_t created = 0;
  for (size_t i = 2; i < ctx.argc(); i += 2) {
    created += HashSet(e->value, ctx.argv[i], ctx.argv[i + 1], limits) ? 1 : 0;
  }
  ctx.AddDirty((ctx.argc() - 2) / 2);
  // HSET and HMSET differ only in the reply: tell them apart by the second letter.
  const char second = ctx.argv[0][1];
  if (second == 's' || second == 'S') {
    ctx.reply.Integer(created);
  } else {
    ctx.reply.Ok();
  }
}

// HSETNX key field value
void HSetNx(CommandContext& ctx) {
  DbEntry* e = LookupOrCreateHash(ctx, ctx.argv[1]);
  if (e == nullptr) return;
  const HashLimits limits = HashLimitsOf(ctx);
  HashTryConversion(e->value, ctx.argv.subspan(2, 2), limits);
  if (HashExists(e->value, ctx.argv[2])) return ctx.reply.Integer(0);
  HashSet(e->value, ctx.argv[2], ctx.argv[3], limits);
  ctx.AddDirty(1);
  ctx.reply.Integer(1);
}

// HDEL key field [field ...]
void HDel(CommandContext& ctx) {
  bool wrong_type = false;
  DbEntry* e = LookupHash(ctx, ctx.argv[1], /*write=*/true, &wrong_type);
  if (wrong_type) return;
  if (e == nullptr) return ctx.reply.Integer(0);
  int64_t deleted = 0;
  for (size_t i = 2; i < ctx.argc(); ++i) {
    if (HashDelete(e->value, ctx.argv[i])) {
      ++deleted;
      if (HashSize(e->value) == 0) break;  // the key goes; the other fields cannot exist
    }
  }
  DeleteIfEmpty(ctx, e);
  ctx.AddDirty(deleted);
  ctx.reply.Integer(deleted);
}

// HINCRBY key field increment
void HIncrBy(CommandContext& ctx) {
  const std::optional<int64_t> incr = ParseInt64(ctx.argv[3]);
  if (!incr) return ctx.Error(kErrNotInteger);
  DbEntry* e = LookupOrCreateHash(ctx, ctx.argv[1]);
  if (e == nullptr) return;
  int64_t value = 0;
  char scratch[kInt64StrLen];
  if (std::optional<std::string_view> old = HashGetView(e->value, ctx.argv[2], scratch)) {
    const std::optional<int64_t> parsed = ParseInt64(*old);
    if (!parsed) return ctx.Error("ERR hash value is not an integer");
    value = *parsed;
  }
  if ((*incr < 0 && value < 0 && *incr < INT64_MIN - value) ||
      (*incr > 0 && value > 0 && *incr > INT64_MAX - value)) {
    return ctx.Error(kErrOverflow);
  }
  value += *incr;
  char buf[kInt64StrLen];
  const size_t len = FormatInt64(value, buf);
  // The field keeps its TTL: HINCRBY edits the value, it does not replace the field.
  HashSet(e->value, ctx.argv[2], std::string_view(buf, len), HashLimitsOf(ctx), true);
  ctx.AddDirty(1);
  ctx.reply.Integer(value);
}

// HINCRBYFLOAT key field increment
void HIncrByFloat(CommandContext& ctx) {
  const std::optional<long double> incr = ParseLongDouble(ctx.argv[3]);
  if (!incr) return ctx.Error(kErrNotFloat);
  if (std::isnan(*incr) || std::isinf(*incr)) return ctx.Error("ERR value is NaN or Infinity");
  DbEntry* e = LookupOrCreateHash(ctx, ctx.argv[1]);
  if (e == nullptr) return;
  long double value = 0;
  char scratch[kInt64StrLen];
  if (std::optional<std::string_view> old = HashGetView(e->value, ctx.argv[2], scratch)) {
    const std::optional<long double> parsed = ParseLongDouble(*old);
    if (!parsed) return ctx.Error("ERR hash value is not a float");
    value = *parsed;
  }
  value += *incr;
  if (std::isnan(value) || std::isinf(value)) {
    return ctx.Error("ERR increment would produce NaN or Infinity");
  }
  const std::string text = FormatLongDouble(value, /*human=*/true);
  HashSet(e->value, ctx.argv[2], text, HashLimitsOf(ctx), /*keep_ttl=*/true);
  ctx.AddDirty(1);
  ctx.PropagateAs({"HSET", ctx.argv[1], ctx.argv[2], text});  // the result, as INCRBYFLOAT
  ctx.reply.Bulk(text);
}

// ---------------------------------------------------------------------------------------------
// Reading

// HGET key field
void HGet(CommandContext& ctx) {
  bool wrong_type = false;
  DbEntry* e = LookupHash(ctx, ctx.argv[1], /*write=*/false, &wrong_type);
  if (wrong_type) return;
  char scratch[kInt64StrLen];
  std::optional<std::string_view> v;
  if (e != nullptr) v = HashGetView(e->value, ctx.argv[2], scratch);
  if (!v) return ctx.reply.Null();
  ctx.reply.Bulk(*v);
}

// HMGET key field [field ...]
void HMGet(CommandContext& ctx) {
  bool wrong_type = false;
  DbEntry* e = LookupHash(ctx, ctx.argv[1], /*write=*/false, &wrong_type);
  if (wrong_type) return;
  ctx.reply.ArrayHeader(static_cast<int64_t>(ctx.argc() - 2));
  for (size_t i = 2; i < ctx.argc(); ++i) {
    char scratch[kInt64StrLen];
    std::optional<std::string_view> v;
    if (e != nullptr) v = HashGetView(e->value, ctx.argv[i], scratch);
    if (v) {
      ctx.reply.Bulk(*v);
    } else {
      ctx.reply.Null();
    }
  }
}

// HLEN key
void HLen(CommandContext& ctx) {
  bool wrong_type = false;
  DbEntry* e = LookupHash(ctx, ctx.argv[1], /*write=*/false, &wrong_type);
  if (wrong_type) return;
  ctx.reply.Integer(e == nullptr ? 0 : static_cast<int64_t>(HashSize(e->value)));
}

// HEXISTS key field
void HExists(CommandContext& ctx) {
  bool wrong_type = false;
  DbEntry* e = LookupHash(ctx, ctx.argv[1], /*write=*/false, &wrong_type);
  if (wrong_type) return;
  ctx.reply.Integer(e != nullptr && HashExists(e->value, ctx.argv[2]) ? 1 : 0);
}

// HSTRLEN key field
void HStrLen(CommandContext& ctx) {
  bool wrong_type = false;
  DbEntry* e = LookupHash(ctx, ctx.argv[1], /*write=*/false, &wrong_type);
  if (wrong_type) return;
  char scratch[kInt64StrLen];
  std::optional<std::string_view> v;
  if (e != nullptr) v = HashGetView(e->value, ctx.argv[2], scratch);
  ctx.reply.Integer(v ? static_cast<int64_t>(v->size()) : 0);
}

enum class Listing { kKeys, kValues, kAll };

// HKEYS / HVALS / HGETALL key
void ReplyListing(CommandContext& ctx, Listing what) {
  bool wrong_type = false;
  DbEntry* e = LookupHash(ctx, ctx.argv[1], /*write=*/false, &wrong_type);
  if (wrong_type) return;
  const auto n = static_cast<int64_t>(e == nullptr ? 0 : HashSize(e->value));
  if (what == Listing::kAll) {
    ctx.reply.MapHeader(n);
  } else {
    ctx.reply.ArrayHeader(n);
  }
  if (e == nullptr) return;
  ForEachHashField(e->value, [&ctx, what](std::string_view field, std::string_view value) {
    if (what != Listing::kValues) ctx.reply.Bulk(field);
    if (what != Listing::kKeys) ctx.reply.Bulk(value);
  });
}

void HKeys(CommandContext& ctx) { ReplyListing(ctx, Listing::kKeys); }
void HVals(CommandContext& ctx) { ReplyListing(ctx, Listing::kValues); }
void HGetAll(CommandContext& ctx) { ReplyListing(ctx, Listing::kAll); }

// One HRANDFIELD element: the field, or field and value (a pair array in RESP3).
void ReplyRandomPair(CommandContext& ctx, std::string_view field, std::string_view value,
                     bool with_values) {
  if (with_values && ctx.reply.resp() >= 3) ctx.reply.ArrayHeader(2);
  ctx.reply.Bulk(field);
  if (with_values) ctx.reply.Bulk(value);
}

// HRANDFIELD key [count [WITHVALUES]]
void HRandField(CommandContext& ctx) {
  if (ctx.argc() == 2) {
    bool wrong_type = false;
    DbEntry* e = LookupHash(ctx, ctx.argv[1], /*write=*/false, &wrong_type);
    if (wrong_type) return;
    if (e == nullptr) return ctx.reply.Null();
    ctx.reply.Bulk(HashRandomField(e->value, ctx.server.rng()).field);
    return;
  }
  const std::optional<int64_t> parsed = ParseInt64(ctx.argv[2]);
  if (!parsed) return ctx.Error(kErrNotInteger);
  const int64_t l = *parsed;
  if (l == INT64_MIN) {
    return ctx.Error(
        "ERR value is out of range, value must between -9223372036854775807 and "
        "9223372036854775807");
  }
  bool with_values = false;
  if (ctx.argc() > 4 || (ctx.argc() == 4 && !EqualsIgnoreCase(ctx.argv[3], "withvalues"))) {
    return ctx.Error(kErrSyntax);
  }
  if (ctx.argc() == 4) {
    with_values = true;
    // Redis refuses counts whose reply length (twice the count) would overflow.
    if (l < -INT64_MAX / 2 || l > INT64_MAX / 2) return ctx.Error("ERR value is out of range");
  }
  bool wrong_type = false;
  DbEntry* e = LookupHash(ctx, ctx.argv[1], /*write=*/false, &wrong_type);
  if (wrong_type) return;
  if (e == nullptr) return ctx.reply.EmptyArray();
  const bool unique = l >= 0;
  const uint64_t count = unique ? static_cast<uint64_t>(l) : static_cast<uint64_t>(-l);
  if (count == 0) return ctx.reply.EmptyArray();
  const bool flat_pairs = with_values && ctx.reply.resp() == 2;

  // Negative count (or a single field): independent draws, repetitions allowed.
  if (!unique || count == 1) {
    ctx.reply.ArrayHeader(static_cast<int64_t>(flat_pairs ? count * 2 : count));
    for (uint64_t i = 0; i < count; ++i) {
      HashPair p = HashRandomField(e->value, ctx.server.rng());
      ReplyRandomPair(ctx, p.field, p.value, with_values);
    }
    return;
  }
  const size_t size = HashSize(e->value);
  const uint64_t reply_size = count < size ? count : size;
  ctx.reply.ArrayHeader(static_cast<int64_t>(flat_pairs ? reply_size * 2 : reply_size));
  if (count >= size) {
    // The whole hash.
    ForEachHashField(e->value, [&](std::string_view field, std::string_view value) {
      ReplyRandomPair(ctx, field, value, with_values);
    });
    return;
  }
  for (const HashPair& p :
       HashRandomDistinctFields(e->value, static_cast<size_t>(count), ctx.server.rng())) {
    ReplyRandomPair(ctx, p.field, p.value, with_values);
  }
}

// HSCAN key cursor [MATCH pattern] [COUNT count] [NOVALUES]
void HScan(CommandContext& ctx) {
  // Redis reads the cursor first and the options only when there is a hash to scan.
  {
    const std::span<const std::string_view> all = ctx.argv;
    ctx.argv = all.first(3);
    const bool cursor_ok = ParseScanOptions(ctx, 2, ScanKind::kHash).has_value();
    ctx.argv = all;
    if (!cursor_ok) return;
  }
  bool wrong_type = false;
  DbEntry* e = LookupHash(ctx, ctx.argv[1], /*write=*/false, &wrong_type);
  if (wrong_type) return;
  if (e == nullptr) {
    ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk("0");
    ctx.reply.EmptyArray();
    return;
  }
  const std::optional<ScanOptions> opts = ParseScanOptions(ctx, 2, ScanKind::kHash);
  if (!opts) return;

  std::vector<std::pair<std::string, std::string>> found;
  uint64_t cursor = 0;
  if (e->value.encoding() == Encoding::kListpack) {
    // A listpack is small: all of it in one call, cursor 0 (as Redis).
    ForEachHashField(
        e->value, [&found](std::string_view f, std::string_view v) { found.emplace_back(f, v); });
  } else {
    // About COUNT fields per call, walking at most COUNT * 10 buckets (empty ones included).
    StringMap& map = e->value.object<StringMap>();
    const auto count = static_cast<size_t>(opts->count);
    int64_t max_steps = opts->count * 10;
    cursor = opts->cursor;
    do {
      cursor = map.Scan(
          cursor, [&found](const StringMapNode* n) { found.emplace_back(n->field(), n->value()); });
    } while (cursor != 0 && max_steps-- > 0 && found.size() < count);
  }
  if (opts->match) {
    std::erase_if(found, [&opts](const auto& fv) { return !opts->Matches(fv.first); });
  }
  const size_t kept = found.size();

  ctx.reply.ArrayHeader(2);
  char buf[kInt64StrLen];
  ctx.reply.Bulk(std::string_view(buf, FormatUint64(cursor, buf)));
  ctx.reply.ArrayHeader(static_cast<int64_t>(opts->novalues ? kept : kept * 2));
  for (const auto& [field, value] : found) {
    ctx.reply.Bulk(field);
    if (!opts->novalues) ctx.reply.Bulk(value);
  }
}

}  // namespace

void RegisterHashCommands(CommandTable& table) {
  constexpr uint64_t kAcl = kAclHash;
  table.Register({.name = "hset",
                  .arity = -4,
                  .flags = kCmdWrite | kCmdDenyOom | kCmdFast,
                  .keys = {1, 1, 1},
                  .acl = kAcl,
                  .group = "hash",
                  .since = "2.0.0",
                  .summary = "Set the string value of a hash field",
                  .complexity = "O(1) for each field/value pair added, so O(N) to add N "
                                "field/value pairs when the command is called with multiple "
                                "field/value pairs.",
                  .handler = HSet});
  table.Register({.name = "hsetnx",
                  .arity = 4,
                  .flags = kCmdWrite | kCmdDenyOom | kCmdFast,
                  .keys = {1, 1, 1},
                  .acl = kAcl,
                  .group = "hash",
                  .since = "2.0.0",
                  .summary = "Set the value of a hash field, only if the field does not exist",
                  .complexity = "O(1)",
                  .handler = HSetNx});
  table.Register({.name = "hget",
                  .arity = 3,
                  .flags = kCmdReadOnly | kCmdFast,
                  .keys = {1, 1, 1},
                  .acl = kAcl,
                  .group = "hash",
                  .since = "2.0.0",
                  .summary = "Get the value of a hash field",
                  .complexity = "O(1)",
                  .handler = HGet});
  table.Register({.name = "hmget",
                  .arity = -3,
                  .flags = kCmdReadOnly | kCmdFast,
                  .keys = {1, 1, 1},
                  .acl = kAcl,
                  .group = "hash",
                  .since = "2.0.0",
                  .summary = "Get the values of all the given hash fields",
                  .complexity = "O(N) where N is the number of fields being requested.",
                  .handler = HMGet});
  table.Register({.name = "hmset",
                  .arity = -4,
                  .flags = kCmdWrite | kCmdDenyOom | kCmdFast,
                  .keys = {1, 1, 1},
                  .acl = kAcl,
                  .group = "hash",
                  .since = "2.0.0",
                  .summary = "Set multiple hash fields to multiple values",
                  .complexity = "O(N) where N is the number of fields being set.",
                  .handler = HSet});
  table.Register({.name = "hdel",
                  .arity = -3,
                  .flags = kCmdWrite | kCmdFast,
                  .keys = {1, 1, 1},
                  .acl = kAcl,
                  .group = "hash",
                  .since = "2.0.0",
                  .summary = "Delete one or more hash fields",
                  .complexity = "O(N) where N is the number of fields to be removed.",
                  .handler = HDel});
  table.Register({.name = "hlen",
                  .arity = 2,
                  .flags = kCmdReadOnly | kCmdFast,
                  .keys = {1, 1, 1},
                  .acl = kAcl,
                  .group = "hash",
                  .since = "2.0.0",
                  .summary = "Get the number of fields in a hash",
                  .complexity = "O(1)",
                  .handler = HLen});
  table.Register({.name = "hexists",
                  .arity = 3,
                  .flags = kCmdReadOnly | kCmdFast,
                  .keys = {1, 1, 1},
                  .acl = kAcl,
                  .group = "hash",
                  .since = "2.0.0",
                  .summary = "Determine if a hash field exists",
                  .complexity = "O(1)",
                  .handler = HExists});
  table.Register({.name = "hstrlen",
                  .arity = 3,
                  .flags = kCmdReadOnly | kCmdFast,
                  .keys = {1, 1, 1},
                  .acl = kAcl,
                  .group = "hash",
                  .since = "3.2.0",
                  .summary = "Get the length of the value of a hash field",
                  .complexity = "O(1)",
                  .handler = HStrLen});
  table.Register({.name = "hincrby",
                  .arity = 4,
                  .flags = kCmdWrite | kCmdDenyOom | kCmdFast,
                  .keys = {1, 1, 1},
                  .acl = kAcl,
                  .group = "hash",
                  .since = "2.0.0",
                  .summary = "Increment the integer value of a hash field by the given number",
                  .complexity = "O(1)",
                  .handler = HIncrBy});
  table.Register({.name = "hincrbyfloat",
                  .arity = 4,
                  .flags = kCmdWrite | kCmdDenyOom | kCmdFast,
                  .keys = {1, 1, 1},
                  .acl = kAcl,
                  .group = "hash",
                  .since = "2.6.0",
                  .summary = "Increment the float value of a hash field by the given amount",
                  .complexity = "O(1)",
                  .handler = HIncrByFloat});
  table.Register({.name = "hkeys",
                  .arity = 2,
                  .flags = kCmdReadOnly,
                  .keys = {1, 1, 1},
                  .acl = kAcl,
                  .group = "hash",
                  .since = "2.0.0",
                  .summary = "Get all the fields in a hash",
                  .complexity = "O(N) where N is the size of the hash.",
                  .handler = HKeys});
  table.Register({.name = "hvals",
                  .arity = 2,
                  .flags = kCmdReadOnly,
                  .keys = {1, 1, 1},
                  .acl = kAcl,
                  .group = "hash",
                  .since = "2.0.0",
                  .summary = "Get all the values in a hash",
                  .complexity = "O(N) where N is the size of the hash.",
                  .handler = HVals});
  table.Register({.name = "hgetall",
                  .arity = 2,
                  .flags = kCmdReadOnly,
                  .keys = {1, 1, 1},
                  .acl = kAcl,
                  .group = "hash",
                  .since = "2.0.0",
                  .summary = "Get all the fields and values in a hash",
                  .complexity = "O(N) where N is the size of the hash.",
                  .handler = HGetAll});
  table.Register({.name = "hrandfield",
                  .arity = -2,
                  .flags = kCmdReadOnly,
                  .keys = {1, 1, 1},
                  .acl = kAcl,
                  .group = "hash",
                  .since = "6.2.0",
                  .summary = "Get one or multiple random fields from a hash",
                  .complexity = "O(N) where N is the number of fields returned",
                  .handler = HRandField});
  table.Register({.name = "hscan",
                  .arity = -3,
                  .flags = kCmdReadOnly,
                  .keys = {1, 1, 1},
                  .acl = kAcl,
                  .group = "hash",
                  .since = "2.8.0",
                  .summary = "Incrementally iterate hash fields and associated values",
                  .complexity = "O(1) for every call. O(N) for a complete iteration, including "
                                "enough command calls for the cursor to return back to 0. N is "
                                "the number of elements inside the collection..",
                  .handler = HScan});
  RegisterHashFieldExpiryCommands(table);
}

}  // namespace basalt
