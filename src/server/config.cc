#include "server/config.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>

#include "server/config_rewrite.h"
#include "server/proc_title.h"
#include "util/glob.h"
#include "util/strconv.h"

namespace basalt {

// ---- notify-keyspace-events ---------------------------------------------------------------

std::optional<int> ParseKeyspaceEventFlags(std::string_view classes) {
  int flags = 0;
  for (char c : classes) {
    switch (c) {
      case 'A': flags |= kNotifyAll; break;
      case 'g': flags |= kNotifyGeneric; break;
      case '$': flags |= kNotifyString; break;
      case 'l': flags |= kNotifyList; break;
      case 's': flags |= kNotifySet; break;
      case 'h': flags |= kNotifyHash; break;
      case 'z': flags |= kNotifyZset; break;
      case 'x': flags |= kNotifyExpired; break;
      case 'e': flags |= kNotifyEvicted; break;
      case 'K': flags |= kNotifyKeyspace; break;
      case 'E': flags |= kNotifyKeyevent; break;
      case 't': flags |= kNotifyStream; break;
      case 'm': flags |= kNotifyKeyMiss; break;
      case 'd': flags |= kNotifyModule; break;
      case 'n': flags |= kNotifyNew; break;
      default: return std::nullopt;
    }
  }
  return flags;
}

std::string KeyspaceEventFlagsToString(int flags) {
  std::string out;
  if ((flags & kNotifyAll) == kNotifyAll) {
    out += 'A';
  } else {
    static constexpr std::pair<int, char> kClasses[] = {
        {kNotifyGeneric, 'g'}, {kNotifyString, '$'}, {kNotifyList, 'l'},    {kNotifySet, 's'},
        {kNotifyHash, 'h'},    {kNotifyZset, 'z'},   {kNotifyExpired, 'x'}, {kNotifyEvicted, 'e'},
        {kNotifyStream, 't'},  {kNotifyModule, 'd'}, {kNotifyNew, 'n'},
    };
    for (auto [bit, c] : kClasses) {
      if (flags & bit) out += c;
    }
  }
  if (flags & kNotifyKeyspace) out += 'K';
  if (flags & kNotifyKeyevent) out += 'E';
  if (flags & kNotifyKeyMiss) out += 'm';
  return out;
}

namespace {

// ---- Parameter descriptions ---------------------------------------------------------------

enum ParamFlag : uint32_t {
  kMutable = 0,
  kImmutable = 1 << 0,    // CONFIG SET refuses it
  kSensitive = 1 << 1,    // redacted from logs
  kMultiArg = 1 << 2,     // takes several values (`save 900 1`)
  kHidden = 1 << 3,       // CONFIG GET lists it only by exact name
  kProtected = 1 << 4,    // settable only as enable-protected-configs allows
  kDenyLoading = 1 << 5,  // refused while a dataset loads
  kApplyOnLoad = 1 << 6,  // its hook also runs while a config file is applied (`dir`)
  // A string whose "" is a value of its own: CONFIG REWRITE writes `name ""` for it. Other
  // strings treat "" as unset (Redis's EMPTY_STRING_IS_NULL), and their lines are dropped.
  kAllowEmptyString = 1 << 7,
};

// Numeric parameter syntaxes (Redis's MEMORY_CONFIG, PERCENT_CONFIG, OCTAL_CONFIG).
enum NumKind : unsigned { kInteger = 0, kMemory = 1, kPercent = 2, kOctal = 4 };

// State of one ApplyDirectives run, null under CONFIG SET.
struct LoadState {
  bool save_seen = false;  // the first `save` line replaces the default points
};

using Args = std::span<const std::string>;
using Setter = std::function<bool(Args args, ServerConfig& c, LoadState* load, std::string* err,
                                  bool* changed)>;
using Getter = std::function<std::string(const ServerConfig& c)>;
// Offers the parameter's config line(s) to CONFIG REWRITE under its canonical `name`.
using RewriteFn = std::function<void(const ServerConfig& c, const char* name, ConfigRewriter& out)>;

struct ParamDef {
  const char* name;
  const char* alias;  // or nullptr
  uint32_t flags;
  Setter set;  // REQUIRES: args.size() == 1 unless kMultiArg
  Getter get;
  RewriteFn rewrite;
};

struct EnumItem {
  const char* name;
  int value;
};

// ---- Small helpers ------------------------------------------------------------------------

char LowerChar(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = LowerChar(c);
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (LowerChar(a[i]) != LowerChar(b[i])) return false;
  }
  return true;
}

// CONFIG SET splits a multi-value argument on every single space (sdssplitlen), so ""
// gives no values and "a  b" gives an empty one in the middle.
std::vector<std::string> SplitBySpace(const std::string& s) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  size_t start = 0;
  while (true) {
    size_t space = s.find(' ', start);
    if (space == std::string::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, space - start));
    start = space + 1;
  }
}

// strtoll(s, &end, base) accepting only a fully consumed C string, as config.c checks it
// (leading blanks and a sign are accepted, "" parses as 0, overflow saturates).
bool StrToLL(const std::string& s, int base, long long* out) {
  char* end = nullptr;
  *out = std::strtoll(s.c_str(), &end, base);
  return *end == '\0';
}

std::string CurrentDir() {
  char buf[4096];
  if (getcwd(buf, sizeof(buf)) == nullptr) return {};
  return buf;
}

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += ' ';
    out += parts[i];
  }
  return out;
}

// The values of `redis-server` started without options: what CONFIG REWRITE compares with.
const ServerConfig& Defaults() {
  static const ServerConfig* defaults = new ServerConfig;
  return *defaults;
}

std::string Line(const char* name, std::string_view value) {
  std::string line = name;
  line += ' ';
  line += value;
  return line;
}

// ---- Generic parameter kinds --------------------------------------------------------------

using BoolValidator = bool (*)(bool value, std::string* err);

ParamDef Bool(const char* name, const char* alias, uint32_t flags, bool ServerConfig::*field,
              BoolValidator valid = nullptr) {
  Setter set = [field, valid](Args args, ServerConfig& c, LoadState*, std::string* err,
                              bool* changed) {
    bool value;
    if (EqualsIgnoreCase(args[0], "yes")) {
      value = true;
    } else if (EqualsIgnoreCase(args[0], "no")) {
      value = false;
    } else {
      *err = "argument must be 'yes' or 'no'";
      return false;
    }
    if (valid != nullptr && !valid(value, err)) return false;
    *changed = c.*field != value;
    c.*field = value;
    return true;
  };
  Getter get = [field](const ServerConfig& c) { return std::string(c.*field ? "yes" : "no"); };
  RewriteFn rewrite = [field](const ServerConfig& c, const char* name, ConfigRewriter& out) {
    out.RewriteLine(name, Line(name, c.*field ? "yes" : "no"), c.*field != Defaults().*field);
  };
  return {name, alias, flags, std::move(set), std::move(get), std::move(rewrite)};
}

using StringValidator = bool (*)(const std::string& value, const ServerConfig& c, std::string* err);

ParamDef String(const char* name, const char* alias, uint32_t flags,
                std::string ServerConfig::*field, StringValidator valid = nullptr) {
  Setter set = [field, valid](Args args, ServerConfig& c, LoadState*, std::string* err,
                              bool* changed) {
    if (valid != nullptr && !valid(args[0], c, err)) return false;
    *changed = c.*field != args[0];
    c.*field = args[0];
    return true;
  };
  Getter get = [field](const ServerConfig& c) { return c.*field; };
  RewriteFn rewrite = [field, flags](const ServerConfig& c, const char* name,
                                     ConfigRewriter& out) {
    const std::string& value = c.*field;
    if (value.empty() && !(flags & kAllowEmptyString)) return out.MarkProcessed(name);
    out.RewriteLine(name, Line(name, QuoteArg(value)), value != Defaults().*field);
  };
  return {name, alias, flags, std::move(set), std::move(get), std::move(rewrite)};
}

// configEnumGetName: the name of `value`, or for flag sets the names of its bits in table
// order; "unknown" if bits remain unnamed.
std::string EnumName(std::span<const EnumItem> items, int value, bool bitflags) {
  std::string names;
  int unmatched = value;
  for (const EnumItem& item : items) {
    if (item.value == value) return item.name;
    if (bitflags && item.value != 0 && (unmatched & item.value) == item.value) {
      if (!names.empty()) names += ' ';
      names += item.name;
      unmatched &= ~item.value;
    }
  }
  if (names.empty() || unmatched != 0) return "unknown";
  return names;
}

