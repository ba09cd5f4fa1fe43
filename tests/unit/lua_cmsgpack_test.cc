#include "scripting/lua_cmsgpack.h"

#include <gtest/gtest.h>

#include "lua_test_util.h"

namespace basalt {
namespace {

class LuaCmsgpackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    L_ = luaL_newstate();
    luaL_openlibs(L_);
    lua_pushcfunction(L_, OpenLuaCmsgpack);
    lua_pushstring(L_, "cmsgpack");
    lua_call(L_, 1, 0);
    DefineHex(L_);
  }
  void TearDown() override { lua_close(L_); }
  std::string Run(const std::string& code) { return RunLua(L_, code); }
  lua_State* L_ = nullptr;
};

// Expected bytes are what redis-server 7.0 produces for the same calls.
TEST_F(LuaCmsgpackTest, PackMatchesRedis) {
  EXPECT_EQ(Run("return hex(cmsgpack.pack(1, -1, 127, 128, -33, 300, -300, 70000, -70000, "
                "5000000000, -5000000000))"),
            "01ff7fcc80d0dfcd012cd1fed4ce00011170d2fffeee90cf000000012a05f200d3fffffffed5fa0e"
            "00");
  EXPECT_EQ(Run("return hex(cmsgpack.pack(1.5, 0.1, 'abc', true, false, nil))"),
            "ca3fc00000cb3fb999999999999aa3616263c3c2c0");
  EXPECT_EQ(Run("return hex(cmsgpack.pack({1,2,3}, {a=1}, {}, {[1]=1,[3]=3}))"),
            "9301020381a16101908201010303");
  EXPECT_EQ(Run("return hex(cmsgpack.pack(string.rep('x', 40))):sub(1, 6)"), "d92878");
  EXPECT_EQ(Run("return hex(cmsgpack.pack(string.rep('y', 300))):sub(1, 8)"), "da012c79");
  EXPECT_EQ(Run("return cmsgpack.pack()"),
            "error: test:1: bad argument #0 to 'pack' (MessagePack pack needs input.)");
}

TEST_F(LuaCmsgpackTest, RoundTrips) {
  EXPECT_EQ(Run("local t = cmsgpack.unpack(cmsgpack.pack({1, 'two', {x = 3.5}, false})) "
                "return t[1] .. t[2] .. t[3].x .. tostring(t[4])"),
            "1two3.5false");
  EXPECT_EQ(Run("return select('#', cmsgpack.unpack(cmsgpack.pack(1, 2, 3)))"), "3");
  EXPECT_EQ(Run("return (cmsgpack.unpack(cmsgpack.pack(-5000000000)))"), "-5000000000");
  EXPECT_EQ(Run("local o, v = cmsgpack.unpack_one(cmsgpack.pack(1, 2), 0) return o .. ':' .. v"),
            "1:1");
  EXPECT_EQ(Run("local o, v = cmsgpack.unpack_one(cmsgpack.pack(1, 2), 1) return o .. ':' .. v"),
            "-1:2");
  EXPECT_EQ(Run("local o, a, b = cmsgpack.unpack_limit(cmsgpack.pack(1, 2, 3), 2) "
                "return o .. ':' .. a .. b"),
            "2:12");
}

TEST_F(LuaCmsgpackTest, NestingAndErrors) {
  // Tables deeper than 16 levels become nil.
  EXPECT_EQ(Run("local t = {} local c = t for i = 1, 20 do c[1] = {} c = c[1] end "
                "return hex(cmsgpack.pack(t)):sub(-4)"),
            "91c0");
  EXPECT_EQ(Run("return cmsgpack.unpack(string.char(0x92, 0x01))"),
            "error: test:1: Missing bytes in input.");
  EXPECT_EQ(Run("return cmsgpack.unpack(string.char(0xc1))"),
            "error: test:1: Bad data format in input.");
}

}  // namespace
}  // namespace basalt
