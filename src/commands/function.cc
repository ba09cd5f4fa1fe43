// FUNCTION and FCALL/FCALL_RO: the command side of Lua functions (Redis 7.0). Libraries
// live in scripting/function_library.h; running them in scripting/scripting.h.
#include <iterator>
#include <string>

#include "commands/registry.h"
#include "scripting/function_library.h"
#include "scripting/script_flags.h"
#include "scripting/scripting.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "util/glob.h"

namespace basalt {
namespace {

// The longest FUNCTION LOAD may run a library's top-level code (Redis's LOAD_TIMEOUT_MS).
constexpr int64_t kLoadTimeoutMs = 500;

void FCall(CommandContext& ctx) { ctx.server.scripting().FCall(ctx, false); }
void FCallRo(CommandContext& ctx) { ctx.server.scripting().FCall(ctx, true); }

// FUNCTION LOAD [REPLACE] code
void FunctionLoad(CommandContext& ctx) {
  bool replace = false;
  size_t pos = 2;
  while (pos < ctx.argc() - 1) {
    std::string_view arg = ctx.argv[pos++];
    if (EqualsIgnoreCase(arg, "replace")) {
      replace = true;
      continue;
    }
    return ctx.Error("ERR Unknown option given: " + std::string(arg));
  }
  if (pos >= ctx.argc()) return ctx.Error("ERR Function code is missing");
  std::string name;
  std::string error;
  if (!ctx.server.scripting().functions().Load(ctx.argv[pos], replace, kLoadTimeoutMs, &name,
                                               &error)) {
    return ctx.Error("ERR " + error);
  }
  ctx.AddDirty();
  ctx.reply.Bulk(name);
}

// FUNCTION DELETE library
void FunctionDelete(CommandContext& ctx) {
  if (!ctx.server.scripting().functions().Delete(ctx.argv[2])) {
    return ctx.Error("ERR Library not found");
  }
  ctx.AddDirty();
  ctx.reply.Ok();
}

// FUNCTION FLUSH [ASYNC|SYNC]
void FunctionFlush(CommandContext& ctx) {
  if (ctx.argc() > 3) {
    return ctx.Error("ERR unknown subcommand or wrong number of arguments for '" +
                     std::string(ctx.argv[1]) + "'. Try FUNCTION HELP.");
  }
  if ((ctx.argc() == 3 && !EqualsIgnoreCase(ctx.argv[2], "sync") &&
                         !EqualsIgnoreCase(ctx.argv[2], "async"))) {
    return ctx.Error("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
  }
  ctx.server.scripting().functions().Flush();
  ctx.AddDirty();
  ctx.reply.Ok();
}

void ReplyLibrary(CommandContext& ctx, const Library& lib, bool with_code) {
  ReplyBuilder& r = ctx.reply;
  r.MapHeader(with_code ? 4 : 3);
  r.Bulk("library_name");
  r.Bulk(lib.name);
  r.Bulk("engine");
  r.Bulk(lib.engine);
  r.Bulk("functions");
  r.ArrayHeader(static_cast<int64_t>(lib.functions.size()));
  for (const auto& [name, f] : lib.functions) {
    r.MapHeader(3);
    r.Bulk("name");
    r.Bulk(f.name);
    r.Bulk("description");
    if (f.description) {
      r.Bulk(*f.description);
    } else {
      r.Null();
    }
    r.Bulk("flags");
    int64_t count = 0;
    for (const ScriptFlagName& flag : kScriptFlagNames) count += (f.flags & flag.flag) != 0;
    r.SetHeader(count);
    for (const ScriptFlagName& flag : kScriptFlagNames) {
      if ((f.flags & flag.flag) != 0) r.SimpleString(flag.name);
    }
  }
  if (with_code) {
    r.Bulk("library_code");
    r.Bulk(lib.code);
  }
}

// FUNCTION LIST [LIBRARYNAME pattern] [WITHCODE]
void FunctionList(CommandContext& ctx) {
  bool with_code = false;
  bool have_pattern = false;
  std::string_view pattern;
  for (size_t i = 2; i < ctx.argc(); ++i) {
    if (!with_code && EqualsIgnoreCase(ctx.argv[i], "withcode")) {
      with_code = true;
      continue;
    }
    if (!have_pattern && EqualsIgnoreCase(ctx.argv[i], "libraryname")) {
      if (i >= ctx.argc() - 1) return ctx.Error("ERR library name argument was not given");
      pattern = ctx.argv[++i];
      have_pattern = true;
      continue;
    }
    return ctx.Error("ERR Unknown argument " + std::string(ctx.argv[i]));
  }
  const LibraryMap& libs = ctx.server.scripting().functions().libraries();
  int64_t count = 0;
  for (const auto& [name, lib] : libs) {
    count += !have_pattern || GlobMatch(pattern, name, true);
  }
  ctx.reply.ArrayHeader(count);
  for (const auto& [name, lib] : libs) {
    if (!have_pattern || GlobMatch(pattern, name, true)) ReplyLibrary(ctx, *lib, with_code);
  }
}

// FUNCTION STATS
void FunctionStats(CommandContext& ctx) {
  Scripting& scripting = ctx.server.scripting();
  const ScriptRun* run = scripting.running();
  if (run != nullptr && run->eval_mode) return ctx.Error(scripting.BusyError());
  ReplyBuilder& r = ctx.reply;
  r.MapHeader(2);
  r.Bulk("running_script");
  if (run == nullptr) {
    r.Null();
  } else {
    r.MapHeader(3);
    r.Bulk("name");
    r.Bulk(run->name);
    r.Bulk("command");
    r.ArrayHeader(static_cast<int64_t>(run->caller_argv.size()));
    for (const std::string& arg : run->caller_argv) r.Bulk(arg);
    r.Bulk("duration_ms");
    r.Integer((EventLoop::NowUs() - run->start_us) / 1000);
  }
  r.Bulk("engines");
  r.MapHeader(1);
  r.Bulk("LUA");
  r.MapHeader(2);
  r.Bulk("libraries_count");
  r.Integer(static_cast<int64_t>(scripting.functions().libraries().size()));
  r.Bulk("functions_count");
  r.Integer(static_cast<int64_t>(scripting.functions().function_count()));
}

void FunctionKill(CommandContext& ctx) { ctx.server.scripting().Kill(ctx, false); }

// FUNCTION DUMP
void FunctionDump(CommandContext& ctx) {
  // Library code is LZF-compressed as Redis does, unless `rdbcompression no`.
  ctx.reply.Bulk(ctx.server.scripting().functions().Dump(ctx.server.config().rdbcompression));
}

// FUNCTION RESTORE payload [FLUSH|APPEND|REPLACE]
void FunctionRestore(CommandContext& ctx) {
  if (ctx.argc() > 4) {
    return ctx.Error("ERR unknown subcommand or wrong number of arguments for '" +
                     std::string(ctx.argv[1]) + "'. Try FUNCTION HELP.");
  }
  FunctionStore::RestorePolicy policy = FunctionStore::RestorePolicy::kAppend;
  if (ctx.argc() == 4) {
    if (EqualsIgnoreCase(ctx.argv[3], "append")) {
      policy = FunctionStore::RestorePolicy::kAppend;
    } else if (EqualsIgnoreCase(ctx.argv[3], "replace")) {
      policy = FunctionStore::RestorePolicy::kReplace;
    } else if (EqualsIgnoreCase(ctx.argv[3], "flush")) {
      policy = FunctionStore::RestorePolicy::kFlush;
    } else {
      return ctx.Error(
          "ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
    }
  }
  std::string error;
  if (!ctx.server.scripting().functions().Restore(ctx.argv[2], policy, &error)) {
    return ctx.Error("ERR " + error);
  }
  ctx.AddDirty();
  ctx.reply.Ok();
}

void FunctionHelp(CommandContext& ctx) {
  static const char* const kLines[] = {
      "FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "LOAD [REPLACE] <FUNCTION CODE>",
      "    Create a new library with the given library name and code.",
      "DELETE <LIBRARY NAME>",
      "    Delete the given library.",
      "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
      "    Return general information on all the libraries:",
      "    * Library name",
      "    * The engine used to run the Library",
      "    * Library description",
      "    * Functions list",
      "    * Library code (if WITHCODE is given)",
      "    It also possible to get only function that matches a pattern using LIBRARYNAME "
      "argument.",
      "STATS",
      "    Return information about the current function running:",
      "    * Function name",
      "    * Command used to run the function",
      "    * Duration in MS that the function is running",
      "    If no function is running, return nil",
      "    In addition, returns a list of available engines.",
      "KILL",
      "    Kill the current running function.",
      "FLUSH [ASYNC|SYNC]",
      "    Delete all the libraries.",
      "    When called without the optional mode argument, the behavior is determined by the",
      "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
      "    * ASYNC: Asynchronously flush the libraries.",
      "    * SYNC: Synchronously flush the libraries.",
      "DUMP",
      "    Return a serialized payload representing the current libraries, can be restored "
      "using FUNCTION RESTORE command",
      "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
      "    Restore the libraries represented by the given payload, it is possible to give a "
      "restore policy to",
      "    control how to handle existing libraries (default APPEND):",
      "    * FLUSH: delete all existing libraries.",
      "    * APPEND: appends the restored libraries to the existing libraries. On collision, "
      "abort.",
      "    * REPLACE: appends the restored libraries to the existing libraries, On collision, "
      "replace the old",
      "      libraries with the new libraries (notice that even on this option there is a "
      "chance of failure",
      "      in case of functions name collision with another library).",
      "HELP",
      "    Prints this help.",
  };
  ctx.reply.ArrayHeader(static_cast<int64_t>(std::size(kLines)));
  for (const char* line : kLines) ctx.reply.SimpleString(line);
}

CommandSpec Sub(std::string name, int arity, uint64_t flags, std::string summary,
                std::string complexity, CommandHandler handler) {
  return CommandSpec{.name = std::move(name),
                     .arity = arity,
                     .flags = flags,
                     .acl = kAclScripting,
                     .group = "scripting",
                     .since = "7.0.0",
                     .summary = std::move(summary),
                     .complexity = std::move(complexity),
                     .handler = handler,
                     .written_keys = WrittenKeys::kNone};
}

}  // namespace

void RegisterFunctionCommands(CommandTable& table) {
  constexpr uint64_t kCallFlags =
      kCmdNoScript | kCmdStale | kCmdSkipMonitor | kCmdNoMandatoryKeys | kCmdMovableKeys;
  table.Register({.name = "fcall", .arity = -3, .flags = kCallFlags, .acl = kAclScripting,
                  .group = "scripting", .since = "7.0.0", .summary = "Invoke a function",
                  .complexity = "Depends on the function that is executed.", .handler = FCall,
                  .find_keys = NumKeysFinder<2>, .written_keys = WrittenKeys::kNone});
  table.Register({.name = "fcall_ro", .arity = -3, .flags = kCallFlags | kCmdReadOnly,
                  .acl = kAclScripting, .group = "scripting", .since = "7.0.0",
                  .summary = "Invoke a read-only function",
                  .complexity = "Depends on the function that is executed.", .handler = FCallRo,
                  .find_keys = NumKeysFinder<2>, .written_keys = WrittenKeys::kNone});
  table.Register(
      {.name = "function",
       .arity = -2,
       .group = "scripting",
       .since = "7.0.0",
       .summary = "A container for function commands",
       .complexity = "Depends on subcommand.",
       .handler = FunctionHelp,
       .subcommands = {
           Sub("delete", 3, kCmdWrite | kCmdNoScript, "Delete a function by name", "O(1)",
               FunctionDelete),
           Sub("dump", 2, kCmdNoScript, "Dump all functions into a serialized binary payload",
               "O(N) where N is the number of functions", FunctionDump),
           Sub("flush", -2, kCmdWrite | kCmdNoScript, "Deleting all functions",
               "O(N) where N is the number of functions deleted", FunctionFlush),
           Sub("help", 2, kCmdLoading | kCmdStale,
               "Show helpful text about the different subcommands", "O(1)", FunctionHelp),
           Sub("kill", 2, kCmdNoScript | kCmdAllowBusy, "Kill the function currently in execution.",
               "O(1)", FunctionKill),
           Sub("list", -2, kCmdNoScript, "List information about all the functions",
               "O(N) where N is the number of functions", FunctionList),
           Sub("load", -3, kCmdWrite | kCmdDenyOom | kCmdNoScript,
               "Create a function with the given arguments (name, code, description)",
               "O(1) (considering compilation time is redundant)", FunctionLoad),
           Sub("restore", -3, kCmdWrite | kCmdDenyOom | kCmdNoScript,
               "Restore all the functions on the given payload",
               "O(N) where N is the number of functions on the payload", FunctionRestore),
           Sub("stats", 2, kCmdNoScript | kCmdAllowBusy,
               "Return information about the function currently running (name, description, "
               "duration)",
               "O(1)", FunctionStats),
       }});
}

}  // namespace basalt
