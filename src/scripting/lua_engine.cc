#include "scripting/lua_engine.h"

extern "C" {
#include <lua-bitop.h>
#include <lua-cjson.h>
}

#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>

#include "scripting/lua_cmsgpack.h"
#include "scripting/lua_convert.h"
#include "scripting/lua_redis_api.h"
#include "scripting/lua_struct.h"

namespace basalt {
namespace {

constexpr const char* kRegistryGlobals = "__basalt_globals";      // the real globals
constexpr const char* kRegistryReadonly = "__basalt_readonly";    // weak set of proxies
constexpr const char* kRegistryEnvMeta = "__basalt_env_meta";     // metatable of the env
constexpr const char* kRegistryLoadApi = "__basalt_load_api";     // FUNCTION LOAD's globals
constexpr const char* kRegistryErrHandler = "__basalt_err_handler";
constexpr const char* kReadonlyError = "Attempt to modify a readonly table";

int ReadonlyNewIndex(lua_State* L) { return luaL_error(L, "%s", kReadonlyError); }

int NonexistentGlobal(lua_State* L) {
  if (lua_gettop(L) != 2) {
    return luaL_error(L, "Wrong number of arguments to luaProtectedTableError");
  }
  if (!lua_isstring(L, 2)) {
    return luaL_error(L, "Second argument to luaProtectedTableError must be a string or number");
  }
  return luaL_error(L, "Script attempted to access nonexistent global variable '%s'",
                    lua_tostring(L, 2));
}

// Whether the value at `idx` is one of the read-only proxies.
bool IsReadonly(lua_State* L, int idx) {
  if (!lua_istable(L, idx)) return false;
  idx = idx < 0 ? lua_gettop(L) + idx + 1 : idx;
  lua_getfield(L, LUA_REGISTRYINDEX, kRegistryReadonly);
  lua_pushvalue(L, idx);
  lua_rawget(L, -2);
  bool ro = lua_toboolean(L, -1) != 0;
  lua_pop(L, 2);
  return ro;
}

void MarkReadonly(lua_State* L, int idx) {
  idx = idx < 0 ? lua_gettop(L) + idx + 1 : idx;
  lua_getfield(L, LUA_REGISTRYINDEX, kRegistryReadonly);
  lua_pushvalue(L, idx);
  lua_pushboolean(L, 1);
  lua_rawset(L, -3);
  lua_pop(L, 1);
}

// Replaces the table at the top with a read-only proxy reading through to it.
void WrapReadonly(lua_State* L) {
  lua_newtable(L);                 // target proxy
  lua_newtable(L);                 // target proxy meta
  lua_pushvalue(L, -3);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, ReadonlyNewIndex);
  lua_setfield(L, -2, "__newindex");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, -2);
  MarkReadonly(L, -1);
  lua_replace(L, -2);
}

// setmetatable / rawset: the originals (upvalue 1), refusing the read-only proxies.
int GuardedBuiltin(lua_State* L) {
  if (IsReadonly(L, 1)) {
    lua_pushstring(L, kReadonlyError);
    return lua_error(L);
  }
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
  return lua_gettop(L);
}

void GuardBuiltin(lua_State* L, const char* name) {
  lua_getfield(L, LUA_GLOBALSINDEX, name);
  lua_pushcclosure(L, GuardedBuiltin, 1);
  lua_setfield(L, LUA_GLOBALSINDEX, name);
}

// Redis 7.0's pcall: an error that is an error table ({err=...}) reaches the script as its
// message string, as older versions' string errors did.
int RedisPcall(lua_State* L) {
  int argc = lua_gettop(L);
  luaL_checkany(L, 1);
  lua_pushboolean(L, 1);
  lua_insert(L, 1);
  if (lua_pcall(L, argc - 1, LUA_MULTRET, 0) != 0) {
    lua_remove(L, 1);
    if (lua_istable(L, -1)) {
      lua_getfield(L, -1, "err");
      if (lua_isstring(L, -1)) {
        lua_replace(L, -2);
      } else {
        lua_pop(L, 1);
      }
    }
    lua_pushboolean(L, 0);
    lua_insert(L, 1);
  }
  return lua_gettop(L);
}