using EnumMirror = void (*)(ServerConfig& c, int value);
using IntValidator = bool (*)(int value, std::string* err);

// Enum values are stored as their canonical name (what CONFIG GET prints); `mirror`
// receives the numeric value for parameters that keep a typed copy.
ParamDef Enum(const char* name, const char* alias, uint32_t flags, std::string ServerConfig::*field,
              std::span<const EnumItem> items, EnumMirror mirror = nullptr,
              IntValidator valid = nullptr) {
  const bool bitflags = (flags & kMultiArg) != 0;
  Setter set = [field, items, mirror, valid, bitflags](Args args, ServerConfig& c, LoadState*,
                                                       std::string* err, bool* changed) {
    int value = 0;
    bool ok = !args.empty() && (bitflags || args.size() == 1);
    for (size_t i = 0; ok && i < args.size(); ++i) {
      bool matched = false;
      for (const EnumItem& item : items) {
        if (EqualsIgnoreCase(args[i], item.name)) {
          value |= item.value;
          matched = true;
        }
      }
      ok = matched;
    }
    if (!ok) {
      std::string msg = "argument(s) must be one of the following: ";
      for (size_t i = 0; i < items.size(); ++i) {
        if (i > 0) msg += ", ";
        msg += items[i].name;
      }
      if (msg.size() > 255) msg.resize(255);  // Redis formats it into a 256-byte buffer
      *err = msg;
      return false;
    }
    if (valid != nullptr && !valid(value, err)) return false;
    std::string canonical = EnumName(items, value, bitflags);
    *changed = c.*field != canonical;
    c.*field = std::move(canonical);
    if (mirror != nullptr) mirror(c, value);
    return true;
  };
  Getter get = [field](const ServerConfig& c) { return c.*field; };
  RewriteFn rewrite = [field](const ServerConfig& c, const char* name, ConfigRewriter& out) {
    out.RewriteLine(name, Line(name, c.*field), c.*field != Defaults().*field);
  };
  return {name, alias, flags, std::move(set), std::move(get), std::move(rewrite)};
}

bool ParseNumber(unsigned kind, const std::string& s, int64_t* out, std::string* err) {
  if (kind & kMemory) {
    if (auto v = ParseMemory(s)) {
      *out = *v;
      return true;
    }
  }
  if ((kind & kPercent) && s.size() > 1 && s.back() == '%') {
    auto v = ParseInt64(std::string_view(s).substr(0, s.size() - 1));
    if (v && *v >= 0) {
      *out = -*v;  // percentages are stored negative
      return true;
    }
  }
  if (kind & kOctal) {
    errno = 0;
    long long v;
    if (StrToLL(s, 8, &v) && errno == 0) {
      *out = v;
      return true;
    }
  }
  if (kind == kInteger) {
    if (auto v = ParseInt64(s)) {
      *out = *v;
      return true;
    }
  }
  if ((kind & kMemory) && (kind & kPercent)) {
    *err = "argument must be a memory or percent value";
  } else if (kind & kMemory) {
    *err = "argument must be a memory value";
  } else if (kind & kOctal) {
    *err = "argument couldn't be parsed as an octal number";
  } else {
    *err = "argument couldn't be parsed into an integer";
  }
  return false;
}

bool CheckBounds(bool is_unsigned, unsigned kind, int64_t v, int64_t lower, int64_t upper,
                 std::string* err) {
  char buf[160];
  if (is_unsigned) {
    auto u = static_cast<unsigned long long>(v);
    auto lo = static_cast<unsigned long long>(lower);
    auto hi = static_cast<unsigned long long>(upper);
    if (u >= lo && u <= hi) return true;
    std::snprintf(buf, sizeof(buf),
                  (kind & kOctal) ? "argument must be between %llo and %llo inclusive"
                                  : "argument must be between %llu and %llu inclusive",
                  lo, hi);
  } else if ((kind & kPercent) && v < 0) {
    if (v >= lower) return true;
    std::snprintf(buf, sizeof(buf), "percentage argument must be less or equal to %lld",
                  static_cast<long long>(-lower));
  } else {
    if (v >= lower && v <= upper) return true;
    std::snprintf(buf, sizeof(buf), "argument must be between %lld and %lld inclusive",
                  static_cast<long long>(lower), static_cast<long long>(upper));
  }
  *err = buf;
  return false;
}

using Normalizer = int64_t (*)(int64_t value);

// Integer parameters: parsed as a 64-bit value (memory values reinterpret an unsigned
// one), bound-checked as signed or unsigned by the field's type, then stored.
template <typename T>
ParamDef Number(const char* name, const char* alias, uint32_t flags, T ServerConfig::*field,
                int64_t lower, int64_t upper, unsigned kind = kInteger,
                Normalizer normalize = nullptr) {
  Setter set = [=](Args args, ServerConfig& c, LoadState*, std::string* err, bool* changed) {
    int64_t v;
    if (!ParseNumber(kind, args[0], &v, err)) return false;
    if (!CheckBounds(std::is_unsigned_v<T>, kind, v, lower, upper, err)) return false;
    if (normalize != nullptr) v = normalize(v);
    *changed = static_cast<int64_t>(c.*field) != v;
    c.*field = static_cast<T>(v);
    return true;
  };
  Getter get = [=](const ServerConfig& c) {
    auto v = static_cast<int64_t>(c.*field);
    if ((kind & kPercent) && v < 0) return std::to_string(-v) + "%";
    if (kind & kMemory) return std::to_string(static_cast<uint64_t>(v));
    if (kind & kOctal) {
      char buf[32];
      std::snprintf(buf, sizeof(buf), "%llo", static_cast<unsigned long long>(v));
      return std::string(buf);
    }
    return std::to_string(v);
  };
  RewriteFn rewrite = [=](const ServerConfig& c, const char* name, ConfigRewriter& out) {
    auto v = static_cast<int64_t>(c.*field);
    std::string value;
    if ((kind & kPercent) && v < 0) {
      value = std::to_string(-v) + "%";
    } else if (kind & kMemory) {
      value = FormatMemoryForConfig(v);
    } else if (kind & kOctal) {
      char buf[32];
      std::snprintf(buf, sizeof(buf), "%llo", static_cast<unsigned long long>(v));
      value = buf;
    } else {
      value = std::to_string(v);
    }
    out.RewriteLine(name, Line(name, value), c.*field != Defaults().*field);
  };
  return {name, alias, flags, std::move(set), std::move(get), std::move(rewrite)};
}

ParamDef Special(const char* name, const char* alias, uint32_t flags, Setter set, Getter get,
                 RewriteFn rewrite) {
  return {name, alias, flags, std::move(set), std::move(get), std::move(rewrite)};
}

// ---- Validators ---------------------------------------------------------------------------

bool IsBaseName(const std::string& path) {
  return path.find('/') == std::string::npos && path.find('\\') == std::string::npos;
}

bool ValidActiveDefrag(bool value, std::string* err) {
  if (!value) return true;
  *err =
      "Active defragmentation cannot be enabled: it requires a Redis server compiled with a "
      "modified Jemalloc like the one shipped by default with the Redis source distribution";
  return false;
}

bool ValidDbFilename(const std::string& v, const ServerConfig&, std::string* err) {
  if (IsBaseName(v)) return true;
  *err = "dbfilename can't be a path, just a filename";
  return false;
}

bool ValidAofFilename(const std::string& v, const ServerConfig&, std::string* err) {
  if (v.empty()) {
    *err = "appendfilename can't be empty";
  } else if (!IsBaseName(v)) {
    *err = "appendfilename can't be a path, just a filename";
  } else {
    return true;
  }
  return false;
}

bool ValidAofDirname(const std::string& v, const ServerConfig&, std::string* err) {
  if (v.empty()) {
    *err = "appenddirname can't be empty";
  } else if (!IsBaseName(v)) {
    *err = "appenddirname can't be a path, just a dirname";
  } else {
    return true;
  }
  return false;
}

bool ValidAnnouncedHostname(const std::string& v, const ServerConfig&, std::string* err) {
  if (v.size() >= 256) {
    *err = "Hostnames must be less than 256 characters";
    return false;
  }
  for (char c : v) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '.';
    if (!ok) {
      *err = "Hostnames may only contain alphanumeric characters, hyphens or dots";
      return false;
    }
  }
  return true;
}

