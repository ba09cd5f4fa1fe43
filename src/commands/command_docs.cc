// COMMAND and its subcommands: what the server knows about its commands, generated from the
// command table (the rows the family files register), in Redis 7.0's reply shapes.
//
// COMMAND INFO entry (10 elements; sets are RESP3 sets, plain arrays in RESP2):
//   name, arity, flags (set), first key, last key, step, ACL categories (set of "@cat"),
//   tips (set), key specifications (set of maps), subcommands (array of entries).
// COMMAND DOCS entry: a map summary / since / group / complexity [/ subcommands (a map)].
//
// Key specifications are derived from the row's {first, last, step}: one "index" +
// "range" spec, flagged RO/access for read-only commands and RW/access/update for writes
// (the table does not record Redis's finer per-key flags such as OW or RM).
#include <string>
#include <vector>

#include "commands/server_family.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "util/glob.h"

namespace basalt {
namespace {

// The spec named "name" or "container|sub" (any case), as Redis's lookupCommandBySds.
const CommandSpec* LookupByFullName(const CommandTable& table, std::string_view name) {
  size_t bar = name.find('|');
  if (bar == std::string_view::npos) return table.Find(name);
  std::string_view sub = name.substr(bar + 1);
  if (sub.find('|') != std::string_view::npos) return nullptr;
  const CommandSpec* parent = table.Find(name.substr(0, bar));
  if (parent == nullptr) return nullptr;
  return CommandTable::FindSubcommand(*parent, sub);
}

// Bits of `mask` in ascending order, named by `namer` (nullptr names are skipped).
std::vector<const char*> BitNames(uint64_t mask, const char* (*namer)(uint64_t)) {
  std::vector<const char*> names;
  for (int bit = 0; bit < 64; ++bit) {
    uint64_t flag = 1ULL << bit;
    if ((mask & flag) == 0) continue;
    if (const char* name = namer(flag)) names.push_back(name);
  }
  return names;
}

// Per-key access flags, as COMMAND INFO key specs and GETKEYSANDFLAGS report them.
std::vector<const char*> KeyFlags(const CommandSpec& spec) {
  if (spec.has(kCmdWrite)) return {"RW", "access", "update"};
  return {"RO", "access"};
}

void ReplyStatusSet(ReplyBuilder& reply, const std::vector<const char*>& items) {
  reply.SetHeader(static_cast<int64_t>(items.size()));
  for (const char* item : items) reply.SimpleString(item);
}

void ReplyKeySpecs(ReplyBuilder& reply, const CommandSpec& spec) {
  if (spec.keys.first <= 0) return reply.SetHeader(0);
  reply.SetHeader(1);
  reply.MapHeader(3);
  reply.Bulk("flags");
  ReplyStatusSet(reply, KeyFlags(spec));
  reply.Bulk("begin_search");
  reply.MapHeader(2);
  reply.Bulk("type");
  reply.Bulk("index");
  reply.Bulk("spec");
  reply.MapHeader(1);
  reply.Bulk("index");
  reply.Integer(spec.keys.first);
  reply.Bulk("find_keys");
  reply.MapHeader(2);
  reply.Bulk("type");
  reply.Bulk("range");
  reply.Bulk("spec");
  reply.MapHeader(3);
  reply.Bulk("lastkey");
  // Relative to the first key when counted from the start, from the end otherwise.
  reply.Integer(spec.keys.last >= 0 ? spec.keys.last - spec.keys.first : spec.keys.last);
  reply.Bulk("keystep");
  reply.Integer(spec.keys.step);
  reply.Bulk("limit");
  reply.Integer(0);
}

void ReplyCommandInfo(ReplyBuilder& reply, const CommandSpec& spec) {
  reply.ArrayHeader(10);
  reply.Bulk(spec.full_name);
  reply.Integer(spec.arity);
  // Redis 7.0 keeps `protected` internal: COMMAND INFO does not list it.
  ReplyStatusSet(reply, BitNames(spec.flags & ~kCmdProtected, CommandFlagName));
  bool has_keys = spec.keys.first > 0;
  reply.Integer(has_keys ? spec.keys.first : 0);
  reply.Integer(has_keys ? spec.keys.last : 0);
  reply.Integer(has_keys ? spec.keys.step : 0);
  std::vector<std::string> categories;
  for (const char* name : BitNames(spec.acl, AclCategoryName)) {
    categories.push_back(std::string("@") + name);
  }
  reply.SetHeader(static_cast<int64_t>(categories.size()));
  for (const std::string& c : categories) reply.SimpleString(c);
  reply.SetHeader(0);  // tips: the table has none
  ReplyKeySpecs(reply, spec);
  if (spec.subcommands.empty()) return reply.SetHeader(0);
  reply.ArrayHeader(static_cast<int64_t>(spec.subcommands.size()));
  for (const CommandSpec& sub : spec.subcommands) ReplyCommandInfo(reply, sub);
}

void ReplyCommandDocs(ReplyBuilder& reply, const CommandSpec& spec) {
  int64_t fields = 1 + !spec.summary.empty() + !spec.since.empty() + !spec.complexity.empty() +
                   !spec.subcommands.empty();
  reply.MapHeader(fields);
  if (!spec.summary.empty()) {
    reply.Bulk("summary");
    reply.Bulk(spec.summary);
  }
  if (!spec.since.empty()) {
    reply.Bulk("since");
    reply.Bulk(spec.since);
  }
  reply.Bulk("group");
  reply.Bulk(spec.group);
  if (!spec.complexity.empty()) {
    reply.Bulk("complexity");
    reply.Bulk(spec.complexity);
  }
  if (!spec.subcommands.empty()) {
    reply.Bulk("subcommands");
    reply.MapHeader(static_cast<int64_t>(spec.subcommands.size()));
    for (const CommandSpec& sub : spec.subcommands) {
      reply.Bulk(sub.full_name);
      ReplyCommandDocs(reply, sub);
    }
  }
}

void ReplyAllCommandInfo(CommandContext& ctx) {
  const auto& all = ctx.server.commands().all();
  ctx.reply.ArrayHeader(static_cast<int64_t>(all.size()));
  for (const auto& spec : all) ReplyCommandInfo(ctx.reply, *spec);
}

// The category bit named `name` (any case, without '@'), or 0.
uint64_t AclCategoryByName(std::string_view name) {
  for (int bit = 0; bit < 64; ++bit) {
    const char* cat = AclCategoryName(1ULL << bit);
    if (cat != nullptr && EqualsIgnoreCase(cat, name)) return 1ULL << bit;
  }
  return 0;
}

struct ListFilter {
  enum class Kind { kNone, kModule, kAclCat, kPattern } kind = Kind::kNone;
  std::string_view arg;
  uint64_t category = 0;

