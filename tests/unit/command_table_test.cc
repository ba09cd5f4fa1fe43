// CommandTable::Find: case-insensitive names, and its memo of recent names, which must give the
// same answers as the full lookup whatever order names come in and after a rename.
#include "server/command_table.h"

#include <gtest/gtest.h>

#include <string>

#include "commands/registry.h"

namespace basalt {
namespace {

class CommandTableTest : public ::testing::Test {
 protected:
  void SetUp() override { RegisterAllCommands(table_); }
  CommandTable table_;
};

TEST_F(CommandTableTest, FindIgnoresCase) {
  const CommandSpec* get = table_.Find("get");
  ASSERT_NE(get, nullptr);
  EXPECT_EQ(get->name, "get");
  EXPECT_EQ(table_.Find("GET"), get);
  EXPECT_EQ(table_.Find("gEt"), get);
  EXPECT_EQ(table_.Find("EVALSHA")->name, "evalsha");
  EXPECT_EQ(table_.Find("ZRANGEBYSCORE")->name, "zrangebyscore");  // 13 bytes: long compare
  EXPECT_EQ(table_.Find("nosuchcommand"), nullptr);
  EXPECT_EQ(table_.Find(""), nullptr);
  EXPECT_EQ(table_.Find(std::string(100, 'a')), nullptr);
}

TEST_F(CommandTableTest, RecentNamesGiveWhatTheFullLookupGives) {
  // Names of 1 to 16 bytes and near misses of the same lengths, in an order that keeps
  // replacing and re-hitting the two remembered names.
  const char* names[] = {"INCR", "EVALSHA", "INCR", "EVALSHA", "incr", "INCRBY", "INCR",
                         "SET",  "GET",     "SET",  "GETSET",  "GETDEL", "get",  "ZREVRANGEBYSCORE",
                         "ZREVRANGEBYSCORX", "ZREVRANGEBYSCORE", "INCX", "INCR", "SETX", "SET",
                         "X",    "SET",     "EVAL", "EVALSHA", "EVALSH", "EVAL"};
  for (const char* name : names) {
    CommandTable once;  // looks the name up from scratch
    RegisterAllCommands(once);
    const CommandSpec* expected = once.Find(name);
    const CommandSpec* got = table_.Find(name);
    if (expected == nullptr) {
      EXPECT_EQ(got, nullptr) << name;
    } else {
      ASSERT_NE(got, nullptr) << name;
      EXPECT_EQ(got->full_name, expected->full_name) << name;
    }
  }
}

TEST_F(CommandTableTest, RenameForgetsRecentNames) {
  ASSERT_NE(table_.Find("flushall"), nullptr);
  ASSERT_NE(table_.Find("get"), nullptr);
  ASSERT_TRUE(table_.Rename("flushall", ""));  // rename-command flushall ""
  EXPECT_EQ(table_.Find("flushall"), nullptr);
  EXPECT_NE(table_.Find("get"), nullptr);
  ASSERT_TRUE(table_.Rename("get", "fetch"));
  EXPECT_EQ(table_.Find("get"), nullptr);
  EXPECT_EQ(table_.Find("FETCH")->name, "get");
}

}  // namespace
}  // namespace basalt
