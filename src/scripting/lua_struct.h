// The `struct` library of Redis's Lua: binary packing of numbers and strings.
//
//   struct.pack(fmt, v1, v2, ...)   -> string
//   struct.unpack(fmt, s [, pos])   -> v1, v2, ..., next_pos
//   struct.size(fmt)                -> bytes a fixed-size format takes
//
// Format characters: '<' little endian, '>' big endian, '=' native, '!n' align to n (a
// power of 2; default the platform maximum), ' ' ignored; 'b'/'B' signed/unsigned char,
// 'h'/'H' short, 'l'/'L' long, 'T' size_t, 'i'/'I'[n] n-byte int (default 4, up to 32),
// 'f' float, 'd' double, 'x' one zero byte, 's' zero-terminated string, 'c'[n] n chars
// (pack: 0 or none means the whole string; unpack 'c0': the length is the previous value).
// Integers and floats are aligned to min(size, alignment); alignment starts at 1.
#pragma once

#include <lua.hpp>

namespace basalt {

// lua_CFunction opening the library as the global `struct` (call with its name).
int OpenLuaStruct(lua_State* L);

}  // namespace basalt
