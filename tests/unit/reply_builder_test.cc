#include "protocol/reply_builder.h"

#include <gtest/gtest.h>

#include <string>

namespace basalt {
namespace {

// The RESP3 attribute of Redis's DEBUG PROTOCOL ATTRIB sample, followed by its real reply.
TEST(ReplyBuilderTest, AttributeHeaderInResp3) {
  std::string out;
  ReplyBuilder reply(&out);
  reply.set_resp(3);
  reply.AttributeHeader(1);
  reply.Bulk("key-popularity");
  reply.ArrayHeader(2);
  reply.Bulk("key:123");
  reply.Integer(90);
  reply.Bulk("real");
  EXPECT_EQ(out, "|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n$4\r\nreal\r\n");
}

TEST(ReplyBuilderTest, AttributeHeaderCountsPairs) {
  std::string out;
  ReplyBuilder reply(&out);
  reply.set_resp(3);
  reply.AttributeHeader(0);
  reply.AttributeHeader(12);
  EXPECT_EQ(out, "|0\r\n|12\r\n");
}

// The shapes DEBUG PROTOCOL relies on, against the bytes Redis 7.0 sends in each protocol.
TEST(ReplyBuilderTest, SampleTypesInBothProtocols) {
  struct Case {
    int resp;
    const char* expected;
  };
  for (Case c : {Case{2,
                      "$5\r\n3.141\r\n$37\r\n1234567999999999999999999999999999999\r\n$-1\r\n"
                      "*6\r\n:0\r\n:0\r\n:1\r\n:1\r\n~"},
                 Case{3,
                      ",3.141\r\n(1234567999999999999999999999999999999\r\n_\r\n"
                      "%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n~"}}) {
    std::string out;
    ReplyBuilder reply(&out);
    reply.set_resp(c.resp);
    reply.Double(3.141);
    reply.BigNumber("1234567999999999999999999999999999999");
    reply.Null();
    reply.MapHeader(3);
    reply.Integer(0);
    reply.Bool(false);
    reply.Integer(1);
    reply.Bool(true);
    out.push_back('~');
    EXPECT_EQ(out, c.expected) << "RESP" << c.resp;
  }
}

TEST(ReplyBuilderTest, VerbatimAndSetHeader) {
  std::string out;
  ReplyBuilder reply(&out);
  reply.Verbatim("This is a verbatim\nstring");
  reply.SetHeader(3);
  EXPECT_EQ(out, "$25\r\nThis is a verbatim\nstring\r\n*3\r\n");
  out.clear();
  reply.set_resp(3);
  reply.Verbatim("This is a verbatim\nstring");
  reply.SetHeader(3);
  EXPECT_EQ(out, "=29\r\ntxt:This is a verbatim\nstring\r\n~3\r\n");
}

}  // namespace
}  // namespace basalt