// Shares proc_title's expansion so CONFIG SET and the config file refuse exactly what
// could not be shown. {config-file} does not change validity, so it is left unset here.
bool ValidProcTitleTemplate(const std::string& v, const ServerConfig& c, std::string* err) {
  if (basalt::ValidProcTitleTemplate(v, ProcTitleVars{&c, "", false})) return true;
  *err = std::string(kProcTitleTemplateError);
  return false;
}

bool ValidShutdownFlags(int value, std::string* err) {
  if ((value & kShutdownSave) && (value & kShutdownNoSave)) {
    *err = "shutdown options SAVE and NOSAVE can't be used simultaneously";
    return false;
  }
  return true;
}

int64_t ClampHz(int64_t hz) { return hz < 1 ? 1 : (hz > 500 ? 500 : hz); }

// ---- Enum tables and mirrors --------------------------------------------------------------

constexpr EnumItem kMaxmemoryPolicies[] = {
    {"volatile-lru", static_cast<int>(EvictionPolicy::kVolatileLru)},
    {"volatile-lfu", static_cast<int>(EvictionPolicy::kVolatileLfu)},
    {"volatile-random", static_cast<int>(EvictionPolicy::kVolatileRandom)},
    {"volatile-ttl", static_cast<int>(EvictionPolicy::kVolatileTtl)},
    {"allkeys-lru", static_cast<int>(EvictionPolicy::kAllkeysLru)},
    {"allkeys-lfu", static_cast<int>(EvictionPolicy::kAllkeysLfu)},
    {"allkeys-random", static_cast<int>(EvictionPolicy::kAllkeysRandom)},
    {"noeviction", static_cast<int>(EvictionPolicy::kNoEviction)},
};
constexpr EnumItem kSyslogFacilities[] = {
    {"user", 0},   {"local0", 1}, {"local1", 2}, {"local2", 3}, {"local3", 4},
    {"local4", 5}, {"local5", 6}, {"local6", 7}, {"local7", 8},
};
// "nothing" is Redis 7.2's; Basalt's logger supports it.
constexpr EnumItem kLogLevels[] = {
    {"debug", static_cast<int>(LogLevel::kDebug)},
    {"verbose", static_cast<int>(LogLevel::kVerbose)},
    {"notice", static_cast<int>(LogLevel::kNotice)},
    {"warning", static_cast<int>(LogLevel::kWarning)},
    {"nothing", static_cast<int>(LogLevel::kNothing)},
};
constexpr EnumItem kSupervisedModes[] = {{"upstart", 3}, {"systemd", 2}, {"auto", 1}, {"no", 0}};
constexpr EnumItem kAofFsyncModes[] = {
    {"everysec", static_cast<int>(AofFsync::kEverySec)},
    {"always", static_cast<int>(AofFsync::kAlways)},
    {"no", static_cast<int>(AofFsync::kNo)},
};
constexpr EnumItem kShutdownOptions[] = {
    {"default", 0},        {"save", kShutdownSave},   {"nosave", kShutdownNoSave},
    {"now", kShutdownNow}, {"force", kShutdownForce},
};
constexpr EnumItem kReplDisklessLoad[] = {{"disabled", 0}, {"on-empty-db", 1}, {"swapdb", 2}};
constexpr EnumItem kTlsAuthClients[] = {{"no", 0}, {"yes", 1}, {"optional", 2}};
constexpr EnumItem kOomScoreAdj[] = {{"no", 0}, {"yes", 1}, {"relative", 1}, {"absolute", 2}};
constexpr EnumItem kAclPubsubDefault[] = {{"allchannels", 1}, {"resetchannels", 0}};
constexpr EnumItem kSanitizeDumpPayload[] = {{"no", 0}, {"yes", 1}, {"clients", 2}};
constexpr EnumItem kProtectedAction[] = {{"no", 0}, {"yes", 1}, {"local", 2}};
constexpr EnumItem kClusterEndpointTypes[] = {{"ip", 0}, {"hostname", 1}, {"unknown-endpoint", 2}};
constexpr EnumItem kPropagationErrorBehavior[] = {
    {"ignore", 0}, {"panic", 1}, {"panic-on-replicas", 2}};

void MirrorLogLevel(ServerConfig& c, int v) { c.verbosity = static_cast<LogLevel>(v); }
void MirrorPolicy(ServerConfig& c, int v) { c.eviction_policy = static_cast<EvictionPolicy>(v); }
void MirrorAofFsync(ServerConfig& c, int v) { c.aof_fsync = static_cast<AofFsync>(v); }
void MirrorSigint(ServerConfig& c, int v) { c.shutdown_on_sigint_flags = v; }
void MirrorSigterm(ServerConfig& c, int v) { c.shutdown_on_sigterm_flags = v; }

// ---- Special parameters -------------------------------------------------------------------

bool SetDir(Args args, ServerConfig& c, LoadState*, std::string* err, bool* changed) {
  if (args.size() != 1) {
    *err = "wrong number of arguments";
    return false;
  }
  c.dir = args[0];
  *changed = true;  // the directory change itself is the `dir` hook's job
  return true;
}

std::string GetDir(const ServerConfig&) { return CurrentDir(); }

bool SetSave(Args args, ServerConfig& c, LoadState* load, std::string* err, bool* changed) {
  // A single "" means no save points.
  if (args.size() == 1 && args[0].empty()) {
    c.save_params.clear();
    args = {};
  }
  bool ok = args.size() % 2 == 0;
  for (size_t j = 0; ok && j < args.size(); ++j) {
    long long v;
    ok = StrToLL(args[j], 10, &v) && v >= (j % 2 == 0 ? 1 : 0);
  }
  if (!ok) {
    *err = "Invalid save parameters";
    return false;
  }
  // In a config file the first `save` line drops the defaults and later lines add points;
  // CONFIG SET replaces them all.
  if (load == nullptr) {
    c.save_params.clear();
  } else if (!load->save_seen) {
    load->save_seen = true;
    c.save_params.clear();
  }
  for (size_t j = 0; j < args.size(); j += 2) {
    long long seconds, changes;
    StrToLL(args[j], 10, &seconds);
    StrToLL(args[j + 1], 10, &changes);
    c.save_params.push_back({static_cast<int64_t>(seconds), static_cast<int>(changes)});
  }
  *changed = true;
  return true;
}

std::string GetSave(const ServerConfig& c) {
  std::string out;
  for (size_t j = 0; j < c.save_params.size(); ++j) {
    if (j > 0) out += ' ';
    out +=
        std::to_string(c.save_params[j].seconds) + " " + std::to_string(c.save_params[j].changes);
  }
  return out;
}

bool SetClientOutputBufferLimit(Args args, ServerConfig& c, LoadState*, std::string* err,
                                bool* changed) {
  if (args.size() % 4 != 0) {
    *err = "Wrong number of arguments in buffer limit configuration.";
    return false;
  }
  // Check every class before changing any, so a bad group leaves all limits as they were.
  auto limits = c.client_output_buffer_limits;
  for (size_t j = 0; j < args.size(); j += 4) {
    int cls;
    if (EqualsIgnoreCase(args[j], "normal")) {
      cls = static_cast<int>(ClientClass::kNormal);
    } else if (EqualsIgnoreCase(args[j], "replica") || EqualsIgnoreCase(args[j], "slave")) {
      cls = static_cast<int>(ClientClass::kReplica);
    } else if (EqualsIgnoreCase(args[j], "pubsub")) {
      cls = static_cast<int>(ClientClass::kPubsub);
    } else {
      *err = "Invalid client class specified in buffer limit configuration.";
      return false;
    }
    auto hard = ParseMemory(args[j + 1]);
    auto soft = ParseMemory(args[j + 2]);
    long long seconds_ll;
    bool seconds_ok = StrToLL(args[j + 3], 10, &seconds_ll);
    int seconds = static_cast<int>(seconds_ll);  // Redis keeps it in an int
    if (!hard || !soft || !seconds_ok || seconds < 0) {
      *err = "Error in hard, soft or soft_seconds setting in buffer limit configuration.";
      return false;
    }
    limits[cls] = {static_cast<uint64_t>(*hard), static_cast<uint64_t>(*soft), seconds};
  }
  c.client_output_buffer_limits = limits;
  *changed = true;
  return true;
}

