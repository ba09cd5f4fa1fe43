// Tests for server/pubsub: the insertion-ordered set and the subscription registry (both
// sides kept in step, delivery order, cleanup of channels nobody listens to).
#include "server/pubsub.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "server/client.h"

namespace basalt {
namespace {

std::vector<std::string> Items(const OrderedStringSet& s) {
  return std::vector<std::string>(s.begin(), s.end());
}

TEST(PubSubOrderedSet, KeepsInsertionOrderAcrossErase) {
  OrderedStringSet s;
  EXPECT_TRUE(s.Insert("b"));
  EXPECT_TRUE(s.Insert("a"));
  EXPECT_TRUE(s.Insert("c"));
  EXPECT_FALSE(s.Insert("a"));
  EXPECT_EQ(Items(s), (std::vector<std::string>{"b", "a", "c"}));
  EXPECT_TRUE(s.Erase("a"));
  EXPECT_FALSE(s.Erase("a"));
  EXPECT_FALSE(s.Contains("a"));
  EXPECT_TRUE(s.Insert("a"));
  EXPECT_EQ(Items(s), (std::vector<std::string>{"b", "c", "a"}));
  EXPECT_EQ(s.size(), 3u);
  s.Clear();
  EXPECT_TRUE(s.empty());
  EXPECT_TRUE(s.Insert(std::string("\0x", 2)));
  EXPECT_TRUE(s.Contains(std::string("\0x", 2)));
  EXPECT_FALSE(s.Contains("x"));
}

class PubSubRegistryTest : public ::testing::Test {
 protected:
  // Clients without a server or socket: the registry only touches their subscriptions.
  Client a_{nullptr, -1, 1, ConnKind::kTcp};
  Client b_{nullptr, -1, 2, ConnKind::kTcp};
  PubSubRegistry reg_;

