// Conversions between replies and Lua values, as Redis 7.0 does them for scripts.
//
// Reply → Lua (what redis.call returns), RESP2: integer → number, bulk → string, null bulk
// and null array → false, array → table, status → {ok=s}, error → {err="CODE msg"}.
// RESP3 additionally: null → nil, boolean → boolean, double → {double=n}, map → {map={..}},
// set → {set={[e]=true}}, big number → {big_number=s}, verbatim → {verbatim_string={
// string=s, format=f}}; attributes are skipped.
//
// Lua → reply (what a script returns): string → bulk, number → integer (truncated), true →
// :1 (or #t when the script chose RESP3), false → null (or #f), nil → null, a table with
// a string `err` → error, `ok` → status, `double`, `big_number`, `verbatim_string`, `map`,
// `set` → their RESP3 types, any other table → array of t[1], t[2], ... up to the first nil.
//
// Both functions need room on the Lua stack and grow it as Redis does; neither raises a
// Lua error, so they are safe to call outside a protected call.
#pragma once

#include <lua.hpp>

#include <string_view>

#include "protocol/reply_builder.h"

namespace basalt {

// Pushes the Lua value of the one reply at the start of `resp` (which must hold a complete
// reply) and returns the bytes it took; returns 0, pushing nothing, if it is malformed.
size_t PushReplyAsLua(lua_State* L, std::string_view resp);

// Pushes Redis's error table {err = "CODE msg"}: `error` is "-CODE msg" (the code is kept),
// or "msg" ("ERR " is prepended); a trailing CR/LF is trimmed.
void PushLuaErrorTable(lua_State* L, std::string_view error);

// Pops the value at the top of `L` and appends it to `reply` as a script's return value.
// `script_resp` is the protocol the script selected with redis.setresp (booleans depend on
// it). `error_counted`, when given, is set if the value is an error table that came from
// a command's reply (already counted in the error stats).
void PopLuaAsReply(lua_State* L, ReplyBuilder& reply, int script_resp,
                   bool* error_counted = nullptr);

}  // namespace basalt