// Compiles `code`, pushing the function, or nil and the message (loadstring's results).
// Binary chunks are compiled as text, so they fail as a syntax error, as in Redis's Lua:
// precompiled bytecode is not verified and could break out of the sandbox.
int LoadChunk(lua_State* L, std::string code, const char* chunkname) {
  if (!code.empty() && code[0] == LUA_SIGNATURE[0]) code.insert(0, " ");
  if (luaL_loadbuffer(L, code.data(), code.size(), chunkname) == 0) return 1;
  lua_pushnil(L);
  lua_insert(L, -2);
  return 2;
}

int SafeLoadString(lua_State* L) {
  size_t len = 0;
  const char* s = luaL_checklstring(L, 1, &len);
  const char* chunkname = luaL_optstring(L, 2, s);
  return LoadChunk(L, std::string(s, len), chunkname);
}

int SafeLoad(lua_State* L) {
  luaL_checktype(L, 1, LUA_TFUNCTION);
  const char* chunkname = luaL_optstring(L, 2, "=(load)");
  std::string code;
  while (true) {
    lua_pushvalue(L, 1);
    lua_call(L, 0, 1);
    if (lua_isnil(L, -1)) {
      lua_pop(L, 1);
      break;
    }
    if (!lua_isstring(L, -1)) return luaL_error(L, "reader function must return a string");
    size_t len = 0;
    const char* piece = lua_tolstring(L, -1, &len);
    lua_pop(L, 1);
    if (len == 0) break;
    code.append(piece, len);
  }
  return LoadChunk(L, std::move(code), chunkname);
}

int MathRandom(lua_State* L) {
  auto* rand = static_cast<Rand48*>(lua_touserdata(L, lua_upvalueindex(1)));
  constexpr int32_t kMax = 2147483647;
  lua_Number r = static_cast<lua_Number>(rand->Next() % kMax) / static_cast<lua_Number>(kMax);
  switch (lua_gettop(L)) {
    case 0:
      lua_pushnumber(L, r);
      break;
    case 1: {
      int u = luaL_checkint(L, 1);
      luaL_argcheck(L, 1 <= u, 1, "interval is empty");
      lua_pushnumber(L, std::floor(r * u) + 1);
      break;
    }
    case 2: {
      int l = luaL_checkint(L, 1);
      int u = luaL_checkint(L, 2);
      luaL_argcheck(L, l <= u, 2, "interval is empty");
      lua_pushnumber(L, std::floor(r * (u - l + 1)) + l);
      break;
    }
    default:
      return luaL_error(L, "wrong number of arguments");
  }
  return 1;
}

int MathRandomSeed(lua_State* L) {
  auto* rand = static_cast<Rand48*>(lua_touserdata(L, lua_upvalueindex(1)));
  rand->Seed(luaL_checkint(L, 1));
  return 0;
}

// The error handler of script calls (Redis's __redis__err__handler): names the script line
// that raised the error; for errors raised by a C function (redis.call, error), its caller.
int ErrorHandler(lua_State* L) {
  lua_Debug ar;
  bool have = lua_getstack(L, 1, &ar) != 0 && lua_getinfo(L, "nSl", &ar) != 0;
  if (have && std::strcmp(ar.what, "C") == 0) {
    have = lua_getstack(L, 2, &ar) != 0 && lua_getinfo(L, "nSl", &ar) != 0;
  }
  if (!lua_istable(L, 1)) {
    std::string text;
    switch (lua_type(L, 1)) {
      case LUA_TSTRING:
      case LUA_TNUMBER:
        text = lua_tostring(L, 1);
        break;
      case LUA_TNIL:
        text = "nil";
        break;
      case LUA_TBOOLEAN:
        text = lua_toboolean(L, 1) ? "true" : "false";
        break;
      default: {
        char buf[64];
        std::snprintf(buf, sizeof(buf), "%s: %p", luaL_typename(L, 1), lua_topointer(L, 1));
        text = buf;
      }
    }
    lua_settop(L, 0);
    lua_newtable(L);
    text = "ERR " + text;
    lua_pushlstring(L, text.data(), text.size());
    lua_setfield(L, -2, "err");
  } else {
    lua_settop(L, 1);
  }
  if (have) {
    lua_pushstring(L, ar.source);
    lua_setfield(L, 1, "source");
    lua_pushnumber(L, ar.currentline);
    lua_setfield(L, 1, "line");
  }
  return 1;
}

