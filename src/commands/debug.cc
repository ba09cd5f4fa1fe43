// DEBUG <subcommand>: the testing aids of Redis's DEBUG that Basalt supports:
//   OBJECT key, SLEEP seconds, SET-ACTIVE-EXPIRE 0|1, ERROR message, LOG message,
//   POPULATE count [prefix] [size], DIGEST, DIGEST-VALUE [key ...], PROTOCOL type,
//   STRINGMATCH-TEST, RELOAD [MERGE] [NOFLUSH] [NOSAVE], HELP.
// Like Redis 7.0, DEBUG is refused unless `enable-debug-command` is "yes", or "local" and
// the client is on a loopback or unix socket connection.
#include <time.h>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <random>
#include <string>

#include "commands/server_family.h"
#include "db/digest.h"
#include "persistence/aof_loader.h"
#include "persistence/aof_writer.h"
#include "persistence/rdb_value.h"
#include "persistence/snapshot.h"
#include "server/command_context.h"
#include "server/config_rewrite.h"
#include "server/log.h"
#include "util/glob.h"
#include "util/memory.h"
#include "util/strconv.h"

namespace basalt {

namespace {

// What rdbSavedObjectLen reports: the bytes of the value's RDB serialization (LZF included
// when rdbcompression is on), for every type.
size_t SerializedLength(CommandContext& ctx, const Value& value) {
  RdbSaveOptions opts;
  opts.compress = ctx.server.config().rdbcompression;
  opts.now_ms = ctx.now_ms();
  std::string out;
  RdbPutValue(&out, value, opts);
  return out.size();
}

// Redis shares one object per integer 0..9999 (refcount INT_MAX) unless maxmemory is set
// with an LRU or LFU policy.
int RefCount(CommandContext& ctx, const Value& value) {
  if (!value.is_int() || value.int_value() < 0 || value.int_value() >= 10000) return 1;
  const ServerConfig& config = ctx.server.config();
  EvictionPolicy p = config.eviction_policy;
  bool per_key_clock = p != EvictionPolicy::kVolatileRandom && p != EvictionPolicy::kVolatileTtl &&
                       p != EvictionPolicy::kAllkeysRandom && p != EvictionPolicy::kNoEviction;
  return config.maxmemory == 0 || !per_key_clock ? 2147483647 : 1;
}

// Seconds since the value was last touched, from the 24-bit LRU clock (which wraps).
uint64_t IdleSeconds(uint64_t clock, uint64_t lru) {
  constexpr uint64_t kClockMax = (1 << 24) - 1;
  return clock >= lru ? clock - lru : clock + (kClockMax - lru);
}

void DebugObject(CommandContext& ctx) {
  DbEntry* e = ctx.db().FindRaw(ctx.argv[2]);
  if (e == nullptr) return ctx.Error(kErrNoSuchKey);
  const Value& v = e->value;
  size_t serialized = SerializedLength(ctx, v);
  char buf[256];
  std::snprintf(buf, sizeof(buf),
                "Value at:%p refcount:%d encoding:%s serializedlength:%zu lru:%u "
                "lru_seconds_idle:%llu",
                static_cast<const void*>(&v), RefCount(ctx, v), EncodingName(v.encoding()),
                serialized, v.lru(),
                static_cast<unsigned long long>(IdleSeconds(ctx.server.lru_clock(), v.lru())));
  ctx.reply.SimpleString(buf);
}

void DebugSleep(CommandContext& ctx) {
  // strtod semantics as Redis: junk reads as 0, a negative time does not sleep.
  std::string arg(ctx.argv[2]);
  double seconds = std::strtod(arg.c_str(), nullptr);
  int64_t usec = static_cast<int64_t>(seconds * 1000000);
  if (usec > 0) {
    timespec ts{static_cast<time_t>(usec / 1000000), static_cast<long>(usec % 1000000) * 1000};
    while (nanosleep(&ts, &ts) != 0) {
    }
  }
  ctx.reply.Ok();
}

// DEBUG POPULATE count [prefix] [size]: adds string keys "<prefix>:<n>" (prefix "key") for n in
// [0, count) holding "value:<n>", zero-padded or cut to `size` bytes when size > 0. Existing
// keys are left alone. Like Redis it counts no dirty changes (the keys are not propagated).
void DebugPopulate(CommandContext& ctx) {
  constexpr std::string_view kNotPositive = "ERR value is out of range, must be positive";
  std::optional<int64_t> count = ParseInt64(ctx.argv[2]);
  if (!count || *count < 0) return ctx.Error(kNotPositive);
  int64_t size = 0;
  if (ctx.argc() == 5) {
    std::optional<int64_t> parsed = ParseInt64(ctx.argv[4]);
    if (!parsed || *parsed < 0) return ctx.Error(kNotPositive);
    size = *parsed;
  }
  // Redis formats the key into a 128-byte C buffer: the prefix ends at a NUL byte and the
  // key is cut at 127 bytes.
  std::string_view prefix = ctx.argc() >= 4 ? ctx.argv[3] : "key";
  prefix = prefix.substr(0, prefix.find('\0'));
  constexpr size_t kMaxKeyLen = 127;
  std::string key;
  std::string value;
  for (int64_t i = 0; i < *count; ++i) {
    key.assign(prefix);
    key.push_back(':');
    key.append(Int64ToString(i));
    if (key.size() > kMaxKeyLen) key.resize(kMaxKeyLen);
    if (ctx.LookupWrite(key) != nullptr) continue;
    value.assign("value:");
    value.append(Int64ToString(i));
    if (size > 0) value.resize(static_cast<size_t>(size), '\0');
    // createStringObject in Redis: embstr or raw by length, never int-encoded.
    ctx.db().Add(key, Value::PlainString(value));
  }
  ctx.reply.Ok();
}

// DEBUG DIGEST: the digest of every database (40 zeros when all are empty).
void DebugDigest(CommandContext& ctx) {
  Digest d;
  for (int i = 0; i < ctx.server.db_count(); ++i) AddDatabaseDigest(ctx.server.db(i), &d);
  ctx.reply.SimpleString(d.Hex());
}

// DEBUG DIGEST-VALUE [key ...]: the value digest of each key (zeros for a missing one).
// Expired keys not yet removed still count: the lookup neither expires nor touches.
void DebugDigestValue(CommandContext& ctx) {
  ctx.reply.ArrayHeader(static_cast<int64_t>(ctx.argc() - 2));
  for (size_t i = 2; i < ctx.argc(); ++i) {
    Digest d;
    if (const DbEntry* e = ctx.db().FindRaw(ctx.argv[i])) MixValueDigest(*e, &d);
    ctx.reply.SimpleString(d.Hex());
  }
}

// DEBUG PROTOCOL type: one sample reply of each RESP type, in the client's protocol, so
// clients can test their parsers. RESP2 gets Redis's fallbacks (a double or big number as a
// bulk string, a map as a flat array, no attribute, and an error for a push).
void DebugProtocol(CommandContext& ctx) {
  std::string_view type = ctx.argv[2];
  ReplyBuilder& reply = ctx.reply;
  if (EqualsIgnoreCase(type, "string")) return reply.Bulk("Hello World");
  if (EqualsIgnoreCase(type, "integer")) return reply.Integer(12345);
  if (EqualsIgnoreCase(type, "double")) return reply.Double(3.141);
  if (EqualsIgnoreCase(type, "bignum")) {
    return reply.BigNumber("1234567999999999999999999999999999999");
  }
  if (EqualsIgnoreCase(type, "null")) return reply.Null();
  if (EqualsIgnoreCase(type, "array") || EqualsIgnoreCase(type, "set")) {
    if (EqualsIgnoreCase(type, "array")) {
      reply.ArrayHeader(3);
    } else {
      reply.SetHeader(3);
    }
    for (int i = 0; i < 3; ++i) reply.Integer(i);
    return;
  }
  if (EqualsIgnoreCase(type, "map")) {
    reply.MapHeader(3);
    for (int i = 0; i < 3; ++i) {
      reply.Integer(i);
      reply.Bool(i == 1);
    }
    return;
  }
  if (EqualsIgnoreCase(type, "attrib")) {
    if (reply.resp() >= 3) {
      reply.AttributeHeader(1);
      reply.Bulk("key-popularity");
      reply.ArrayHeader(2);
      reply.Bulk("key:123");
      reply.Integer(90);
    }
    // An attribute only annotates: a real reply must follow it.
    return reply.Bulk("Some real reply following the attribute");
  }
  if (EqualsIgnoreCase(type, "push")) {
    if (reply.resp() < 3) return ctx.Error("ERR RESP2 is not supported by this command");
    reply.PushHeader(2);
    reply.Bulk("server-cpu-usage");
    reply.Integer(42);
    // A push is out of band; the normal reply lets a client that drops pushes go on.
    return reply.Bulk("Some real reply following the push reply");
  }
  if (EqualsIgnoreCase(type, "verbatim")) return reply.Verbatim("This is a verbatim\nstring");
  if (EqualsIgnoreCase(type, "true")) return reply.Bool(true);
  if (EqualsIgnoreCase(type, "false")) return reply.Bool(false);
  ctx.Error(
      "ERR Wrong protocol type name. Please use one of the following: "
      "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false");
}

// DEBUG STRINGMATCH-TEST: Redis's crash test of the glob matcher: ten million random
// patterns against random strings (up to 31 bytes of 7-bit characters each). Surviving it is
// the result; like Redis it blocks the server for a few seconds.
void DebugStringmatchTest(CommandContext& ctx) {
  std::minstd_rand rng(static_cast<uint32_t>(ctx.now_ms()));
  char str[32];
  char pattern[32];
  uint64_t matches = 0;
  for (int cycle = 0; cycle < 10000000; ++cycle) {
    size_t str_len = rng() % sizeof(str);
    size_t pattern_len = rng() % sizeof(pattern);
    for (size_t j = 0; j < str_len; ++j) str[j] = static_cast<char>(rng() % 128);
    for (size_t j = 0; j < pattern_len; ++j) pattern[j] = static_cast<char>(rng() % 128);
    matches += GlobMatch(std::string_view(pattern, pattern_len), std::string_view(str, str_len));
  }
  (void)matches;
  ctx.reply.SimpleString("Apparently Redis did not crash: test passed");
}

// DEBUG CONFIG-REWRITE-FORCE-ALL: CONFIG REWRITE that writes every parameter, defaults too.
void DebugConfigRewriteForceAll(CommandContext& ctx) {
  auto error = RewriteConfigFile(ctx.server.config_file(), ctx.server.config_registry(),
                                 ctx.server.config(), /*force_all=*/true);
  if (error) return ctx.Error("ERR CONFIG-REWRITE-FORCE-ALL failed: " + *error);
  ctx.reply.Ok();
}

void DebugHelp(CommandContext& ctx) {
  static const char* const kLines[] = {
      "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "ERROR <string>",
      "    Reply with <string> as an error.",
      "LOG <message>",
      "    Write <message> to the server log.",
      "CONFIG-REWRITE-FORCE-ALL",
      "    Like CONFIG REWRITE but writes all configuration options, including",
      "    keywords not listed in original configuration file or default values.",
      "DIGEST",
      "    Output a hex signature representing the current DB content.",
      "DIGEST-VALUE <key> [<key> ...]",
      "    Output a hex signature of the values of all the specified keys.",
      "OBJECT <key>",
      "    Show low level information about the value stored at <key>.",
      "POPULATE <count> [<prefix>] [<size>]",
      "    Create <count> string keys named <prefix>:<num> (prefix 'key') holding",
      "    value:<num>, padded with zero bytes or truncated to <size> when given.",
      "PROTOCOL <type>",
      "    Reply with a sample value of <type>: string, integer, double, bignum, null,",
      "    array, set, map, attrib, push, verbatim, true, false.",
      "RELOAD [MERGE] [NOFLUSH] [NOSAVE]",
      "    Save the RDB on disk and reload it back to memory. MERGE and NOFLUSH merge the",
      "    file into the dataset; NOSAVE loads the file without saving it first.",
      "SET-ACTIVE-EXPIRE <0|1>",
      "    Turn the active expiry of keys by the server cron off (0) or on (1).",
      "SLEEP <seconds>",
      "    Block the server for <seconds> (a decimal number).",
      "STRINGMATCH-TEST",
      "    Run a fuzz tester against the glob-style pattern matcher.",
      "HELP",
      "    Prints this help.",
  };
  ctx.reply.ArrayHeader(std::size(kLines));
  for (const char* line : kLines) ctx.reply.SimpleString(line);
}

// DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: saves the RDB file, then loads it back in place of
// the dataset (NOFLUSH: merged into it, the file's keys winning). A file that fails to load
// leaves the dataset as it was.
void DebugReload(CommandContext& ctx) {
  bool flush = true, save = true;
  for (size_t j = 2; j < ctx.argc(); ++j) {
    std::string_view opt = ctx.argv[j];
    if (EqualsIgnoreCase(opt, "merge")) {
      // Duplicates are always allowed: the file's key replaces the one in memory.
    } else if (EqualsIgnoreCase(opt, "noflush")) {
      flush = false;
    } else if (EqualsIgnoreCase(opt, "nosave")) {
      save = false;
    } else {
      return ctx.Error("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
    }
  }
  const std::string& filename = ctx.server.config().dbfilename;
  if (save && !SaveRdbFile(ctx.server, filename)) return ctx.Error("ERR");
  RdbFileLoad r = LoadRdbFile(ctx.server, filename, flush);
  if (!r.ok) {
    Log(LogLevel::kWarning, "DEBUG RELOAD failed loading %s: %s", filename.c_str(),
        r.error.c_str());
    return ctx.Error("ERR Error trying to load the RDB dump, check server logs.");
  }
  Log(LogLevel::kWarning, "DB reloaded by DEBUG RELOAD");
  ctx.reply.Ok();
}

// DEBUG MALLCTL <key> [<int value>]: jemalloc's integer settings and statistics.
void DebugMallctl(CommandContext& ctx) {
  int64_t value = 0;
  if (ctx.argc() == 4) {
    std::optional<int64_t> v = ParseInt64(ctx.argv[3]);
    if (!v) return ctx.Error(kErrNotInteger);
    value = *v;
  }
  AllocatorCtlResult r =
      AllocatorCtlInt(std::string(ctx.argv[2]).c_str(), ctx.argc() == 4 ? &value : nullptr);
  if (!r.ok) return ctx.Error("ERR " + r.error);
  if (r.write_only) return ctx.reply.Ok();
  ctx.reply.Integer(r.old_value);
}

// DEBUG MALLCTL-STR <key> [<string value>|VOID]: jemalloc's string settings.
void DebugMallctlStr(CommandContext& ctx) {
  const std::string value = ctx.argc() == 4 ? std::string(ctx.argv[3]) : std::string();
  AllocatorCtlStrResult r = AllocatorCtlString(std::string(ctx.argv[2]).c_str(),
                                               ctx.argc() == 4 ? value.c_str() : nullptr);
  if (!r.ok) return ctx.Error("ERR " + r.error);
  if (r.write_only) return ctx.reply.Ok();
  ctx.reply.Bulk(r.text);
}

}  // namespace

// DEBUG <subcommand> [arg ...]
void DebugCommand(CommandContext& ctx) {
  std::string_view sub = ctx.argv[1];
  size_t argc = ctx.argc();
  if (argc == 2 && EqualsIgnoreCase(sub, "help")) return DebugHelp(ctx);
  if (argc == 3 && EqualsIgnoreCase(sub, "object")) return DebugObject(ctx);
  if (argc == 3 && EqualsIgnoreCase(sub, "sleep")) return DebugSleep(ctx);
  if (argc >= 3 && argc <= 5 && EqualsIgnoreCase(sub, "populate")) return DebugPopulate(ctx);
  if (argc == 2 && EqualsIgnoreCase(sub, "digest")) return DebugDigest(ctx);
  if (argc == 2 && EqualsIgnoreCase(sub, "config-rewrite-force-all")) {
    return DebugConfigRewriteForceAll(ctx);
  }
  if (EqualsIgnoreCase(sub, "digest-value")) return DebugDigestValue(ctx);
  if (EqualsIgnoreCase(sub, "reload")) return DebugReload(ctx);
  if (argc == 2 && EqualsIgnoreCase(sub, "loadaof")) {
    DebugLoadAof(ctx.server);
    return ctx.reply.Ok();
  }
  if (argc == 3 && EqualsIgnoreCase(sub, "aof-flush-sleep")) {
    ctx.server.aof().set_flush_sleep_us(std::atoll(std::string(ctx.argv[2]).c_str()));
    return ctx.reply.Ok();
  }
  if (argc == 3 && EqualsIgnoreCase(sub, "protocol")) return DebugProtocol(ctx);
  if (argc == 2 && EqualsIgnoreCase(sub, "stringmatch-test")) return DebugStringmatchTest(ctx);
  if (argc == 3 && EqualsIgnoreCase(sub, "set-active-expire")) {
    ctx.server.active_expire_enabled = std::atoi(std::string(ctx.argv[2]).c_str()) != 0;
    return ctx.reply.Ok();
  }
  if (argc == 3 && EqualsIgnoreCase(sub, "set-skip-checksum-validation")) {
    ctx.server.skip_checksum_validation = std::atoi(std::string(ctx.argv[2]).c_str()) != 0;
    return ctx.reply.Ok();
  }
  if (argc == 3 && EqualsIgnoreCase(sub, "pause-cron")) {
    ctx.server.cron_paused = std::atoi(std::string(ctx.argv[2]).c_str()) != 0;
    return ctx.reply.Ok();
  }
  if (argc == 3 && EqualsIgnoreCase(sub, "error")) return ctx.Error(ctx.argv[2]);
  if ((argc == 3 || argc == 4) && EqualsIgnoreCase(sub, "mallctl")) return DebugMallctl(ctx);
  if ((argc == 3 || argc == 4) && EqualsIgnoreCase(sub, "mallctl-str")) {
    return DebugMallctlStr(ctx);
  }
  if (argc == 3 && EqualsIgnoreCase(sub, "log")) {
    Log(LogLevel::kWarning, "DEBUG LOG: %s", std::string(ctx.argv[2]).c_str());
    return ctx.reply.Ok();
  }
  ctx.Error("ERR unknown subcommand or wrong number of arguments for '" +
            std::string(sub.substr(0, 128)) + "'. Try DEBUG HELP.");
}

}  // namespace basalt
