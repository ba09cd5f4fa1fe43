#include "scripting/lua_struct.h"

#include <gtest/gtest.h>

#include "lua_test_util.h"

namespace basalt {
namespace {

class LuaStructTest : public ::testing::Test {
 protected:
  void SetUp() override {
    L_ = luaL_newstate();
    luaL_openlibs(L_);
    lua_pushcfunction(L_, OpenLuaStruct);
    lua_pushstring(L_, "struct");
    lua_call(L_, 1, 0);
    DefineHex(L_);
  }
  void TearDown() override { lua_close(L_); }
  std::string Run(const std::string& code) { return RunLua(L_, code); }
  lua_State* L_ = nullptr;
};

// Expected bytes are what redis-server 7.0 produces for the same calls.
TEST_F(LuaStructTest, PackMatchesRedis) {
  EXPECT_EQ(Run("return hex(struct.pack('>I2<h', 258, -2))"), "0102feff");
  EXPECT_EQ(Run("return hex(struct.pack('!4 b i', 1, 7))"), "0100000007000000");
  EXPECT_EQ(Run("return hex(struct.pack('bBhHlLTiI3fd', -1, 255, -2, 65535, -3, 4, 5, -6, "
                "70000, 1.5, 2.25))"),
            "fffffefffffffdffffffffffffff04000000000000000500000000000000faffffff7011010000c03f"
            "0000000000000240");
  EXPECT_EQ(Run("return hex(struct.pack('s c3 c0 x', 'ab', 'xyz', 'qq'))"), "61620078797a717100");
  EXPECT_EQ(Run("return hex(struct.pack('>d', -0.1))"), "bfb999999999999a");
}

TEST_F(LuaStructTest, UnpackRoundTrips) {
  EXPECT_EQ(Run("local a, b, c, n = struct.unpack('>I2<hs', struct.pack('>I2<hs', 258, -2, "
                "'hi')) return a .. ',' .. b .. ',' .. c .. ',' .. n"),
            "258,-2,hi,8");
  EXPECT_EQ(Run("local n, s = struct.unpack('bc0', struct.pack('b', 3) .. 'xyzw') "
                "return n .. s"),
            "xyz5");
  EXPECT_EQ(Run("return (struct.unpack('d', struct.pack('d', 1.25)))"), "1.25");
  EXPECT_EQ(Run("return (struct.unpack('i3', struct.pack('i3', -5)))"), "-5");
  EXPECT_EQ(Run("return select(2, struct.unpack('b', 'ab', 2))"), "3");
}

TEST_F(LuaStructTest, SizeAndErrors) {
  EXPECT_EQ(Run("return struct.size('!4 b i d')"), "16");
  EXPECT_EQ(Run("return struct.size('c')"), "1");
  EXPECT_EQ(Run("return struct.unpack('i', 'ab')"),
            "error: test:1: bad argument #2 to 'unpack' (data string too short)");
  EXPECT_EQ(Run("return struct.pack('q', 1)"),
            "error: test:1: bad argument #1 to 'pack' (invalid format option 'q')");
  EXPECT_EQ(Run("return struct.size('s')"),
            "error: test:1: bad argument #1 to 'size' (option 's' has no fixed size)");
  EXPECT_EQ(Run("return struct.pack('i40', 1)"),
            "error: test:1: integral size 40 is larger than limit of 32");
  EXPECT_EQ(Run("return struct.pack('!3', 1)"), "error: test:1: alignment 3 is not a power of 2");
}

}  // namespace
}  // namespace basalt
