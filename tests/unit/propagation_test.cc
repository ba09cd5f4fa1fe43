#include "server/propagation.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace basalt {
namespace {

// Records each batch as "db:resp" strings.
class RecordingSink : public PropagationSink {
 public:
  void Append(std::span<const PropagatedCommand> batch) override {
    std::vector<std::string> b;
    for (const PropagatedCommand& c : batch) b.push_back(std::to_string(c.db) + ":" + c.resp);
    batches.push_back(std::move(b));
  }
  std::vector<std::vector<std::string>> batches;
};

void Add(Propagator& p, int db, std::vector<std::string_view> argv) { p.Add(db, argv); }

TEST(PropagationTest, EncodesRespArraysOfBulkStrings) {
  std::string out;
  const std::vector<std::string_view> argv = {"SET", "k", ""};
  AppendRespCommand(&out, argv);
  EXPECT_EQ(out, "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n");
  const std::vector<std::string> owned = {"DEL", std::string("a\0b", 3)};
  out.clear();
  AppendRespCommand(&out, owned);
  EXPECT_EQ(out, std::string("*2\r\n$3\r\nDEL\r\n$3\r\na\0b\r\n", 22));
}

TEST(PropagationTest, RecordsNothingWithoutSinks) {
  Propagator p;
  EXPECT_FALSE(p.enabled());
  Add(p, 0, {"SET", "k", "v"});
  EXPECT_FALSE(p.has_pending());
}

TEST(PropagationTest, SingleCommandIsNotWrapped) {
  Propagator p;
  RecordingSink sink;
  p.AddSink(&sink);
  Add(p, 3, {"INCR", "n"});
  p.Flush();
  ASSERT_EQ(sink.batches.size(), 1u);
  EXPECT_EQ(sink.batches[0], (std::vector<std::string>{"3:*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n"}));
  p.Flush();  // nothing pending: no empty batch
  EXPECT_EQ(sink.batches.size(), 1u);
}

TEST(PropagationTest, SeveralCommandsAreWrappedInMultiExecWithTheirDatabases) {
  Propagator p;
  RecordingSink a, b;
  p.AddSink(&a);
  p.AddSink(&b);
  p.AddSink(&a);  // once only
  Add(p, 1, {"DEL", "x"});
  Add(p, 2, {"SET", "y", "1"});
  p.Flush();
  const std::vector<std::string> want = {
      "1:*1\r\n$5\r\nMULTI\r\n",  // MULTI in the first command's db: SELECT goes before it
      "1:*2\r\n$3\r\nDEL\r\n$1\r\nx\r\n",
      "2:*3\r\n$3\r\nSET\r\n$1\r\ny\r\n$1\r\n1\r\n",
      "2:*1\r\n$4\r\nEXEC\r\n",  // EXEC in the last one's: no SELECT inside
  };
  ASSERT_EQ(a.batches.size(), 1u);
  EXPECT_EQ(a.batches[0], want);
  ASSERT_EQ(b.batches.size(), 1u);
  EXPECT_EQ(b.batches[0], want);

  p.RemoveSink(&a);
  p.RemoveSink(&b);
  EXPECT_FALSE(p.enabled());
}

}  // namespace
}  // namespace basalt
