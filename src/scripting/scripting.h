// Scripting: the server's Lua side: EVAL scripts (their cache and Lua state), FUNCTION
// libraries, the socketless client that redis.call runs commands on, and the script that
// is running now (for SCRIPT KILL, FUNCTION STATS and the -BUSY answers).
//
// Owned by Server (Server::scripting()). Everything runs on the server thread. While a
// script runs past busy-reply-threshold, Interrupt (called from a Lua count hook) lets the
// event loop serve other clients, which the dispatcher answers -BUSY (busy()), except for
// the allow-busy commands such as SCRIPT KILL.
//
// Commands inside a script run through Server::Execute on the script client, in the
// caller's database, with the clock frozen at the script's start; a SELECT inside the
// script changes only the script client. Script effects are not propagated anywhere yet:
// Call() is where a propagation point would collect them.
#pragma once

#include <lua.hpp>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "scripting/function_library.h"
#include "scripting/lua_engine.h"
#include "scripting/script_cache.h"
#include "scripting/script_run.h"

namespace basalt {

class Server;
class Client;
class CommandContext;

class Scripting {
 public:
  explicit Scripting(Server& server);
  ~Scripting();
  Scripting(const Scripting&) = delete;
  Scripting& operator=(const Scripting&) = delete;

  // EVAL / EVALSHA / EVAL_RO / EVALSHA_RO (replies to ctx).
  void Eval(CommandContext& ctx, bool evalsha, bool read_only);
  // FCALL / FCALL_RO.
  void FCall(CommandContext& ctx, bool read_only);

  // SCRIPT LOAD (and EVAL's first run): compiles and caches `body`. Errors without "ERR ".
  bool LoadScript(std::string_view body, std::string* sha, std::string* error);
  // SCRIPT EXISTS: `sha` in any case.
  bool ScriptExists(std::string_view sha) const;
  // SCRIPT FLUSH: forgets every script and starts a fresh Lua state.
  void FlushScripts();
  size_t script_count() const { return cache_.size(); }
  size_t scripts_memory() const { return cache_.memory(); }
  size_t eval_lua_memory() const { return eval_engine_->UsedMemory(); }

  FunctionStore& functions() { return *functions_; }

  // The running script, or nullptr.
  const ScriptRun* running() const { return run_; }
  // A script runs past busy-reply-threshold: other clients get BusyError().
  bool busy() const { return run_ != nullptr && run_->timed_out; }
  std::string_view BusyError() const;
  const Client* script_client() const { return client_.get(); }
  // SCRIPT KILL (`eval`) / FUNCTION KILL.
  void Kill(CommandContext& ctx, bool eval);

  // --- for the redis.* API ---
  // Runs `argv` as the running script's command. Returns its reply (valid until the next
  // call), or sets `error` (Redis's text, without "ERR ") when the script may not run it.
  std::string_view Call(ScriptRun& run, std::span<const std::string_view> argv,
                        std::string* error);
  // Whether `argv` names a command (subcommands resolved) (redis.acl_check_cmd).
  bool IsCommand(std::span<const std::string_view> argv) const;
  // The count hook's check: past the threshold, serves other clients. Returns true when
  // the script must stop (killed, or the server is shutting down).
  bool Interrupt(ScriptRun& run);

 private:
  // Calls the function below `nargs` arguments on the engine's stack (the error handler
  // below it) and replies its result or error to the caller.
  void Run(CommandContext& ctx, ScriptRun& run, LuaEngine& engine, int nargs);
  // Checks the flags of a script about to run (Redis's scriptPrepareForRun); replies the
  // refusal and returns false.
  bool MayRun(CommandContext& ctx, uint32_t flags, bool read_only);

  Server& server_;
  std::unique_ptr<LuaEngine> eval_engine_;
  ScriptCache cache_;
  std::unique_ptr<FunctionStore> functions_;
  std::unique_ptr<Client> client_;
  ScriptRun* run_ = nullptr;
  uint64_t gc_counter_ = 0;
};

}  // namespace basalt