std::string GetClientOutputBufferLimit(const ServerConfig& c) {
  static const char* const kNames[kClientClassCount] = {"normal", "slave", "pubsub"};
  std::string out;
  for (int j = 0; j < kClientClassCount; ++j) {
    const ClientBufferLimit& l = c.client_output_buffer_limits[j];
    if (j > 0) out += ' ';
    out += std::string(kNames[j]) + " " + std::to_string(l.hard_limit_bytes) + " " +
           std::to_string(l.soft_limit_bytes) + " " + std::to_string(l.soft_limit_seconds);
  }
  return out;
}

bool SetOomScoreAdjValues(Args args, ServerConfig& c, LoadState*, std::string* err, bool* changed) {
  if (args.size() != c.oom_score_adj_values.size()) {
    *err = "wrong number of arguments";
    return false;
  }
  std::array<int, 3> values;
  for (size_t i = 0; i < args.size(); ++i) {
    long long v;
    if (!StrToLL(args[i], 10, &v) || v < -2000 || v > 2000) {
      *err = "Invalid oom-score-adj-values, elements must be between -2000 and 2000.";
      return false;
    }
    values[i] = static_cast<int>(v);
  }
  *changed = values != c.oom_score_adj_values;
  c.oom_score_adj_values = values;
  return true;
}

std::string GetOomScoreAdjValues(const ServerConfig& c) {
  const auto& v = c.oom_score_adj_values;
  return std::to_string(v[0]) + " " + std::to_string(v[1]) + " " + std::to_string(v[2]);
}

bool SetNotifyKeyspaceEvents(Args args, ServerConfig& c, LoadState*, std::string* err,
                             bool* changed) {
  if (args.size() != 1) {
    *err = "wrong number of arguments";
    return false;
  }
  auto flags = ParseKeyspaceEventFlags(args[0]);
  if (!flags) {
    *err = "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.";
    return false;
  }
  c.notify_keyspace_flags = *flags;
  c.notify_keyspace_events = KeyspaceEventFlagsToString(*flags);
  *changed = true;
  return true;
}

bool SetBind(Args args, ServerConfig& c, LoadState*, std::string* err, bool* changed) {
  if (args.size() > 16) {
    *err = "Too many bind addresses specified.";
    return false;
  }
  if (args.size() == 1 && args[0].empty()) args = {};  // `bind ""`: listen nowhere on TCP
  c.bind.assign(args.begin(), args.end());
  *changed = true;
  return true;
}

bool SetReplicaOf(Args args, ServerConfig& c, LoadState*, std::string* err, bool* changed) {
  if (args.size() != 2) {
    *err = "wrong number of arguments";
    return false;
  }
  c.replicaof_host.clear();
  *changed = true;
  if (EqualsIgnoreCase(args[0], "no") && EqualsIgnoreCase(args[1], "one")) return true;
  char* end = nullptr;
  long port = std::strtol(args[1].c_str(), &end, 10);
  if (port < 0 || port > 65535 || *end != '\0') {
    *err = "Invalid master port";
    return false;
  }
  c.replicaof_port = static_cast<int>(port);
  c.replicaof_host = args[0];
  return true;
}

std::string GetReplicaOf(const ServerConfig& c) {
  if (c.replicaof_host.empty()) return "";
  return c.replicaof_host + " " + std::to_string(c.replicaof_port);
}

bool SetLatencyPercentiles(Args args, ServerConfig& c, LoadState*, std::string* err,
                           bool* changed) {
  std::vector<double> values;
  if (!(args.size() == 1 && args[0].empty())) {
    for (const std::string& arg : args) {
      auto v = ParseDouble(arg);
      if (!v) {
        *err = "Invalid latency-tracking-info-percentiles parameters";
        return false;
      }
      if (*v > 100.0 || *v < 0.0) {
        *err = "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]";
        return false;
      }
      values.push_back(*v);
    }
  }
  c.latency_tracking_info_percentiles = std::move(values);
  *changed = true;
  return true;
}

// "%f" with trailing zeros and a trailing '.' removed (trimDoubleString): 99.9 → "99.9".
std::string GetLatencyPercentiles(const ServerConfig& c) {
  std::string out;
  for (size_t j = 0; j < c.latency_tracking_info_percentiles.size(); ++j) {
    char buf[128];
    int len = std::snprintf(buf, sizeof(buf), "%f", c.latency_tracking_info_percentiles[j]);
    std::string s(buf, len);
    if (s.find('.') != std::string::npos) {
      s.erase(s.find_last_not_of('0') + 1);
      if (s.back() == '.') s.pop_back();
    }
    if (j > 0) out += ' ';
    out += s;
  }
  return out;
}

// ---- CONFIG REWRITE of the special parameters ----------------------------------------------

// Always written, as an absolute path: a relative `dir` would move with the next start.
void RewriteDir(const ServerConfig&, const char* name, ConfigRewriter& out) {
  std::string cwd = CurrentDir();
  if (cwd.empty()) return out.MarkProcessed(name);
  out.RewriteLine(name, Line(name, QuoteArg(cwd)), true);
}

// One line per point, always written: with no line at all the defaults would come back, so
// "no points" is written as `save ""`.
void RewriteSave(const ServerConfig& c, const char* name, ConfigRewriter& out) {
  if (c.save_params.empty()) out.RewriteLine(name, Line(name, "\"\""), true);
  for (const SaveParam& p : c.save_params) {
    out.RewriteLine(name, Line(name, std::to_string(p.seconds) + " " + std::to_string(p.changes)),
                    true);
  }
  out.MarkProcessed(name);
}

// One line per client class, each compared with its own default.
void RewriteClientOutputBufferLimit(const ServerConfig& c, const char* name, ConfigRewriter& out) {
  static const char* const kNames[kClientClassCount] = {"normal", "replica", "pubsub"};
  for (int j = 0; j < kClientClassCount; ++j) {
    const ClientBufferLimit& l = c.client_output_buffer_limits[j];
    std::string value = std::string(kNames[j]) + " " +
                        FormatMemoryForConfig(static_cast<long long>(l.hard_limit_bytes)) + " " +
                        FormatMemoryForConfig(static_cast<long long>(l.soft_limit_bytes)) + " " +
                        std::to_string(l.soft_limit_seconds);
    out.RewriteLine(name, Line(name, value), l != Defaults().client_output_buffer_limits[j]);
  }
}

void RewriteOomScoreAdjValues(const ServerConfig& c, const char* name, ConfigRewriter& out) {
  out.RewriteLine(name, Line(name, GetOomScoreAdjValues(c)),
                  c.oom_score_adj_values != Defaults().oom_score_adj_values);
}

void RewriteNotifyKeyspaceEvents(const ServerConfig& c, const char* name, ConfigRewriter& out) {
  out.RewriteLine(name, Line(name, QuoteArg(KeyspaceEventFlagsToString(c.notify_keyspace_flags))),
                  c.notify_keyspace_flags != 0);
}

// The default addresses are dropped rather than written; `bind ""` means no TCP at all.
void RewriteBind(const ServerConfig& c, const char* name, ConfigRewriter& out) {
  if (c.bind == Defaults().bind) return out.MarkProcessed(name);
  out.RewriteLine(name, Line(name, c.bind.empty() ? "\"\"" : Join(c.bind)), true);
}

// A master (or a cluster node, whose replication the cluster decides) has no such line.
void RewriteReplicaOf(const ServerConfig& c, const char* name, ConfigRewriter& out) {
  if (c.cluster_enabled || c.replicaof_host.empty()) return out.MarkProcessed(name);
  out.RewriteLine(name, Line(name, GetReplicaOf(c)), true);
}

void RewriteLatencyPercentiles(const ServerConfig& c, const char* name, ConfigRewriter& out) {
  std::string value = GetLatencyPercentiles(c);
  out.RewriteLine(name, Line(name, value.empty() ? "\"\"" : value), true);
}

// ---- The table ----------------------------------------------------------------------------

constexpr int64_t kIntMax = INT_MAX;
constexpr int64_t kIntMin = INT_MIN;
constexpr int64_t kUintMax = UINT_MAX;
constexpr int64_t kLongMax = LONG_MAX;
constexpr int64_t kLLongMax = LLONG_MAX;
constexpr int64_t kULLongMax = -1;  // ULLONG_MAX, as the unsigned check reads it back

using C = ServerConfig;

