// ScriptRun: the state of one script or function invocation, from the moment EVAL/FCALL
// accepted it until its reply is sent (Redis's scriptRunCtx).
//
// Lives on the stack of the invoking command; the Lua state points at it (registry
// kLuaRegistryRun) while it runs so redis.* calls reach it, and Scripting points at it so
// SCRIPT KILL, FUNCTION STATS and the busy-script check see it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace basalt {

class Client;
class Scripting;

struct ScriptRun {
  Scripting* scripting = nullptr;
  Client* caller = nullptr;     // the client that sent EVAL/FCALL
  Client* client = nullptr;     // the socketless client redis.call runs commands on
  std::string name;             // the script's sha or the function's name
  std::vector<std::string> caller_argv;  // FUNCTION STATS shows the command
  bool eval_mode = true;        // EVAL (SCRIPT KILL) rather than FCALL (FUNCTION KILL)
  uint32_t flags = 0;           // the ScriptFlags it declared (none in eval compat mode)
  bool read_only = false;       // *_RO, or a no-writes script: writes are refused
  bool write_dirty = false;     // a write command ran: the script can no longer be killed
  bool timed_out = false;       // past busy-reply-threshold: others are answered -BUSY
  bool killed = false;          // SCRIPT/FUNCTION KILL asked to stop it
  int resp = 2;                 // redis.setresp
  int repl_flags = 3;           // redis.set_repl: REPL_NONE stops propagating commands
  int64_t start_us = 0;
};

}  // namespace basalt
