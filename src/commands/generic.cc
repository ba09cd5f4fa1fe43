// Generic keyspace commands: DEL, UNLINK, EXISTS, TYPE, KEYS, SCAN, RANDOMKEY, RENAME,
// RENAMENX, COPY, MOVE, SWAPDB, DBSIZE, FLUSHDB, FLUSHALL, TOUCH and OBJECT.
// The expiry commands (EXPIRE, TTL, PERSIST, ...) live in expire.cc.
//
// Semantics follow Redis 7.0's db.c and object.c, including which lookups count keyspace
// hits/misses (EXISTS, TYPE, TOUCH, COPY, OBJECT do; DEL, RENAME, MOVE do not) and which
// refresh the LRU clock (TOUCH, COPY and the write lookups do; EXISTS, TYPE, OBJECT do not).
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "commands/expire.h"
#include "commands/keyspace_events.h"
#include "commands/registry.h"
#include "commands/scan_options.h"
#include "db/database.h"
#include "persistence/snapshot.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "util/glob.h"
#include "util/strconv.h"

namespace basalt {
namespace {

constexpr std::string_view kErrSameObject = "ERR source and destination objects are the same";
constexpr std::string_view kErrIntRange =
    "ERR value is out of range, value must between -2147483648 and 2147483647";

// ---------------------------------------------------------------------------------------------
// Helpers

// Redis's getIntFromObjectOrReply: an int, or nullopt after replying an error. With
// `message` (e.g. "ERR invalid first DB index") that text is the only error; otherwise a
// non-number and an out-of-int-range number get Redis's two distinct texts.
std::optional<int> ParseIntOrReply(CommandContext& ctx, std::string_view arg,
                                   std::string_view message = {}) {
  std::optional<int64_t> v = ParseInt64(arg);
  if (!v) {
    ctx.Error(message.empty() ? kErrNotInteger : message);
    return std::nullopt;
  }
  if (*v < INT_MIN || *v > INT_MAX) {
    ctx.Error(message.empty() ? kErrIntRange : message);
    return std::nullopt;
  }
  return static_cast<int>(*v);
}

// A database index as MOVE and COPY ... DB take it, or nullopt after replying an error.
std::optional<int> ParseDbIndexOrReply(CommandContext& ctx, std::string_view arg) {
  std::optional<int> index = ParseIntOrReply(ctx, arg);
  if (!index) return std::nullopt;
  if (*index < 0 || *index >= ctx.server.db_count()) {
    ctx.Error(kErrDbIndex);
    return std::nullopt;
  }
  return index;
}

// ---------------------------------------------------------------------------------------------
// Key commands

// DEL key [key ...], UNLINK key [key ...]. UNLINK (and DEL under lazyfree-lazy-user-del)
// leaves big values to the lazy-free thread (server/lazyfree.h).
void Del(CommandContext& ctx) {
  Database& db = ctx.db();
  const bool lazy = ctx.spec.name == "unlink" || ctx.server.config().lazyfree_lazy_user_del;
  int64_t deleted = 0;
  for (size_t i = 1; i < ctx.argc(); ++i) {
    // Lookup first so that an expired key counts as expired, not as deleted.
    DbEntry* e = db.Lookup(ctx.argv[i], ctx.now_ms());
    if (e != nullptr && lazy) ctx.server.lazyfree().MaybeFreeLater(e->value);
    if (e != nullptr && db.DeleteNow(ctx.argv[i])) {
      ++deleted;
      ctx.Notify(kEvDel, ctx.argv[i]);
    }
  }
  ctx.AddDirty(deleted);
  ctx.reply.Integer(deleted);
}

// EXISTS key [key ...]: a key named twice counts twice.
void Exists(CommandContext& ctx) {
  Database& db = ctx.db();
  int64_t count = 0;
  for (size_t i = 1; i < ctx.argc(); ++i) {
    if (db.LookupRead(ctx.argv[i], ctx.now_ms()) != nullptr) ++count;  // no LRU touch
  }
  ctx.reply.Integer(count);
}

// TYPE key
void Type(CommandContext& ctx) {
  DbEntry* e = ctx.db().LookupRead(ctx.argv[1], ctx.now_ms());  // no LRU touch
  ctx.reply.SimpleString(e == nullptr ? "none" : TypeName(e->value.type()));
}

// TOUCH key [key ...]: refreshes the LRU clock even for a CLIENT NO-TOUCH client, as Redis.
void Touch(CommandContext& ctx) {
  Database& db = ctx.db();
  int64_t touched = 0;
  for (size_t i = 1; i < ctx.argc(); ++i) {
    DbEntry* e = db.LookupRead(ctx.argv[i], ctx.now_ms());
    if (e == nullptr) continue;
    ctx.server.TouchValue(e->value);
    ++touched;
  }
  ctx.reply.Integer(touched);
}

// KEYS pattern: every key matching, skipping (not deleting) expired ones, as Redis.
void Keys(CommandContext& ctx) {
  std::string_view pattern = ctx.argv[1];
  const bool all = pattern == "*";
  const int64_t now = ctx.now_ms();
  // Views into the entries' key bytes: nothing is deleted before the reply is written.
  std::vector<std::string_view> keys;
  ctx.db().ForEach([&](DbEntry* e) {
    if (e->IsExpired(now)) return;
    if (!all && !GlobMatch(pattern, e->key())) return;
    keys.push_back(e->key());
  });
  ctx.reply.ArrayHeader(static_cast<int64_t>(keys.size()));
  for (std::string_view k : keys) ctx.reply.Bulk(k);
}

// RANDOMKEY. Database::RandomEntry gives up after deleting 100 expired keys in a row; Redis
// keeps going until it finds a live key or the database is empty, so retry.
void RandomKey(CommandContext& ctx) {
  Database& db = ctx.db();
  DbEntry* e = nullptr;
  while (e == nullptr && db.size() > 0) e = db.RandomEntry(ctx.now_ms(), ctx.server.rng());
  if (e == nullptr) return ctx.reply.Null();
  ctx.reply.Bulk(e->key());
}

// ---------------------------------------------------------------------------------------------
// SCAN

// SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]
//
// As Redis: COUNT is how many keys to collect (before filtering) from whole buckets, with at
// most COUNT*10 bucket steps; MATCH and TYPE filter afterwards; a collected key found expired
// is deleted and left out. An unknown TYPE matches nothing rather than failing.
void Scan(CommandContext& ctx) {
  std::optional<ScanOptions> opts = ParseScanOptions(ctx, 1, ScanKind::kKeys);
  if (!opts) return;
  const int64_t count = opts->count;

  Database& db = ctx.db();
  const int64_t now = ctx.now_ms();
  std::vector<std::string> collected;
  uint64_t next = opts->cursor;
  int64_t steps_left = count > INT64_MAX / 10 ? INT64_MAX : count * 10;
  do {
    next = db.Scan(next, [&](DbEntry* e) { collected.emplace_back(e->key()); });
  } while (next != 0 && steps_left-- > 0 && static_cast<int64_t>(collected.size()) < count);

  std::vector<std::string_view> keys;
  keys.reserve(collected.size());
  for (const std::string& key : collected) {
    if (!opts->Matches(key)) continue;
    if (opts->type) {
      DbEntry* e = db.LookupRead(key, now);  // Redis counts a hit or miss here too
      if (!EqualsIgnoreCase(*opts->type, e ? TypeName(e->value.type()) : "none")) continue;
    }
    if (db.Lookup(key, now) == nullptr) continue;  // expired: deleted now, never returned
    keys.push_back(key);
  }

  char buf[kInt64BufSize];
  ctx.reply.ArrayHeader(2);
  ctx.reply.Bulk(std::string_view(buf, FormatUint64(next, buf)));
  ctx.reply.ArrayHeader(static_cast<int64_t>(keys.size()));
  for (std::string_view k : keys) ctx.reply.Bulk(k);
}

// ---------------------------------------------------------------------------------------------
// RENAME, RENAMENX, COPY, MOVE

// RENAME key newkey / RENAMENX key newkey: the value keeps its TTL and LRU clock.
void RenameGeneric(CommandContext& ctx, bool nx) {
  std::string_view key = ctx.argv[1];
  std::string_view new_key = ctx.argv[2];
  DbEntry* src = ctx.LookupWrite(key);
  if (src == nullptr) return ctx.Error(kErrNoSuchKey);
  if (key == new_key) return nx ? ctx.reply.Integer(0) : ctx.reply.Ok();
  Database& db = ctx.db();
  if (ctx.LookupWrite(new_key) != nullptr) {
    if (nx) return ctx.reply.Integer(0);
    db.Delete(new_key);
  }
  db.MoveEntry(src, db, new_key);
  ctx.AddDirty();
  nx ? ctx.reply.Integer(1) : ctx.reply.Ok();
}

void Rename(CommandContext& ctx) { RenameGeneric(ctx, false); }
void RenameNx(CommandContext& ctx) { RenameGeneric(ctx, true); }

// COPY source destination [DB destination-db] [REPLACE]
void Copy(CommandContext& ctx) {
  const int src_index = ctx.client.db_index;
  int dst_index = src_index;
  bool replace = false;
  for (size_t i = 3; i < ctx.argc(); ++i) {
    if (EqualsIgnoreCase(ctx.argv[i], "replace")) {
      replace = true;
    } else if (EqualsIgnoreCase(ctx.argv[i], "db") && i + 1 < ctx.argc()) {
      std::optional<int> index = ParseDbIndexOrReply(ctx, ctx.argv[++i]);
      if (!index) return;
      dst_index = *index;
    } else {
      return ctx.Error(kErrSyntax);
    }
  }
  std::string_view key = ctx.argv[1];
  std::string_view new_key = ctx.argv[2];
  if (src_index == dst_index && key == new_key) return ctx.Error(kErrSameObject);

  DbEntry* src = ctx.LookupRead(key);
  if (src == nullptr) return ctx.reply.Integer(0);
  Database& dst = ctx.server.db(dst_index);
  if (dst.Lookup(new_key, ctx.now_ms()) != nullptr) {
    if (!replace) return ctx.reply.Integer(0);
    dst.Delete(new_key);  // never `src`: same database implies a different key
  }
  // A copy is a new object to Redis: it starts with a fresh LRU clock.
  Value copy = src->value.Clone();
  copy.set_lru(static_cast<uint32_t>(ctx.server.lru_clock()));
  dst.Add(new_key, std::move(copy), src->expire_ms());
  ctx.KeyModified(dst_index, new_key);
  ctx.AddDirty();
  ctx.Notify(kEvCopyTo, new_key, dst_index);
  ctx.reply.Integer(1);
}

// MOVE key db
void Move(CommandContext& ctx) {
  std::optional<int> dst_index = ParseDbIndexOrReply(ctx, ctx.argv[2]);
  if (!dst_index) return;
  if (*dst_index == ctx.client.db_index) return ctx.Error(kErrSameObject);
  std::string_view key = ctx.argv[1];
  DbEntry* src = ctx.LookupWrite(key);
  if (src == nullptr) return ctx.reply.Integer(0);
  Database& dst = ctx.server.db(*dst_index);
  if (dst.Lookup(key, ctx.now_ms()) != nullptr) return ctx.reply.Integer(0);
  ctx.db().MoveEntry(src, dst, key);
  ctx.KeyModified(key);
  ctx.KeyModified(*dst_index, key);
  ctx.AddDirty();
  ctx.Notify(kEvMoveFrom, key);
  ctx.Notify(kEvMoveTo, key, *dst_index);
  ctx.reply.Integer(1);
}

// ---------------------------------------------------------------------------------------------
// Database commands

// SWAPDB index1 index2
void SwapDb(CommandContext& ctx) {
  std::optional<int> a = ParseIntOrReply(ctx, ctx.argv[1], "ERR invalid first DB index");
  if (!a) return;
  std::optional<int> b = ParseIntOrReply(ctx, ctx.argv[2], "ERR invalid second DB index");
  if (!b) return;
  const int n = ctx.server.db_count();
  if (*a < 0 || *a >= n || *b < 0 || *b >= n) return ctx.Error(kErrDbIndex);
  if (*a != *b) {
    ctx.server.TouchWatchedKeysInDb(*a, *b);
    ctx.server.TouchWatchedKeysInDb(*b, *a);
    ctx.server.db(*a).SwapWith(ctx.server.db(*b));
    // Clients blocked in either database may now find their keys.
    ctx.server.SignalDatabaseReady(*a);
    ctx.server.SignalDatabaseReady(*b);
  }
  ctx.AddDirty();  // Redis counts a change even when both indexes are the same
  ctx.reply.Ok();
}

// DBSIZE: keys in the table, including expired ones not yet collected, as Redis.
void DbSize(CommandContext& ctx) { ctx.reply.Integer(static_cast<int64_t>(ctx.db().size())); }

// The optional ASYNC|SYNC argument of FLUSHDB and FLUSHALL (without it,
// lazyfree-lazy-user-flush decides). Sets *lazy.
bool ParseFlushModeOrReply(CommandContext& ctx, bool* lazy) {
  *lazy = ctx.server.config().lazyfree_lazy_user_flush;
  if (ctx.argc() == 1) return true;
  if (ctx.argc() == 2 &&
      (EqualsIgnoreCase(ctx.argv[1], "sync") || EqualsIgnoreCase(ctx.argv[1], "async"))) {
    *lazy = EqualsIgnoreCase(ctx.argv[1], "async");
    return true;
  }
  ctx.Error(kErrSyntax);
  return false;
}

// Empties database `index`, leaving the freeing to the lazy-free thread when `lazy`.
// Returns how many keys it held.
size_t EmptyDatabase(CommandContext& ctx, int index, bool lazy) {
  Database& db = ctx.server.db(index);
  if (!lazy || db.size() == 0) return db.Clear();
  auto doomed = std::make_unique<Database>(index, &ctx.server.keyspace_stats());
  doomed->SwapWith(db);
  const size_t removed = doomed->size();
  ctx.server.lazyfree().FreeDatabaseLater(std::move(doomed));
  return removed;
}

// FLUSHDB [ASYNC|SYNC]
void FlushDb(CommandContext& ctx) {
  bool lazy = false;
  if (!ParseFlushModeOrReply(ctx, &lazy)) return;
  ctx.server.TouchWatchedKeysInDb(ctx.client.db_index);
  ctx.server.SignalDatabaseReady(ctx.client.db_index);  // streams waited on are gone
  ctx.AddDirty(EmptyDatabase(ctx, ctx.client.db_index, lazy));
  ctx.ForcePropagation();  // even an empty database: a replica's may not be
  ctx.server.tracking().InvalidateAll(&ctx.client);
  ctx.reply.Ok();
}

// FLUSHALL [ASYNC|SYNC]. As Redis 7.0, also stops a BGSAVE child and, when save points are
// configured, saves the empty dataset (which leaves the dirty counter at 0).
void FlushAll(CommandContext& ctx) {
  bool lazy = false;
  if (!ParseFlushModeOrReply(ctx, &lazy)) return;
  size_t removed = 0;
  for (int i = 0; i < ctx.server.db_count(); ++i) {
    ctx.server.TouchWatchedKeysInDb(i);
    ctx.server.SignalDatabaseReady(i);  // streams waited on are gone
    removed += EmptyDatabase(ctx, i, lazy);
  }
  ctx.AddDirty(removed);
  ctx.ForcePropagation();  // even empty databases: a replica's may not be
  if (AfterFlushAll(ctx.server)) {
    // The save zeroed the counter; the dispatcher adds this command's changes to it after the
    // handler returns, so pre-subtract them (unsigned wrap-around) to leave it at 0.
    ctx.server.keyspace_stats().dirty -= ctx.dirty;
  }
  ctx.server.tracking().InvalidateAll(&ctx.client);
  ctx.reply.Ok();
}

// ---------------------------------------------------------------------------------------------
// OBJECT

// maxmemory-policy is one of the LFU ones: the value's 24-bit clock then holds an LFU
// counter (8 bits) and the minute it was last decremented (16 bits), not an LRU time.
bool LfuPolicy(Server& server) {
  return server.lfu_policy();
}

// Redis shares one object per integer 0..9999 and reports its refcount as INT_MAX, unless
// maxmemory is set with an LRU or LFU policy (each key then needs its own clock).
bool SharesSmallIntegers(Server& server) {
  const EvictionPolicy p = server.config().eviction_policy;
  const bool per_key_clock =
      p == EvictionPolicy::kVolatileLru || p == EvictionPolicy::kAllkeysLru || LfuPolicy(server);
  return server.config().maxmemory == 0 || !per_key_clock;
}

// The key for OBJECT's subcommands: counts hits/misses but does not touch the LRU clock.
// Replies a null and returns nullptr when absent.
DbEntry* ObjectLookupOrReply(CommandContext& ctx) {
  DbEntry* e = ctx.db().LookupRead(ctx.argv[2], ctx.now_ms());
  if (e == nullptr) ctx.reply.Null();
  return e;
}

void ObjectEncoding(CommandContext& ctx) {
  DbEntry* e = ObjectLookupOrReply(ctx);
  if (e == nullptr) return;
  ctx.reply.Bulk(EncodingName(e->value.encoding()));
}

void ObjectRefcount(CommandContext& ctx) {
  DbEntry* e = ObjectLookupOrReply(ctx);
  if (e == nullptr) return;
  const Value& v = e->value;
  const bool shared = v.is_string() && v.is_int() && v.int_value() >= 0 &&
                      v.int_value() < 10000 && SharesSmallIntegers(ctx.server);
  ctx.reply.Integer(shared ? INT_MAX : 1);
}

// Redis's estimateObjectIdleTime: the distance between the 24-bit clocks (in seconds),
// allowing for one wrap-around of the server clock.
void ObjectIdleTime(CommandContext& ctx) {
  DbEntry* e = ObjectLookupOrReply(ctx);
  if (e == nullptr) return;
  if (LfuPolicy(ctx.server)) {
    return ctx.Error(
        "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when "
        "switching between policies at runtime LRU and LFU data will take some time to adjust.");
  }
  constexpr int64_t kClockMax = (1 << 24) - 1;
  const int64_t clock = static_cast<int64_t>(ctx.server.lru_clock());
  const int64_t lru = e->value.lru();
  ctx.reply.Integer(clock >= lru ? clock - lru : clock + (kClockMax - lru));
}

// Redis's LFUDecrAndReturn: the counter less one per lfu-decay-time minutes since the
// minute stored beside it (a 16-bit minute clock, allowing one wrap-around).
void ObjectFreq(CommandContext& ctx) {
  DbEntry* e = ObjectLookupOrReply(ctx);
  if (e == nullptr) return;
  if (!LfuPolicy(ctx.server)) {
    return ctx.Error(
        "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note "
        "that when switching between policies at runtime LRU and LFU data will take some time "
        "to adjust.");
  }
  const int64_t lru = e->value.lru();
  const int64_t last_minute = lru >> 8;
  int64_t counter = lru & 0xFF;
  const int64_t now_minute = (ctx.now_ms() / 1000 / 60) & 0xFFFF;
  const int64_t elapsed =
      now_minute >= last_minute ? now_minute - last_minute : 0xFFFF - last_minute + now_minute;
  const int64_t decay = ctx.server.config().lfu_decay_time;
  const int64_t periods = decay > 0 ? elapsed / decay : 0;
  counter = periods > counter ? 0 : counter - periods;
  ctx.reply.Integer(counter);
}

void ObjectHelp(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "ENCODING <key>",
      "    Return the kind of internal representation used in order to store the value",
      "    associated with a <key>.",
      "FREQ <key>",
      "    Return the access frequency index of the <key>. The returned integer is",
      "    proportional to the logarithm of the recent access frequency of the key.",
      "IDLETIME <key>",
      "    Return the idle time of the <key>, that is the approximated number of",
      "    seconds elapsed since the last access to the key.",
      "REFCOUNT <key>",
      "    Return the number of references of the value associated with the specified",
      "    <key>.",
      "HELP",
      "    Prints this help.",
  };
  ctx.reply.ArrayHeader(std::size(kLines));
  for (std::string_view line : kLines) ctx.reply.SimpleString(line);
}

CommandSpec ObjectSubcommand(std::string name, std::string summary, CommandHandler handler) {
  return {.name = std::move(name), .arity = 3, .flags = kCmdReadOnly, .keys = {2, 2, 1},
          .acl = kAclKeyspace, .group = "generic", .since = "2.2.3", .summary = std::move(summary),
          .complexity = "O(1)", .handler = handler};
}

}  // namespace

