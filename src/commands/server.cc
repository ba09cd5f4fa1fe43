// The server family: introspection and administration commands, and the table rows of
// every command of the family (the handlers of COMMAND, INFO and DEBUG live in
// command_docs.cc, info.cc and debug.cc; see server_family.h).
//
// CONFIG GET/SET/REWRITE go through the server's ConfigRegistry; CONFIG REWRITE rewrites the
// file the server was started with (RewriteConfigFile in config.h).
#include <sys/time.h>

#include <string>
#include <utility>
#include <vector>

#include "commands/registry.h"
#include "commands/server_family.h"
#include "persistence/snapshot.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "server/log.h"

namespace basalt {
namespace {

// ---- CONFIG --------------------------------------------------------------------------------

// CONFIG GET parameter [parameter ...]: a map of the matching parameters and their values.
void ConfigGet(CommandContext& ctx) {
  std::vector<std::string> patterns(ctx.argv.begin() + 2, ctx.argv.end());
  auto pairs = ctx.server.config_registry().Get(patterns, ctx.server.config());
  ctx.reply.MapHeader(static_cast<int64_t>(pairs.size()));
  for (const auto& [name, value] : pairs) {
    ctx.reply.Bulk(name);
    ctx.reply.Bulk(value);
  }
}

// CONFIG SET parameter value [parameter value ...]: all or nothing.
void ConfigSet(CommandContext& ctx) {
  if (ctx.argc() % 2 != 0) return ctx.Error(kErrSyntax);
  std::vector<std::pair<std::string, std::string>> pairs;
  for (size_t i = 2; i + 1 < ctx.argc(); i += 2) {
    pairs.emplace_back(std::string(ctx.argv[i]), std::string(ctx.argv[i + 1]));
  }
  ConfigRegistry::SetOptions options;
  options.client_is_local = ctx.client.is_local();
  if (auto error = ctx.server.config_registry().Set(pairs, ctx.server.config(), options)) {
    return ctx.Error(*error);
  }
  ctx.reply.Ok();
}

void ConfigResetStat(CommandContext& ctx) {
  ctx.server.ResetStats();
  ctx.reply.Ok();
}

void ConfigRewrite(CommandContext& ctx) {
  const std::string& path = ctx.server.config_file();
  if (path.empty()) return ctx.Error("ERR The server is running without a config file");
  if (auto error = RewriteConfigFile(path, ctx.server.config_registry(), ctx.server.config())) {
    Log(LogLevel::kWarning, "CONFIG REWRITE failed: %s", error->c_str());
    return ctx.Error("ERR Rewriting config file: " + *error);
  }
  Log(LogLevel::kWarning, "CONFIG REWRITE executed with success.");
  ctx.reply.Ok();
}

void ConfigHelp(CommandContext& ctx) {
  static const char* const kLines[] = {
      "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "GET <pattern>",
      "    Return parameters matching the glob-like <pattern> and their values.",
      "SET <directive> <value>",
      "    Set the configuration <directive> to <value>.",
      "RESETSTAT",
      "    Reset statistics reported by the INFO command.",
      "REWRITE",
      "    Rewrite the configuration file.",
      "HELP",
      "    Prints this help.",
  };
  ctx.reply.ArrayHeader(std::size(kLines));
  for (const char* line : kLines) ctx.reply.SimpleString(line);
}

// ---- Small server commands -----------------------------------------------------------------

// TIME: [unix seconds, microseconds] as bulk strings.
void Time(CommandContext& ctx) {
  timeval tv;
  gettimeofday(&tv, nullptr);
  ctx.reply.ArrayHeader(2);
  ctx.reply.BulkInt(tv.tv_sec);
  ctx.reply.BulkInt(tv.tv_usec);
}

// SHUTDOWN [NOSAVE | SAVE] [NOW] [FORCE] [ABORT]
void Shutdown(CommandContext& ctx) {
  bool nosave = false, save = false, now = false, force = false, abort = false;
  for (size_t i = 1; i < ctx.argc(); ++i) {
    std::string_view arg = ctx.argv[i];
    if (EqualsIgnoreCase(arg, "nosave")) {
      nosave = true;
    } else if (EqualsIgnoreCase(arg, "save")) {
      save = true;
    } else if (EqualsIgnoreCase(arg, "now")) {
      now = true;
    } else if (EqualsIgnoreCase(arg, "force")) {
      force = true;
    } else if (EqualsIgnoreCase(arg, "abort")) {
      abort = true;
    } else {
      return ctx.Error(kErrSyntax);
    }
  }
  if ((abort && (nosave || save || now || force)) || (nosave && save)) {
    return ctx.Error(kErrSyntax);
  }
  // A SHUTDOWN command is immediate (no replicas to wait for); what ABORT can cancel is a
  // signal's shutdown that the cron has not started yet.
  if (abort) {
    if (!ctx.server.AbortSignalShutdown()) return ctx.Error("ERR No shutdown in progress.");
    Log(LogLevel::kWarning, "Shutdown manually aborted.");
    return ctx.reply.Ok();
  }
  // Saves when SAVE is given or save points exist (unless NOSAVE); FORCE exits anyway.
  if (!SaveBeforeShutdown(ctx.server, save, nosave, force) && !force) {
    return ctx.Error("ERR Errors trying to SHUTDOWN. Check logs.");
  }
  Log(LogLevel::kWarning, "User requested shutdown...");
  // Like Redis, the client gets no reply: the connection closes as the server exits.
  ctx.server.RequestShutdown();
}

// MONITOR: from now on the client receives every command the server executes.
void Monitor(CommandContext& ctx) {
  if (ctx.client.monitor) return;  // Redis ignores a second MONITOR
  ctx.server.AddMonitor(&ctx.client);
  ctx.reply.Ok();
}

// ---- Table rows ----------------------------------------------------------------------------

constexpr uint64_t kAdminFlags = kCmdAdmin | kCmdNoScript | kCmdLoading | kCmdStale;
constexpr uint64_t kIntrospection = kCmdLoading | kCmdStale;

CommandSpec Sub(std::string name, int arity, uint64_t flags, uint64_t acl, std::string since,
                std::string summary, std::string complexity, CommandHandler handler) {
  return {.name = std::move(name), .arity = arity, .flags = flags, .acl = acl,
          .group = "server", .since = std::move(since), .summary = std::move(summary),
          .complexity = std::move(complexity), .handler = handler};
}

}  // namespace

void RegisterServerCommands(CommandTable& table) {
  const std::string kAllCommands = "O(N) where N is the total number of Redis commands";
  const std::string kPerArg = "O(N) where N is the number of arguments to the command";
  const std::string kPerLookup = "O(N) where N is the number of commands to look up";
  table.Register(
      {.name = "command", .arity = -1, .flags = kIntrospection, .acl = kAclConnection,
       .group = "server", .since = "2.8.13", .summary = "Get array of Redis command details",
       .complexity = kAllCommands, .handler = CommandCommand,
       .subcommands = {
           Sub("count", 2, kIntrospection, kAclConnection, "2.8.13",
               "Get total number of Redis commands", "O(1)", CommandCountCommand),
           Sub("docs", -2, kIntrospection, kAclConnection, "7.0.0",
               "Get array of specific Redis command documentation", kPerLookup,
               CommandDocsCommand),
           Sub("getkeys", -4, kIntrospection, kAclConnection, "2.8.13",
               "Extract keys given a full Redis command", kPerArg, CommandGetKeysCommand),
           Sub("getkeysandflags", -4, kIntrospection, kAclConnection, "7.0.0",
               "Extract keys and access flags given a full Redis command", kPerArg,
               CommandGetKeysAndFlagsCommand),
           Sub("help", 2, kIntrospection, kAclConnection, "5.0.0",
               "Show helpful text about the different subcommands", "O(1)", CommandHelpCommand),
           Sub("info", -2, kIntrospection, kAclConnection, "2.8.13",
               "Get array of specific Redis command details, or all when no argument is given.",
               kPerLookup, CommandInfoCommand),
           Sub("list", -2, kIntrospection, kAclConnection, "7.0.0",
               "Get an array of Redis command names", kAllCommands, CommandListCommand),
       }});

  const std::string kPerParam = "O(N) when N is the number of configuration parameters provided";
  table.Register(
      {.name = "config", .arity = -2, .group = "server", .since = "2.0.0",
       .summary = "A container for server configuration commands",
       .complexity = "Depends on subcommand.", .handler = ConfigHelp,
       .subcommands = {
           Sub("get", -3, kAdminFlags, 0, "2.0.0", "Get the values of configuration parameters",
               kPerParam, ConfigGet),
           Sub("set", -4, kAdminFlags, 0, "2.0.0",
               "Set configuration parameters to the given values", kPerParam, ConfigSet),
           Sub("resetstat", 2, kAdminFlags, 0, "2.0.0", "Reset the stats returned by INFO",
               "O(1)", ConfigResetStat),
           Sub("rewrite", 2, kAdminFlags, 0, "2.8.0",
               "Rewrite the configuration file with the in memory configuration", "O(1)",
               ConfigRewrite),
           Sub("help", 2, kIntrospection, 0, "5.0.0",
               "Show helpful text about the different subcommands", "O(1)", ConfigHelp),
       }});

  table.Register({.name = "info", .arity = -1, .flags = kIntrospection, .acl = kAclDangerous,
                  .group = "server", .since = "1.0.0",
                  .summary = "Get information and statistics about the server",
                  .complexity = "O(1)", .handler = InfoCommand});
  table.Register({.name = "debug", .arity = -2, .flags = kAdminFlags | kCmdProtected,
                  .group = "server",
                  .since = "1.0.0", .summary = "A container for debugging commands",
                  .complexity = "Depends on subcommand.", .handler = DebugCommand});
  table.Register({.name = "monitor", .arity = 1, .flags = kAdminFlags, .group = "server",
                  .since = "1.0.0",
                  .summary = "Listen for all requests received by the server in real time",
                  .handler = Monitor});
  table.Register(
      {.name = "shutdown", .arity = -1,
       .flags = kAdminFlags | kCmdNoMulti | kCmdAllowBusy, .group = "server", .since = "1.0.0",
       .summary = "Synchronously save the dataset to disk and then shut down the server",
       .complexity = "O(N) when saving, where N is the total number of keys in all databases "
                     "when saving data, otherwise O(1)",
       .handler = Shutdown});
  table.Register({.name = "time", .arity = 1, .flags = kIntrospection | kCmdFast,
                  .group = "server", .since = "2.6.0",
                  .summary = "Return the current server time", .complexity = "O(1)",
                  .handler = Time});
}

}  // namespace basalt