  bool Matches(const CommandSpec& spec) const {
    switch (kind) {
      case Kind::kNone:
        return true;
      case Kind::kModule:
        return false;  // Basalt loads no modules
      case Kind::kAclCat:
        return category != 0 && (spec.acl & category) != 0;
      case Kind::kPattern:
        return GlobMatch(arg, spec.full_name, /*nocase=*/true);
    }
    return false;
  }
};

void CollectNames(const CommandSpec& spec, const ListFilter& filter,
                  std::vector<const std::string*>* out) {
  if (filter.Matches(spec)) out->push_back(&spec.full_name);
  for (const CommandSpec& sub : spec.subcommands) CollectNames(sub, filter, out);
}

// COMMAND GETKEYS / GETKEYSANDFLAGS <command> [arg ...]
void GetKeys(CommandContext& ctx, bool with_flags) {
  std::span<const std::string_view> cmd_argv = ctx.argv.subspan(2);
  const CommandSpec* spec = ctx.server.commands().Find(cmd_argv[0]);
  if (spec != nullptr && !spec->subcommands.empty() && cmd_argv.size() >= 2) {
    spec = CommandTable::FindSubcommand(*spec, cmd_argv[1]);
  }
  if (spec == nullptr) return ctx.Error("ERR Invalid command specified");
  if (spec->keys.first <= 0 && !spec->has(kCmdMovableKeys)) {
    return ctx.Error("ERR The command has no key arguments");
  }
  int argc = static_cast<int>(cmd_argv.size());
  if ((spec->arity > 0 && spec->arity != argc) || argc < -spec->arity) {
    return ctx.Error("ERR Invalid number of arguments specified for command");
  }
  std::vector<int> positions = CommandTable::KeyPositions(*spec, cmd_argv);
  if (positions.empty()) {
    if (spec->has(kCmdNoMandatoryKeys)) return ctx.reply.EmptyArray();
    return ctx.Error("ERR Invalid arguments specified for command");
  }
  ctx.reply.ArrayHeader(static_cast<int64_t>(positions.size()));
  for (int pos : positions) {
    if (!with_flags) {
      ctx.reply.Bulk(cmd_argv[pos]);
      continue;
    }
    ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk(cmd_argv[pos]);
    ReplyStatusSet(ctx.reply, KeyFlags(*spec));
  }
}

}  // namespace

// COMMAND
void CommandCommand(CommandContext& ctx) { ReplyAllCommandInfo(ctx); }

// COMMAND COUNT
void CommandCountCommand(CommandContext& ctx) {
  ctx.reply.Integer(static_cast<int64_t>(ctx.server.commands().size()));
}

// COMMAND INFO [command-name ...]
void CommandInfoCommand(CommandContext& ctx) {
  if (ctx.argc() == 2) return ReplyAllCommandInfo(ctx);
  ctx.reply.ArrayHeader(static_cast<int64_t>(ctx.argc() - 2));
  for (size_t i = 2; i < ctx.argc(); ++i) {
    const CommandSpec* spec = LookupByFullName(ctx.server.commands(), ctx.argv[i]);
    if (spec == nullptr) {
      ctx.reply.Null();
    } else {
      ReplyCommandInfo(ctx.reply, *spec);
    }
  }
}

// COMMAND DOCS [command-name ...]: unknown names are left out of the map.
void CommandDocsCommand(CommandContext& ctx) {
  std::vector<const CommandSpec*> found;
  if (ctx.argc() == 2) {
    for (const auto& spec : ctx.server.commands().all()) found.push_back(spec.get());
  } else {
    for (size_t i = 2; i < ctx.argc(); ++i) {
      const CommandSpec* spec = LookupByFullName(ctx.server.commands(), ctx.argv[i]);
      if (spec != nullptr) found.push_back(spec);
    }
  }
  ctx.reply.MapHeader(static_cast<int64_t>(found.size()));
  for (const CommandSpec* spec : found) {
    ctx.reply.Bulk(spec->full_name);
    ReplyCommandDocs(ctx.reply, *spec);
  }
}

// COMMAND LIST [FILTERBY MODULE name | ACLCAT category | PATTERN pattern]
void CommandListCommand(CommandContext& ctx) {
  ListFilter filter;
  for (size_t i = 2; i < ctx.argc(); i += 3) {
    size_t more = ctx.argc() - 1 - i;
    if (!EqualsIgnoreCase(ctx.argv[i], "filterby") || more != 2) return ctx.Error(kErrSyntax);
    std::string_view type = ctx.argv[i + 1];
    if (EqualsIgnoreCase(type, "module")) {
      filter.kind = ListFilter::Kind::kModule;
    } else if (EqualsIgnoreCase(type, "aclcat")) {
      filter.kind = ListFilter::Kind::kAclCat;
      filter.category = AclCategoryByName(ctx.argv[i + 2]);
    } else if (EqualsIgnoreCase(type, "pattern")) {
      filter.kind = ListFilter::Kind::kPattern;
    } else {
      return ctx.Error(kErrSyntax);
    }
    filter.arg = ctx.argv[i + 2];
  }
  std::vector<const std::string*> names;
  for (const auto& spec : ctx.server.commands().all()) CollectNames(*spec, filter, &names);
  ctx.reply.ArrayHeader(static_cast<int64_t>(names.size()));
  for (const std::string* name : names) ctx.reply.Bulk(*name);
}

void CommandGetKeysCommand(CommandContext& ctx) { GetKeys(ctx, false); }
void CommandGetKeysAndFlagsCommand(CommandContext& ctx) { GetKeys(ctx, true); }

// COMMAND HELP
void CommandHelpCommand(CommandContext& ctx) {
  static const char* const kLines[] = {
      "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "(no subcommand)",
      "    Return details about all Redis commands.",
      "COUNT",
      "    Return the total number of commands in this Redis server.",
      "LIST",
      "    Return a list of all commands in this Redis server.",
      "INFO [<command-name> ...]",
      "    Return details about multiple Redis commands.",
      "    If no command names are given, documentation details for all",
      "    commands are returned.",
      "DOCS [<command-name> ...]",
      "    Return documentation details about multiple Redis commands.",
      "    If no command names are given, documentation details for all",
      "    commands are returned.",
      "GETKEYS <full-command>",
      "    Return the keys from a full Redis command.",
      "GETKEYSANDFLAGS <full-command>",
      "    Return the keys and the access flags from a full Redis command.",
      "HELP",
      "    Prints this help.",
  };
  ctx.reply.ArrayHeader(std::size(kLines));
  for (const char* line : kLines) ctx.reply.SimpleString(line);
}

}  // namespace basalt
