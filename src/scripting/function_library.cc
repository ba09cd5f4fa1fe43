#include "scripting/function_library.h"

#include <strings.h>

#include <chrono>
#include <utility>
#include <vector>

#include "persistence/dump_payload.h"
#include "persistence/rdb_format.h"
#include "scripting/script_flags.h"

namespace basalt {
namespace {

constexpr const char* kBadName =
    "Library names can only contain letters, numbers, or underscores(_) and must be at "
    "least one character long";

int64_t NowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

// What register_function adds to while a library's code runs.
struct LibraryLoad {
  Library* library;
  int64_t start_ms;
  int64_t timeout_ms;
};

void LoadTimeoutHook(lua_State* L, lua_Debug*) {
  auto* load = static_cast<LibraryLoad*>(LuaRegistryPointer(L, kLuaRegistryLoad));
  if (load == nullptr || load->timeout_ms <= 0) return;
  if (NowMs() - load->start_ms > load->timeout_ms) {
    // Every line from now on raises, so a pcall in the library cannot swallow it for good.
    lua_sethook(L, LoadTimeoutHook, LUA_MASKLINE, 0);
    RaiseLuaErrorTable(L, "FUNCTION LOAD timeout");
  }
}

std::string StringAt(lua_State* L, int idx) {
  size_t len = 0;
  const char* s = lua_tolstring(L, idx, &len);
  return std::string(s, len);
}

// Reads the flags array at the top of the stack.
bool ReadFlags(lua_State* L, uint32_t* flags) {
  for (int j = 1;; ++j) {
    lua_pushnumber(L, j);
    lua_gettable(L, -2);
    if (lua_isnil(L, -1)) {
      lua_pop(L, 1);
      return true;
    }
    if (!lua_isstring(L, -1)) {
      lua_pop(L, 1);
      return false;
    }
    uint32_t f = ScriptFlagByName(lua_tostring(L, -1), true);
    lua_pop(L, 1);
    if (f == 0) return false;
    *flags |= f;
  }
}

}  // namespace

int LuaRegisterFunction(lua_State* L) {
  auto* load = static_cast<LibraryLoad*>(LuaRegistryPointer(L, kLuaRegistryLoad));
  if (load == nullptr) {
    return RaiseLuaErrorTable(
        L, "redis.register_function can only be called on FUNCTION LOAD command");
  }
  int argc = lua_gettop(L);
  if (argc < 1 || argc > 2) {
    return RaiseLuaErrorTable(L, "wrong number of arguments to redis.register_function");
  }
  ScriptFunction f;
  bool have_name = false;
  if (argc == 1) {
    if (!lua_istable(L, 1)) {
      return RaiseLuaErrorTable(L,
                                "calling redis.register_function with a single argument is only "
                                "applicable to Lua table (representing named arguments).");
    }
    auto fail = [&](const char* message) {
      if (f.ref != LUA_NOREF) luaL_unref(L, LUA_REGISTRYINDEX, f.ref);
      return RaiseLuaErrorTable(L, message);
    };
    lua_pushnil(L);
    while (lua_next(L, 1)) {
      if (!lua_isstring(L, -2)) {
        return fail("named argument key given to redis.register_function is not a string");
      }
      const char* key = lua_tostring(L, -2);
      if (strcasecmp(key, "function_name") == 0) {
        if (!lua_isstring(L, -1)) {
          return fail("function_name argument given to redis.register_function must be a string");
        }
        f.name = StringAt(L, -1);
        have_name = true;
      } else if (strcasecmp(key, "description") == 0) {
        if (!lua_isstring(L, -1)) {
          return fail("description argument given to redis.register_function must be a string");
        }
        f.description = StringAt(L, -1);
      } else if (strcasecmp(key, "callback") == 0) {
        if (!lua_isfunction(L, -1)) {
          return fail("callback argument given to redis.register_function must be a function");
        }
        if (f.ref != LUA_NOREF) luaL_unref(L, LUA_REGISTRYINDEX, f.ref);
        f.ref = luaL_ref(L, LUA_REGISTRYINDEX);  // pops the value
        continue;
      } else if (strcasecmp(key, "flags") == 0) {
        if (!lua_istable(L, -1)) {
          return fail(
              "flags argument to redis.register_function must be a table representing function "
              "flags");
        }
        if (!ReadFlags(L, &f.flags)) return fail("unknown flag given");
      } else {
        return fail("unknown argument given to redis.register_function");
      }
      lua_pop(L, 1);
    }
    if (!have_name) return fail("redis.register_function must get a function name argument");
    if (f.ref == LUA_NOREF) return fail("redis.register_function must get a callback argument");
  } else {
    if (!lua_isstring(L, 1)) {
      return RaiseLuaErrorTable(L, "first argument to redis.register_function must be a string");
    }
    if (!lua_isfunction(L, 2)) {
      return RaiseLuaErrorTable(L,
                                "second argument to redis.register_function must be a function");
    }
    f.name = StringAt(L, 1);
    lua_pushvalue(L, 2);
    f.ref = luaL_ref(L, LUA_REGISTRYINDEX);
  }
  const char* error = nullptr;
  if (!IsValidFunctionName(f.name)) {
    error = kBadName;
  } else if (load->library->functions.count(f.name) != 0) {
    error = "Function already exists in the library";
  }
  if (error != nullptr) {
    luaL_unref(L, LUA_REGISTRYINDEX, f.ref);
    return RaiseLuaErrorTable(L, error);
  }
  f.library = load->library;
  std::string name = f.name;
  load->library->functions.emplace(std::move(name), std::move(f));
  return 0;
}

bool FunctionStore::CaseLess::operator()(std::string_view a, std::string_view b) const {
  size_t n = a.size() < b.size() ? a.size() : b.size();
  int c = strncasecmp(a.data(), b.data(), n);
  return c != 0 ? c < 0 : a.size() < b.size();
}

FunctionStore::FunctionStore()
    : engine_(std::make_unique<LuaEngine>(LuaEngine::Mode::kFunctions)) {}

FunctionStore::~FunctionStore() = default;  // the engine's lua_close frees every ref

void FunctionStore::Release(Library& lib) {
  for (auto& [name, f] : lib.functions) luaL_unref(engine_->state(), LUA_REGISTRYINDEX, f.ref);
  lib.functions.clear();
}

std::unique_ptr<Library> FunctionStore::Compile(std::string_view payload, int64_t timeout_ms,
                                                std::string* name, std::string* error) {
  LibraryShebang meta = ParseLibraryShebang(payload);
  if (!meta.ok) {
    *error = meta.error;
    return nullptr;
  }
  if (!IsValidFunctionName(meta.name)) {
    *error = kBadName;
    return nullptr;
  }
  if (strcasecmp(meta.engine.c_str(), "lua") != 0) {
    *error = "Engine '" + meta.engine + "' not found";
    return nullptr;
  }
  *name = meta.name;
  auto lib = std::make_unique<Library>();
  lib->name = meta.name;
  lib->code = std::string(payload);

  lua_State* L = engine_->state();
  std::string lua_error;
  if (!engine_->Load(meta.code, "@user_function", &lua_error)) {
    *error = "Error compiling function: " + lua_error;
    return nullptr;
  }
  LibraryLoad load{lib.get(), NowMs(), timeout_ms};
  SetLuaRegistryPointer(L, kLuaRegistryLoad, &load);
  engine_->SetLoadMode(true);
  lua_sethook(L, LoadTimeoutHook, LUA_MASKCOUNT, 100000);
  int rc = lua_pcall(L, 0, 0, 0);
  lua_sethook(L, nullptr, 0, 0);
  engine_->SetLoadMode(false);
  SetLuaRegistryPointer(L, kLuaRegistryLoad, nullptr);
  if (rc != 0) {
    std::string msg;
    if (lua_isstring(L, -1)) {
      msg = "ERR " + StringAt(L, -1);
    } else if (lua_istable(L, -1)) {
      lua_getfield(L, -1, "err");
      if (lua_isstring(L, -1)) msg = StringAt(L, -1);
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
    Release(*lib);
    *error = "Error registering functions: " + msg;
    return nullptr;
  }
  if (lib->functions.empty()) {
    *error = "No functions registered";
    return nullptr;
  }
  return lib;
}

void FunctionStore::Link(std::unique_ptr<Library> lib) {
  for (auto& [name, f] : lib->functions) functions_[name] = &f;
  std::string name = lib->name;
  libraries_[name] = std::move(lib);
}

std::unique_ptr<Library> FunctionStore::Unlink(const std::string& name) {
  auto it = libraries_.find(name);
  if (it == libraries_.end()) return nullptr;
  std::unique_ptr<Library> lib = std::move(it->second);
  libraries_.erase(it);
  for (auto& [fname, f] : lib->functions) functions_.erase(fname);
  return lib;
}

bool FunctionStore::Load(std::string_view code, bool replace, int64_t timeout_ms,
                         std::string* name, std::string* error) {
  // The checks that do not need the code to run come first, as in Redis.
  LibraryShebang meta = ParseLibraryShebang(code);
  if (meta.ok && IsValidFunctionName(meta.name) &&
      strcasecmp(meta.engine.c_str(), "lua") == 0 && !replace &&
      libraries_.count(meta.name) != 0) {
    *error = "Library '" + meta.name + "' already exists";
    return false;
  }
  std::unique_ptr<Library> lib = Compile(code, timeout_ms, name, error);
  if (!lib) return false;
  for (auto& [fname, f] : lib->functions) {
    auto it = functions_.find(fname);
    if (it != functions_.end() && it->second->library->name != lib->name) {
      *error = "Function " + fname + " already exists";
      Release(*lib);
      return false;
    }
  }
  std::unique_ptr<Library> old = Unlink(lib->name);
  if (old) Release(*old);
  Link(std::move(lib));
  return true;
}

bool FunctionStore::Delete(std::string_view library) {
  std::unique_ptr<Library> lib = Unlink(std::string(library));
  if (!lib) return false;
  Release(*lib);
  return true;
}

void FunctionStore::Flush() {
  for (auto& [name, lib] : libraries_) Release(*lib);
  libraries_.clear();
  functions_.clear();
}

const ScriptFunction* FunctionStore::FindFunction(std::string_view name) const {
  auto it = functions_.find(name);
  return it == functions_.end() ? nullptr : it->second;
}

std::string FunctionStore::Dump(bool compress) const {
  std::string out;
  for (const auto& [name, lib] : libraries_) {
    out.push_back(static_cast<char>(kRdbOpFunction2));
    RdbPutString(&out, lib->code, compress);
  }
  AppendDumpFooter(&out);
  return out;
}

bool FunctionStore::Restore(std::string_view payload, RestorePolicy policy, std::string* error) {
  // Redis 7.0 takes function payloads up to its own RDB version only.
  std::optional<std::string_view> body = VerifiedDumpBody(payload, kRdbVersion);
  if (!body) {
    *error = "DUMP payload version or checksum are wrong";
    return false;
  }
  std::vector<std::unique_ptr<Library>> loaded;
  auto discard = [&] {
    for (auto& lib : loaded) Release(*lib);
    return false;
  };
  RdbInput in(*body);
  while (in.remaining() > 0) {
    std::optional<uint8_t> type = in.ReadByte();
    if (!type) {
      *error = "can not read data type";
      return discard();
    }
    if (*type != kRdbOpFunction2 && *type != kRdbOpFunctionPreGa) {
      *error = "given type is not a function";
      return discard();
    }
    std::optional<std::string> code = RdbReadFunctionCode(in, *type, error);
    if (!code) return discard();
    std::string name;
    std::string load_error;
    std::unique_ptr<Library> lib = Compile(*code, 0, &name, &load_error);
    if (!lib) {
      *error = load_error;
      return discard();
    }
    for (const auto& other : loaded) {
      if (other->name == lib->name) {
        *error = "Library '" + lib->name + "' already exists";
        Release(*lib);
        return discard();
      }
    }
    loaded.push_back(std::move(lib));
  }
  if (policy == RestorePolicy::kFlush) {
    Flush();
  } else {
    // All or nothing: check every collision before changing anything.
    for (const auto& lib : loaded) {
      if (policy == RestorePolicy::kAppend && libraries_.count(lib->name) != 0) {
        *error = "Library " + lib->name + " already exists";
        return discard();
      }
    }
    for (const auto& lib : loaded) {
      for (const auto& [fname, f] : lib->functions) {
        auto it = functions_.find(fname);
        bool replaced = it != functions_.end() && policy == RestorePolicy::kReplace &&
                        [&] {
                          for (const auto& l : loaded) {
                            if (l->name == it->second->library->name) return true;
                          }
                          return false;
                        }();
        if (it != functions_.end() && !replaced) {
          *error = "Function " + fname + " already exists";
          return discard();
        }
      }
    }
    for (const auto& lib : loaded) {
      std::unique_ptr<Library> old = Unlink(lib->name);
      if (old) Release(*old);
    }
  }
  for (auto& lib : loaded) Link(std::move(lib));
  return true;
}

}  // namespace basalt
