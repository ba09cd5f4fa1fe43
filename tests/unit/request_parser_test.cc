#include "protocol/request_parser.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
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
  p.Reset();
  EXPECT_EQ(p.Parse(" \t \r\n", {}), Status::kEmpty);
  EXPECT_EQ(p.consumed(), 5u);
  p.Reset();
  // Without quotes the arguments are views into the buffer, like multibulk ones.
  const std::string buf = "  GET\tkey:1 \r\nPING\r\n";
  ASSERT_EQ(p.Parse(buf, {}), Status::kCommand);
  EXPECT_EQ(Args(p), (std::vector<std::string>{"GET", "key:1"}));
  EXPECT_EQ(p.args()[1].data(), buf.data() + 6);
  EXPECT_EQ(p.consumed(), buf.find("PING"));
  p.Reset();
  // Redis finds an inline line's end with strchr: a NUL before the newline leaves it waiting
  // for more (Debian's redis-server gives "ECHO a\0b c\r\n" no reply).
  EXPECT_EQ(p.Parse(std::string_view("ECHO a\0b c\r\n", 13), {}), Status::kNeedMore);
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

// The whole-request fast path and the resumable path must agree on every split point,
// including lengths the fast path leaves to the general one (leading zeros, signs, 10+ digits).
TEST(RequestParserTest, FastAndResumablePathsAgree) {
  const std::string requests[] = {
      "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n",
      "*2\r\n$3\r\nGET\r\n$12\r\nkey:00000001\r\n",
      "*1\r\n$04\r\nPING\r\n",   // leading zero: an error either way
      "*01\r\n$4\r\nPING\r\n",   // likewise in the count
      "*1\r\n$-1\r\n",
      "*1\r\n$0000000004\r\nPING\r\n"};
  for (const std::string& req : requests) {
    RequestParser whole;
    const Status expected = whole.Parse(req, {});
    for (size_t split = 1; split < req.size(); ++split) {
      RequestParser p;
      Status s = p.Parse(std::string_view(req).substr(0, split), {});
      if (s == Status::kNeedMore) s = p.Parse(req, {});
      ASSERT_EQ(s, expected) << req << " split at " << split;
      if (s == Status::kCommand) {
        EXPECT_EQ(p.args(), whole.args());
      }
      if (s == Status::kError) {
        EXPECT_EQ(p.error(), whole.error());
      }
    }
  }
}

std::vector<std::string> BatchArgs(const RequestBatch& b, size_t i) {
  const auto args = b.request(i);
  return std::vector<std::string>(args.begin(), args.end());
}

TEST(RequestParserTest, ParseAheadTakesTheWholeRequestsAtTheStart) {
  const std::string get = "*2\r\n$3\r\nGET\r\n$2\r\nk1\r\n";
  const std::string ping = "*1\r\n$4\r\nPING\r\n";
  const std::string set = "*3\r\n$3\r\nSET\r\n$2\r\nk2\r\n$1\r\nv\r\n";
  const std::string buf = get + ping + set + "*2\r\n$3\r\nGET\r\n$2\r\nk";
  RequestBatch b;
  RequestParser::ParseAhead(buf, {}, &b);
  ASSERT_EQ(b.count, 3u);  // the 4th is incomplete
  EXPECT_EQ(BatchArgs(b, 0), (std::vector<std::string>{"GET", "k1"}));
  EXPECT_EQ(BatchArgs(b, 1), (std::vector<std::string>{"PING"}));
  EXPECT_EQ(BatchArgs(b, 2), (std::vector<std::string>{"SET", "k2", "v"}));
  EXPECT_EQ(b.bytes[0], get.size());
  EXPECT_EQ(b.bytes[1], ping.size());
  EXPECT_EQ(b.bytes[2], set.size());
}

