// The command table's row type, and what a handler receives when it runs.
//
// Every command (and subcommand, e.g. CONFIG GET) is one CommandSpec: name, arity, flags,
// key positions, ACL categories, documentation and handler. Family files
// (src/commands/*.cc) declare their rows and register them; the dispatcher, COMMAND,
// INFO commandstats and (later) ACL and cluster all read these rows, never a second list.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/reply_builder.h"
#include "server/latency_histogram.h"

namespace basalt {

class Server;
class Client;
class Database;
class CommandContext;

using CommandHandler = void (*)(CommandContext& ctx);
// For commands whose keys move (kCmdMovableKeys: SORT ... STORE, LMPOP numkeys, ...): the
// positions of the keys in `argv` (argv[0] is the command name); empty when the arguments
// are malformed.
using KeyFinder = std::vector<int> (*)(std::span<const std::string_view> argv);

// Command flags, as Redis's COMMAND INFO names them (see CommandFlagName).
enum CommandFlag : uint64_t {
  kCmdWrite = 1ULL << 0,
  kCmdReadOnly = 1ULL << 1,
  kCmdDenyOom = 1ULL << 2,
  kCmdModule = 1ULL << 3,
  kCmdAdmin = 1ULL << 4,
  kCmdPubSub = 1ULL << 5,
  kCmdNoScript = 1ULL << 6,
  kCmdBlocking = 1ULL << 8,
  kCmdLoading = 1ULL << 9,
  kCmdStale = 1ULL << 10,
  kCmdSkipMonitor = 1ULL << 11,
  kCmdSkipSlowlog = 1ULL << 12,
  kCmdAsking = 1ULL << 13,
  kCmdFast = 1ULL << 14,
  kCmdNoAuth = 1ULL << 15,
  kCmdMayReplicate = 1ULL << 16,
  kCmdSentinel = 1ULL << 17,
  kCmdOnlySentinel = 1ULL << 18,
  kCmdNoMandatoryKeys = 1ULL << 19,
  kCmdProtected = 1ULL << 20,
  kCmdNoAsyncLoading = 1ULL << 23,
  kCmdNoMulti = 1ULL << 24,
  kCmdMovableKeys = 1ULL << 25,
  kCmdAllowBusy = 1ULL << 26,
};

// ACL categories (Redis's @names, see AclCategoryName).
enum AclCategory : uint64_t {
  kAclKeyspace = 1ULL << 0,
  kAclRead = 1ULL << 1,
  kAclWrite = 1ULL << 2,
  kAclSet = 1ULL << 3,
  kAclSortedSet = 1ULL << 4,
  kAclList = 1ULL << 5,
  kAclHash = 1ULL << 6,
  kAclString = 1ULL << 7,
  kAclBitmap = 1ULL << 8,
  kAclHyperLogLog = 1ULL << 9,
  kAclGeo = 1ULL << 10,
  kAclStream = 1ULL << 11,
  kAclPubSub = 1ULL << 12,
  kAclAdmin = 1ULL << 13,
  kAclFast = 1ULL << 14,
  kAclSlow = 1ULL << 15,
  kAclBlocking = 1ULL << 16,
  kAclDangerous = 1ULL << 17,
  kAclConnection = 1ULL << 18,
  kAclTransaction = 1ULL << 19,
  kAclScripting = 1ULL << 20,
};

// Where a command's keys are: argv[first], argv[first + step], ..., argv[last]
// (last < 0 counts from the end: -1 is the last argument). first == 0: no keys.
struct KeySpec {
  int first = 0;
  int last = 0;
  int step = 0;
};

// INFO commandstats and latencystats, cleared by CONFIG RESETSTAT.
struct CommandStats {
  uint64_t calls = 0;
  uint64_t usec = 0;
  uint64_t rejected_calls = 0;
  uint64_t failed_calls = 0;
  LatencyHistogram latency;  // nanoseconds, fed in whole microseconds as Redis does
};

// Which of a write command's keys it modifies, for WATCH: all of them (DEL, MSET, RENAME,
// LMOVE), only the first (a destination computed from read-only sources: SINTERSTORE, BITOP),
// only the last (SORT ... STORE), or none that the dispatcher can tell (the handler touches
// them itself: MOVE, COPY, which may write another database).
enum class WrittenKeys : uint8_t { kAll, kFirst, kLast, kNone };

struct CommandSpec {
  std::string name;  // lower case; "config|get" style full names are built by the table
  int arity = 0;     // exact argc, or -N for "at least N"
  uint64_t flags = 0;
  KeySpec keys;
  uint64_t acl = 0;
  std::string group;  // "string", "generic", "server", ... as COMMAND DOCS reports
  std::string since;
  std::string summary;
  std::string complexity;
  CommandHandler handler = nullptr;
  std::vector<CommandSpec> subcommands;
  KeyFinder find_keys = nullptr;  // replaces `keys` when set
  WrittenKeys written_keys = WrittenKeys::kAll;

  // Filled in by the table.
  std::string full_name;  // "get", "config|get"
  CommandSpec* parent = nullptr;
  mutable CommandStats stats;

  bool has(uint64_t flag) const { return (flags & flag) != 0; }
};

const char* CommandFlagName(uint64_t flag);
const char* AclCategoryName(uint64_t category);

// Keys in the "numkeys key [key ...]" layout: numkeys at argv[numkeys_index], the keys right
// after it, and optionally a destination key at argv[store_index] (0: none). As Redis's
// genericGetKeys, a numkeys that is not a positive number fitting the arguments gives none.
std::vector<int> NumKeysPositions(std::span<const std::string_view> argv, int numkeys_index,
                                  int store_index);

// The KeyFinder of that layout: NumKeysFinder<1> for LMPOP and SINTERCARD,
// NumKeysFinder<2, 1> for ZUNIONSTORE, ...
template <int kNumKeysIndex, int kStoreIndex = 0>
std::vector<int> NumKeysFinder(std::span<const std::string_view> argv) {
  return NumKeysPositions(argv, kNumKeysIndex, kStoreIndex);
}

// Error replies shared by many commands, with Redis's exact texts.
inline constexpr std::string_view kErrWrongType =
    "WRONGTYPE Operation against a key holding the wrong kind of value";
inline constexpr std::string_view kErrNotInteger = "ERR value is not an integer or out of range";
inline constexpr std::string_view kErrNotFloat = "ERR value is not a valid float";
inline constexpr std::string_view kErrSyntax = "ERR syntax error";
inline constexpr std::string_view kErrNoSuchKey = "ERR no such key";
inline constexpr std::string_view kErrOverflow = "ERR increment or decrement would overflow";
inline constexpr std::string_view kErrDbIndex = "ERR DB index is out of range";

}  // namespace basalt
