// Helpers for tests that run Lua snippets against the scripting libraries.
#pragma once

#include <lua.hpp>

#include <string>

namespace basalt {

// Runs `code` (which must return one value) in `L` and returns its result as a string:
// strings as themselves, numbers via %.17g, booleans "true"/"false", nil "nil", errors
// "error: <message>".
inline std::string RunLua(lua_State* L, const std::string& code) {
  if (luaL_loadbuffer(L, code.data(), code.size(), "@test") != 0 || lua_pcall(L, 0, 1, 0) != 0) {
    std::string err = std::string("error: ") + lua_tostring(L, -1);
    lua_pop(L, 1);
    return err;
  }
  std::string out;
  switch (lua_type(L, -1)) {
    case LUA_TSTRING: {
      size_t len = 0;
      const char* s = lua_tolstring(L, -1, &len);
      out.assign(s, len);
      break;
    }
    case LUA_TNUMBER: {
      char buf[64];
      snprintf(buf, sizeof(buf), "%.17g", lua_tonumber(L, -1));
      out = buf;
      break;
    }
    case LUA_TBOOLEAN:
      out = lua_toboolean(L, -1) ? "true" : "false";
      break;
    case LUA_TNIL:
      out = "nil";
      break;
    default:
      out = luaL_typename(L, -1);
  }
  lua_pop(L, 1);
  return out;
}

// A hex() helper defined in the state, for comparing binary strings.
inline void DefineHex(lua_State* L) {
  const char* code =
      "function hex(s) return (s:gsub('.', function(c) return string.format('%02x', "
      "string.byte(c)) end)) end";
  luaL_dostring(L, code);
}

}  // namespace basalt