TEST(RequestParserTest, ParseAheadLeavesToParseWhatItCannotTake) {
  const std::string get = "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n";
  RequestBatch b;
  // Inline, a zero-padded length, an empty multibulk: the general path's.
  RequestParser::ParseAhead(get + "GET k\r\n" + get, {}, &b);
  EXPECT_EQ(b.count, 1u);
  RequestParser::ParseAhead(get + "*2\r\n$3\r\nGET\r\n$01\r\nk\r\n", {}, &b);
  EXPECT_EQ(b.count, 1u);
  RequestParser::ParseAhead("*0\r\n" + get, {}, &b);
  EXPECT_EQ(b.count, 0u);
  // Over proto-max-bulk-len, or over the unauthenticated limits.
  ParserLimits small;
  small.max_bulk_len = 3;
  RequestParser::ParseAhead(get + "*2\r\n$3\r\nGET\r\n$4\r\nkey1\r\n" + get, small, &b);
  EXPECT_EQ(b.count, 1u);
  ParserLimits unauth;
  unauth.authenticated = false;
  std::string eleven = "*11\r\n";
  for (int i = 0; i < 11; ++i) eleven += "$1\r\nx\r\n";
  RequestParser::ParseAhead(get + eleven, unauth, &b);
  EXPECT_EQ(b.count, 1u);
  RequestParser::ParseAhead(get + eleven, {}, &b);
  EXPECT_EQ(b.count, 2u);
}

TEST(RequestParserTest, ParseAheadStopsWhenTheBatchIsFull) {
  const std::string get = "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n";
  std::string many;
  for (size_t i = 0; i < RequestBatch::kMaxRequests + 3; ++i) many += get;
  RequestBatch b;
  RequestParser::ParseAhead(many, {}, &b);
  EXPECT_EQ(b.count, RequestBatch::kMaxRequests);
  // Arguments: a request that would overflow them ends the batch before it, whole.
  std::string wide = "*40\r\n";
  for (int i = 0; i < 40; ++i) wide += "$1\r\na\r\n";
  RequestParser::ParseAhead(wide + get + wide + get, {}, &b);
  ASSERT_EQ(b.count, 2u);
  EXPECT_EQ(b.request(0).size(), 40u);
  EXPECT_EQ(BatchArgs(b, 1), (std::vector<std::string>{"GET", "k"}));
  RequestParser::ParseAhead("*65\r\n" + wide, {}, &b);
  EXPECT_EQ(b.count, 0u);
}

TEST(RequestParserTest, ParseAheadAgreesWithParseOnRandomPipelines) {
  std::mt19937 rng(7);
  for (int round = 0; round < 500; ++round) {
    std::string buf;
    const int requests = 1 + static_cast<int>(rng() % 20);
    for (int r = 0; r < requests; ++r) {
      const int argc = 1 + static_cast<int>(rng() % 6);
      buf += "*" + std::to_string(argc) + "\r\n";
      for (int a = 0; a < argc; ++a) {
        const std::string arg(rng() % 3 == 0 ? rng() % 200 : rng() % 12, 'a' + r % 26);
        buf += "$" + std::to_string(arg.size()) + "\r\n" + arg + "\r\n";
      }
    }
    buf.resize(buf.size() - std::min<size_t>(buf.size(), rng() % 30));  // often a partial end
    RequestBatch b;
    RequestParser::ParseAhead(buf, {}, &b);
    std::string_view rest = buf;
    RequestParser p;
    // The batch should hold every whole request up to its limits.
    size_t parsed = 0;
    size_t fits = 0;
    size_t args = 0;
    while (p.Parse(rest, {}) == Status::kCommand) {
      args += p.args().size();
      if (fits == parsed && parsed < RequestBatch::kMaxRequests &&
          args <= RequestBatch::kMaxArgs) {
        ++fits;
      }
      if (parsed < b.count) {
        EXPECT_EQ(BatchArgs(b, parsed), Args(p));
        EXPECT_EQ(b.bytes[parsed], p.consumed());
      }
      ++parsed;
      rest.remove_prefix(p.consumed());
      p.Reset();
    }
    EXPECT_EQ(b.count, fits);
  }
}

}  // namespace
}  // namespace basalt
