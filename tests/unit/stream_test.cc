// Tests for types/stream_id and types/stream: ID parsing and ordering, block storage (appends
// across blocks, seeks, ranges both ways, tombstones), trimming (exact, approximate, LIMIT)
// and Redis 7's lag bookkeeping.
#include "types/stream.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace basalt {
namespace {

TEST(StreamIdTest, ParseForms) {
  auto p = ParseStreamID("5-3", 0, true);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->id, (StreamID{5, 3}));
  EXPECT_EQ(ParseStreamID("7", 0, true)->id, (StreamID{7, 0}));
  EXPECT_EQ(ParseStreamID("7", UINT64_MAX, true)->id, (StreamID{7, UINT64_MAX}));
  EXPECT_FALSE(ParseStreamID("-", 0, true));
  EXPECT_EQ(ParseStreamID("-", 0, false)->id, StreamID::Min());
  EXPECT_EQ(ParseStreamID("+", 0, false)->id, StreamID::Max());
  EXPECT_FALSE(ParseStreamID("abc", 0, true));
  EXPECT_FALSE(ParseStreamID("1-x", 0, true));
  EXPECT_FALSE(ParseStreamID("-1", 0, true));
  EXPECT_FALSE(ParseStreamID("5-*", 0, true));
  auto star = ParseStreamID("5-*", 0, true, true);
  ASSERT_TRUE(star);
  EXPECT_FALSE(star->seq_given);
  EXPECT_EQ(ParseStreamID("18446744073709551615-18446744073709551615", 0, true)->id,
            StreamID::Max());
  EXPECT_FALSE(ParseStreamID(std::string(128, '1'), 0, true));
}

TEST(StreamIdTest, BoundsAndOrdering) {
  auto b = ParseStreamBound("(5-3", 0);
  ASSERT_TRUE(b);
  EXPECT_TRUE(b->exclusive);
  EXPECT_FALSE(ParseStreamBound("(-", 0));
  EXPECT_FALSE(ParseStreamBound("(+", 0));
  EXPECT_FALSE(ParseStreamBound("(", 0).has_value() && ParseStreamBound("(", 0)->exclusive);
  EXPECT_LT((StreamID{1, 5}), (StreamID{2, 0}));
  EXPECT_LT((StreamID{1, 5}), (StreamID{1, 6}));
  StreamID id{1, UINT64_MAX};
  ASSERT_TRUE(id.Increment());
  EXPECT_EQ(id, (StreamID{2, 0}));
  ASSERT_TRUE(id.Decrement());
  EXPECT_EQ(id, (StreamID{1, UINT64_MAX}));
  StreamID max = StreamID::Max();
  EXPECT_FALSE(max.Increment());
  StreamID min;
  EXPECT_FALSE(min.Decrement());
  EXPECT_EQ((StreamID{123, 45}).ToString(), "123-45");
}

std::vector<std::string_view> Fields(const std::string& a, const std::string& b) {
  return {"f1", a, "f2", b};
}

Stream MakeStream(int n, int node_entries = 10) {
  Stream s;
  for (int i = 1; i <= n; ++i) {
    std::string v = std::to_string(i);
    auto fv = Fields(v, "x");
    s.Append(StreamID{static_cast<uint64_t>(i), 0}, fv, 4096, node_entries);
  }
  return s;
}

std::vector<uint64_t> Ids(const Stream& s, StreamID a, StreamID b, bool rev) {
  std::vector<uint64_t> out;
  s.Range(a, b, rev, [&](const StreamEntryView& e) {
    out.push_back(e.id.ms);
    return true;
  });
  return out;
}

TEST(StreamTest, AppendAcrossBlocksAndRange) {
  Stream s = MakeStream(35);
  EXPECT_EQ(s.length(), 35u);
  EXPECT_EQ(s.block_count(), 4u);
  EXPECT_EQ(s.entries_added(), 35u);
  EXPECT_EQ(s.first_id(), (StreamID{1, 0}));
  EXPECT_EQ(s.last_id(), (StreamID{35, 0}));
  EXPECT_EQ(Ids(s, {9, 0}, {12, 0}, false), (std::vector<uint64_t>{9, 10, 11, 12}));
  EXPECT_EQ(Ids(s, {9, 0}, {12, 0}, true), (std::vector<uint64_t>{12, 11, 10, 9}));
  StreamEntryView e;
  ASSERT_TRUE(s.Last(&e));
  EXPECT_EQ(e.fields.size(), 2u);
  EXPECT_EQ(e.fields[0].first, "f1");
  EXPECT_EQ(e.fields[0].second, "35");
}

TEST(StreamTest, DifferentFieldsInOneBlock) {
  Stream s;
  std::vector<std::string_view> a = {"x", "1"};
  std::vector<std::string_view> b = {"y", "2", "z", "3"};
  s.Append({1, 0}, a, 4096, 100);
  s.Append({1, 1}, b, 4096, 100);
  s.Append({2, 0}, a, 4096, 100);
  std::vector<size_t> sizes;
  s.Range(StreamID::Min(), StreamID::Max(), false, [&](const StreamEntryView& e) {
    sizes.push_back(e.fields.size());
    return true;
  });
  EXPECT_EQ(sizes, (std::vector<size_t>{1, 2, 1}));
}