// Every Redis 7.0 parameter (with those of a TLS build), grouped as config.c groups them.
std::vector<ParamDef> BuildParams() {
  const uint32_t M = kMutable, I = kImmutable;
  return {
      // Bool
      Bool("rdbchecksum", nullptr, I, &C::rdbchecksum),
      Bool("daemonize", nullptr, I, &C::daemonize),
      Bool("io-threads-do-reads", nullptr, I, &C::io_threads_do_reads),
      Bool("always-show-logo", nullptr, I, &C::always_show_logo),
      Bool("protected-mode", nullptr, M, &C::protected_mode),
      Bool("rdbcompression", nullptr, M, &C::rdbcompression),
      Bool("rdb-del-sync-files", nullptr, M, &C::rdb_del_sync_files),
      Bool("activerehashing", nullptr, M, &C::activerehashing),
      Bool("stop-writes-on-bgsave-error", nullptr, M, &C::stop_writes_on_bgsave_error),
      Bool("set-proc-title", nullptr, I, &C::set_proc_title),
      Bool("dynamic-hz", nullptr, M, &C::dynamic_hz),
      Bool("lazyfree-lazy-eviction", nullptr, M, &C::lazyfree_lazy_eviction),
      Bool("lazyfree-lazy-expire", nullptr, M, &C::lazyfree_lazy_expire),
      Bool("lazyfree-lazy-server-del", nullptr, M, &C::lazyfree_lazy_server_del),
      Bool("lazyfree-lazy-user-del", nullptr, M, &C::lazyfree_lazy_user_del),
      Bool("lazyfree-lazy-user-flush", nullptr, M, &C::lazyfree_lazy_user_flush),
      Bool("repl-disable-tcp-nodelay", nullptr, M, &C::repl_disable_tcp_nodelay),
      Bool("repl-diskless-sync", nullptr, M, &C::repl_diskless_sync),
      Bool("aof-rewrite-incremental-fsync", nullptr, M, &C::aof_rewrite_incremental_fsync),
      Bool("no-appendfsync-on-rewrite", nullptr, M, &C::no_appendfsync_on_rewrite),
      Bool("cluster-require-full-coverage", nullptr, M, &C::cluster_require_full_coverage),
      Bool("rdb-save-incremental-fsync", nullptr, M, &C::rdb_save_incremental_fsync),
      // Basalt's own, so hidden.
      Bool("snapshot-fork", nullptr, M | kHidden, &C::snapshot_fork),
      Bool("aof-load-truncated", nullptr, M, &C::aof_load_truncated),
      Bool("aof-use-rdb-preamble", nullptr, M, &C::aof_use_rdb_preamble),
      Bool("aof-timestamp-enabled", nullptr, M, &C::aof_timestamp_enabled),
      Bool("cluster-replica-no-failover", "cluster-slave-no-failover", M,
           &C::cluster_replica_no_failover),
      Bool("replica-lazy-flush", "slave-lazy-flush", M, &C::replica_lazy_flush),
      Bool("replica-serve-stale-data", "slave-serve-stale-data", M, &C::replica_serve_stale_data),
      Bool("replica-read-only", "slave-read-only", M, &C::replica_read_only),
      Bool("replica-ignore-maxmemory", "slave-ignore-maxmemory", M, &C::replica_ignore_maxmemory),
      Bool("jemalloc-bg-thread", nullptr, M, &C::jemalloc_bg_thread),
      Bool("activedefrag", nullptr, M, &C::activedefrag, ValidActiveDefrag),
      Bool("syslog-enabled", nullptr, I, &C::syslog_enabled),
      Bool("cluster-enabled", nullptr, I, &C::cluster_enabled),
      Bool("appendonly", nullptr, M | kDenyLoading, &C::appendonly),
      Bool("cluster-allow-reads-when-down", nullptr, M, &C::cluster_allow_reads_when_down),
      Bool("cluster-allow-pubsubshard-when-down", nullptr, M,
           &C::cluster_allow_pubsubshard_when_down),
      Bool("crash-log-enabled", nullptr, M, &C::crash_log_enabled),
      Bool("crash-memcheck-enabled", nullptr, M, &C::crash_memcheck_enabled),
      Bool("use-exit-on-panic", nullptr, M | kHidden, &C::use_exit_on_panic),
      Bool("disable-thp", nullptr, I, &C::disable_thp),
      Bool("cluster-allow-replica-migration", nullptr, M, &C::cluster_allow_replica_migration),
      Bool("replica-announced", nullptr, M, &C::replica_announced),
      Bool("latency-tracking", nullptr, M, &C::latency_tracking),
      Bool("aof-disable-auto-gc", nullptr, M, &C::aof_disable_auto_gc),
      Bool("replica-ignore-disk-write-errors", nullptr, M, &C::replica_ignore_disk_write_errors),

      // String
      String("aclfile", nullptr, I | kAllowEmptyString, &C::aclfile),
      String("unixsocket", nullptr, I, &C::unixsocket),
      String("pidfile", nullptr, I, &C::pidfile),
      String("replica-announce-ip", "slave-announce-ip", M, &C::replica_announce_ip),
      String("masteruser", nullptr, M | kSensitive, &C::masteruser),
      String("cluster-announce-ip", nullptr, M, &C::cluster_announce_ip),
      String("cluster-config-file", nullptr, I | kAllowEmptyString, &C::cluster_config_file),
      String("cluster-announce-hostname", nullptr, M, &C::cluster_announce_hostname,
             ValidAnnouncedHostname),
      String("syslog-ident", nullptr, I | kAllowEmptyString, &C::syslog_ident),
      String("dbfilename", nullptr, M | kProtected | kAllowEmptyString, &C::dbfilename,
             ValidDbFilename),
      String("appendfilename", nullptr, I | kAllowEmptyString, &C::appendfilename,
             ValidAofFilename),
      String("appenddirname", nullptr, I | kAllowEmptyString, &C::appenddirname, ValidAofDirname),
      String("server_cpulist", nullptr, I, &C::server_cpulist),
      String("bio_cpulist", nullptr, I, &C::bio_cpulist),
      String("aof_rewrite_cpulist", nullptr, I, &C::aof_rewrite_cpulist),
      String("bgsave_cpulist", nullptr, I, &C::bgsave_cpulist),
      String("ignore-warnings", nullptr, M | kAllowEmptyString, &C::ignore_warnings),
      String("proc-title-template", nullptr, M | kAllowEmptyString, &C::proc_title_template,
             ValidProcTitleTemplate),
      String("bind-source-addr", nullptr, M, &C::bind_source_addr),
      String("logfile", nullptr, I | kAllowEmptyString, &C::logfile),
      String("masterauth", nullptr, M | kSensitive, &C::masterauth),
      String("requirepass", nullptr, M | kSensitive, &C::requirepass),

      // Enum
      Enum("supervised", nullptr, I, &C::supervised, kSupervisedModes),
      Enum("syslog-facility", nullptr, I, &C::syslog_facility, kSyslogFacilities),
      Enum("repl-diskless-load", nullptr, M | kDenyLoading, &C::repl_diskless_load,
           kReplDisklessLoad),
      Enum("loglevel", nullptr, M, &C::loglevel, kLogLevels, MirrorLogLevel),
      Enum("maxmemory-policy", nullptr, M, &C::maxmemory_policy, kMaxmemoryPolicies, MirrorPolicy),
      Enum("appendfsync", nullptr, M, &C::appendfsync, kAofFsyncModes, MirrorAofFsync),
      Enum("oom-score-adj", nullptr, M, &C::oom_score_adj, kOomScoreAdj),
      Enum("acl-pubsub-default", nullptr, M, &C::acl_pubsub_default, kAclPubsubDefault),
      Enum("sanitize-dump-payload", nullptr, M, &C::sanitize_dump_payload, kSanitizeDumpPayload),
      Enum("enable-protected-configs", nullptr, I, &C::enable_protected_configs, kProtectedAction),
      Enum("enable-debug-command", nullptr, I, &C::enable_debug_command, kProtectedAction),
      Enum("enable-module-command", nullptr, I, &C::enable_module_command, kProtectedAction),
      Enum("cluster-preferred-endpoint-type", nullptr, M, &C::cluster_preferred_endpoint_type,
           kClusterEndpointTypes),
      Enum("propagation-error-behavior", nullptr, M, &C::propagation_error_behavior,
           kPropagationErrorBehavior),
      Enum("shutdown-on-sigint", nullptr, M | kMultiArg, &C::shutdown_on_sigint, kShutdownOptions,
           MirrorSigint, ValidShutdownFlags),
      Enum("shutdown-on-sigterm", nullptr, M | kMultiArg, &C::shutdown_on_sigterm, kShutdownOptions,
           MirrorSigterm, ValidShutdownFlags),

      // int
      Number("databases", nullptr, I, &C::databases, 1, kIntMax),
      Number("port", nullptr, M, &C::port, 0, 65535),
      // Basalt's own, so hidden: CONFIG GET * lists what redis-server 7.0 lists.
      Number("metrics-port", nullptr, M | kHidden, &C::metrics_port, 0, 65535),
      Number("io-threads", nullptr, I, &C::io_threads, 1, 128),
      Number("auto-aof-rewrite-percentage", nullptr, M, &C::auto_aof_rewrite_percentage, 0,
             kIntMax),
      Number("cluster-replica-validity-factor", "cluster-slave-validity-factor", M,
             &C::cluster_replica_validity_factor, 0, kIntMax),
      Number("list-max-listpack-size", "list-max-ziplist-size", M, &C::list_max_listpack_size,
             kIntMin, kIntMax),
      Number("tcp-keepalive", nullptr, M, &C::tcp_keepalive, 0, kIntMax),
      Number("cluster-migration-barrier", nullptr, M, &C::cluster_migration_barrier, 0, kIntMax),
      Number("active-defrag-cycle-min", nullptr, M, &C::active_defrag_cycle_min, 1, 99),
      Number("active-defrag-cycle-max", nullptr, M, &C::active_defrag_cycle_max, 1, 99),
      Number("active-defrag-threshold-lower", nullptr, M, &C::active_defrag_threshold_lower, 0,
             1000),
      Number("active-defrag-threshold-upper", nullptr, M, &C::active_defrag_threshold_upper, 0,
             1000),
      Number("lfu-log-factor", nullptr, M, &C::lfu_log_factor, 0, kIntMax),
      Number("lfu-decay-time", nullptr, M, &C::lfu_decay_time, 0, kIntMax),
      Number("replica-priority", "slave-priority", M, &C::replica_priority, 0, kIntMax),
      Number("repl-diskless-sync-delay", nullptr, M, &C::repl_diskless_sync_delay, 0, kIntMax),
      Number("maxmemory-samples", nullptr, M, &C::maxmemory_samples, 1, kIntMax),
      Number("maxmemory-eviction-tenacity", nullptr, M, &C::maxmemory_eviction_tenacity, 0, 100),
      Number("timeout", nullptr, M, &C::timeout, 0, kIntMax),
      Number("replica-announce-port", "slave-announce-port", M, &C::replica_announce_port, 0,
             65535),
      Number("tcp-backlog", nullptr, I, &C::tcp_backlog, 0, kIntMax),
      Number("cluster-port", nullptr, I, &C::cluster_port, 0, 65535),
      Number("cluster-announce-bus-port", nullptr, M, &C::cluster_announce_bus_port, 0, 65535),
      Number("cluster-announce-port", nullptr, M, &C::cluster_announce_port, 0, 65535),
      Number("cluster-announce-tls-port", nullptr, M, &C::cluster_announce_tls_port, 0, 65535),
      Number("repl-timeout", nullptr, M, &C::repl_timeout, 1, kIntMax),
      Number("repl-ping-replica-period", "repl-ping-slave-period", M, &C::repl_ping_replica_period,
             1, kIntMax),
      Number("list-compress-depth", nullptr, M, &C::list_compress_depth, 0, kIntMax),
      Number("rdb-key-save-delay", nullptr, M | kHidden, &C::rdb_key_save_delay, kIntMin, kIntMax),
      Number("key-load-delay", nullptr, M | kHidden, &C::key_load_delay, kIntMin, kIntMax),
      Number("active-expire-effort", nullptr, M, &C::active_expire_effort, 1, 10),
      Number("hz", nullptr, M, &C::hz, 0, kIntMax, kInteger, ClampHz),
      Number("min-replicas-to-write", "min-slaves-to-write", M, &C::min_replicas_to_write, 0,
             kIntMax),
      Number("min-replicas-max-lag", "min-slaves-max-lag", M, &C::min_replicas_max_lag, 0, kIntMax),
      Number("watchdog-period", nullptr, M | kHidden, &C::watchdog_period, 0, kIntMax),
      Number("shutdown-timeout", nullptr, M, &C::shutdown_timeout, 0, kIntMax),
      Number("repl-diskless-sync-max-replicas", nullptr, M, &C::repl_diskless_sync_max_replicas, 0,
             kIntMax),

      // unsigned int
      Number("maxclients", nullptr, M, &C::maxclients, 1, kUintMax),
      Number("unixsocketperm", nullptr, I, &C::unixsocketperm, 0, 0777, kOctal),
      Number("socket-mark-id", nullptr, I, &C::socket_mark_id, 0, kUintMax),

      // unsigned long
      Number("active-defrag-max-scan-fields", nullptr, M, &C::active_defrag_max_scan_fields, 1,
             kLongMax),
      Number("slowlog-max-len", nullptr, M, &C::slowlog_max_len, 0, kLongMax),
      Number("acllog-max-len", nullptr, M, &C::acllog_max_len, 0, kLongMax),

      // long long
      Number("busy-reply-threshold", "lua-time-limit", M, &C::busy_reply_threshold, 0, kLongMax),
      Number("cluster-node-timeout", nullptr, M, &C::cluster_node_timeout, 0, kLLongMax),
      Number("slowlog-log-slower-than", nullptr, M, &C::slowlog_log_slower_than, -1, kLLongMax),
      Number("latency-monitor-threshold", nullptr, M, &C::latency_monitor_threshold, 0, kLLongMax),
      Number("proto-max-bulk-len", nullptr, M, &C::proto_max_bulk_len, 1024 * 1024, kLongMax,
             kMemory),
      Number("stream-node-max-entries", nullptr, M, &C::stream_node_max_entries, 0, kLLongMax),
      Number("repl-backlog-size", nullptr, M, &C::repl_backlog_size, 1, kLLongMax, kMemory),

      // unsigned long long
      Number("maxmemory", nullptr, M, &C::maxmemory, 0, kULLongMax, kMemory),
      Number("cluster-link-sendbuf-limit", nullptr, M, &C::cluster_link_sendbuf_limit, 0,
             kULLongMax, kMemory),

      // size_t / ssize_t
      Number("hash-max-listpack-entries", "hash-max-ziplist-entries", M,
             &C::hash_max_listpack_entries, 0, kLongMax),
      Number("set-max-intset-entries", nullptr, M, &C::set_max_intset_entries, 0, kLongMax),
      // Redis 7.2's listpack-encoded sets; Basalt encodes sets as 7.2 does.
      Number("set-max-listpack-entries", nullptr, M, &C::set_max_listpack_entries, 0, kLongMax),
      Number("set-max-listpack-value", nullptr, M, &C::set_max_listpack_value, 0, kLongMax),
      Number("zset-max-listpack-entries", "zset-max-ziplist-entries", M,
             &C::zset_max_listpack_entries, 0, kLongMax),
      Number("active-defrag-ignore-bytes", nullptr, M, &C::active_defrag_ignore_bytes, 1, kLLongMax,
             kMemory),
      Number("hash-max-listpack-value", "hash-max-ziplist-value", M, &C::hash_max_listpack_value, 0,
             kLongMax, kMemory),
      Number("stream-node-max-bytes", nullptr, M, &C::stream_node_max_bytes, 0, kLongMax, kMemory),
      Number("zset-max-listpack-value", "zset-max-ziplist-value", M, &C::zset_max_listpack_value, 0,
             kLongMax, kMemory),
      Number("hll-sparse-max-bytes", nullptr, M, &C::hll_sparse_max_bytes, 0, kLongMax, kMemory),
      Number("tracking-table-max-keys", nullptr, M, &C::tracking_table_max_keys, 0, kLongMax),
      Number("client-query-buffer-limit", nullptr, M, &C::client_query_buffer_limit, 1024 * 1024,
             kLongMax, kMemory),
      Number("maxmemory-clients", nullptr, M, &C::maxmemory_clients, -100, kLongMax,
             kMemory | kPercent),

      // time_t / off_t
      Number("repl-backlog-ttl", nullptr, M, &C::repl_backlog_ttl, 0, kLongMax),
      Number("auto-aof-rewrite-min-size", nullptr, M, &C::auto_aof_rewrite_min_size, 0, kLLongMax,
             kMemory),
      Number("loading-process-events-interval-bytes", nullptr, M | kHidden,
             &C::loading_process_events_interval_bytes, 1024, kIntMax),

      // TLS
      Number("tls-port", nullptr, M, &C::tls_port, 0, 65535),
      Number("tls-session-cache-size", nullptr, M, &C::tls_session_cache_size, 0, kIntMax),
      Number("tls-session-cache-timeout", nullptr, M, &C::tls_session_cache_timeout, 0, kIntMax),
      Bool("tls-cluster", nullptr, M, &C::tls_cluster),
      Bool("tls-replication", nullptr, M, &C::tls_replication),
      Enum("tls-auth-clients", nullptr, M, &C::tls_auth_clients, kTlsAuthClients),
      Bool("tls-prefer-server-ciphers", nullptr, M, &C::tls_prefer_server_ciphers),
      Bool("tls-session-caching", nullptr, M, &C::tls_session_caching),
      String("tls-cert-file", nullptr, M, &C::tls_cert_file),
      String("tls-key-file", nullptr, M, &C::tls_key_file),
      String("tls-key-file-pass", nullptr, M, &C::tls_key_file_pass),
      String("tls-client-cert-file", nullptr, M, &C::tls_client_cert_file),
      String("tls-client-key-file", nullptr, M, &C::tls_client_key_file),
      String("tls-client-key-file-pass", nullptr, M, &C::tls_client_key_file_pass),
      String("tls-dh-params-file", nullptr, M, &C::tls_dh_params_file),
      String("tls-ca-cert-file", nullptr, M, &C::tls_ca_cert_file),
      String("tls-ca-cert-dir", nullptr, M, &C::tls_ca_cert_dir),
      String("tls-protocols", nullptr, M, &C::tls_protocols),
      String("tls-ciphers", nullptr, M, &C::tls_ciphers),
      String("tls-ciphersuites", nullptr, M, &C::tls_ciphersuites),

      // Special
      Special("dir", nullptr, M | kProtected | kDenyLoading | kApplyOnLoad, SetDir, GetDir,
              RewriteDir),
      Special("save", nullptr, M | kMultiArg, SetSave, GetSave, RewriteSave),
      Special("client-output-buffer-limit", nullptr, M | kMultiArg, SetClientOutputBufferLimit,
              GetClientOutputBufferLimit, RewriteClientOutputBufferLimit),
      Special("oom-score-adj-values", nullptr, M | kMultiArg, SetOomScoreAdjValues,
              GetOomScoreAdjValues, RewriteOomScoreAdjValues),
      Special("notify-keyspace-events", nullptr, M, SetNotifyKeyspaceEvents,
              [](const C& c) { return c.notify_keyspace_events; }, RewriteNotifyKeyspaceEvents),
      Special("bind", nullptr, M | kMultiArg, SetBind, [](const C& c) { return Join(c.bind); },
              RewriteBind),
      Special("replicaof", "slaveof", I | kMultiArg, SetReplicaOf, GetReplicaOf, RewriteReplicaOf),
      Special("latency-tracking-info-percentiles", nullptr, M | kMultiArg, SetLatencyPercentiles,
              GetLatencyPercentiles, RewriteLatencyPercentiles),
  };
}

