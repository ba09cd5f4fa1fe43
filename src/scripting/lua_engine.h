// LuaEngine: one sandboxed Lua 5.1 interpreter, set up as Redis 7.0 sets up its own.
//
// Loaded libraries: base (without print, dofile, loadfile), table, string, math (random
// replaced by a deterministic rand48), cjson, cmsgpack, struct, bit, and the `redis` API
// (lua_redis_api.h). No os, io, package/require or debug.
//
// Sandbox: Debian's Lua has no "readonly table" patch, so protection is built from proxies.
// The globals a script sees are an empty table whose metatable reads through to the real
// globals and refuses writes ("Attempt to modify a readonly table"); reading a global that
// does not exist raises "Script attempted to access nonexistent global variable 'x'".
// Library tables (redis, string, cjson, ...) are likewise read-through proxies, and the
// setmetatable/rawset builtins refuse those proxies. The real globals stay reachable only
// from C (SetGlobal), which is how EVAL sets KEYS and ARGV.
//
// Mode kFunctions is the FUNCTION engine: its `redis` API lacks the EVAL-only debugging
// calls, and while a library loads (SetLoadMode) global lookups go to the load-time API
// instead: only `redis` with register_function, log, the log levels and the version.
//
// Not thread-safe; one per server per mode.
#pragma once

#include <lua.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace basalt {

// Registry keys (light userdata and tables) shared by the scripting files.
inline constexpr const char* kLuaRegistryRun = "__basalt_run";    // ScriptRun* while running
inline constexpr const char* kLuaRegistryLoad = "__basalt_load";  // LibraryLoad* while loading

// Redis's redisLrand48: the rand48 generator, so math.random gives the same sequence (for
// a seed) on every platform.
class Rand48 {
 public:
  void Seed(int32_t seed) {
    x_ = (static_cast<uint64_t>(static_cast<uint32_t>(seed)) << 16) | 0x330E;
  }
  int32_t Next();  // in [0, 2^31)

 private:
  uint64_t x_ = 0x1234ABCD330EULL;
};

class LuaEngine {
 public:
  enum class Mode { kEval, kFunctions };

  explicit LuaEngine(Mode mode);
  ~LuaEngine();
  LuaEngine(const LuaEngine&) = delete;
  LuaEngine& operator=(const LuaEngine&) = delete;

  lua_State* state() const { return L_; }
  Mode mode() const { return mode_; }

  // Compiles `code` as a chunk named `chunk` ("@user_script"). On success pushes the
  // function and returns true; otherwise sets `error` to Lua's message.
  bool Load(std::string_view code, const char* chunk, std::string* error);
  // Pops the value at the top and stores it as the real global `name` (KEYS, ARGV).
  void SetGlobal(const char* name);
  // Pushes the error handler a script's pcall uses: it turns the error into a table
  // {err=..., source=..., line=...} naming the script line that raised it.
  void PushErrorHandler();
  // kFunctions only: while on, globals resolve to the library-load API.
  void SetLoadMode(bool on);

  // Bytes used by the interpreter (INFO used_memory_lua / used_memory_vm_functions).
  size_t UsedMemory() const;

 private:
  void LoadLibraries();
  void BuildSandbox();

  Mode mode_;
  lua_State* L_;
  Rand48 rand_;
};

// Raises a Lua error whose value is Redis's error table for `message` ("msg" or "-CODE
// msg", see PushLuaErrorTable). Never returns.
int RaiseLuaErrorTable(lua_State* L, std::string_view message);

// The light userdata stored under `key` in the registry (nullptr when unset).
void* LuaRegistryPointer(lua_State* L, const char* key);
void SetLuaRegistryPointer(lua_State* L, const char* key, void* ptr);

}  // namespace basalt
