#include "protocol/request_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace basalt {
namespace {

using Status = RequestParser::Status;

std::vector<std::string> Args(const RequestParser& p) {
  return std::vector<std::string>(p.args().begin(), p.args().end());
}

TEST(RequestParserTest, MultibulkCommand) {
  RequestParser p;
  std::string buf = "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n";
  ASSERT_EQ(p.Parse(buf, {}), Status::kCommand);
  EXPECT_EQ(Args(p), (std::vector<std::string>{"GET", "k"}));
  EXPECT_EQ(p.consumed(), buf.size());
}

TEST(RequestParserTest, BinarySafeBulk) {
  RequestParser p;
  std::string buf("*1\r\n$4\r\na\r\n\0\r\n", 14);
  ASSERT_EQ(p.Parse(buf, {}), Status::kCommand);
  EXPECT_EQ(Args(p)[0], std::string("a\r\n\0", 4));
}

TEST(RequestParserTest, ResumesByteByByte) {
  RequestParser p;
  std::string full = "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n";
  for (size_t n = 1; n < full.size(); ++n) {
    ASSERT_EQ(p.Parse(std::string_view(full.data(), n), {}), Status::kNeedMore) << n;
  }
  ASSERT_EQ(p.Parse(full, {}), Status::kCommand);
  EXPECT_EQ(Args(p), (std::vector<std::string>{"SET", "key", "value"}));
  EXPECT_EQ(p.consumed(), full.size());
}

TEST(RequestParserTest, PipelinedCommandsParseOneAtATime) {
  RequestParser p;
  std::string buf = "*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nPING\r\n";
  ASSERT_EQ(p.Parse(buf, {}), Status::kCommand);
  size_t first = p.consumed();
  EXPECT_EQ(first, buf.size() / 2);
  p.Reset();
  ASSERT_EQ(p.Parse(std::string_view(buf).substr(first), {}), Status::kCommand);
}

TEST(RequestParserTest, InlineCommands) {
  RequestParser p;
  ASSERT_EQ(p.Parse("SET k \"a b\"\r\n", {}), Status::kCommand);
  EXPECT_EQ(Args(p), (std::vector<std::string>{"SET", "k", "a b"}));
  p.Reset();
  ASSERT_EQ(p.Parse("PING\n", {}), Status::kCommand);
  EXPECT_EQ(Args(p), (std::vector<std::string>{"PING"}));
  p.Reset();
  EXPECT_EQ(p.Parse("PING", {}), Status::kNeedMore);
  p.Reset();
  EXPECT_EQ(p.Parse("\r\n", {}), Status::kEmpty);
  EXPECT_EQ(p.consumed(), 2u);
}

TEST(RequestParserTest, EmptyMultibulk) {
  RequestParser p;
  EXPECT_EQ(p.Parse("*0\r\n", {}), Status::kEmpty);
  p.Reset();
  EXPECT_EQ(p.Parse("*-1\r\n", {}), Status::kEmpty);
}

void ExpectError(std::string_view input, const std::string& error,
                 ParserLimits limits = ParserLimits()) {
  RequestParser p;
  ASSERT_EQ(p.Parse(input, limits), Status::kError) << input;
  EXPECT_EQ(p.error(), error) << input;
}

TEST(RequestParserTest, MalformedInputIsAnError) {
  ExpectError("*abc\r\n", "Protocol error: invalid multibulk length");
  ExpectError("*3000000000\r\n", "Protocol error: invalid multibulk length");
  ExpectError("*1\r\n$-5\r\n", "Protocol error: invalid bulk length");
  ExpectError("*1\r\n$abc\r\n", "Protocol error: invalid bulk length");
  ExpectError("*1\r\nfoo\r\n", "Protocol error: expected '$', got 'f'");
  ExpectError("SET \"unbalanced\r\n", "Protocol error: unbalanced quotes in request");
  ExpectError("*1\r\n$4294967296\r\n", "Protocol error: invalid bulk length");
}

TEST(RequestParserTest, BulkLimitIsConfigurable) {
  ParserLimits limits;
  limits.max_bulk_len = 10;
  ExpectError("*1\r\n$11\r\n", "Protocol error: invalid bulk length", limits);
  RequestParser p;
  EXPECT_EQ(p.Parse("*1\r\n$10\r\n", limits), Status::kNeedMore);
}

TEST(RequestParserTest, UnauthenticatedLimits) {
  ParserLimits limits;
  limits.authenticated = false;
  ExpectError("*11\r\n", "Protocol error: unauthenticated multibulk length", limits);
  ExpectError("*1\r\n$16385\r\n", "Protocol error: unauthenticated bulk length", limits);
}

TEST(RequestParserTest, OversizedLinesAreErrors) {
  std::string inline_req(70 * 1024, 'a');
  ExpectError(inline_req, "Protocol error: too big inline request");
  std::string header = "*" + std::string(70 * 1024, '1');
  ExpectError(header, "Protocol error: too big mbulk count string");
  std::string bulk_header = "*1\r\n$" + std::string(70 * 1024, '1');
  ExpectError(bulk_header, "Protocol error: too big bulk count string");
}

TEST(RequestParserTest, HugeAnnouncedBulkWaitsWithoutAllocating) {
  RequestParser p;
  std::string buf = "*1\r\n$536870912\r\nabc";
  EXPECT_EQ(p.Parse(buf, {}), Status::kNeedMore);
  EXPECT_EQ(p.BytesWanted(), 16u + 536870912u + 2u);
}

TEST(RequestParserTest, HugeAnnouncedArgCountDoesNotReserveIt) {
  RequestParser p;
  EXPECT_EQ(p.Parse("*2000000000\r\n", {}), Status::kNeedMore);
}

}  // namespace
}  // namespace basalt