// A name CONFIG GET/SET knows: a parameter's own name or its alias.
struct Entry {
  std::string name;
  int param;
  bool alias;
};

struct Table {
  std::vector<ParamDef> params;
  std::vector<Entry> entries;                    // each name, then its alias
  std::unordered_map<std::string, int> by_name;  // lower-case name → entry index
};

const Table& GetTable() {
  static const Table* table = [] {
    auto* t = new Table;
    t->params = BuildParams();
    for (size_t i = 0; i < t->params.size(); ++i) {
      const ParamDef& p = t->params[i];
      t->entries.push_back({p.name, static_cast<int>(i), false});
      if (p.alias != nullptr) t->entries.push_back({p.alias, static_cast<int>(i), true});
    }
    for (size_t i = 0; i < t->entries.size(); ++i) t->by_name[t->entries[i].name] = i;
    return t;
  }();
  return *table;
}

const Entry* FindEntry(std::string_view name) {
  const Table& t = GetTable();
  auto it = t.by_name.find(Lower(name));
  return it == t.by_name.end() ? nullptr : &t.entries[it->second];
}

const ParamDef* FindParam(std::string_view name) {
  const Entry* e = FindEntry(name);
  return e == nullptr ? nullptr : &GetTable().params[e->param];
}

// Directives that are not parameters.
std::optional<std::string> ApplyOtherDirective(const std::vector<std::string>& args,
                                               ServerConfig& config) {
  const std::string& name = args[0];
  size_t argc = args.size();
  // Names Redis 7.0 still accepts and ignores.
  if ((name == "list-max-ziplist-entries" || name == "list-max-ziplist-value" ||
       name == "lua-replicate-commands") &&
      argc == 2) {
    return std::nullopt;
  }
  if (name == "include" && argc == 2) {
    return "include directives must be expanded by ParseConfigText";
  }
  if (name == "rename-command" && argc == 3) {
    // Applied to the command table when the server starts (Server::ApplyCommandRenames).
    config.renamed_commands.emplace_back(args[1], args[2]);
    return std::nullopt;
  }
  if (name == "user" && argc >= 2) {
    config.acl_users.emplace_back(args.begin() + 1, args.end());
    return std::nullopt;
  }
  if (name == "loadmodule" && argc >= 2) {
    return "loadmodule is not supported: Basalt does not load Redis modules";
  }
  if (name.find('.') != std::string::npos) {
    if (argc < 2) return "Module config specified without value";
    return "Module Configuration detected without loadmodule directive or no ApplyConfig "
           "call: aborting";
  }
  if (name == "sentinel") {
    // A bare `sentinel` selects sentinel mode, which main() handles (Basalt has none).
    if (argc == 1) return std::nullopt;
    return "sentinel directive while not in sentinel mode";
  }
  return "Bad directive or wrong number of arguments";
}

}  // namespace

