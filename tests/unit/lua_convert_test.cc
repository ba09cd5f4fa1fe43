#include "scripting/lua_convert.h"

#include <gtest/gtest.h>

#include <string>

#include "lua_test_util.h"

namespace basalt {
namespace {

class LuaConvertTest : public ::testing::Test {
 protected:
  void SetUp() override {
    L_ = luaL_newstate();
    luaL_openlibs(L_);
    // show(v): a compact rendering of a converted value, tables with sorted keys.
    luaL_dostring(L_,
                  "function show(v) if type(v) ~= 'table' then return tostring(v) end "
                  "local keys = {} for k in pairs(v) do keys[#keys + 1] = k end "
                  "table.sort(keys, function(a, b) return tostring(a) < tostring(b) end) "
                  "local parts = {} for _, k in ipairs(keys) do "
                  "parts[#parts + 1] = tostring(k) .. '=' .. show(v[k]) end "
                  "return '{' .. table.concat(parts, ',') .. '}' end");
  }
  void TearDown() override { lua_close(L_); }

  // Converts `resp` and renders the Lua value.
  std::string FromReply(const std::string& resp) {
    size_t used = PushReplyAsLua(L_, resp);
    if (used == 0) return "malformed";
    EXPECT_EQ(used, resp.size());
    lua_setglobal(L_, "value");
    return RunLua(L_, "return show(value)");
  }

  // Evaluates `expr` in Lua and converts the result to a reply.
  std::string ToReply(const std::string& expr, int client_resp = 2, int script_resp = 2) {
    std::string code = "return " + expr;
    EXPECT_EQ(luaL_dostring(L_, code.c_str()), 0);
    std::string out;
    ReplyBuilder reply(&out);
    reply.set_resp(client_resp);
    PopLuaAsReply(L_, reply, script_resp);
    EXPECT_EQ(lua_gettop(L_), 0);
    return out;
  }

  lua_State* L_ = nullptr;
};

TEST_F(LuaConvertTest, Resp2RepliesToLua) {
  EXPECT_EQ(FromReply(":42\r\n"), "42");
  EXPECT_EQ(FromReply("$3\r\nfoo\r\n"), "foo");
  EXPECT_EQ(FromReply("$-1\r\n"), "false");
  EXPECT_EQ(FromReply("*-1\r\n"), "false");
  EXPECT_EQ(FromReply("+OK\r\n"), "{ok=OK}");
  EXPECT_EQ(FromReply("-WRONGTYPE Operation\r\n"),
            "{err=WRONGTYPE Operation,ignore_error_stats_update=true}");
  EXPECT_EQ(FromReply("*3\r\n:1\r\n$1\r\na\r\n*1\r\n$-1\r\n"), "{1=1,2=a,3={1=false}}");
  EXPECT_EQ(FromReply("*2\r\n:1\r\n"), "malformed");
}

TEST_F(LuaConvertTest, Resp3RepliesToLua) {
  EXPECT_EQ(FromReply("_\r\n"), "nil");
  EXPECT_EQ(FromReply("#t\r\n"), "true");
  EXPECT_EQ(FromReply(",3.5\r\n"), "{double=3.5}");
  EXPECT_EQ(FromReply("(12345678901234567890\r\n"), "{big_number=12345678901234567890}");
  EXPECT_EQ(FromReply("%1\r\n$1\r\nk\r\n:2\r\n"), "{map={k=2}}");
  EXPECT_EQ(FromReply("~2\r\n$1\r\na\r\n$1\r\nb\r\n"), "{set={a=true,b=true}}");
  EXPECT_EQ(FromReply("=7\r\ntxt:abc\r\n"), "{verbatim_string={format=txt,string=abc}}");
  // Attributes are skipped.
  EXPECT_EQ(FromReply("|1\r\n$1\r\nx\r\n:1\r\n:5\r\n"), "5");
}

TEST_F(LuaConvertTest, LuaToReply) {
  EXPECT_EQ(ToReply("'hi'"), "$2\r\nhi\r\n");
  EXPECT_EQ(ToReply("3.99"), ":3\r\n");
  EXPECT_EQ(ToReply("-3.99"), ":-3\r\n");
  EXPECT_EQ(ToReply("true"), ":1\r\n");
  EXPECT_EQ(ToReply("false"), "$-1\r\n");
  EXPECT_EQ(ToReply("false", 3), "_\r\n");
  EXPECT_EQ(ToReply("false", 3, 3), "#f\r\n");
  EXPECT_EQ(ToReply("true", 2, 3), ":1\r\n");
  EXPECT_EQ(ToReply("nil"), "$-1\r\n");
  EXPECT_EQ(ToReply("{1, 2, nil, 4}"), "*2\r\n:1\r\n:2\r\n");
  EXPECT_EQ(ToReply("{err = 'MYERR bad\\nthing'}"), "-MYERR bad thing\r\n");
  EXPECT_EQ(ToReply("{ok = 'fine'}"), "+fine\r\n");
  EXPECT_EQ(ToReply("{double = 1.5}"), "$3\r\n1.5\r\n");
  EXPECT_EQ(ToReply("{double = 1.5}", 3), ",1.5\r\n");
  EXPECT_EQ(ToReply("{map = {a = 1}}", 3), "%1\r\n$1\r\na\r\n:1\r\n");
  EXPECT_EQ(ToReply("{map = {a = 1}}"), "*2\r\n$1\r\na\r\n:1\r\n");
  EXPECT_EQ(ToReply("{set = {x = true}}", 3), "~1\r\n$1\r\nx\r\n");
  EXPECT_EQ(ToReply("{big_number = '123'}", 3), "(123\r\n");
  EXPECT_EQ(ToReply("{verbatim_string = {format = 'txt', string = 'hey'}}", 3),
            "=7\r\ntxt:hey\r\n");
  EXPECT_EQ(ToReply("{{1}, {'a', {true}}}"), "*2\r\n*1\r\n:1\r\n*2\r\n$1\r\na\r\n*1\r\n:1\r\n");
}

TEST_F(LuaConvertTest, ErrorTables) {
  PushLuaErrorTable(L_, "-NOSCRIPT No matching script\r\n");
  lua_setglobal(L_, "value");
  EXPECT_EQ(RunLua(L_, "return show(value)"), "{err=NOSCRIPT No matching script}");
  PushLuaErrorTable(L_, "plain message");
  lua_setglobal(L_, "value");
  EXPECT_EQ(RunLua(L_, "return show(value)"), "{err=ERR plain message}");
  PushLuaErrorTable(L_, "-NOSPACE");
  lua_setglobal(L_, "value");
  EXPECT_EQ(RunLua(L_, "return show(value)"), "{err=ERR NOSPACE}");
}

}  // namespace
}  // namespace basalt
