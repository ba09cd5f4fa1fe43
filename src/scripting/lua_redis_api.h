// The `redis` table Lua scripts and functions call into, with Redis 7.0's names, argument
// checks and error texts: call, pcall, log and LOG_*, setresp, sha1hex, error_reply,
// status_reply, set_repl and REPL_*, acl_check_cmd, REDIS_VERSION(_NUM); for EVAL also
// breakpoint, debug and replicate_commands (no debugger: they do nothing).
//
// Functions that need a running script find it through the registry (kLuaRegistryRun);
// without one they raise Redis's "... can only be called inside a script invocation".
#pragma once

#include <lua.hpp>

namespace basalt {

// Pushes a new table holding the runtime API.
void PushRedisApiTable(lua_State* L, bool eval_mode);

// Pushes a new table holding the API a library sees while FUNCTION LOAD runs it:
// register_function, log and the LOG_* levels, REDIS_VERSION(_NUM).
void PushLibraryLoadApiTable(lua_State* L);

}  // namespace basalt
