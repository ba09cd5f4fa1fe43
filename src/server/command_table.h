// CommandTable: every command the server knows, looked up by name (case-insensitively).
//
// Family files register their rows at startup (see commands/registry.h); after that the
// table is read-only except for per-command stats.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/command.h"

namespace basalt {

class CommandTable {
 public:
  void Register(CommandSpec spec);

  // rename-command: makes the command `from` reachable only as `to` (any case), or not at
  // all when `to` is empty. Returns false when `from` is not a command.
  bool Rename(std::string_view from, std::string_view to);

  // `name` in any case. nullptr when unknown.
  const CommandSpec* Find(std::string_view name) const;
  // The subcommand `sub` (any case) of `parent`, or nullptr.
  static const CommandSpec* FindSubcommand(const CommandSpec& parent, std::string_view sub);

  // Top-level commands in registration order.
  const std::vector<std::unique_ptr<CommandSpec>>& all() const { return commands_; }
  size_t size() const { return commands_.size(); }

  // Key positions of a concrete invocation (argv includes the command name).
  static std::vector<int> KeyPositions(const CommandSpec& spec,
                                       std::span<const std::string_view> argv);
  // The positions of the keys a write command modifies (KeyPositions narrowed by
  // spec.written_keys): what WATCH, blocked clients and keyspace events hear about.
  static std::vector<int> WrittenKeyPositions(const CommandSpec& spec,
                                              std::span<const std::string_view> argv);

 private:
  static void Link(CommandSpec& spec, CommandSpec* parent);

  std::vector<std::unique_ptr<CommandSpec>> commands_;
  struct NameHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, CommandSpec*, NameHash, std::equal_to<>> by_name_;

  // by_name_ as an open-addressed table for Find, rebuilt whenever by_name_ changes (at
  // startup and by rename-command only).
  struct IndexSlot {
    uint64_t hash = 0;
    std::string_view name;  // the key of by_name_, which owns it
    CommandSpec* spec = nullptr;
  };
  void RebuildIndex();
  std::vector<IndexSlot> index_;
  // Find's memo of the last two names it found, in the caller's spelling, most recent first
  // (cleared by RebuildIndex). Two, because a script alternates its own command (EVALSHA)
  // with the one it calls, and a pipeline often alternates two commands.
  struct RecentName {
    char name[16];
    size_t len = 0;
    const CommandSpec* spec = nullptr;
  };
  mutable RecentName recent_[2];
};

// Lower-cases ASCII `s` into `out` (reusing its capacity).
void AsciiLower(std::string_view s, std::string* out);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace basalt