// Opens a library and makes it the global `name` (Debian's lua-cjson returns its table
// without setting a global).
void OpenLib(lua_State* L, const char* name, lua_CFunction open) {
  lua_pushcfunction(L, open);
  lua_pushstring(L, name);
  lua_call(L, 1, 1);
  if (name[0] != '\0' && lua_istable(L, -1)) {
    lua_setfield(L, LUA_GLOBALSINDEX, name);
  } else {
    lua_pop(L, 1);
  }
}

}  // namespace

int32_t Rand48::Next() {
  x_ = (x_ * 0x5DEECE66DULL + 0xB) & ((1ULL << 48) - 1);
  return static_cast<int32_t>(x_ >> 17);
}

void* LuaRegistryPointer(lua_State* L, const char* key) {
  lua_getfield(L, LUA_REGISTRYINDEX, key);
  void* p = lua_touserdata(L, -1);
  lua_pop(L, 1);
  return p;
}

void SetLuaRegistryPointer(lua_State* L, const char* key, void* ptr) {
  if (ptr == nullptr) {
    lua_pushnil(L);
  } else {
    lua_pushlightuserdata(L, ptr);
  }
  lua_setfield(L, LUA_REGISTRYINDEX, key);
}

int RaiseLuaErrorTable(lua_State* L, std::string_view message) {
  PushLuaErrorTable(L, message);
  return lua_error(L);
}

LuaEngine::LuaEngine(Mode mode) : mode_(mode), L_(luaL_newstate()) {
  LoadLibraries();
  BuildSandbox();
}

LuaEngine::~LuaEngine() { lua_close(L_); }

void LuaEngine::LoadLibraries() {
  lua_State* L = L_;
  OpenLib(L, "", luaopen_base);
  OpenLib(L, LUA_TABLIBNAME, luaopen_table);
  OpenLib(L, LUA_STRLIBNAME, luaopen_string);
  OpenLib(L, LUA_MATHLIBNAME, luaopen_math);
  OpenLib(L, "cjson", luaopen_cjson);
  OpenLib(L, "struct", OpenLuaStruct);
  OpenLib(L, "cmsgpack", OpenLuaCmsgpack);
  OpenLib(L, "bit", luaopen_bit);
  // What Redis keeps out of its globals (its deny list), and what it never loads.
  for (const char* name : {"print", "dofile", "loadfile", "module", "require"}) {
    lua_pushnil(L);
    lua_setfield(L, LUA_GLOBALSINDEX, name);
  }
  lua_pushcfunction(L, RedisPcall);
  lua_setfield(L, LUA_GLOBALSINDEX, "pcall");
  lua_pushcfunction(L, SafeLoadString);
  lua_setfield(L, LUA_GLOBALSINDEX, "loadstring");
  lua_pushcfunction(L, SafeLoad);
  lua_setfield(L, LUA_GLOBALSINDEX, "load");

  lua_getfield(L, LUA_GLOBALSINDEX, "math");
  lua_pushlightuserdata(L, &rand_);
  lua_pushcclosure(L, MathRandom, 1);
  lua_setfield(L, -2, "random");
  lua_pushlightuserdata(L, &rand_);
  lua_pushcclosure(L, MathRandomSeed, 1);
  lua_setfield(L, -2, "randomseed");
  lua_pop(L, 1);

  PushRedisApiTable(L, mode_ == Mode::kEval);
  lua_setfield(L, LUA_GLOBALSINDEX, "redis");

  lua_pushcfunction(L, ErrorHandler);
  lua_setfield(L, LUA_REGISTRYINDEX, kRegistryErrHandler);
}

