// String commands: GET, SET and its variants, MGET/MSET, counters, ranges and LCS.
//
// Semantics, reply shapes, error texts and the order in which errors are detected follow
// Redis 7.0's t_string.c; where the order decides which error a client sees, a comment says
// so. Values are stored with the encoding Redis would pick (see Value), because OBJECT
// ENCODING makes it visible: SET-like commands pick int/embstr/raw by content, APPEND and
// SETRANGE produce raw strings, counters produce ints.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "commands/keyspace_events.h"
#include "commands/registry.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "types/bitmap.h"
#include "types/lcs.h"
#include "util/strconv.h"

namespace basalt {

namespace {

constexpr std::string_view kErrStringTooLong =
    "ERR string exceeds maximum allowed size (proto-max-bulk-len)";

// proto-max-bulk-len: the longest string a command may build.
// Capped below 4 GB because string buffers keep 32-bit lengths.
uint64_t MaxStringBytes(CommandContext& ctx) {
  constexpr uint64_t kHardCap = (1ULL << 32) - (4ULL << 20);
  const int64_t configured = ctx.server.config().proto_max_bulk_len;
  return configured <= 0 ? 0 : std::min<uint64_t>(static_cast<uint64_t>(configured), kHardCap);
}

// Redis's checkStringLength: may a string of `size` bytes grow by `append` bytes?
bool CheckStringLength(CommandContext& ctx, uint64_t size, uint64_t append) {
  if (size + append > MaxStringBytes(ctx) || size + append < size) {
    ctx.reply.Error(kErrStringTooLong);
    return false;
  }
  return true;
}

// The LRU clock a value about to be stored is stamped with, as a new Redis object is.
uint32_t FreshLru(CommandContext& ctx) { return static_cast<uint32_t>(ctx.server.lru_clock()); }

Value Fresh(CommandContext& ctx, Value v) {
  v.set_lru(FreshLru(ctx));
  return v;
}

// Replaces an existing entry's value in place, keeping its TTL (Redis's dbOverwrite).
void Overwrite(CommandContext& ctx, DbEntry* e, Value v) {
  ctx.db().Overwrite(e, Fresh(ctx, std::move(v)));
}

void ReplyArityError(CommandContext& ctx) {
  ctx.reply.Error("ERR wrong number of arguments for '" + ctx.spec.full_name + "' command");
}

// ---- SET / GETEX options -------------------------------------------------------------------

enum ExtendedFlag : uint32_t {
  kFlagNx = 1 << 0,
  kFlagXx = 1 << 1,
  kFlagGet = 1 << 2,
  kFlagKeepTtl = 1 << 3,
  kFlagPersist = 1 << 4,
  kFlagEx = 1 << 5,
  kFlagPx = 1 << 6,
  kFlagExAt = 1 << 7,
  kFlagPxAt = 1 << 8,
};
constexpr uint32_t kAnyExpire = kFlagEx | kFlagPx | kFlagExAt | kFlagPxAt;

struct ExtendedArgs {
  uint32_t flags = 0;
  std::optional<std::string_view> expire;  // the EX/PX/EXAT/PXAT argument
};

// Parses SET's options (from argv[3], is_set) or GETEX's (from argv[2]). Each option is
// refused when a conflicting one came before it, so "EX 1 PX 1" and "NX XX" are syntax
// errors while a repeated EX is not (the last one wins), exactly as Redis's parser does.
std::optional<ExtendedArgs> ParseExtendedArgs(CommandContext& ctx, bool is_set) {
  ExtendedArgs out;
  uint32_t& f = out.flags;
  for (size_t j = is_set ? 3 : 2; j < ctx.argc(); ++j) {
    std::string_view opt = ctx.argv[j];
    const bool has_next = j + 1 < ctx.argc();
    auto take_expire = [&](uint32_t flag) {
      f |= flag;
      out.expire = ctx.argv[++j];
    };
    if (is_set && EqualsIgnoreCase(opt, "nx") && !(f & kFlagXx)) {
      f |= kFlagNx;
    } else if (is_set && EqualsIgnoreCase(opt, "xx") && !(f & kFlagNx)) {
      f |= kFlagXx;
    } else if (is_set && EqualsIgnoreCase(opt, "get")) {
      f |= kFlagGet;
    } else if (is_set && EqualsIgnoreCase(opt, "keepttl") && !(f & (kFlagPersist | kAnyExpire))) {
      f |= kFlagKeepTtl;
    } else if (!is_set && EqualsIgnoreCase(opt, "persist") && !(f & (kFlagKeepTtl | kAnyExpire))) {
      f |= kFlagPersist;
    } else if (EqualsIgnoreCase(opt, "ex") && has_next &&
               !(f & (kFlagKeepTtl | kFlagPersist | (kAnyExpire & ~kFlagEx)))) {
      take_expire(kFlagEx);
    } else if (EqualsIgnoreCase(opt, "px") && has_next &&
               !(f & (kFlagKeepTtl | kFlagPersist | (kAnyExpire & ~kFlagPx)))) {
      take_expire(kFlagPx);
    } else if (EqualsIgnoreCase(opt, "exat") && has_next &&
               !(f & (kFlagKeepTtl | kFlagPersist | (kAnyExpire & ~kFlagExAt)))) {
      take_expire(kFlagExAt);
    } else if (EqualsIgnoreCase(opt, "pxat") && has_next &&
               !(f & (kFlagKeepTtl | kFlagPersist | (kAnyExpire & ~kFlagPxAt)))) {
      take_expire(kFlagPxAt);
    } else {
      ctx.reply.Error(kErrSyntax);
      return std::nullopt;
    }
  }
  return out;
}

// Turns an EX/PX/EXAT/PXAT argument into an absolute unix time in ms, or replies an error:
// not an integer, not positive, or overflowing once scaled to ms or made absolute.
std::optional<int64_t> AbsoluteExpireMs(CommandContext& ctx, std::string_view arg, uint32_t flags) {
  std::optional<int64_t> v = ParseInt64(arg);
  if (!v) {
    ctx.reply.Error(kErrNotInteger);
    return std::nullopt;
  }
  const bool seconds = flags & (kFlagEx | kFlagExAt);
  const bool relative = flags & (kFlagEx | kFlagPx);
  int64_t ms = *v;
  bool bad = ms <= 0 || (seconds && ms > INT64_MAX / 1000);
  if (!bad && seconds) ms *= 1000;
  if (!bad && relative) bad = __builtin_add_overflow(ms, ctx.now_ms(), &ms) || ms <= 0;
  if (bad) {
    ctx.reply.Error("ERR invalid expire time in '" + ctx.spec.full_name + "' command");
    return std::nullopt;
  }
  return ms;
}

// ---- GET family ----------------------------------------------------------------------------

// Redis's getGenericCommand: replies the value (or nil). Returns false after a WRONGTYPE
// reply, so callers stop there.
bool ReplyValue(CommandContext& ctx, std::string_view key) {
  DbEntry* e = ctx.LookupRead(key);
  if (e == nullptr) {
    ctx.reply.Null();
    return true;
  }
  if (!ctx.CheckType(e, ValueType::kString)) return false;
  char scratch[kInt64StrLen];
  ctx.reply.Bulk(e->value.StringView(scratch));
  return true;
}

// GET key
void Get(CommandContext& ctx) { ReplyValue(ctx, ctx.argv[1]); }

// GETDEL key
void GetDel(CommandContext& ctx) {
  if (!ReplyValue(ctx, ctx.argv[1])) return;
  if (ctx.db().Delete(ctx.argv[1])) {
    ctx.AddDirty();
    ctx.PropagateAsDeletion(ctx.argv[1], ctx.server.config().lazyfree_lazy_user_del);
  }
}

// GETSET key value
void GetSet(CommandContext& ctx) {
  if (!ReplyValue(ctx, ctx.argv[1])) return;
  ctx.db().SetString(ctx.argv[1], ctx.argv[2], FreshLru(ctx), ctx.now_ms());
  ctx.AddDirty();
  ctx.PropagateAs({"SET", ctx.argv[1], ctx.argv[2]});
}

// GETEX key [EX seconds | PX milliseconds | EXAT unix-time | PXAT unix-time-ms | PERSIST]
void GetEx(CommandContext& ctx) {
  std::optional<ExtendedArgs> args = ParseExtendedArgs(ctx, /*is_set=*/false);
  if (!args) return;
  std::string_view key = ctx.argv[1];
  DbEntry* e = ctx.LookupRead(key);
  if (e == nullptr) return ctx.reply.Null();
  if (!ctx.CheckType(e, ValueType::kString)) return;
  // Redis validates the time only for an existing string key: GETEX on a missing key with a
  // bad time replies nil.
  int64_t when = 0;
  if (args->expire) {
    std::optional<int64_t> ms = AbsoluteExpireMs(ctx, *args->expire, args->flags);
    if (!ms) return;
    when = *ms;
  }
  char scratch[kInt64StrLen];
  ctx.reply.Bulk(e->value.StringView(scratch));

  if ((args->flags & (kFlagExAt | kFlagPxAt)) && ctx.AlreadyExpired(when)) {
    // An absolute time already past deletes the key now.
    ctx.db().Delete(key);
    ctx.AddDirty();
    ctx.Notify(kEvDel, key);
    ctx.PropagateAsDeletion(key, ctx.server.config().lazyfree_lazy_expire);
  } else if (args->expire) {
    ctx.db().SetExpire(e, when);
    ctx.AddDirty();
    ctx.Notify(kEvExpire, key);
    if (ctx.propagating()) ctx.PropagateAs({"PEXPIREAT", key, std::to_string(when)});
  } else if ((args->flags & kFlagPersist) && e->has_expire()) {
    ctx.db().SetExpire(e, kNoExpire);
    ctx.AddDirty();
    ctx.Notify(kEvPersist, key);
    ctx.PropagateAs({"PERSIST", key});
  }
}

// MGET key [key ...]: keys that are missing or not strings read as nil.
void MGet(CommandContext& ctx) {
  ctx.reply.ArrayHeader(static_cast<int64_t>(ctx.argc() - 1));
  for (size_t j = 1; j < ctx.argc(); ++j) {
    DbEntry* e = ctx.LookupRead(ctx.argv[j]);
    if (e == nullptr || e->value.type() != ValueType::kString) {
      ctx.reply.Null();
      continue;
    }
    char scratch[kInt64StrLen];
    ctx.reply.Bulk(e->value.StringView(scratch));
  }
}

// ---- SET family ----------------------------------------------------------------------------

// Redis's setGenericCommand, shared by SET, SETNX, SETEX and PSETEX. `int_reply` selects
// SETNX's 1/0 replies instead of OK/nil.
void SetGeneric(CommandContext& ctx, uint32_t flags, std::string_view key, std::string_view value,
                std::optional<std::string_view> expire, bool int_reply) {
  int64_t when = 0;
  if (expire) {
    std::optional<int64_t> ms = AbsoluteExpireMs(ctx, *expire, flags);
    if (!ms) return;
    when = *ms;
  }
  if ((flags & kFlagGet) && !ReplyValue(ctx, key)) return;

  DbEntry* const existing = ctx.LookupWrite(key);
  const bool found = existing != nullptr;
  if (((flags & kFlagNx) && found) || ((flags & kFlagXx) && !found)) {
    if (flags & kFlagGet) return;  // the old value was the reply
    return int_reply ? ctx.reply.Integer(0) : ctx.reply.Null();
  }
  // A time already past is stored as is, as Redis 7.0 does; the next access expires the key.
  ctx.db().SetStringFound(existing, key, value, FreshLru(ctx), (flags & kFlagKeepTtl) != 0,
                          expire ? when : kNoExpire);
  ctx.AddDirty();
  if (expire) {
    ctx.Notify(kEvExpire, key);  // after the table's "set"
    // With an absolute deadline (SETEX and PSETEX too), as Redis 7.0 propagates it.
    if (ctx.propagating()) ctx.PropagateAs({"SET", key, value, "PXAT", std::to_string(when)});
  } else if ((flags & kFlagGet) && ctx.propagating()) {
    // Without GET (which may be repeated): a replayed SET has no one to answer.
    std::vector<std::string_view> argv;
    for (size_t j = 0; j < ctx.argc(); ++j) {
      if (j < 3 || !EqualsIgnoreCase(ctx.argv[j], "get")) argv.push_back(ctx.argv[j]);
    }
    ctx.PropagateAs(argv);
  }
  if (flags & kFlagGet) return;
  return int_reply ? ctx.reply.Integer(1) : ctx.reply.Ok();
}

// SET key value [NX | XX] [GET] [EX s | PX ms | EXAT unix-time | PXAT unix-time-ms | KEEPTTL]
void Set(CommandContext& ctx) {
  std::optional<ExtendedArgs> args = ParseExtendedArgs(ctx, /*is_set=*/true);
  if (!args) return;
  SetGeneric(ctx, args->flags, ctx.argv[1], ctx.argv[2], args->expire, false);
}

// SETNX key value
void SetNx(CommandContext& ctx) {
  SetGeneric(ctx, kFlagNx, ctx.argv[1], ctx.argv[2], std::nullopt, true);
}

// SETEX key seconds value
void SetEx(CommandContext& ctx) {
  SetGeneric(ctx, kFlagEx, ctx.argv[1], ctx.argv[3], ctx.argv[2], false);
}

// PSETEX key milliseconds value
void PSetEx(CommandContext& ctx) {
  SetGeneric(ctx, kFlagPx, ctx.argv[1], ctx.argv[3], ctx.argv[2], false);
}

// MSET key value [key value ...] / MSETNX: the same, but only if no key exists.
void MSetGeneric(CommandContext& ctx, bool nx) {
  if (ctx.argc() % 2 == 0) return ReplyArityError(ctx);
  if (nx) {
    for (size_t j = 1; j < ctx.argc(); j += 2) {
      if (ctx.LookupWrite(ctx.argv[j]) != nullptr) return ctx.reply.Integer(0);
    }
  }
  for (size_t j = 1; j < ctx.argc(); j += 2) {
    ctx.db().SetString(ctx.argv[j], ctx.argv[j + 1], FreshLru(ctx), ctx.now_ms());
    ctx.Notify(kEvSet, ctx.argv[j]);  // each key's "set" right after its "new"
  }
  ctx.AddDirty((ctx.argc() - 1) / 2);
  return nx ? ctx.reply.Integer(1) : ctx.reply.Ok();
}

void MSet(CommandContext& ctx) { MSetGeneric(ctx, false); }
void MSetNx(CommandContext& ctx) { MSetGeneric(ctx, true); }

// APPEND key value
void Append(CommandContext& ctx) {
  std::string_view key = ctx.argv[1], tail = ctx.argv[2];
  DbEntry* e = ctx.LookupWrite(key);
  size_t total;
  if (e == nullptr) {
    // A new key holds the argument as SET would store it (so "APPEND k 1" is int-encoded).
    e = ctx.db().Add(key, Fresh(ctx, Value::String(tail)));
    total = tail.size();
  } else {
    if (!ctx.CheckType(e, ValueType::kString)) return;
    if (!CheckStringLength(ctx, e->value.StringLength(), tail.size())) return;
    e->value.Append(tail);
    total = e->value.StringLength();
  }
  ctx.AddDirty();
  ctx.reply.Integer(static_cast<int64_t>(total));
}

// STRLEN key
void StrLen(CommandContext& ctx) {
  DbEntry* e = ctx.LookupRead(ctx.argv[1]);
  if (e == nullptr) return ctx.reply.Integer(0);
  if (!ctx.CheckType(e, ValueType::kString)) return;
  ctx.reply.Integer(static_cast<int64_t>(e->value.StringLength()));
}

// ---- Counters ------------------------------------------------------------------------------

// INCR/DECR/INCRBY/DECRBY: the result is always int-encoded and the TTL is kept.
void IncrDecr(CommandContext& ctx, int64_t incr) {
  std::string_view key = ctx.argv[1];
  DbEntry* e = ctx.LookupWrite(key);
  int64_t value = 0;
  if (e != nullptr) {
    if (!ctx.CheckType(e, ValueType::kString)) return;
    if (e->value.is_int()) {
      value = e->value.int_value();
    } else {
      char scratch[kInt64StrLen];
      std::optional<int64_t> parsed = ParseInt64(e->value.StringView(scratch));
      if (!parsed) return ctx.reply.Error(kErrNotInteger);
      value = *parsed;
    }
  }
  if (__builtin_add_overflow(value, incr, &value)) return ctx.reply.Error(kErrOverflow);
  if (e != nullptr) {
    Overwrite(ctx, e, Value::Int(value));
  } else {
    ctx.db().Add(key, Fresh(ctx, Value::Int(value)));
  }
  ctx.AddDirty();
  ctx.reply.Integer(value);
}

void Incr(CommandContext& ctx) { IncrDecr(ctx, 1); }
void Decr(CommandContext& ctx) { IncrDecr(ctx, -1); }

// INCRBY key increment
void IncrBy(CommandContext& ctx) {
  std::optional<int64_t> incr = ParseInt64(ctx.argv[2]);
  if (!incr) return ctx.reply.Error(kErrNotInteger);
  IncrDecr(ctx, *incr);
}

// DECRBY key decrement
void DecrBy(CommandContext& ctx) {
  std::optional<int64_t> decr = ParseInt64(ctx.argv[2]);
  if (!decr) return ctx.reply.Error(kErrNotInteger);
  if (*decr == INT64_MIN) return ctx.reply.Error("ERR decrement would overflow");
  IncrDecr(ctx, -*decr);
}

// INCRBYFLOAT key increment: long double arithmetic, stored and replied in Redis's human
// format ("10.5", "3", never an exponent). The TTL is kept.
void IncrByFloat(CommandContext& ctx) {
  std::string_view key = ctx.argv[1];
  DbEntry* e = ctx.LookupWrite(key);
  long double value = 0;
  if (e != nullptr) {
    if (!ctx.CheckType(e, ValueType::kString)) return;
    if (e->value.is_int()) {
      value = static_cast<long double>(e->value.int_value());
    } else {
      char scratch[kInt64StrLen];
      std::optional<long double> parsed = ParseLongDouble(e->value.StringView(scratch));
      if (!parsed) return ctx.reply.Error(kErrNotFloat);
      value = *parsed;
    }
  }
  std::optional<long double> incr = ParseLongDouble(ctx.argv[2]);
  if (!incr) return ctx.reply.Error(kErrNotFloat);
  value += *incr;
  if (std::isnan(value) || std::isinf(value)) {
    return ctx.reply.Error("ERR increment would produce NaN or Infinity");
  }
  std::string text = FormatLongDouble(value, /*human=*/true);
  // Redis stores the printed number as a plain string (embstr/raw), never int-encoded.
  Value stored = Value::PlainString(text);
  if (e != nullptr) {
    Overwrite(ctx, e, std::move(stored));
  } else {
    ctx.db().Add(key, Fresh(ctx, std::move(stored)));
  }
  ctx.AddDirty();
  // As the stored result: float arithmetic replayed elsewhere could round differently.
  ctx.PropagateAs({"SET", key, text, "KEEPTTL"});
  ctx.reply.Bulk(text);
}

// ---- Ranges --------------------------------------------------------------------------------

// GETRANGE key start end (and SUBSTR, its old name)
void GetRange(CommandContext& ctx) {
  std::optional<int64_t> start = ParseInt64(ctx.argv[2]);
  std::optional<int64_t> end = ParseInt64(ctx.argv[3]);
  if (!start || !end) return ctx.reply.Error(kErrNotInteger);
  DbEntry* e = ctx.LookupRead(ctx.argv[1]);
  if (e == nullptr) return ctx.reply.Bulk("");
  if (!ctx.CheckType(e, ValueType::kString)) return;
  char scratch[kInt64StrLen];
  std::string_view s = e->value.StringView(scratch);
  if (*start < 0 && *end < 0 && *start > *end) return ctx.reply.Bulk("");
  IndexRange r = ClampRange(*start, *end, static_cast<int64_t>(s.size()));
  if (r.empty()) return ctx.reply.Bulk("");
  ctx.reply.Bulk(s.substr(r.start, r.end - r.start + 1));
}

// SETRANGE key offset value
void SetRange(CommandContext& ctx) {
  std::string_view key = ctx.argv[1], patch = ctx.argv[3];
  std::optional<int64_t> offset = ParseInt64(ctx.argv[2]);
  if (!offset) return ctx.reply.Error(kErrNotInteger);
  if (*offset < 0) return ctx.reply.Error("ERR offset is out of range");
  const uint64_t off = static_cast<uint64_t>(*offset);

  DbEntry* e = ctx.LookupWrite(key);
  if (e == nullptr) {
    // Setting nothing on a missing key creates nothing.
    if (patch.empty()) return ctx.reply.Integer(0);
    if (!CheckStringLength(ctx, off, patch.size())) return;
    Value v = Value::RawString("");
    std::memcpy(v.MutableString(off + patch.size()) + off, patch.data(), patch.size());
    e = ctx.db().Add(key, Fresh(ctx, std::move(v)));
  } else {
    if (!ctx.CheckType(e, ValueType::kString)) return;
    if (patch.empty()) return ctx.reply.Integer(static_cast<int64_t>(e->value.StringLength()));
    if (!CheckStringLength(ctx, off, patch.size())) return;
    std::memcpy(e->value.MutableString(off + patch.size()) + off, patch.data(), patch.size());
  }
  ctx.AddDirty();
  ctx.reply.Integer(static_cast<int64_t>(e->value.StringLength()));
}

// LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]
void Lcs(CommandContext& ctx) {
  // Redis looks the keys up before it parses the options, so a wrong type wins over a
  // syntax error.
  DbEntry* ea = ctx.LookupRead(ctx.argv[1]);
  DbEntry* eb = ctx.LookupRead(ctx.argv[2]);
  if ((ea != nullptr && ea->value.type() != ValueType::kString) ||
      (eb != nullptr && eb->value.type() != ValueType::kString)) {
    return ctx.reply.Error("ERR The specified keys must contain string values");
  }
  bool want_len = false, want_idx = false, with_match_len = false;
  int64_t min_match_len = 0;
  for (size_t j = 3; j < ctx.argc(); ++j) {
    std::string_view opt = ctx.argv[j];
    if (EqualsIgnoreCase(opt, "idx")) {
      want_idx = true;
    } else if (EqualsIgnoreCase(opt, "len")) {
      want_len = true;
    } else if (EqualsIgnoreCase(opt, "withmatchlen")) {
      with_match_len = true;
    } else if (EqualsIgnoreCase(opt, "minmatchlen") && j + 1 < ctx.argc()) {
      std::optional<int64_t> n = ParseInt64(ctx.argv[++j]);
      if (!n) return ctx.reply.Error(kErrNotInteger);
      min_match_len = std::max<int64_t>(*n, 0);
    } else {
      return ctx.reply.Error(kErrSyntax);
    }
  }
  if (want_len && want_idx) {
    return ctx.reply.Error("ERR If you want both the length and indexes, please just use IDX.");
  }

  char scratch_a[kInt64StrLen], scratch_b[kInt64StrLen];
  std::string_view a = ea ? ea->value.StringView(scratch_a) : std::string_view();
  std::string_view b = eb ? eb->value.StringView(scratch_b) : std::string_view();
  LcsOptions options;
  options.want_sequence = !want_len && !want_idx;
  options.want_matches = want_idx;
  options.min_match_len = static_cast<uint64_t>(min_match_len);
  options.max_table_bytes = MaxStringBytes(ctx);
  LcsResult result;
  switch (ComputeLcs(a, b, options, &result)) {
    case LcsStatus::kOk:
      break;
    case LcsStatus::kTooLong:
      return ctx.reply.Error("ERR String too long for LCS");
    case LcsStatus::kTableTooLarge:
      return ctx.reply.Error(
          "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
    case LcsStatus::kOutOfMemory:
      return ctx.reply.Error("ERR Insufficient memory, failed allocating transient memory for LCS");
  }

  if (want_len) return ctx.reply.Integer(result.length);
  if (!want_idx) return ctx.reply.Bulk(result.sequence);
  ctx.reply.MapHeader(2);
  ctx.reply.Bulk("matches");
  ctx.reply.ArrayHeader(static_cast<int64_t>(result.matches.size()));
  for (const LcsMatch& m : result.matches) {
    ctx.reply.ArrayHeader(with_match_len ? 3 : 2);
    ctx.reply.ArrayHeader(2);
    ctx.reply.Integer(m.a_start);
    ctx.reply.Integer(m.a_end);
    ctx.reply.ArrayHeader(2);
    ctx.reply.Integer(m.b_start);
    ctx.reply.Integer(m.b_end);
    if (with_match_len) ctx.reply.Integer(m.length());
  }
  ctx.reply.Bulk("len");
  ctx.reply.Integer(result.length);
}

}  // namespace

void RegisterStringCommands(CommandTable& table) {
  constexpr uint64_t kAcl = kAclString;
  table.Register({.name = "get", .arity = 2, .flags = kCmdReadOnly | kCmdFast,
                  .keys = {1, 1, 1}, .acl = kAcl, .group = "string", .since = "1.0.0",
                  .summary = "Get the value of a key", .complexity = "O(1)", .handler = Get});
  table.Register({.name = "set", .arity = -3, .flags = kCmdWrite | kCmdDenyOom,
                  .keys = {1, 1, 1}, .acl = kAcl, .group = "string", .since = "1.0.0",
                  .summary = "Set the string value of a key", .complexity = "O(1)",
                  .handler = Set});
  table.Register({.name = "setnx", .arity = 3, .flags = kCmdWrite | kCmdDenyOom | kCmdFast,
                  .keys = {1, 1, 1}, .acl = kAcl, .group = "string", .since = "1.0.0",
                  .summary = "Set the value of a key, only if the key does not exist",
                  .complexity = "O(1)", .handler = SetNx});
  table.Register({.name = "setex", .arity = 4, .flags = kCmdWrite | kCmdDenyOom,
                  .keys = {1, 1, 1}, .acl = kAcl, .group = "string", .since = "2.0.0",
                  .summary = "Set the value and expiration of a key", .complexity = "O(1)",
                  .handler = SetEx});
  table.Register({.name = "psetex", .arity = 4, .flags = kCmdWrite | kCmdDenyOom,
                  .keys = {1, 1, 1}, .acl = kAcl, .group = "string", .since = "2.6.0",
                  .summary = "Set the value and expiration in milliseconds of a key",
                  .complexity = "O(1)", .handler = PSetEx});
  table.Register({.name = "getset", .arity = 3, .flags = kCmdWrite | kCmdDenyOom | kCmdFast,
                  .keys = {1, 1, 1}, .acl = kAcl, .group = "string", .since = "1.0.0",
                  .summary = "Set the string value of a key and return its old value",
                  .complexity = "O(1)", .handler = GetSet});
  table.Register({.name = "getdel", .arity = 2, .flags = kCmdWrite | kCmdFast,
                  .keys = {1, 1, 1}, .acl = kAcl, .group = "string", .since = "6.2.0",
                  .summary = "Get the value of a key and delete the key", .complexity = "O(1)",
                  .handler = GetDel});
  table.Register({.name = "getex", .arity = -2, .flags = kCmdWrite | kCmdFast,
                  .keys = {1, 1, 1}, .acl = kAcl, .group = "string", .since = "6.2.0",
                  .summary = "Get the value of a key and optionally set its expiration",
                  .complexity = "O(1)", .handler = GetEx});
  table.Register({.name = "mget", .arity = -2, .flags = kCmdReadOnly | kCmdFast,
                  .keys = {1, -1, 1}, .acl = kAcl, .group = "string", .since = "1.0.0",
                  .summary = "Get the values of all the given keys",
                  .complexity = "O(N) where N is the number of keys to retrieve.",
                  .handler = MGet});
  table.Register({.name = "mset", .arity = -3, .flags = kCmdWrite | kCmdDenyOom,
                  .keys = {1, -1, 2}, .acl = kAcl, .group = "string", .since = "1.0.1",
                  .summary = "Set multiple keys to multiple values",
                  .complexity = "O(N) where N is the number of keys to set.", .handler = MSet});
  table.Register({.name = "msetnx", .arity = -3, .flags = kCmdWrite | kCmdDenyOom,
                  .keys = {1, -1, 2}, .acl = kAcl, .group = "string", .since = "1.0.1",
                  .summary = "Set multiple keys to multiple values, only if none of the keys exist",
                  .complexity = "O(N) where N is the number of keys to set.",
                  .handler = MSetNx});
  table.Register(
      {.name = "append", .arity = 3, .flags = kCmdWrite | kCmdDenyOom | kCmdFast,
       .keys = {1, 1, 1}, .acl = kAcl, .group = "string", .since = "2.0.0",
       .summary = "Append a value to a key",
       .complexity = "O(1). The amortized time complexity is O(1) assuming the appended value "
                     "is small and the already present value is of any size, since the dynamic "
                     "string library used by Redis will double the free space available on "
                     "every reallocation.",
       .handler = Append});
  table.Register({.name = "strlen", .arity = 2, .flags = kCmdReadOnly | kCmdFast,
                  .keys = {1, 1, 1}, .acl = kAcl, .group = "string", .since = "2.2.0",
                  .summary = "Get the length of the value stored in a key", .complexity = "O(1)",
                  .handler = StrLen});
  table.Register({.name = "incr", .arity = 2, .flags = kCmdWrite | kCmdDenyOom | kCmdFast,
                  .keys = {1, 1, 1}, .acl = kAcl, .group = "string", .since = "1.0.0",
                  .summary = "Increment the integer value of a key by one", .complexity = "O(1)",
                  .handler = Incr});
  table.Register({.name = "decr", .arity = 2, .flags = kCmdWrite | kCmdDenyOom | kCmdFast,
                  .keys = {1, 1, 1}, .acl = kAcl, .group = "string", .since = "1.0.0",
                  .summary = "Decrement the integer value of a key by one", .complexity = "O(1)",
                  .handler = Decr});
  table.Register({.name = "incrby", .arity = 3, .flags = kCmdWrite | kCmdDenyOom | kCmdFast,
                  .keys = {1, 1, 1}, .acl = kAcl, .group = "string", .since = "1.0.0",
                  .summary = "Increment the integer value of a key by the given amount",
                  .complexity = "O(1)", .handler = IncrBy});
  table.Register({.name = "decrby", .arity = 3, .flags = kCmdWrite | kCmdDenyOom | kCmdFast,
                  .keys = {1, 1, 1}, .acl = kAcl, .group = "string", .since = "1.0.0",
                  .summary = "Decrement the integer value of a key by the given number",
                  .complexity = "O(1)", .handler = DecrBy});
  table.Register({.name = "incrbyfloat", .arity = 3,
                  .flags = kCmdWrite | kCmdDenyOom | kCmdFast, .keys = {1, 1, 1}, .acl = kAcl,
                  .group = "string", .since = "2.6.0",
                  .summary = "Increment the float value of a key by the given amount",
                  .complexity = "O(1)", .handler = IncrByFloat});
  constexpr const char* kGetRangeComplexity =
      "O(N) where N is the length of the returned string. The complexity is ultimately "
      "determined by the returned length, but because creating a substring from an existing "
      "string is very cheap, it can be considered O(1) for small strings.";
  table.Register({.name = "getrange", .arity = 4, .flags = kCmdReadOnly, .keys = {1, 1, 1},
                  .acl = kAcl, .group = "string", .since = "2.4.0",
                  .summary = "Get a substring of the string stored at a key",
                  .complexity = kGetRangeComplexity, .handler = GetRange});
  table.Register({.name = "substr", .arity = 4, .flags = kCmdReadOnly, .keys = {1, 1, 1},
                  .acl = kAcl, .group = "string", .since = "1.0.0",
                  .summary = "Get a substring of the string stored at a key",
                  .complexity = kGetRangeComplexity, .handler = GetRange});
  table.Register(
      {.name = "setrange", .arity = 4, .flags = kCmdWrite | kCmdDenyOom, .keys = {1, 1, 1},
       .acl = kAcl, .group = "string", .since = "2.2.0",
       .summary = "Overwrite part of a string at key starting at the specified offset",
       .complexity = "O(1), not counting the time taken to copy the new string in place. "
                     "Usually, this string is very small so the amortized complexity is O(1). "
                     "Otherwise, complexity is O(M) with M being the length of the value "
                     "argument.",
       .handler = SetRange});
  table.Register({.name = "lcs", .arity = -3, .flags = kCmdReadOnly, .keys = {1, 2, 1},
                  .acl = kAcl, .group = "string", .since = "7.0.0",
                  .summary = "Find longest common substring",
                  .complexity = "O(N*M) where N and M are the lengths of s1 and s2, "
                                "respectively",
                  .handler = Lcs});
}

}  // namespace basalt