void RegisterGenericCommands(CommandTable& table) {
  table.Register({.name = "del", .arity = -2, .flags = kCmdWrite, .keys = {1, -1, 1},
                  .acl = kAclKeyspace, .group = "generic", .since = "1.0.0",
                  .summary = "Delete a key",
                  .complexity =
                      "O(N) where N is the number of keys that will be removed. When a key to "
                      "remove holds a value other than a string, the individual complexity for "
                      "this key is O(M) where M is the number of elements in the list, set, "
                      "sorted set or hash. Removing a single key that holds a string value is "
                      "O(1).",
                  .handler = Del});
  table.Register({.name = "unlink", .arity = -2, .flags = kCmdWrite | kCmdFast,
                  .keys = {1, -1, 1}, .acl = kAclKeyspace, .group = "generic", .since = "4.0.0",
                  .summary = "Delete a key asynchronously in another thread. Otherwise it is "
                             "just as DEL, but non blocking.",
                  .complexity =
                      "O(1) for each key removed regardless of its size. Then the command does "
                      "O(N) work in a different thread in order to reclaim memory, where N is "
                      "the number of allocations the deleted objects where composed of.",
                  .handler = Del});
  table.Register({.name = "exists", .arity = -2, .flags = kCmdReadOnly | kCmdFast,
                  .keys = {1, -1, 1}, .acl = kAclKeyspace, .group = "generic", .since = "1.0.0",
                  .summary = "Determine if a key exists",
                  .complexity = "O(N) where N is the number of keys to check.",
                  .handler = Exists});
  table.Register({.name = "type", .arity = 2, .flags = kCmdReadOnly | kCmdFast, .keys = {1, 1, 1},
                  .acl = kAclKeyspace, .group = "generic", .since = "1.0.0",
                  .summary = "Determine the type stored at key", .complexity = "O(1)",
                  .handler = Type});
  table.Register({.name = "keys", .arity = 2, .flags = kCmdReadOnly, .keys = {0, 0, 0},
                  .acl = kAclKeyspace | kAclDangerous, .group = "generic", .since = "1.0.0",
                  .summary = "Find all keys matching the given pattern",
                  .complexity =
                      "O(N) with N being the number of keys in the database, under the "
                      "assumption that the key names in the database and the given pattern "
                      "have limited length.",
                  .handler = Keys});
  table.Register({.name = "scan", .arity = -2, .flags = kCmdReadOnly, .keys = {0, 0, 0},
                  .acl = kAclKeyspace, .group = "generic", .since = "2.8.0",
                  .summary = "Incrementally iterate the keys space",
                  .complexity =
                      "O(1) for every call. O(N) for a complete iteration, including enough "
                      "command calls for the cursor to return back to 0. N is the number of "
                      "elements inside the collection.",
                  .handler = Scan});
  table.Register({.name = "randomkey", .arity = 1, .flags = kCmdReadOnly, .keys = {0, 0, 0},
                  .acl = kAclKeyspace, .group = "generic", .since = "1.0.0",
                  .summary = "Return a random key from the keyspace", .complexity = "O(1)",
                  .handler = RandomKey});
  table.Register({.name = "rename", .arity = 3, .flags = kCmdWrite, .keys = {1, 2, 1},
                  .acl = kAclKeyspace, .group = "generic", .since = "1.0.0",
                  .summary = "Rename a key", .complexity = "O(1)", .handler = Rename});
  table.Register({.name = "renamenx", .arity = 3, .flags = kCmdWrite | kCmdFast,
                  .keys = {1, 2, 1}, .acl = kAclKeyspace, .group = "generic", .since = "1.0.0",
                  .summary = "Rename a key, only if the new key does not exist",
                  .complexity = "O(1)", .handler = RenameNx});
  table.Register({.name = "copy", .arity = -3, .flags = kCmdWrite | kCmdDenyOom,
                  .keys = {1, 2, 1}, .acl = kAclKeyspace, .group = "generic", .since = "6.2.0",
                  .summary = "Copy a key",
                  .complexity = "O(N) worst case for collections, where N is the number of "
                                "nested items. O(1) for string values.",
                  .handler = Copy, .written_keys = WrittenKeys::kNone});
  table.Register({.name = "move", .arity = 3, .flags = kCmdWrite | kCmdFast, .keys = {1, 1, 1},
                  .acl = kAclKeyspace, .group = "generic", .since = "1.0.0",
                  .summary = "Move a key to another database", .complexity = "O(1)",
                  .handler = Move, .written_keys = WrittenKeys::kNone});
  table.Register({.name = "swapdb", .arity = 3, .flags = kCmdWrite | kCmdFast, .keys = {0, 0, 0},
                  .acl = kAclKeyspace | kAclDangerous, .group = "server", .since = "4.0.0",
                  .summary = "Swaps two Redis databases",
                  .complexity = "O(N) where N is the count of clients watching or blocking on "
                                "keys from both databases.",
                  .handler = SwapDb});
  table.Register({.name = "dbsize", .arity = 1, .flags = kCmdReadOnly | kCmdFast,
                  .keys = {0, 0, 0}, .acl = kAclKeyspace, .group = "server", .since = "1.0.0",
                  .summary = "Return the number of keys in the selected database",
                  .complexity = "O(1)", .handler = DbSize});
  table.Register({.name = "flushdb", .arity = -1, .flags = kCmdWrite, .keys = {0, 0, 0},
                  .acl = kAclKeyspace | kAclDangerous, .group = "server", .since = "1.0.0",
                  .summary = "Remove all keys from the current database",
                  .complexity = "O(N) where N is the number of keys in the selected database",
                  .handler = FlushDb});
  table.Register({.name = "flushall", .arity = -1, .flags = kCmdWrite, .keys = {0, 0, 0},
                  .acl = kAclKeyspace | kAclDangerous, .group = "server", .since = "1.0.0",
                  .summary = "Remove all keys from all databases",
                  .complexity = "O(N) where N is the total number of keys in all databases",
                  .handler = FlushAll});
  table.Register({.name = "touch", .arity = -2, .flags = kCmdReadOnly | kCmdFast,
                  .keys = {1, -1, 1}, .acl = kAclKeyspace, .group = "generic", .since = "3.2.1",
                  .summary = "Alters the last access time of a key(s). Returns the number of "
                             "existing keys specified.",
                  .complexity = "O(N) where N is the number of keys that will be touched.",
                  .handler = Touch});

  std::vector<CommandSpec> object_subcommands;
  object_subcommands.push_back({.name = "help", .arity = 2, .flags = kCmdLoading | kCmdStale,
                                .keys = {0, 0, 0}, .acl = kAclKeyspace, .group = "generic",
                                .since = "6.2.0",
                                .summary = "Show helpful text about the different subcommands",
                                .complexity = "O(1)", .handler = ObjectHelp});
  object_subcommands.push_back(ObjectSubcommand(
      "refcount", "Get the number of references to the value of the key", ObjectRefcount));
  object_subcommands.push_back(ObjectSubcommand(
      "idletime", "Get the time since a Redis object was last accessed", ObjectIdleTime));
  object_subcommands.push_back(ObjectSubcommand(
      "encoding", "Inspect the internal encoding of a Redis object", ObjectEncoding));
  CommandSpec freq = ObjectSubcommand(
      "freq", "Get the logarithmic access frequency counter of a Redis object", ObjectFreq);
  freq.since = "4.0.0";
  object_subcommands.push_back(std::move(freq));
  table.Register({.name = "object", .arity = -2, .flags = 0, .keys = {0, 0, 0}, .acl = 0,
                  .group = "generic", .since = "2.2.3",
                  .summary = "A container for object introspection commands",
                  .complexity = "Depends on subcommand.",
                  .subcommands = std::move(object_subcommands)});

  RegisterExpireCommands(table);
}

}  // namespace basalt
