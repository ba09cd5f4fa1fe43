#include "server/command_table.h"

#include <cstdint>
#include <cstring>
#include <optional>

#include "util/strconv.h"

namespace basalt {

namespace {

// ASCII only, as Redis's command and script names: inline, where libc's tolower is a call per
// byte (a 40-byte EVALSHA digest paid 440 instructions for it).
inline char FoldAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c | 0x20) : c; }

// a[0, n) == b[0, n) for sizeof(Word) <= n <= 2 * sizeof(Word): the first and the last Word
// of each side, overlapping when n is not 2 * sizeof(Word).
template <typename Word>
inline bool SameEnds(const char* a, const char* b, size_t n) {
  Word a0, a1, b0, b1;
  std::memcpy(&a0, a, sizeof(Word));
  std::memcpy(&b0, b, sizeof(Word));
  std::memcpy(&a1, a + n - sizeof(Word), sizeof(Word));
  std::memcpy(&b1, b + n - sizeof(Word), sizeof(Word));
  return a0 == b0 && a1 == b1;
}

// a[0, n) == b[0, n) for n <= 16, without a memcmp call (the recent-names check runs once per
// command).
inline bool SameShortBytes(const char* a, const char* b, size_t n) {
  if (n >= 8) return SameEnds<uint64_t>(a, b, n);
  if (n >= 4) return SameEnds<uint32_t>(a, b, n);
  for (size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

}  // namespace

void AsciiLower(std::string_view s, std::string* out) {
  out->resize(s.size());
  for (size_t i = 0; i < s.size(); ++i) (*out)[i] = FoldAscii(s[i]);
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (FoldAscii(a[i]) != FoldAscii(b[i])) return false;
  }
  return true;
}

const char* CommandFlagName(uint64_t flag) {
  switch (flag) {
    case kCmdWrite: return "write";
    case kCmdReadOnly: return "readonly";
    case kCmdDenyOom: return "denyoom";
    case kCmdModule: return "module";
    case kCmdAdmin: return "admin";
    case kCmdPubSub: return "pubsub";
    case kCmdNoScript: return "noscript";
    case kCmdBlocking: return "blocking";
    case kCmdLoading: return "loading";
    case kCmdStale: return "stale";
    case kCmdSkipMonitor: return "skip_monitor";
    case kCmdSkipSlowlog: return "skip_slowlog";
    case kCmdAsking: return "asking";
    case kCmdFast: return "fast";
    case kCmdNoAuth: return "no_auth";
    case kCmdMayReplicate: return "may_replicate";
    case kCmdSentinel: return "sentinel";
    case kCmdOnlySentinel: return "only_sentinel";
    case kCmdNoMandatoryKeys: return "no_mandatory_keys";
    case kCmdProtected: return "protected";
    case kCmdNoAsyncLoading: return "no_async_loading";
    case kCmdNoMulti: return "no_multi";
    case kCmdMovableKeys: return "movablekeys";
    case kCmdAllowBusy: return "allow_busy";
  }
  return nullptr;
}

const char* AclCategoryName(uint64_t category) {
  switch (category) {
    case kAclKeyspace: return "keyspace";
    case kAclRead: return "read";
    case kAclWrite: return "write";
    case kAclSet: return "set";
    case kAclSortedSet: return "sortedset";
    case kAclList: return "list";
    case kAclHash: return "hash";
    case kAclString: return "string";
    case kAclBitmap: return "bitmap";
    case kAclHyperLogLog: return "hyperloglog";
    case kAclGeo: return "geo";
    case kAclStream: return "stream";
    case kAclPubSub: return "pubsub";
    case kAclAdmin: return "admin";
    case kAclFast: return "fast";
    case kAclSlow: return "slow";
    case kAclBlocking: return "blocking";
    case kAclDangerous: return "dangerous";
    case kAclConnection: return "connection";
    case kAclTransaction: return "transaction";
    case kAclScripting: return "scripting";
  }
  return nullptr;
}

void CommandTable::Link(CommandSpec& spec, CommandSpec* parent) {
  spec.parent = parent;
  spec.full_name = parent ? parent->name + "|" + spec.name : spec.name;
  // Redis derives these categories from the flags; rows need not repeat them.
  if (spec.has(kCmdWrite)) spec.acl |= kAclWrite;
  if (spec.has(kCmdReadOnly) && !(spec.acl & kAclScripting)) spec.acl |= kAclRead;
  if (spec.has(kCmdAdmin)) spec.acl |= kAclAdmin | kAclDangerous;
  if (spec.has(kCmdPubSub)) spec.acl |= kAclPubSub;
  if (spec.has(kCmdFast)) spec.acl |= kAclFast;
  if (spec.has(kCmdBlocking)) spec.acl |= kAclBlocking;
  if (!(spec.acl & kAclFast)) spec.acl |= kAclSlow;
  for (CommandSpec& sub : spec.subcommands) Link(sub, &spec);
}

void CommandTable::Register(CommandSpec spec) {
  auto owned = std::make_unique<CommandSpec>(std::move(spec));
  Link(*owned, nullptr);
  by_name_[owned->name] = owned.get();
  commands_.push_back(std::move(owned));
  RebuildIndex();
}

