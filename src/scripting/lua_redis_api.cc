#include "scripting/lua_redis_api.h"

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "scripting/function_library.h"
#include "scripting/lua_convert.h"
#include "scripting/lua_engine.h"
#include "scripting/script_cache.h"
#include "scripting/script_run.h"
#include "scripting/scripting.h"
#include "server/log.h"
#include "server/version.h"

namespace basalt {
namespace {

ScriptRun* RunningScript(lua_State* L) {
  return static_cast<ScriptRun*>(LuaRegistryPointer(L, kLuaRegistryRun));
}

// Redis's REDIS_VERSION_NUM: 0x00MMmmpp.
double VersionNum() {
  int major = 0;
  int minor = 0;
  int patch = 0;
  std::sscanf(kRedisCompatVersion, "%d.%d.%d", &major, &minor, &patch);
  return static_cast<double>((major << 16) | (minor << 8) | patch);
}

// The arguments of redis.call and friends as strings; numbers print as "%.17g" (Lua's own
// conversion would lose precision). Pops them. On a bad argument pushes the error table
// and returns false.
bool CollectArgs(lua_State* L, std::vector<std::string>* args) {
  int argc = lua_gettop(L);
  if (argc == 0) {
    PushLuaErrorTable(L, "Please specify at least one argument for this redis lib call");
    return false;
  }
  args->clear();
  args->reserve(static_cast<size_t>(argc));
  bool ok = true;
  for (int j = 1; j <= argc; ++j) {
    if (lua_type(L, j) == LUA_TNUMBER) {
      char buf[64];
      int n = std::snprintf(buf, sizeof(buf), "%.17g", static_cast<double>(lua_tonumber(L, j)));
      args->emplace_back(buf, static_cast<size_t>(n));
      continue;
    }
    size_t len = 0;
    const char* s = lua_tolstring(L, j, &len);
    if (s == nullptr) {
      ok = false;
      break;
    }
    args->emplace_back(s, len);
  }
  lua_pop(L, argc);
  if (!ok) {
    PushLuaErrorTable(L, "Lua redis lib command arguments must be strings or integers");
    return false;
  }
  return true;
}

int GenericCommand(lua_State* L, bool raise_error) {
  ScriptRun* run = RunningScript(L);
  if (run == nullptr) {
    return RaiseLuaErrorTable(L, "redis.call/pcall can only be called inside a script invocation");
  }
  std::vector<std::string> args;
  if (!CollectArgs(L, &args)) return raise_error ? lua_error(L) : 1;
  std::vector<std::string_view> argv(args.begin(), args.end());
  std::string error;
  std::string_view reply = run->scripting->Call(*run, argv, &error);
  if (!error.empty()) {
    PushLuaErrorTable(L, error);
    lua_pushboolean(L, 1);
    lua_setfield(L, -2, "ignore_error_stats_update");
    return raise_error ? lua_error(L) : 1;
  }
  if (PushReplyAsLua(L, reply) == 0) {
    PushLuaErrorTable(L, "failed to parse the command's reply");
    return raise_error ? lua_error(L) : 1;
  }
  if (raise_error && !reply.empty() && reply[0] == '-') return lua_error(L);
  return 1;
}

int RedisCall(lua_State* L) { return GenericCommand(L, true); }
int RedisPCall(lua_State* L) { return GenericCommand(L, false); }

int RedisSha1Hex(lua_State* L) {
  if (lua_gettop(L) != 1) return RaiseLuaErrorTable(L, "wrong number of arguments");
  size_t len = 0;
  const char* s = lua_tolstring(L, 1, &len);
  std::string hex = ScriptSha(std::string_view(s == nullptr ? "" : s, s == nullptr ? 0 : len));
  lua_pushlstring(L, hex.data(), hex.size());
  return 1;
}

int RedisErrorReply(lua_State* L) {
  if (lua_gettop(L) != 1 || lua_type(L, -1) != LUA_TSTRING) {
    PushLuaErrorTable(L, "wrong number or type of arguments");
    return 1;
  }
  size_t len = 0;
  const char* s = lua_tolstring(L, 1, &len);
  std::string err(s, len);
  if (err.empty() || err[0] != '-') err.insert(0, "-");
  PushLuaErrorTable(L, err);
  return 1;
}

int RedisStatusReply(lua_State* L) {
  if (lua_gettop(L) != 1 || lua_type(L, -1) != LUA_TSTRING) {
    PushLuaErrorTable(L, "wrong number or type of arguments");
    return 1;
  }
  lua_newtable(L);
  lua_pushvalue(L, 1);
  lua_setfield(L, -2, "ok");
  return 1;
}

int RedisSetRepl(lua_State* L) {
  ScriptRun* run = RunningScript(L);
  if (run == nullptr) {
    return RaiseLuaErrorTable(L, "redis.set_repl can only be called inside a script invocation");
  }
  if (lua_gettop(L) != 1) return RaiseLuaErrorTable(L, "redis.set_repl() requires two arguments.");
  int flags = static_cast<int>(lua_tonumber(L, -1));
  if ((flags & ~3) != 0) {
    return RaiseLuaErrorTable(
        L, "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
  }
  // Kept for the day script effects propagate to AOF and replicas (not built yet).
  run->repl_flags = flags;
  return 0;
}

int RedisAclCheckCmd(lua_State* L) {
  ScriptRun* run = RunningScript(L);
  if (run == nullptr) {
    return RaiseLuaErrorTable(L,
                              "redis.acl_check_cmd can only be called inside a script invocation");
  }
  std::vector<std::string> args;
  if (!CollectArgs(L, &args)) return lua_error(L);
  std::vector<std::string_view> argv(args.begin(), args.end());
  if (!run->scripting->IsCommand(argv)) {
    return RaiseLuaErrorTable(L, "Invalid command passed to redis.acl_check_cmd()");
  }
  // One user with every permission until ACL users exist.
  lua_pushboolean(L, 1);
  return 1;
}

int RedisLog(lua_State* L) {
  int argc = lua_gettop(L);
  if (argc < 2) return RaiseLuaErrorTable(L, "redis.log() requires two arguments or more.");
  if (!lua_isnumber(L, 1)) {
    return RaiseLuaErrorTable(L, "First argument must be a number (log level).");
  }
  int level = static_cast<int>(lua_tonumber(L, 1));
  if (level < static_cast<int>(LogLevel::kDebug) || level > static_cast<int>(LogLevel::kWarning)) {
    return RaiseLuaErrorTable(L, "Invalid debug level.");
  }
  std::string message;
  for (int j = 2; j <= argc; ++j) {
    size_t len = 0;
    const char* s = lua_tolstring(L, j, &len);
    if (s == nullptr) continue;
    if (j != 2) message.push_back(' ');
    message.append(s, len);
  }
  Log(static_cast<LogLevel>(level), "%s", message.c_str());
  return 0;
}

int RedisSetResp(lua_State* L) {
  ScriptRun* run = RunningScript(L);
  if (run == nullptr) {
    return RaiseLuaErrorTable(L, "redis.setresp can only be called inside a script invocation");
  }
  if (lua_gettop(L) != 1) return RaiseLuaErrorTable(L, "redis.setresp() requires one argument.");
  int resp = static_cast<int>(lua_tonumber(L, 1));
  if (resp != 2 && resp != 3) return RaiseLuaErrorTable(L, "RESP version must be 2 or 3.");
  run->resp = resp;
  return 0;
}

// The debugger (SCRIPT DEBUG) is not built: breakpoint reports "not stopped", debug logs
// nowhere, as Redis does outside a debugging session.
int RedisBreakpoint(lua_State* L) {
  lua_pushboolean(L, 0);
  return 1;
}
int RedisDebug(lua_State*) { return 0; }
int RedisReplicateCommands(lua_State* L) {
  lua_pushboolean(L, 1);
  return 1;
}

void SetFunction(lua_State* L, const char* name, lua_CFunction f) {
  lua_pushcfunction(L, f);
  lua_setfield(L, -2, name);
}

void SetNumber(lua_State* L, const char* name, double v) {
  lua_pushnumber(L, v);
  lua_setfield(L, -2, name);
}

void AddLogAndVersion(lua_State* L) {
  SetFunction(L, "log", RedisLog);
  SetNumber(L, "LOG_DEBUG", static_cast<int>(LogLevel::kDebug));
  SetNumber(L, "LOG_VERBOSE", static_cast<int>(LogLevel::kVerbose));
  SetNumber(L, "LOG_NOTICE", static_cast<int>(LogLevel::kNotice));
  SetNumber(L, "LOG_WARNING", static_cast<int>(LogLevel::kWarning));
  SetNumber(L, "REDIS_VERSION_NUM", VersionNum());
  lua_pushstring(L, kRedisCompatVersion);
  lua_setfield(L, -2, "REDIS_VERSION");
}

}  // namespace

void PushRedisApiTable(lua_State* L, bool eval_mode) {
  lua_newtable(L);
  SetFunction(L, "call", RedisCall);
  SetFunction(L, "pcall", RedisPCall);
  AddLogAndVersion(L);
  SetFunction(L, "setresp", RedisSetResp);
  SetFunction(L, "sha1hex", RedisSha1Hex);
  SetFunction(L, "error_reply", RedisErrorReply);
  SetFunction(L, "status_reply", RedisStatusReply);
  SetFunction(L, "set_repl", RedisSetRepl);
  SetNumber(L, "REPL_NONE", 0);
  SetNumber(L, "REPL_AOF", 1);
  SetNumber(L, "REPL_SLAVE", 2);
  SetNumber(L, "REPL_REPLICA", 2);
  SetNumber(L, "REPL_ALL", 3);
  SetFunction(L, "acl_check_cmd", RedisAclCheckCmd);
  if (eval_mode) {
    SetFunction(L, "breakpoint", RedisBreakpoint);
    SetFunction(L, "debug", RedisDebug);
    SetFunction(L, "replicate_commands", RedisReplicateCommands);
  }
}

void PushLibraryLoadApiTable(lua_State* L) {
  lua_newtable(L);
  SetFunction(L, "register_function", LuaRegisterFunction);
  AddLogAndVersion(L);
}

}  // namespace basalt
