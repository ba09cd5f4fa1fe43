// DEBUG <subcommand>: the testing aids of Redis's DEBUG that Basalt supports:
//   OBJECT key, SLEEP seconds, SET-ACTIVE-EXPIRE 0|1, ERROR message, LOG message, HELP.
// Like Redis 7.0, DEBUG is refused unless `enable-debug-command` is "yes", or "local" and
// the client is on a loopback or unix socket connection.
#include <time.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "commands/server_family.h"
#include "server/command_context.h"
#include "server/log.h"
#include "util/strconv.h"

namespace basalt {

bool IsLocalClient(const Client& client) {
  if (client.kind == ConnKind::kUnix) return true;
  std::string_view ip(client.addr);
  size_t colon = ip.rfind(':');
  if (colon != std::string_view::npos) ip = ip.substr(0, colon);
  return ip == "127.0.0.1" || ip == "::1";
}

namespace {

bool DebugAllowed(CommandContext& ctx) {
  const std::string& setting = ctx.server.config().enable_debug_command;
  return setting == "yes" || (setting == "local" && IsLocalClient(ctx.client));
}

// Bytes the RDB length prefix of `len` takes (1, 2, 5 or 9).
size_t RdbLengthSize(uint64_t len) {
  if (len < (1 << 6)) return 1;
  if (len < (1 << 14)) return 2;
  if (len <= UINT32_MAX) return 5;
  return 9;
}

// Bytes of the RDB integer encoding of `v` (type byte + payload), or 0 when it does not fit
// in 32 bits and must be saved as a string.
size_t RdbIntegerSize(int64_t v) {
  if (v >= INT8_MIN && v <= INT8_MAX) return 2;
  if (v >= INT16_MIN && v <= INT16_MAX) return 3;
  if (v >= INT32_MIN && v <= INT32_MAX) return 5;
  return 0;
}

// What rdbSavedObjectLen reports for a string value, without LZF compression (Redis
// compresses strings longer than 20 bytes when that saves space; Basalt has no LZF yet).
size_t SerializedStringLength(const Value& value) {
  char scratch[kInt64StrLen];
  std::string_view bytes = value.StringView(scratch);
  // Short strings holding a canonical integer are saved in integer form.
  if (bytes.size() <= 11) {
    if (auto v = ParseInt64(bytes)) {
      if (size_t n = RdbIntegerSize(*v)) return n;
    }
  }
  return RdbLengthSize(bytes.size()) + bytes.size();
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
  size_t serialized = v.is_string() ? SerializedStringLength(v) : 0;
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

void DebugHelp(CommandContext& ctx) {
  static const char* const kLines[] = {
      "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "ERROR <string>",
      "    Reply with <string> as an error.",
      "LOG <message>",
      "    Write <message> to the server log.",
      "OBJECT <key>",
      "    Show low level information about the value stored at <key>.",
      "SET-ACTIVE-EXPIRE <0|1>",
      "    Turn the active expiry of keys by the server cron off (0) or on (1).",
      "SLEEP <seconds>",
      "    Block the server for <seconds> (a decimal number).",
      "HELP",
      "    Prints this help.",
  };
  ctx.reply.ArrayHeader(std::size(kLines));
  for (const char* line : kLines) ctx.reply.SimpleString(line);
}

}  // namespace

// DEBUG <subcommand> [arg ...]
void DebugCommand(CommandContext& ctx) {
  if (!DebugAllowed(ctx)) {
    return ctx.Error(
        "ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", "
        "you can run it from a local connection, otherwise you need to set this option in the "
        "configuration file, and then restart the server.");
  }
  std::string_view sub = ctx.argv[1];
  size_t argc = ctx.argc();
  if (argc == 2 && EqualsIgnoreCase(sub, "help")) return DebugHelp(ctx);
  if (argc == 3 && EqualsIgnoreCase(sub, "object")) return DebugObject(ctx);
  if (argc == 3 && EqualsIgnoreCase(sub, "sleep")) return DebugSleep(ctx);
  if (argc == 3 && EqualsIgnoreCase(sub, "set-active-expire")) {
    ctx.server.active_expire_enabled = std::atoi(std::string(ctx.argv[2]).c_str()) != 0;
    return ctx.reply.Ok();
  }
  if (argc == 3 && EqualsIgnoreCase(sub, "error")) return ctx.Error(ctx.argv[2]);
  if (argc == 3 && EqualsIgnoreCase(sub, "log")) {
    Log(LogLevel::kWarning, "DEBUG LOG: %s", std::string(ctx.argv[2]).c_str());
    return ctx.reply.Ok();
  }
  ctx.Error("ERR unknown subcommand or wrong number of arguments for '" +
            std::string(sub.substr(0, 128)) + "'. Try DEBUG HELP.");
}

}  // namespace basalt