// ---- ConfigRegistry -----------------------------------------------------------------------

ConfigRegistry::ConfigRegistry() : hook_of_param_(GetTable().params.size(), -1) {}

bool ConfigRegistry::SetApplyHook(std::initializer_list<std::string_view> names, ApplyHook hook) {
  std::vector<int> params;
  for (std::string_view name : names) {
    const Entry* e = FindEntry(name);
    if (e == nullptr) return false;
    params.push_back(e->param);
  }
  int id = static_cast<int>(hooks_.size());
  hooks_.push_back(std::move(hook));
  for (int p : params) hook_of_param_[p] = id;
  return true;
}

std::optional<ConfigError> ConfigRegistry::ApplyDirectives(
    const std::vector<ConfigDirective>& directives, ServerConfig& config) const {
  const Table& table = GetTable();
  LoadState load;
  for (const ConfigDirective& d : directives) {
    if (d.args.empty()) continue;
    const Entry* entry = FindEntry(d.args[0]);
    if (entry == nullptr) {
      if (auto reason = ApplyOtherDirective(d.args, config)) return MakeConfigError(d, *reason);
      continue;
    }
    const ParamDef& param = table.params[entry->param];
    const bool multi = (param.flags & kMultiArg) != 0;
    if (!multi && d.args.size() != 2) return MakeConfigError(d, "wrong number of arguments");

    std::vector<std::string> values;
    if (multi && d.args.size() == 2 && !d.args[1].empty()) {
      // `save "3600 1 300 100"`, `--bind "a b"`: one argument holding several values. Redis
      // passes no values at all when it has unbalanced quotes.
      values = SplitArgs(d.args[1]).value_or(std::vector<std::string>{});
    } else {
      values.assign(d.args.begin() + 1, d.args.end());
    }
    std::string err;
    bool changed = false;
    if (!param.set(values, config, &load, &err, &changed)) return MakeConfigError(d, err);

    int hook = hook_of_param_[entry->param];
    if ((param.flags & kApplyOnLoad) && hook >= 0 && !hooks_[hook](config, &err)) {
      return MakeConfigError(d, err);
    }
  }
  return std::nullopt;
}

