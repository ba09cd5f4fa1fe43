// EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT: the command side of Lua scripting. The
// engine is in src/scripting/ (scripting.h); handlers here parse and delegate.
#include <iterator>
#include <string>

#include "commands/registry.h"
#include "scripting/scripting.h"
#include "server/command_context.h"
#include "server/command_table.h"

namespace basalt {
namespace {

void Eval(CommandContext& ctx) { ctx.server.scripting().Eval(ctx, false, false); }
void EvalSha(CommandContext& ctx) { ctx.server.scripting().Eval(ctx, true, false); }
void EvalRo(CommandContext& ctx) { ctx.server.scripting().Eval(ctx, false, true); }
void EvalShaRo(CommandContext& ctx) { ctx.server.scripting().Eval(ctx, true, true); }

// SCRIPT EXISTS sha1 [sha1 ...]
void ScriptExists(CommandContext& ctx) {
  Scripting& scripting = ctx.server.scripting();
  ctx.reply.ArrayHeader(static_cast<int64_t>(ctx.argc() - 2));
  for (size_t i = 2; i < ctx.argc(); ++i) ctx.reply.Integer(scripting.ScriptExists(ctx.argv[i]));
}

// SCRIPT FLUSH [ASYNC|SYNC]: both free at once (the scripts are small).
void ScriptFlush(CommandContext& ctx) {
  if (ctx.argc() > 3 || (ctx.argc() == 3 && !EqualsIgnoreCase(ctx.argv[2], "sync") &&
                         !EqualsIgnoreCase(ctx.argv[2], "async"))) {
    return ctx.Error("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
  }
  ctx.server.scripting().FlushScripts();
  ctx.reply.Ok();
}

// SCRIPT LOAD script
void ScriptLoad(CommandContext& ctx) {
  std::string sha;
  std::string error;
  if (!ctx.server.scripting().LoadScript(ctx.argv[2], &sha, &error)) {
    return ctx.Error("ERR " + error);
  }
  ctx.reply.Bulk(sha);
}

void ScriptKill(CommandContext& ctx) { ctx.server.scripting().Kill(ctx, true); }

// SCRIPT DEBUG YES|SYNC|NO. The Lua debugger (LDB) is not built: every mode is accepted
// and scripts keep running normally, without a debugging session.
void ScriptDebug(CommandContext& ctx) {
  if (EqualsIgnoreCase(ctx.argv[2], "no") || EqualsIgnoreCase(ctx.argv[2], "yes") ||
      EqualsIgnoreCase(ctx.argv[2], "sync")) {
    return ctx.reply.Ok();
  }
  ctx.Error("ERR Use SCRIPT DEBUG YES/SYNC/NO");
}

void ScriptHelp(CommandContext& ctx) {
  static const char* const kLines[] = {
      "SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "DEBUG (YES|SYNC|NO)",
      "    Set the debug mode for subsequent scripts executed.",
      "EXISTS <sha1> [<sha1> ...]",
      "    Return information about the existence of the scripts in the script cache.",
      "FLUSH [ASYNC|SYNC]",
      "    Flush the Lua scripts cache. Very dangerous on replicas.",
      "    When called without the optional mode argument, the behavior is determined by the",
      "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
      "    * ASYNC: Asynchronously flush the scripts cache.",
      "    * SYNC: Synchronously flush the scripts cache.",
      "KILL",
      "    Kill the currently executing Lua script.",
      "LOAD <script>",
      "    Load a script into the scripts cache without executing it.",
      "HELP",
      "    Prints this help.",
  };
  ctx.reply.ArrayHeader(static_cast<int64_t>(std::size(kLines)));
  for (const char* line : kLines) ctx.reply.SimpleString(line);
}

CommandSpec Sub(std::string name, int arity, uint64_t flags, std::string since,
                std::string summary, std::string complexity, CommandHandler handler) {
  return CommandSpec{.name = std::move(name),
                     .arity = arity,
                     .flags = flags,
                     .acl = kAclScripting,
                     .group = "scripting",
                     .since = std::move(since),
                     .summary = std::move(summary),
                     .complexity = std::move(complexity),
                     .handler = handler};
}

}  // namespace

void RegisterScriptingCommands(CommandTable& table) {
  constexpr uint64_t kEvalFlags =
      kCmdNoScript | kCmdStale | kCmdSkipMonitor | kCmdNoMandatoryKeys | kCmdMovableKeys;
  struct EvalRow {
    const char* name;
    uint64_t flags;
    const char* since;
    const char* summary;
    CommandHandler handler;
  };
  const EvalRow rows[] = {
      {"eval", kEvalFlags, "2.6.0", "Execute a Lua script server side", Eval},
      {"evalsha", kEvalFlags, "2.6.0", "Execute a Lua script server side", EvalSha},
      {"eval_ro", kEvalFlags | kCmdReadOnly, "7.0.0", "Execute a read-only Lua script server side",
       EvalRo},
      {"evalsha_ro", kEvalFlags | kCmdReadOnly, "7.0.0",
       "Execute a read-only Lua script server side", EvalShaRo},
  };
  for (const EvalRow& row : rows) {
    table.Register({.name = row.name, .arity = -3, .flags = row.flags, .acl = kAclScripting,
                    .group = "scripting", .since = row.since, .summary = row.summary,
                    .complexity = "Depends on the script that is executed.",
                    .handler = row.handler, .find_keys = NumKeysFinder<2>,
                    // The script's writes are signalled by the commands it runs.
                    .written_keys = WrittenKeys::kNone});
  }
  table.Register(
      {.name = "script",
       .arity = -2,
       .group = "scripting",
       .since = "2.6.0",
       .summary = "A container for Lua scripts management commands",
       .complexity = "Depends on subcommand.",
       .handler = ScriptHelp,
       .subcommands = {
           Sub("debug", 3, kCmdNoScript, "3.2.0", "Set the debug mode for executed scripts.",
               "O(1)", ScriptDebug),
           Sub("exists", -3, kCmdNoScript, "2.6.0",
               "Check existence of scripts in the script cache.",
               "O(N) with N being the number of scripts to check (so checking a single script "
               "is an O(1) operation).",
               ScriptExists),
           Sub("flush", -2, kCmdNoScript, "2.6.0", "Remove all the scripts from the script cache.",
               "O(N) with N being the number of scripts in cache", ScriptFlush),
           Sub("help", 2, kCmdLoading | kCmdStale, "5.0.0",
               "Show helpful text about the different subcommands", "O(1)", ScriptHelp),
           Sub("kill", 2, kCmdNoScript | kCmdAllowBusy, "2.6.0",
               "Kill the script currently in execution.", "O(1)", ScriptKill),
           Sub("load", 3, kCmdNoScript | kCmdStale, "2.6.0",
               "Load the specified Lua script into the script cache.",
               "O(N) with N being the length in bytes of the script body.", ScriptLoad),
       }});
}

}  // namespace basalt
