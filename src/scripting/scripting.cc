#include "scripting/scripting.h"

#include <algorithm>
#include <string>
#include <vector>

#include "scripting/lua_convert.h"
#include "scripting/script_flags.h"
#include "server/client.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "server/log.h"
#include "server/eviction.h"
#include "server/server.h"
#include "util/strconv.h"

namespace basalt {
namespace {

constexpr std::string_view kNoScriptError = "NOSCRIPT No matching script. Please use EVAL.";
constexpr std::string_view kBusyEval =
    "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
constexpr std::string_view kBusyFunction =
    "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";
// Instructions between two checks of the busy threshold (Redis's value).
constexpr int kHookInstructions = 100000;
// A GC step every this many script runs, instead of full cycles (Redis's LUA_GC_CYCLE_PERIOD).
constexpr uint64_t kGcPeriod = 50;

void CountHook(lua_State* L, lua_Debug*) {
  auto* run = static_cast<ScriptRun*>(LuaRegistryPointer(L, kLuaRegistryRun));
  if (run == nullptr || !run->scripting->Interrupt(*run)) return;
  Log(LogLevel::kWarning, "Lua script killed by user with SCRIPT KILL.");
  // From now on every line raises, so a pcall in the script cannot keep it alive.
  lua_sethook(L, CountHook, LUA_MASKLINE, 0);
  RaiseLuaErrorTable(L, "Script killed by user with SCRIPT KILL...");
}

// Pushes an array of `items` (KEYS, ARGV, or a function's two arguments).
void PushArray(lua_State* L, std::span<const std::string_view> items) {
  lua_createtable(L, static_cast<int>(items.size()), 0);
  for (size_t i = 0; i < items.size(); ++i) {
    lua_pushlstring(L, items[i].data(), items[i].size());
    lua_rawseti(L, -2, static_cast<int>(i + 1));
  }
}

// Parses EVAL/FCALL's numkeys; replies `bad_number` (or the range errors) and returns -1.
int64_t ParseNumKeys(CommandContext& ctx, std::string_view bad_number) {
  std::optional<int64_t> numkeys = ParseInt64(ctx.argv[2]);
  if (!numkeys) {
    ctx.Error(bad_number);
    return -1;
  }
  if (*numkeys > static_cast<int64_t>(ctx.argc()) - 3) {
    ctx.Error("ERR Number of keys can't be greater than number of args");
    return -1;
  }
  if (*numkeys < 0) {
    ctx.Error("ERR Number of keys can't be negative");
    return -1;
  }
  return *numkeys;
}

std::string FieldString(lua_State* L, const char* field, bool* present) {
  lua_getfield(L, -1, field);
  std::string out;
  *present = lua_isstring(L, -1) != 0;
  if (*present) {
    size_t len = 0;
    const char* s = lua_tolstring(L, -1, &len);
    out.assign(s, len);
  }
  lua_pop(L, 1);
  return out;
}

// XREAD / XREADGROUP ... BLOCK ms ... STREAMS: Redis refuses BLOCK from scripts outright
// (rather than answering as on timeout, as MULTI does), for compatibility. Redis checks
// it in XREAD's own parser; it is checked here until the stream commands know scripts.
bool HasBlockOption(const CommandSpec& spec, std::span<const std::string_view> argv) {
  if (spec.name != "xread" && spec.name != "xreadgroup") return false;
  for (size_t i = 1; i + 1 < argv.size(); ++i) {
    if (EqualsIgnoreCase(argv[i], "streams")) return false;
    if (EqualsIgnoreCase(argv[i], "block")) return true;
  }
  return false;
}

}  // namespace

Scripting::Scripting(Server& server)
    : server_(server),
      eval_engine_(std::make_unique<LuaEngine>(LuaEngine::Mode::kEval)),
      functions_(std::make_unique<FunctionStore>()),
      client_(std::make_unique<Client>(&server, -1, 0, ConnKind::kTcp)) {
  client_->addr = "lua";
  client_->authenticated = true;
  client_->deny_blocking = true;  // blocking commands answer at once, as on timeout
  client_->is_script = true;
}

Scripting::~Scripting() = default;

std::string_view Scripting::BusyError() const {
  return run_ != nullptr && !run_->eval_mode ? kBusyFunction : kBusyEval;
}

bool Scripting::LoadScript(std::string_view body, std::string* sha, std::string* error) {
  *sha = ScriptSha(body);
  if (cache_.Find(*sha) != nullptr) return true;
  EvalShebang shebang = ParseEvalShebang(body);
  if (!shebang.ok) {
    *error = shebang.error;
    return false;
  }
  // The shebang line is skipped but its '\n' kept, so line numbers stay the user's.
  std::string lua_error;
  if (!eval_engine_->Load(body.substr(shebang.length), "@user_script", &lua_error)) {
    *error = "Error compiling script (new function): " + lua_error;
    return false;
  }
  lua_State* L = eval_engine_->state();
  lua_setfield(L, LUA_REGISTRYINDEX, ("f_" + *sha).c_str());
  cache_.Add(*sha, CachedScript{std::string(body), shebang.flags});
  return true;
}

bool Scripting::ScriptExists(std::string_view sha) const {
  std::string lower;
  AsciiLower(sha, &lower);
  return cache_.Find(lower) != nullptr;
}

void Scripting::FlushScripts() {
  cache_.Clear();
  eval_engine_ = std::make_unique<LuaEngine>(LuaEngine::Mode::kEval);
}

bool Scripting::MayRun(CommandContext& ctx, uint32_t flags, bool read_only) {
  if ((flags & kScriptEvalCompat) != 0) return true;
  if ((flags & kScriptNoWrites) == 0 && read_only) {
    ctx.Error("ERR Can not execute a script with write flag using *_ro command.");
    return false;
  }
  // A script without allow-oom (no-writes implies it) is a denyoom command: Redis's
  // dispatcher refuses it with the usual OOM error, which is what the caller sees here.
  if (server_.config().maxmemory != 0 && server_.evictor().pre_command_oom() &&
      (flags & (kScriptAllowOom | kScriptNoWrites)) == 0) {
    ctx.Error(kErrOom);
    return false;
  }
  return true;
}

void Scripting::Eval(CommandContext& ctx, bool evalsha, bool read_only) {
  // EVAL is skip_monitor: it is shown here, before the commands it runs.
  if (server_.has_monitors()) server_.FeedMonitors(ctx.client, ctx.argv);
  std::string_view body_or_sha = ctx.argv[1];
  if (evalsha && body_or_sha.size() != 40) return ctx.Error(kNoScriptError);
  int64_t numkeys = ParseNumKeys(ctx, kErrNotInteger);
  if (numkeys < 0) return;
  std::string sha;
  if (evalsha) {
    AsciiLower(body_or_sha, &sha);
  } else {
    sha = ScriptSha(body_or_sha);
  }
  const CachedScript* script = cache_.Find(sha);
  if (script == nullptr) {
    if (evalsha) return ctx.Error(kNoScriptError);
    std::string error;
    if (!LoadScript(body_or_sha, &sha, &error)) return ctx.Error("ERR " + error);
    script = cache_.Find(sha);
  }
  if (!MayRun(ctx, script->flags, read_only)) return;

  ScriptRun run;
  run.name = sha;
  run.eval_mode = true;
  run.flags = (script->flags & kScriptEvalCompat) != 0 ? 0 : script->flags;
  run.read_only =
      read_only || ((script->flags & kScriptEvalCompat) == 0 && (script->flags & kScriptNoWrites));
  lua_State* L = eval_engine_->state();
  eval_engine_->PushErrorHandler();
  lua_getfield(L, LUA_REGISTRYINDEX, ("f_" + sha).c_str());
  auto keys = ctx.argv.subspan(3, static_cast<size_t>(numkeys));
  auto args = ctx.argv.subspan(3 + static_cast<size_t>(numkeys));
  PushArray(L, keys);
  eval_engine_->SetGlobal("KEYS");
  PushArray(L, args);
  eval_engine_->SetGlobal("ARGV");
  Run(ctx, run, *eval_engine_, 0);
}

void Scripting::FCall(CommandContext& ctx, bool read_only) {
  if (server_.has_monitors()) server_.FeedMonitors(ctx.client, ctx.argv);
  const ScriptFunction* f = functions_->FindFunction(ctx.argv[1]);
  if (f == nullptr) return ctx.Error("ERR Function not found");
  int64_t numkeys = ParseNumKeys(ctx, "ERR Bad number of keys provided");
  if (numkeys < 0) return;
  if (!MayRun(ctx, f->flags, read_only)) return;

  ScriptRun run;
  run.name = f->name;
  run.eval_mode = false;
  run.flags = f->flags;
  run.read_only = read_only || (f->flags & kScriptNoWrites) != 0;
  LuaEngine& engine = functions_->engine();
  lua_State* L = engine.state();
  engine.PushErrorHandler();
  lua_rawgeti(L, LUA_REGISTRYINDEX, f->ref);
  PushArray(L, ctx.argv.subspan(3, static_cast<size_t>(numkeys)));
  PushArray(L, ctx.argv.subspan(3 + static_cast<size_t>(numkeys)));
  Run(ctx, run, engine, 2);
}

void Scripting::Run(CommandContext& ctx, ScriptRun& run, LuaEngine& engine, int nargs) {
  lua_State* L = engine.state();
  run.scripting = this;
  run.caller = &ctx.client;
  run.client = client_.get();
  run.start_us = EventLoop::NowUs();
  run.caller_argv.assign(ctx.argv.begin(), ctx.argv.end());

  client_->db_index = ctx.client.db_index;
  client_->reply.set_resp(2);
  client_->reply_buf.clear();

  SetLuaRegistryPointer(L, kLuaRegistryRun, &run);
  const bool hooked = server_.config().busy_reply_threshold > 0;
  if (hooked) lua_sethook(L, CountHook, LUA_MASKCOUNT, kHookInstructions);
  run_ = &run;
  // Time stands still while the script runs, as inside EXEC: no key expires half-way.
  server_.FreezeClock(true);
  int rc = lua_pcall(L, nargs, 1, -(nargs + 2));
  server_.FreezeClock(false);
  if (++gc_counter_ % kGcPeriod == 0) lua_gc(L, LUA_GCSTEP, static_cast<int>(kGcPeriod));

  if (rc != 0) {
    if (!lua_istable(L, -1)) {
      const char* msg = lua_isstring(L, -1) ? lua_tostring(L, -1) : "execution failure";
      ctx.Error("ERR Error running script " + run.name + ", " + std::string(msg).substr(0, 100));
    } else {
      bool has_err = false;
      bool has_source = false;
      bool has_line = false;
      std::string message = FieldString(L, "err", &has_err);
      std::string source = FieldString(L, "source", &has_source);
      std::string line = FieldString(L, "line", &has_line);
      lua_getfield(L, -1, "ignore_error_stats_update");
      const bool counted = lua_toboolean(L, -1) != 0;
      lua_pop(L, 1);
      if (has_source && has_line) {
        message += " script: " + run.name + ", on " + source + ":" + line + ".";
      }
      ctx.Error(message);
      // The error came from a command inside the script and was counted there.
      if (counted) ctx.client.reply_error_counted = true;
    }
    lua_pop(L, 1);
  } else {
    bool counted = false;
    PopLuaAsReply(L, ctx.reply, run.resp, &counted);
    if (counted) ctx.client.reply_error_counted = true;
  }
  if (hooked) lua_sethook(L, nullptr, 0, 0);
  SetLuaRegistryPointer(L, kLuaRegistryRun, nullptr);
  lua_pop(L, 1);  // the error handler
  if (run.timed_out) {
    // The caller's socket was taken out of the loop while others were served.
    Client* caller = run.caller;
    server_.loop().Add(caller->fd, caller);
    if (caller->want_write_event) server_.loop().SetWantWrite(caller->fd, caller, true);
  }
  client_->reply_buf.clear();
  run_ = nullptr;
}

std::string_view Scripting::Call(ScriptRun& run, std::span<const std::string_view> argv,
                                 std::string* error) {
  const CommandSpec* spec = server_.commands().Find(argv[0]);
  if (spec != nullptr && !spec->subcommands.empty() && argv.size() >= 2) {
    spec = CommandTable::FindSubcommand(*spec, argv[1]);
  }
  const int argc = static_cast<int>(argv.size());
  if (spec == nullptr) {
    *error = "Unknown Redis command called from script";
  } else if ((spec->arity > 0 && spec->arity != argc) || argc < -spec->arity) {
    *error = "Wrong number of args calling Redis command from script";
  } else if (spec->has(kCmdNoScript)) {
    *error = "This Redis command is not allowed from script";
  } else if (run.read_only && spec->has(kCmdWrite | kCmdMayReplicate)) {
    *error = "Write commands are not allowed from read-only scripts.";
  } else if (spec->has(kCmdDenyOom) && !run.write_dirty && server_.config().maxmemory != 0 &&
             server_.evictor().pre_command_oom() && (run.flags & kScriptAllowOom) == 0) {
    // Judged by the memory state before the script, and only until it wrote: a script is
    // not failed half-way for memory it may itself have used.
    *error = "-" + std::string(kErrOom);
  }
  if (error->empty() && spec->has(kCmdBlocking) && HasBlockOption(*spec, argv)) {
    *error = spec->full_name + " command is not allowed with BLOCK option from scripts";
  }
  if (!error->empty()) {
    // Counted as a rejected call and an error reply, as Redis's scriptCall does.
    if (spec != nullptr) ++spec->stats.rejected_calls;
    server_.stats().CountErrorReply(((*error)[0] == '-' ? "" : "-ERR ") + *error + "\r\n");
    return {};
  }
  if (spec->has(kCmdWrite)) run.write_dirty = true;
  // The command's effects join the script's batch (flushed, in MULTI/EXEC, when EVAL ends)
  // unless the script turned replication off. AOF and replicas are one target for now:
  // REPL_AOF or REPL_REPLICA alone still propagates to both.
  client_->no_propagation = run.repl_flags == 0;
  client_->reply_buf.clear();
  client_->reply.set_resp(run.resp);
  server_.Execute(client_.get(), argv);
  return client_->reply_buf;
}

bool Scripting::IsCommand(std::span<const std::string_view> argv) const {
  const CommandSpec* spec = server_.commands().Find(argv[0]);
  if (spec != nullptr && !spec->subcommands.empty() && argv.size() >= 2) {
    spec = CommandTable::FindSubcommand(*spec, argv[1]);
  }
  return spec != nullptr;
}

bool Scripting::Interrupt(ScriptRun& run) {
  if (!run.timed_out) {
    int64_t elapsed_ms = (EventLoop::NowUs() - run.start_us) / 1000;
    if (elapsed_ms < server_.config().busy_reply_threshold) return false;
    Log(LogLevel::kWarning,
        "Slow script detected: still in execution after %lld milliseconds. You can try killing "
        "the script using the %s command. Script name is: %s.",
        static_cast<long long>(elapsed_ms), run.eval_mode ? "SCRIPT KILL" : "FUNCTION KILL",
        run.name.c_str());
    run.timed_out = true;
    // The caller must not run its next command (nor be freed) while others are served.
    server_.loop().Remove(run.caller->fd);
  }
  server_.ProcessEventsWhileBlocked();
  // SHUTDOWN NOSAVE during a busy script: the script stops so the server can exit.
  if (server_.loop().stopping()) run.killed = true;
  return run.killed;
}

void Scripting::Kill(CommandContext& ctx, bool eval) {
  if (run_ == nullptr) return ctx.Error("NOTBUSY No scripts in execution right now.");
  if (run_->write_dirty) {
    return ctx.Error(
        "UNKILLABLE Sorry the script already executed write commands against the dataset. You "
        "can either wait the script termination or kill the server in a hard way using the "
        "SHUTDOWN NOSAVE command.");
  }
  if (eval && !run_->eval_mode) return ctx.Error(kBusyFunction);
  if (!eval && run_->eval_mode) return ctx.Error(kBusyEval);
  run_->killed = true;
  ctx.reply.Ok();
}

}  // namespace basalt