  // (client id, pattern or "") for each receiver, in delivery order.
  std::vector<std::pair<uint64_t, std::string>> Receivers(std::string_view channel,
                                                          bool shard = false) {
    std::vector<std::pair<uint64_t, std::string>> out;
    size_t n = reg_.ForEachReceiver(channel, shard, [&](Client* c, const std::string* p) {
      out.emplace_back(c->id, p ? *p : "");
    });
    EXPECT_EQ(n, out.size());
    return out;
  }
};

TEST_F(PubSubRegistryTest, ChannelsDeliverInSubscriptionOrder) {
  EXPECT_TRUE(reg_.Subscribe(&b_, "news", false));
  EXPECT_TRUE(reg_.Subscribe(&a_, "news", false));
  EXPECT_FALSE(reg_.Subscribe(&a_, "news", false));
  EXPECT_EQ(Receivers("news"), (std::vector<std::pair<uint64_t, std::string>>{{2, ""}, {1, ""}}));
  EXPECT_EQ(reg_.SubscriberCount("news", false), 2u);
  EXPECT_EQ(a_.subscription_count(), 1u);
  EXPECT_TRUE(Receivers("other").empty());
}

TEST_F(PubSubRegistryTest, PatternsFollowChannelSubscribers) {
  reg_.Subscribe(&a_, "foo.bar", false);
  reg_.SubscribePattern(&a_, "foo.*");
  reg_.SubscribePattern(&b_, "f[^a]o.*");
  reg_.SubscribePattern(&b_, "bar.*");
  EXPECT_EQ(reg_.pattern_count(), 3u);
  EXPECT_EQ(Receivers("foo.bar"), (std::vector<std::pair<uint64_t, std::string>>{
                                      {1, ""}, {2, "f[^a]o.*"}, {1, "foo.*"}}));
  EXPECT_EQ(Receivers("fao.x"), (std::vector<std::pair<uint64_t, std::string>>{}));
  EXPECT_EQ(a_.subscriptions.channels_and_patterns(), 2u);
}

TEST_F(PubSubRegistryTest, ShardChannelsAreSeparateAndIgnorePatterns) {
  reg_.Subscribe(&a_, "ch", true);
  reg_.SubscribePattern(&b_, "*");
  EXPECT_EQ(Receivers("ch", true), (std::vector<std::pair<uint64_t, std::string>>{{1, ""}}));
  EXPECT_EQ(Receivers("ch", false), (std::vector<std::pair<uint64_t, std::string>>{{2, "*"}}));
  EXPECT_EQ(reg_.shard_channel_count(), 1u);
  EXPECT_EQ(reg_.channel_count(), 0u);
  EXPECT_EQ(a_.subscriptions.channels_and_patterns(), 0u);
  EXPECT_EQ(a_.subscription_count(), 1u);
}

TEST_F(PubSubRegistryTest, UnsubscribeForgetsEmptyChannels) {
  reg_.Subscribe(&a_, "x", false);
  reg_.Subscribe(&b_, "x", false);
  EXPECT_TRUE(reg_.Unsubscribe(&a_, "x", false));
  EXPECT_FALSE(reg_.Unsubscribe(&a_, "x", false));
  EXPECT_EQ(reg_.channel_count(), 1u);
  EXPECT_TRUE(reg_.Unsubscribe(&b_, "x", false));
  EXPECT_EQ(reg_.channel_count(), 0u);
  reg_.SubscribePattern(&a_, "p*");
  EXPECT_TRUE(reg_.UnsubscribePattern(&a_, "p*"));
  EXPECT_FALSE(reg_.UnsubscribePattern(&a_, "p*"));
  EXPECT_EQ(reg_.pattern_count(), 0u);
}

TEST_F(PubSubRegistryTest, RemoveClientDropsEverything) {
  reg_.Subscribe(&a_, "c1", false);
  reg_.Subscribe(&a_, "c2", false);
  reg_.Subscribe(&b_, "c2", false);
  reg_.Subscribe(&a_, "s1", true);
  reg_.SubscribePattern(&a_, "p*");
  reg_.RemoveClient(&a_);
  EXPECT_EQ(a_.subscription_count(), 0u);
  EXPECT_EQ(reg_.channel_count(), 1u);
  EXPECT_EQ(reg_.shard_channel_count(), 0u);
  EXPECT_EQ(reg_.pattern_count(), 0u);
  EXPECT_EQ(Receivers("c2"), (std::vector<std::pair<uint64_t, std::string>>{{2, ""}}));
}

TEST_F(PubSubRegistryTest, ActiveChannelsMatchPattern) {
  reg_.Subscribe(&a_, "news.1", false);
  reg_.Subscribe(&a_, "news.2", false);
  reg_.Subscribe(&a_, "sport", false);
  std::string_view pattern = "news.*";
  auto channels = reg_.ActiveChannels(&pattern, false);
  std::sort(channels.begin(), channels.end());
  EXPECT_EQ(channels, (std::vector<std::string_view>{"news.1", "news.2"}));
  EXPECT_EQ(reg_.ActiveChannels(nullptr, false).size(), 3u);
  EXPECT_TRUE(reg_.ActiveChannels(nullptr, true).empty());
}

// CLIENT REPLY OFF/SKIP drop a command's replies but keep the pushes it produced.
TEST(PubSubClientPushes, DropRepliesKeepsPushes) {
  Client c(nullptr, -1, 1, ConnKind::kTcp);
  c.reply_buf = "+kept-before\r\n";
  size_t start = c.reply_buf.size();
  c.reply_mode = Client::ReplyMode::kOff;
  c.reply_buf += ":1\r\n";
  size_t push_start = c.reply_buf.size();
  c.reply_buf += ">1\r\n$1\r\na\r\n";
  c.MarkPushSince(push_start);
  c.reply_buf += ":2\r\n";
  c.AppendPush(">1\r\n$1\r\nb\r\n");
  c.DropRepliesFrom(start);
  EXPECT_EQ(c.reply_buf, "+kept-before\r\n>1\r\n$1\r\na\r\n>1\r\n$1\r\nb\r\n");
  // With replies on nothing is recorded, and a drop removes everything after `start`.
  c.reply_mode = Client::ReplyMode::kOn;
  size_t again = c.reply_buf.size();
  c.AppendPush(">1\r\n$1\r\nc\r\n");
  c.DropRepliesFrom(again);
  EXPECT_EQ(c.reply_buf.size(), again);
}

}  // namespace
}  // namespace basalt
