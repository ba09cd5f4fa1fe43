// Tracking's tables: prefix overlap checks, remembered keys and their counters, OPTIN /
// CACHING, invalidation dropping entries, and tracking-table-max-keys eviction. Clients here
// are not registered with the server, so no message is delivered: delivery is covered by
// tests/integration/test_client_tracking.py.
#include "server/tracking.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "server/client.h"
#include "server/server.h"

namespace basalt {
namespace {

class TrackingTest : public ::testing::Test {
 protected:
  TrackingTest() : server_(ServerConfig{}), client_(&server_, -1, 7, ConnKind::kTcp) {}

  void Read(std::vector<std::string_view> argv) {
    const CommandSpec* spec = server_.commands().Find(argv[0]);
    ASSERT_NE(spec, nullptr);
    server_.tracking().AfterCommand(client_, *spec, argv, /*nested=*/false);
  }

  Server server_;
  Client client_;
};

TEST_F(TrackingTest, PrefixCollisions) {
  std::vector<std::string> ok = {"a:", "b:"};
  EXPECT_EQ(Tracking::PrefixCollision(client_, ok), "");
  std::vector<std::string> overlap = {"a", "ab"};
  EXPECT_EQ(Tracking::PrefixCollision(client_, overlap),
            "ERR Prefix 'a' overlaps with another provided prefix 'ab'. Prefixes for a single "
            "client must not overlap.");
  client_.tracking.prefixes = {"abc"};
  std::vector<std::string> existing = {"ab"};
  EXPECT_EQ(Tracking::PrefixCollision(client_, existing),
            "ERR Prefix 'ab' overlaps with an existing prefix 'abc'. Prefixes for a single "
            "client must not overlap.");
}

TEST_F(TrackingTest, RemembersReadKeysOnce) {
  Tracking& t = server_.tracking();
  t.Enable(client_, TrackingOptions{});
  EXPECT_EQ(t.tracking_clients(), 1u);
  Read({"mget", "a", "b"});
  Read({"get", "a"});
  Read({"set", "c", "1"});  // not read-only: not remembered
  EXPECT_EQ(t.total_keys(), 2u);
  EXPECT_EQ(t.total_items(), 2u);
  t.InvalidateKey(nullptr, "a");
  EXPECT_EQ(t.total_keys(), 1u);
  t.InvalidateAll(nullptr);
  EXPECT_EQ(t.total_keys(), 0u);
  EXPECT_EQ(t.total_items(), 0u);
  t.Disable(client_);
  EXPECT_EQ(t.tracking_clients(), 0u);
  EXPECT_FALSE(client_.tracking.on);
}

TEST_F(TrackingTest, OptinNeedsCachingForOneCommand) {
  Tracking& t = server_.tracking();
  t.Enable(client_, TrackingOptions{.optin = true});
  Read({"get", "a"});
  EXPECT_EQ(t.total_keys(), 0u);
  client_.tracking.caching = true;
  Read({"get", "b"});
  Read({"get", "c"});
  EXPECT_EQ(t.total_keys(), 1u);
  EXPECT_FALSE(client_.tracking.caching);
  t.Disable(client_);
}

TEST_F(TrackingTest, BcastKeepsPrefixesNotKeys) {
  Tracking& t = server_.tracking();
  t.Enable(client_, TrackingOptions{.bcast = true, .prefixes = {"x:", "y:"}});
  Read({"get", "x:1"});
  EXPECT_EQ(t.total_keys(), 0u);
  EXPECT_EQ(t.total_prefixes(), 2u);
  t.Disable(client_);
  EXPECT_EQ(t.total_prefixes(), 0u);
}

TEST_F(TrackingTest, EvictsOverTableLimit) {
  Tracking& t = server_.tracking();
  server_.config().tracking_table_max_keys = 3;
  t.Enable(client_, TrackingOptions{});
  Read({"mget", "a", "b", "c", "d", "e"});
  EXPECT_EQ(t.total_keys(), 3u);
  EXPECT_EQ(t.total_items(), 3u);
  t.Disable(client_);
}

}  // namespace
}  // namespace basalt
