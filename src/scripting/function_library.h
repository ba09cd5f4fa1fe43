// FunctionStore: the libraries of FUNCTION LOAD and the functions they registered, compiled
// into one shared Lua engine (LuaEngine::Mode::kFunctions), as Redis 7.0's functions.c.
//
// A library is its code ("#!lua name=<lib>\n..."), run once at load time in the load
// sandbox where it may only call redis.register_function / redis.log; every registered
// function is a Lua function kept in the registry (a luaL_ref) until its library goes.
// Library and function names are unique across the store; loading is all or nothing.
//
// DUMP/RESTORE use Redis's payload: per library the RDB opcode FUNCTION2 and the code as an
// RDB string, inside the DUMP footer of persistence/dump_payload.h, so payloads move between
// Basalt and Redis 7.0 both ways.
#pragma once

#include <lua.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "scripting/lua_engine.h"

namespace basalt {

struct Library;

struct ScriptFunction {
  std::string name;
  std::optional<std::string> description;
  uint32_t flags = 0;  // ScriptFlag
  int ref = LUA_NOREF;
  const Library* library = nullptr;
};

struct Library {
  std::string name;
  std::string engine = "LUA";
  std::string code;  // the whole payload, shebang included (FUNCTION LIST WITHCODE)
  std::map<std::string, ScriptFunction> functions;
};

using LibraryMap = std::map<std::string, std::unique_ptr<Library>>;

class FunctionStore {
 public:
  FunctionStore();
  ~FunctionStore();
  FunctionStore(const FunctionStore&) = delete;
  FunctionStore& operator=(const FunctionStore&) = delete;

  LuaEngine& engine() { return *engine_; }

  // FUNCTION LOAD: on success sets `name` to the library's name. `timeout_ms` bounds the
  // library's load-time code (0: none). Errors are Redis's texts without "ERR ".
  bool Load(std::string_view code, bool replace, int64_t timeout_ms, std::string* name,
            std::string* error);
  // FUNCTION DELETE; false when there is no such library.
  bool Delete(std::string_view library);
  // FUNCTION FLUSH.
  void Flush();

  const LibraryMap& libraries() const { return libraries_; }
  const ScriptFunction* FindFunction(std::string_view name) const;
  size_t function_count() const { return functions_.size(); }

  // FUNCTION DUMP. With `compress` (rdbcompression, on by default as in Redis) long code is
  // LZF-compressed as Redis's rdbSaveRawString does, so the bytes match redis-server's.
  std::string Dump(bool compress = true) const;
  // FUNCTION RESTORE; errors are Redis's texts without "ERR ".
  enum class RestorePolicy { kAppend, kReplace, kFlush };
  bool Restore(std::string_view payload, RestorePolicy policy, std::string* error);

 private:
  // Runs the library code in the load sandbox; the result is linked nowhere yet.
  std::unique_ptr<Library> Compile(std::string_view payload, int64_t timeout_ms,
                                   std::string* name, std::string* error);
  void Link(std::unique_ptr<Library> lib);
  std::unique_ptr<Library> Unlink(const std::string& name);
  void Release(Library& lib);  // unrefs its Lua functions

  // Function names are unique across libraries regardless of case, and FCALL finds them in
  // any case (Redis's functions dict compares case-insensitively); library names are exact.
  struct CaseLess {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const;
  };

  std::unique_ptr<LuaEngine> engine_;
  LibraryMap libraries_;
  std::map<std::string, ScriptFunction*, CaseLess> functions_;
};

// redis.register_function, as FUNCTION LOAD's sandbox exposes it.
int LuaRegisterFunction(lua_State* L);

}  // namespace basalt