namespace {

// FNV-1a, fed the lower-cased bytes as they are folded.
constexpr uint64_t kFnvOffset = 1469598103934665603ULL;
constexpr uint64_t kFnvPrime = 1099511628211ULL;

}  // namespace

void CommandTable::RebuildIndex() {
  size_t slots = 64;
  while (slots < by_name_.size() * 4) slots *= 2;  // at most 1/4 full: probes stay short
  index_.assign(slots, IndexSlot{});
  for (RecentName& r : recent_) r.spec = nullptr;
  for (const auto& [name, spec] : by_name_) {
    uint64_t hash = kFnvOffset;
    for (char c : name) hash = (hash ^ static_cast<unsigned char>(c)) * kFnvPrime;
    size_t i = hash & (slots - 1);
    while (index_[i].spec != nullptr) i = (i + 1) & (slots - 1);
    index_[i] = IndexSlot{hash, name, spec};
  }
}

bool CommandTable::Rename(std::string_view from, std::string_view to) {
  std::string old_name, new_name;
  AsciiLower(from, &old_name);
  AsciiLower(to, &new_name);
  auto it = by_name_.find(std::string_view(old_name));
  if (it == by_name_.end()) return false;
  CommandSpec* spec = it->second;
  by_name_.erase(it);
  if (!new_name.empty()) by_name_[new_name] = spec;
  RebuildIndex();
  return true;
}

const CommandSpec* CommandTable::Find(std::string_view name) const {
  // A pipeline (and most traffic) repeats a command or two: the bytes of a recent name,
  // compared as they are, cost less than folding and hashing them again.
  for (const RecentName& r : recent_) {
    if (r.spec != nullptr && name.size() == r.len && SameShortBytes(name.data(), r.name, r.len)) {
      return r.spec;
    }
  }
  char buf[64];
  if (name.size() > sizeof(buf) || index_.empty()) return nullptr;
  // This runs for every command: fold (inline; libc's tolower is a call per byte) and hash
  // in one pass, then probe a flat table whose slots keep the hash, so a miss rarely
  // compares names.
  uint64_t hash = kFnvOffset;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    buf[i] = FoldAscii(c);
    hash = (hash ^ static_cast<unsigned char>(buf[i])) * kFnvPrime;
  }
  const std::string_view folded(buf, name.size());
  const size_t mask = index_.size() - 1;
  for (size_t i = hash & mask; index_[i].spec != nullptr; i = (i + 1) & mask) {
    if (index_[i].hash == hash && index_[i].name == folded) {
      if (name.size() <= sizeof(recent_[0].name)) {
        recent_[1] = recent_[0];
        std::memcpy(recent_[0].name, name.data(), name.size());
        recent_[0].len = name.size();
        recent_[0].spec = index_[i].spec;
      }
      return index_[i].spec;
    }
  }
  return nullptr;
}

const CommandSpec* CommandTable::FindSubcommand(const CommandSpec& parent, std::string_view sub) {
  for (const CommandSpec& s : parent.subcommands) {
    if (EqualsIgnoreCase(s.name, sub)) return &s;
  }
  return nullptr;
}

std::vector<int> CommandTable::KeyPositions(const CommandSpec& spec,
                                           std::span<const std::string_view> argv) {
  if (spec.find_keys != nullptr) return spec.find_keys(argv);
  const int argc = static_cast<int>(argv.size());
  std::vector<int> out;
  if (spec.keys.first <= 0) return out;
  int last = spec.keys.last >= 0 ? spec.keys.last : argc + spec.keys.last;
  int step = spec.keys.step > 0 ? spec.keys.step : 1;
  for (int i = spec.keys.first; i <= last && i < argc; i += step) out.push_back(i);
  return out;
}

std::vector<int> CommandTable::WrittenKeyPositions(const CommandSpec& spec,
                                                  std::span<const std::string_view> argv) {
  if (spec.written_keys == WrittenKeys::kNone) return {};
  std::vector<int> positions = KeyPositions(spec, argv);
  if (positions.empty()) return positions;
  switch (spec.written_keys) {
    case WrittenKeys::kFirst: positions.resize(1); break;
    case WrittenKeys::kLast: positions.erase(positions.begin(), positions.end() - 1); break;
    default: break;
  }
  return positions;
}

std::vector<int> NumKeysPositions(std::span<const std::string_view> argv, int numkeys_index,
                                  int store_index) {
  std::vector<int> out;
  const int argc = static_cast<int>(argv.size());
  if (numkeys_index >= argc) return out;
  // atoi, as Redis: a malformed count reads as 0 (and so as no keys).
  std::optional<int64_t> parsed = ParseInt64(argv[numkeys_index]);
  const int64_t numkeys = parsed.value_or(0);
  if (numkeys < 1 || numkeys > argc - numkeys_index - 1) return out;
  if (store_index > 0) out.push_back(store_index);
  for (int i = 0; i < numkeys; ++i) out.push_back(numkeys_index + 1 + i);
  return out;
}

}  // namespace basalt
