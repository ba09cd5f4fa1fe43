// Tests for persistence/aof_command_reader: commands and annotations as Redis writes them,
// and the line between a file cut short (every truncation point) and a corrupt one.
#include "persistence/aof_command_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace basalt {
namespace {

using Status = AofCommandReader::Status;

const std::string kTwoCommands =
    "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n"
    "#TS:1700000000\r\n"
    "*3\r\n$3\r\nset\r\n$1\r\nk\r\n$5\r\nv\r\nv\n\r\n";

TEST(AofCommandReaderTest, ReadsCommandsAndSkipsAnnotations) {
  AofCommandReader r(kTwoCommands);
  ASSERT_EQ(r.Next(), Status::kCommand);
  EXPECT_EQ(r.argv(), (std::vector<std::string_view>{"SELECT", "0"}));
  ASSERT_EQ(r.Next(), Status::kCommand);
  EXPECT_EQ(r.argv(), (std::vector<std::string_view>{"set", "k", "v\r\nv\n"}));
  EXPECT_EQ(r.offset(), kTwoCommands.size());
  EXPECT_EQ(r.Next(), Status::kEof);
}

TEST(AofCommandReaderTest, EveryCutIsTruncationAfterTheLastWholeCommand) {
  for (size_t cut = 1; cut < kTwoCommands.size(); ++cut) {
    AofCommandReader r(std::string_view(kTwoCommands).substr(0, cut));
    Status s;
    size_t whole = 0;
    while ((s = r.Next()) == Status::kCommand) whole = r.offset();
    if (cut == 23 || cut == 39) {  // right after a command or the annotation
      EXPECT_EQ(s, Status::kEof) << cut;
    } else {
      EXPECT_EQ(s, Status::kTruncated) << cut;
    }
    EXPECT_EQ(whole, cut < 23 ? 0u : 23u) << cut;
  }
}

TEST(AofCommandReaderTest, CorruptBytesAreFormatErrors) {
  struct Case {
    std::string text;
    size_t error_offset;
  } cases[] = {
      {"*2\r\n$3\r\nset\r\nxx\r\n", 13},           // an argument without '$'
      {"*0\r\n", 0},                               // no arguments
      {"*x\r\n", 0},                               // not a count
      {"*1\r\n$1\r\na\r\nhello\r\n", 11},          // junk after a command
      {"*1\r\n$-1\r\n", 4},                        // a negative length
      {"#" + std::string(2000, 'a') + "\r\n", 0},  // an annotation longer than Redis reads
  };
  for (const Case& c : cases) {
    AofCommandReader r(c.text);
    Status s;
    while ((s = r.Next()) == Status::kCommand) {
    }
    EXPECT_EQ(s, Status::kFormatError) << c.text;
    EXPECT_EQ(r.error_offset(), c.error_offset) << c.text;
  }
}

TEST(AofCommandReaderTest, StartsAfterAPreamble) {
  const std::string image = "REDIS-preamble" + kTwoCommands;
  AofCommandReader r(image, 14);
  ASSERT_EQ(r.Next(), Status::kCommand);
  EXPECT_EQ(r.argv()[0], "SELECT");
}

}  // namespace
}  // namespace basalt