void LuaEngine::BuildSandbox() {
  lua_State* L = L_;
  // The set of read-only proxies, weak so it never keeps one alive.
  lua_newtable(L);
  lua_newtable(L);
  lua_pushstring(L, "k");
  lua_setfield(L, -2, "__mode");
  lua_setmetatable(L, -2);
  lua_setfield(L, LUA_REGISTRYINDEX, kRegistryReadonly);

  GuardBuiltin(L, "setmetatable");
  GuardBuiltin(L, "rawset");

  for (const char* lib : {"redis", "string", "math", "table", "cjson", "struct", "cmsgpack",
                          "bit", "coroutine"}) {
    lua_getfield(L, LUA_GLOBALSINDEX, lib);
    if (!lua_istable(L, -1)) {
      lua_pop(L, 1);
      continue;
    }
    WrapReadonly(L);
    lua_setfield(L, LUA_GLOBALSINDEX, lib);
  }

  if (mode_ == Mode::kFunctions) {
    // FUNCTION LOAD's globals: `redis` with the load-time calls only; anything else is a
    // nonexistent global.
    lua_newtable(L);
    PushLibraryLoadApiTable(L);
    lua_newtable(L);
    lua_pushcfunction(L, NonexistentGlobal);
    lua_setfield(L, -2, "__index");
    lua_setmetatable(L, -2);
    WrapReadonly(L);
    lua_setfield(L, -2, "redis");
    lua_newtable(L);
    lua_pushcfunction(L, NonexistentGlobal);
    lua_setfield(L, -2, "__index");
    lua_setmetatable(L, -2);
    lua_setfield(L, LUA_REGISTRYINDEX, kRegistryLoadApi);
  }

  // The real globals: reading a missing name is an error.
  lua_pushvalue(L, LUA_GLOBALSINDEX);
  lua_newtable(L);
  lua_pushcfunction(L, NonexistentGlobal);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, -2);
  lua_setfield(L, LUA_REGISTRYINDEX, kRegistryGlobals);

  // The globals scripts see: an empty, read-only table reading through to the real ones.
  lua_newtable(L);  // env
  lua_newtable(L);  // env meta
  lua_getfield(L, LUA_REGISTRYINDEX, kRegistryGlobals);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, ReadonlyNewIndex);
  lua_setfield(L, -2, "__newindex");
  lua_newtable(L);  // what getmetatable(_G) shows: read-only, and not the real globals
  WrapReadonly(L);
  lua_setfield(L, -2, "__metatable");
  lua_pushvalue(L, -1);
  lua_setfield(L, LUA_REGISTRYINDEX, kRegistryEnvMeta);
  lua_setmetatable(L, -2);
  MarkReadonly(L, -1);
  lua_pushvalue(L, -1);
  lua_setfield(L, LUA_GLOBALSINDEX, "_G");
  lua_replace(L, LUA_GLOBALSINDEX);
}

bool LuaEngine::Load(std::string_view code, const char* chunk, std::string* error) {
  if (luaL_loadbuffer(L_, code.data(), code.size(), chunk) != 0) {
    const char* msg = lua_tostring(L_, -1);
    *error = msg != nullptr ? msg : "unknown error";
    lua_pop(L_, 1);
    return false;
  }
  return true;
}

void LuaEngine::SetGlobal(const char* name) {
  lua_getfield(L_, LUA_REGISTRYINDEX, kRegistryGlobals);
  lua_insert(L_, -2);
  lua_setfield(L_, -2, name);  // the real globals have no __newindex
  lua_pop(L_, 1);
}

void LuaEngine::PushErrorHandler() { lua_getfield(L_, LUA_REGISTRYINDEX, kRegistryErrHandler); }

void LuaEngine::SetLoadMode(bool on) {
  lua_getfield(L_, LUA_REGISTRYINDEX, kRegistryEnvMeta);
  lua_getfield(L_, LUA_REGISTRYINDEX, on ? kRegistryLoadApi : kRegistryGlobals);
  lua_setfield(L_, -2, "__index");
  lua_pop(L_, 1);
}

size_t LuaEngine::UsedMemory() const {
  return static_cast<size_t>(lua_gc(L_, LUA_GCCOUNT, 0)) * 1024 +
         static_cast<size_t>(lua_gc(L_, LUA_GCCOUNTB, 0));
}

}  // namespace basalt
