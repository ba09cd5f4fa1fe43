// SLOWLOG GET [count] / LEN / RESET / HELP: the server's slow log (server/slowlog.h).
#include "commands/registry.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "util/strconv.h"

namespace basalt {
namespace {

// SLOWLOG GET [count]: the newest `count` entries (10 by default, -1 for all).
void SlowlogGet(CommandContext& ctx) {
  int64_t count = 10;
  if (ctx.argc() == 3) {
    std::optional<int64_t> n = ParseInt64(ctx.argv[2]);
    if (!n || *n < -1) return ctx.Error("ERR count should be greater than or equal to -1");
    count = *n;
  } else if (ctx.argc() > 3) {
    return ctx.Error(kErrSyntax);
  }
  const auto& entries = ctx.server.slowlog().entries();
  size_t n = entries.size();
  if (count >= 0 && static_cast<uint64_t>(count) < n) n = static_cast<size_t>(count);
  ctx.reply.ArrayHeader(static_cast<int64_t>(n));
  for (size_t i = 0; i < n; ++i) {
    const SlowLogEntry& e = entries[i];
    ctx.reply.ArrayHeader(6);
    ctx.reply.Integer(static_cast<int64_t>(e.id));
    ctx.reply.Integer(e.time);
    ctx.reply.Integer(e.duration_us);
    ctx.reply.ArrayHeader(static_cast<int64_t>(e.argv.size()));
    for (const std::string& a : e.argv) ctx.reply.Bulk(a);
    ctx.reply.Bulk(e.peer);
    ctx.reply.Bulk(e.name);
  }
}

void SlowlogLen(CommandContext& ctx) {
  ctx.reply.Integer(static_cast<int64_t>(ctx.server.slowlog().entries().size()));
}

void SlowlogReset(CommandContext& ctx) {
  ctx.server.slowlog().Reset();
  ctx.reply.Ok();
}

void SlowlogHelp(CommandContext& ctx) {
  static constexpr const char* kLines[] = {
      "SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "GET [<count>]",
      "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
      "    Entries are made of:",
      "    id, timestamp, time in microseconds, arguments array, client IP and port,",
      "    client name",
      "LEN",
      "    Return the length of the slowlog.",
      "RESET",
      "    Reset the slowlog.",
      "HELP",
      "    Prints this help.",
  };
  ctx.reply.ArrayHeader(sizeof(kLines) / sizeof(kLines[0]));
  for (const char* line : kLines) ctx.reply.SimpleString(line);
}

}  // namespace

void RegisterSlowlogCommands(CommandTable& table) {
  constexpr uint64_t kAdmin = kCmdAdmin | kCmdLoading | kCmdStale;
  table.Register(
      {.name = "slowlog", .arity = -2, .group = "server", .since = "2.2.12",
       .summary = "A container for slow log commands", .complexity = "Depends on subcommand.",
       .subcommands = {
           {.name = "get", .arity = -2, .flags = kAdmin, .group = "server", .since = "2.2.12",
            .summary = "Get the slow log's entries",
            .complexity = "O(N) where N is the number of entries returned",
            .handler = SlowlogGet},
           {.name = "len", .arity = 2, .flags = kAdmin, .group = "server", .since = "2.2.12",
            .summary = "Get the slow log's length", .complexity = "O(1)",
            .handler = SlowlogLen},
           {.name = "reset", .arity = 2, .flags = kAdmin, .group = "server",
            .since = "2.2.12", .summary = "Clear all entries from the slow log",
            .complexity = "O(N) where N is the number of entries in the slowlog",
            .handler = SlowlogReset},
           {.name = "help", .arity = 2, .flags = kCmdLoading | kCmdStale, .group = "server",
            .since = "6.2.0", .summary = "Show helpful text about the different subcommands",
            .complexity = "O(1)", .handler = SlowlogHelp},
       }});
}

}  // namespace basalt