std::vector<std::pair<std::string, std::string>> ConfigRegistry::Get(
    std::span<const std::string> patterns, const ServerConfig& config) const {
  const Table& table = GetTable();
  std::vector<std::pair<std::string, std::string>> result;
  std::unordered_set<std::string> seen;  // lower-case names already listed
  for (const std::string& pattern : patterns) {
    if (pattern.find_first_of("[*?") == std::string::npos) {
      std::string key = Lower(pattern);
      if (seen.count(key)) continue;
      if (const Entry* e = FindEntry(pattern)) {
        seen.insert(key);
        result.emplace_back(pattern, table.params[e->param].get(config));
      }
      continue;
    }
    for (const Entry& e : table.entries) {
      const ParamDef& param = table.params[e.param];
      if ((param.flags & kHidden) || seen.count(e.name)) continue;
      if (GlobMatch(pattern, e.name, /*nocase=*/true)) {
        seen.insert(e.name);
        result.emplace_back(e.name, param.get(config));
      }
    }
  }
  return result;
}

std::vector<std::pair<std::string, std::string>> ConfigRegistry::Get(
    std::string_view pattern, const ServerConfig& config) const {
  std::string p(pattern);
  return Get(std::span<const std::string>(&p, 1), config);
}

std::optional<std::string> ConfigRegistry::Set(
    std::span<const std::pair<std::string, std::string>> pairs, ServerConfig& config,
    const SetOptions& options) const {
  const Table& table = GetTable();
  std::vector<const Entry*> targets;
  const std::string* unknown_name = nullptr;
  std::string err_arg;
  std::string errstr;
  bool invalid = false;
  bool deny_loading = false;

  // Check every name first; as in Redis, the first problem decides the reply.
  for (const auto& [name, value] : pairs) {
    const Entry* e = FindEntry(name);
    if (e == nullptr) {
      if (!invalid) {
        unknown_name = &name;
        invalid = true;
      }
      continue;
    }
    if (invalid) continue;
    const ParamDef& param = table.params[e->param];
    bool protected_allowed =
        config.enable_protected_configs == "yes" ||
        (config.enable_protected_configs == "local" && options.client_is_local);
    if ((param.flags & kImmutable) || ((param.flags & kProtected) && !protected_allowed)) {
      errstr =
          (param.flags & kImmutable) ? "can't set immutable config" : "can't set protected config";
      err_arg = name;
      invalid = true;
      continue;
    }
    if (options.loading && (param.flags & kDenyLoading)) {
      deny_loading = true;
      invalid = true;
      continue;
    }
    // Redis compares registry entries, so a name and its alias are not duplicates.
    for (const Entry* prev : targets) {
      if (prev == e) {
        errstr = "duplicate parameter";
        err_arg = name;
        invalid = true;
        break;
      }
    }
    targets.push_back(e);
  }

  if (!invalid) {
    ServerConfig backup = config;
    std::vector<int> hooks;       // distinct hooks to run, in first-change order
    std::vector<int> hook_owner;  // the target that first asked for each
    for (size_t i = 0; i < targets.size() && !invalid; ++i) {
      const ParamDef& param = table.params[targets[i]->param];
      std::vector<std::string> values;
      if (param.flags & kMultiArg) {
        values = SplitBySpace(pairs[i].second);
      } else {
        values.push_back(pairs[i].second);
      }
      bool changed = false;
      if (!param.set(values, config, nullptr, &errstr, &changed)) {
        config = backup;
        err_arg = targets[i]->name;
        invalid = true;
        break;
      }
      int hook = hook_of_param_[targets[i]->param];
      if (changed && hook >= 0 && std::find(hooks.begin(), hooks.end(), hook) == hooks.end()) {
        hooks.push_back(hook);
        hook_owner.push_back(static_cast<int>(i));
      }
    }
    for (size_t h = 0; h < hooks.size() && !invalid; ++h) {
      std::string hook_err;
      if (hooks_[hooks[h]](config, &hook_err)) continue;
      // Restore every value, then let all hooks see the old values again. A failure while
      // restoring cannot be reported better than the original one, so it is dropped.
      config = backup;
      for (int other : hooks) {
        std::string ignored;
        hooks_[other](config, &ignored);
      }
      errstr = hook_err;
      err_arg = targets[hook_owner[h]]->name;
      invalid = true;
    }
    if (!invalid) return std::nullopt;
  }

  if (deny_loading) return std::string("LOADING Redis is loading the dataset in memory");
  if (unknown_name != nullptr) {
    return "ERR Unknown option or number of arguments for CONFIG SET - '" + *unknown_name + "'";
  }
  std::string reply = "ERR CONFIG SET failed (possibly related to argument '" + err_arg + "')";
  if (!errstr.empty()) reply += " - " + errstr;
  return reply;
}

bool ConfigRegistry::Exists(std::string_view name) const { return FindEntry(name) != nullptr; }

std::optional<std::string> ConfigRegistry::CanonicalName(std::string_view name) const {
  const ParamDef* p = FindParam(name);
  if (p == nullptr) return std::nullopt;
  return std::string(p->name);
}

bool ConfigRegistry::IsDefault(std::string_view name, const ServerConfig& config) const {
  const ParamDef* p = FindParam(name);
  return p != nullptr && p->get(config) == p->get(Defaults());
}

std::string ConfigRegistry::Rewrite(std::string_view old_text, const ServerConfig& config,
                                    bool force_all) const {
  const Table& table = GetTable();
  ConfigRewriter out(old_text, [this](std::string_view name) { return CanonicalName(name); });
  out.set_force_all(force_all);
  for (const ParamDef& param : table.params) param.rewrite(config, param.name, out);
  // `user` lines as they were given (Basalt has no ACL users to describe); Redis also
  // writes a line for the default user, which Basalt leaves to requirepass.
  for (const std::vector<std::string>& user : config.acl_users) {
    std::string line = "user";
    for (const std::string& arg : user) {
      line += ' ';
      bool plain = !arg.empty() && arg.find_first_of(" \t\r\n\"'\\") == std::string::npos;
      line += plain ? arg : QuoteArg(arg);
    }
    out.RewriteLine("user", std::move(line), true);
  }
  out.MarkProcessed("user");
  out.MarkProcessed("loadmodule");  // no modules are loaded: such lines would be stale
  return out.Finish();
}

bool ConfigRegistry::IsSensitive(std::string_view name) const {
  const ParamDef* p = FindParam(name);
  return p != nullptr && (p->flags & kSensitive);
}

bool ConfigRegistry::IsImmutable(std::string_view name) const {
  const ParamDef* p = FindParam(name);
  return p != nullptr && (p->flags & kImmutable);
}

// ---- CONFIG REWRITE -----------------------------------------------------------------------

std::optional<std::string> RewriteConfigFile(const std::string& path,
                                             const ConfigRegistry& registry,
                                             const ServerConfig& config, bool force_all) {
  std::string old_text;
  if (auto error = ReadConfigFileForRewrite(path, &old_text)) return error;
  return WriteFileAtomically(path, registry.Rewrite(old_text, config, force_all));
}

// ---- Startup ------------------------------------------------------------------------------

std::optional<ConfigError> LoadServerConfig(const CommandLine& cmdline,
                                            const ConfigRegistry& registry,
                                            std::istream& stdin_stream, ServerConfig& config) {
  config.dir = CurrentDir();
  std::vector<ConfigDirective> directives;
  if (auto error = LoadConfigDirectives(cmdline, stdin_stream, &directives)) return error;
  if (auto error = registry.ApplyDirectives(directives, config)) return error;
  return ValidateLoadedConfig(config);
}

std::optional<ConfigError> LoadServerConfig(const CommandLine& cmdline, ServerConfig& config) {
  ConfigRegistry registry;
  registry.SetApplyHook({"dir"}, ChdirToConfigDir);
  return LoadServerConfig(cmdline, registry, std::cin, config);
}

std::optional<ConfigError> ValidateLoadedConfig(const ServerConfig& config) {
  if (!config.logfile.empty()) {
    // Redis checks it now because later it could only fail silently.
    std::FILE* f = std::fopen(config.logfile.c_str(), "a");
    if (f == nullptr) {
      return MakeConfigError(std::string("Can't open the log file: ") + std::strerror(errno));
    }
    std::fclose(f);
  }
  if (config.cluster_enabled && !config.replicaof_host.empty()) {
    return MakeConfigError("replicaof directive not allowed in cluster mode");
  }
  return std::nullopt;
}

bool ChdirToConfigDir(ServerConfig& config, std::string* err) {
  if (chdir(config.dir.c_str()) == -1) {
    *err = std::strerror(errno);
    return false;
  }
  config.dir = CurrentDir();
  return true;
}

}  // namespace basalt
