// The keyspace-event table (commands/keyspace_events.h) against the command table: every
// row names a registered write command, and every write command has a row or is one of the
// few that Redis 7.0 gives no event.
#include "commands/keyspace_events.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "commands/registry.h"
#include "server/command_table.h"

namespace basalt {
namespace {

// Write commands that raise no keyspace event in Redis 7.0.
const std::set<std::string> kSilentWrites = {
    "flushdb",       "flushall",       "swapdb",        "xack",
    // FUNCTION changes libraries, not keys.
    "function|load", "function|delete", "function|flush", "function|restore"};

const CommandSpec* FindFull(const CommandTable& table, std::string_view full_name) {
  for (const auto& spec : table.all()) {
    if (spec->full_name == full_name) return spec.get();
    for (const CommandSpec& sub : spec->subcommands) {
      if (sub.full_name == full_name) return &sub;
    }
  }
  return nullptr;
}

TEST(KeyspaceEventsTest, EveryRowNamesAWriteCommand) {
  CommandTable table;
  RegisterAllCommands(table);
  for (const CommandEvents& row : AllCommandEvents()) {
    const CommandSpec* spec = FindFull(table, row.command);
    ASSERT_NE(spec, nullptr) << row.command;
    EXPECT_TRUE(spec->has(kCmdWrite)) << row.command;
    if (row.keys != EventKeys::kHandler) {
      EXPECT_NE(row.event.type_class, 0) << row.command;
      EXPECT_FALSE(row.event.name.empty()) << row.command;
    }
    if (row.keys == EventKeys::kPair) {
      EXPECT_FALSE(row.second.name.empty()) << row.command;
    }
  }
}

TEST(KeyspaceEventsTest, EveryWriteCommandHasARow) {
  CommandTable table;
  RegisterAllCommands(table);
  auto check = [](const CommandSpec& spec) {
    if (!spec.has(kCmdWrite) || kSilentWrites.count(spec.full_name) != 0) return;
    EXPECT_NE(FindCommandEvents(spec.full_name), nullptr) << spec.full_name;
  };
  for (const auto& spec : table.all()) {
    check(*spec);
    for (const CommandSpec& sub : spec->subcommands) check(sub);
  }
}

TEST(KeyspaceEventsTest, RowsAreUniqueAndLookupFindsThem) {
  std::set<std::string_view> seen;
  for (const CommandEvents& row : AllCommandEvents()) {
    EXPECT_TRUE(seen.insert(row.command).second) << row.command;
    EXPECT_EQ(FindCommandEvents(row.command), &row);
  }
  EXPECT_EQ(FindCommandEvents("get"), nullptr);
  EXPECT_EQ(FindCommandEvents("nosuchcommand"), nullptr);
}

TEST(KeyspaceEventsTest, NamesAndClassesAreRedis) {
  EXPECT_EQ(FindCommandEvents("incr")->event.name, "incrby");
  EXPECT_EQ(FindCommandEvents("incr")->event.type_class, kNotifyString);
  EXPECT_EQ(FindCommandEvents("geoadd")->event.name, "zadd");
  EXPECT_EQ(FindCommandEvents("geoadd")->event.type_class, kNotifyZset);
  EXPECT_EQ(FindCommandEvents("sort")->event.name, "sortstore");
  EXPECT_EQ(FindCommandEvents("sort")->event.type_class, kNotifyList);
  EXPECT_EQ(FindCommandEvents("getdel")->event.type_class, kNotifyGeneric);
  EXPECT_EQ(FindCommandEvents("rename")->second.name, "rename_to");
  EXPECT_EQ(kEvNew.type_class, kNotifyNew);
  EXPECT_EQ(kEvExpired.type_class, kNotifyExpired);
}

}  // namespace
}  // namespace basalt
