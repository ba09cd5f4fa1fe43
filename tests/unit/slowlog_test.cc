#include "server/slowlog.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace basalt {
namespace {

std::vector<std::string_view> Views(const std::vector<std::string>& args) {
  return std::vector<std::string_view>(args.begin(), args.end());
}

TEST(SlowLogTest, RecordsNewestFirstWithIncreasingIds) {
  SlowLog log;
  std::vector<std::string> a = {"set", "k", "v"};
  std::vector<std::string> b = {"get", "k"};
  log.MaybeRecord(Views(a), 5, 0, 10, "127.0.0.1:1", "name", 100);
  log.MaybeRecord(Views(b), 7, 0, 10, "127.0.0.1:1", "", 101);
  ASSERT_EQ(log.entries().size(), 2u);
  EXPECT_EQ(log.entries()[0].id, 1u);
  EXPECT_EQ(log.entries()[0].argv, b);
  EXPECT_EQ(log.entries()[0].time, 101);
  EXPECT_EQ(log.entries()[1].id, 0u);
  EXPECT_EQ(log.entries()[1].name, "name");
  EXPECT_EQ(log.entries()[1].duration_us, 5);
}

TEST(SlowLogTest, ThresholdAndMaxLen) {
  SlowLog log;
  std::vector<std::string> a = {"ping"};
  log.MaybeRecord(Views(a), 99, 100, 10, "", "", 0);
  EXPECT_TRUE(log.entries().empty());
  log.MaybeRecord(Views(a), 100, 100, 10, "", "", 0);
  EXPECT_EQ(log.entries().size(), 1u);
  log.MaybeRecord(Views(a), 1000000, -1, 10, "", "", 0);  // disabled
  EXPECT_EQ(log.entries().size(), 1u);
  for (int i = 0; i < 5; ++i) log.MaybeRecord(Views(a), 0, 0, 3, "", "", 0);
  EXPECT_EQ(log.entries().size(), 3u);
  EXPECT_EQ(log.entries().front().id, 5u);
  log.Reset();
  EXPECT_TRUE(log.entries().empty());
}

TEST(SlowLogTest, TrimsArgumentsAsRedis) {
  SlowLog log;
  std::vector<std::string> args = {"sadd", "s"};
  for (int i = 0; i < 40; ++i) args.push_back(std::to_string(i));
  log.Record(Views(args), 0, "", "", 0);
  const auto& argv = log.entries()[0].argv;
  ASSERT_EQ(argv.size(), SlowLog::kMaxArgs);
  EXPECT_EQ(argv[30], "28");
  EXPECT_EQ(argv[31], "... (11 more arguments)");

  std::vector<std::string> big = {"set", "k", std::string(200, 'x')};
  log.Record(Views(big), 0, "", "", 0);
  EXPECT_EQ(log.entries()[0].argv[2], std::string(128, 'x') + "... (72 more bytes)");
}

TEST(SlowLogTest, RedactsPasswords) {
  SlowLog log;
  std::vector<std::string> auth = {"AUTH", "user", "secret"};
  log.Record(Views(auth), 0, "", "", 0);
  EXPECT_EQ(log.entries()[0].argv,
            (std::vector<std::string>{"AUTH", "(redacted)", "(redacted)"}));
  std::vector<std::string> hello = {"HELLO", "3", "AUTH", "u", "p", "SETNAME", "n"};
  log.Record(Views(hello), 0, "", "", 0);
  EXPECT_EQ(log.entries()[0].argv, (std::vector<std::string>{"HELLO", "3", "AUTH", "(redacted)",
                                                              "(redacted)", "SETNAME", "n"}));
}

}  // namespace
}  // namespace basalt
