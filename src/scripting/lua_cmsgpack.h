// The `cmsgpack` library of Redis's Lua: MessagePack encoding of Lua values.
//
//   cmsgpack.pack(v1, v2, ...)               -> the concatenated encodings
//   cmsgpack.unpack(s)                       -> every value encoded in s
//   cmsgpack.unpack_one(s [, offset])        -> next_offset, value
//   cmsgpack.unpack_limit(s, n [, offset])   -> next_offset, up to n values
// (next_offset is -1 once s is consumed; offsets count from 0).
//
// Encoding: nil, booleans; numbers with an integral value as the smallest MessagePack
// integer, others as float 32 when exact, else float 64; strings as str (fixstr, str8/16/32);
// tables whose keys are exactly 1..n as arrays, other tables as maps; tables nested deeper
// than 16 levels, functions and userdata as nil. Decoding accepts every MessagePack type
// but ext (bin becomes a string), raising "Missing bytes in input." on truncated input and
// "Bad data format in input." on unknown bytes.
#pragma once

#include <lua.hpp>

namespace basalt {

// lua_CFunction opening the library as the global `cmsgpack` (call with its name).
int OpenLuaCmsgpack(lua_State* L);

}  // namespace basalt