// Integers are stored as integers; every value must still read back byte for byte, including
// the ones that look numeric but are not canonical, and the views must survive copies.
TEST(StreamTest, ValuesReadBackExactlyWhateverTheirEncoding) {
  const std::vector<std::string_view> values = {
      "0", "-0", "007", "+1", "1 ", "", "-1", "123456", "9223372036854775807",
      "-9223372036854775808", "4611686018427387903", "4611686018427387904", "abc",
      "99999999999999999999"};
  Stream s;
  uint64_t ms = 1;
  for (std::string_view v : values) {
    std::vector<std::string_view> same = {"f", v};          // the block's master fields
    std::vector<std::string_view> other = {"g", v, "h", v};  // fields of its own
    s.Append({ms++, 0}, same, 4096, 100);
    s.Append({ms++, 0}, other, 4096, 100);
  }
  std::vector<StreamEntryView> copies;
  s.Range(StreamID::Min(), StreamID::Max(), false, [&](const StreamEntryView& e) {
    copies.push_back(e);
    return true;
  });
  ASSERT_EQ(copies.size(), 2 * values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    EXPECT_EQ(copies[2 * i].fields[0].second, values[i]);
    EXPECT_EQ(copies[2 * i + 1].fields[0].second, values[i]);
    EXPECT_EQ(copies[2 * i + 1].fields[1].second, values[i]);
  }
  StreamEntryView moved = std::move(copies[0]);
  copies.clear();
  EXPECT_EQ(moved.fields[0].second, "0");
}

TEST(StreamTest, IntegerValuesTakeLessRoomThanTheirDigits) {
  Stream digits, text;
  for (uint64_t i = 0; i < 50; ++i) {
    std::string n = std::to_string(100000 + i);
    std::string t = "x" + n.substr(1);
    std::vector<std::string_view> a = {"f", n};
    std::vector<std::string_view> b = {"f", t};
    digits.Append({i + 1, 0}, a, 0, 100);
    text.Append({i + 1, 0}, b, 0, 100);
  }
  const std::string& d = digits.blocks().begin()->second.data;
  const std::string& t = text.blocks().begin()->second.data;
  EXPECT_LT(d.size() + 50 * 2, t.size());  // 4 bytes instead of 7 per value
}

TEST(StreamTest, DeleteLeavesTombstonesAndFreesEmptyBlocks) {
  Stream s = MakeStream(20);
  EXPECT_TRUE(s.Delete({5, 0}));
  EXPECT_FALSE(s.Delete({5, 0}));
  EXPECT_FALSE(s.Contains({5, 0}));
  EXPECT_TRUE(s.Contains({6, 0}));
  EXPECT_EQ(s.length(), 19u);
  for (int i = 11; i <= 20; ++i) EXPECT_TRUE(s.Delete({static_cast<uint64_t>(i), 0}));
  EXPECT_EQ(s.block_count(), 1u);
  EXPECT_EQ(Ids(s, StreamID::Min(), StreamID::Max(), false).size(), 9u);
}

TEST(StreamTest, TrimExactApproxAndLimit) {
  StreamTrimArgs exact{.strategy = StreamTrimArgs::Strategy::kMaxLen, .maxlen = 25};
  Stream s = MakeStream(100);
  EXPECT_EQ(s.Trim(exact), 75);
  EXPECT_EQ(s.length(), 25u);
  EXPECT_EQ(s.first_id(), (StreamID{76, 0}));

  StreamTrimArgs approx{.strategy = StreamTrimArgs::Strategy::kMaxLen, .approx = true,
                        .maxlen = 25};
  Stream t = MakeStream(100);
  EXPECT_EQ(t.Trim(approx), 70);  // whole blocks only
  EXPECT_EQ(t.length(), 30u);

  approx.limit = 20;
  Stream u = MakeStream(100);
  EXPECT_EQ(u.Trim(approx), 20);

  StreamTrimArgs minid{.strategy = StreamTrimArgs::Strategy::kMinId, .minid = {50, 0}};
  Stream v = MakeStream(100);
  EXPECT_EQ(v.Trim(minid), 49);
  EXPECT_EQ(v.first_id(), (StreamID{50, 0}));
}

TEST(StreamTest, NextIdAndLag) {
  Stream s;
  EXPECT_EQ(*s.NextId(1000, nullptr), (StreamID{1000, 0}));
  auto fv = Fields("a", "b");
  s.Append({1000, 0}, fv, 4096, 100);
  EXPECT_EQ(*s.NextId(999, nullptr), (StreamID{1000, 1}));
  ParsedStreamID star{{1000, 0}, false};
  EXPECT_EQ(*s.NextId(0, &star), (StreamID{1000, 1}));
  ParsedStreamID old{{999, 5}, true};
  EXPECT_FALSE(s.NextId(0, &old));
  StreamGroup* g = s.CreateGroup("g", StreamID{}, 0);
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(s.CreateGroup("g", StreamID{}, 0), nullptr);
  int64_t lag;
  ASSERT_TRUE(s.GroupLag(*g, &lag));
  EXPECT_EQ(lag, 1);
}

TEST(StreamTest, CloneCopiesGroupsAndPel) {
  Stream s = MakeStream(3);
  StreamGroup* g = s.CreateGroup("g", StreamID{}, 0);
  bool created;
  StreamConsumer* c = g->GetOrCreateConsumer("c", 1, &created);
  PendingEntry& pe = g->pel[{1, 0}];
  pe.consumer = c;
  c->pel[{1, 0}] = &pe;
  auto copy = s.Clone();
  auto& cs = static_cast<Stream&>(*copy);
  StreamGroup* cg = cs.FindGroup("g");
  ASSERT_NE(cg, nullptr);
  StreamConsumer* cc = cg->FindConsumer("c");
  ASSERT_NE(cc, nullptr);
  EXPECT_EQ(cc->pel.at({1, 0}), &cg->pel.at({1, 0}));
  EXPECT_EQ(cg->pel.at({1, 0}).consumer, cc);
  EXPECT_EQ(cs.length(), 3u);
}

}  // namespace
}  // namespace basalt
