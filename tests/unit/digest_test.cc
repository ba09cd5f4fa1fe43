#include "db/digest.h"

#include <gtest/gtest.h>

#include <string>

namespace basalt {
namespace {

constexpr int64_t kNow = 1'000'000;

// Expected digests were read from Redis 7.0 (DEBUG DIGEST / DEBUG DIGEST-VALUE) holding the
// same data.
TEST(DigestTest, StartsAsZero) {
  Digest d;
  EXPECT_TRUE(d.IsZero());
  EXPECT_EQ(d.Hex(), std::string(40, '0'));
}

TEST(DigestTest, XorIsOrderInsensitiveAndSelfInverse) {
  Digest ab, ba;
  ab.Xor("a");
  ab.Xor("b");
  ba.Xor("b");
  ba.Xor("a");
  EXPECT_EQ(ab.Hex(), ba.Hex());
  ab.Xor("a");
  ab.Xor("b");
  EXPECT_TRUE(ab.IsZero());
}

TEST(DigestTest, MixIsOrderAndBoundarySensitive) {
  Digest ab, ba, a_bc, ab_c;
  ab.Mix("a");
  ab.Mix("b");
  ba.Mix("b");
  ba.Mix("a");
  EXPECT_NE(ab.Hex(), ba.Hex());
  a_bc.Mix("a");
  a_bc.Mix("bc");
  ab_c.Mix("ab");
  ab_c.Mix("c");
  EXPECT_NE(a_bc.Hex(), ab_c.Hex());
}

TEST(DigestTest, StringValueDigestsMatchRedis) {
  KeyspaceStats stats;
  Database db(0, &stats);
  db.Add("a", Value::String("1"));  // int-encoded: digested as its text
  db.Add("key:0", Value::PlainString("value:0"));
  db.Add("b", Value::String("hello"), kNow + 100000);

  Digest a, key0, b;
  MixValueDigest(*db.FindRaw("a"), &a);
  MixValueDigest(*db.FindRaw("key:0"), &key0);
  MixValueDigest(*db.FindRaw("b"), &b);
  EXPECT_EQ(a.Hex(), "b4fc66738120fba0b5aa500ab5c2bf89cea1c5da");
  EXPECT_EQ(key0.Hex(), "c15f34c747bf411833c10208c03e1da1bb7da7cf");
  EXPECT_EQ(b.Hex(), "d037c4eb8a8b36b602fbced4000daeab0714c1e3");  // with the expire mark
}

TEST(DigestTest, EncodingDoesNotMatter) {
  KeyspaceStats stats;
  Database db(0, &stats);
  db.Add("int", Value::String("12345"));
  db.Add("raw", Value::RawString("12345"));
  Digest as_int, as_raw;
  MixValueDigest(*db.FindRaw("int"), &as_int);
  MixValueDigest(*db.FindRaw("raw"), &as_raw);
  EXPECT_EQ(as_int.Hex(), as_raw.Hex());
}

TEST(DigestTest, DatasetDigestMatchesRedis) {
  KeyspaceStats stats;
  Database db0(0, &stats);
  Database db3(3, &stats);
  Digest empty;
  AddDatabaseDigest(db0, &empty);
  AddDatabaseDigest(db3, &empty);
  EXPECT_TRUE(empty.IsZero());  // empty databases add nothing, not even their id

  db0.Add("a", Value::String("1"));
  Digest one;
  AddDatabaseDigest(db0, &one);
  EXPECT_EQ(one.Hex(), "943d800368fb9c0e951138f1bc0e313ac769d91f");

  db0.Add("b", Value::String("hello"), kNow + 100000);
  Digest two;
  AddDatabaseDigest(db0, &two);
  EXPECT_EQ(two.Hex(), "669dc7955c0119edb82e7cfeb40ea4a28f89f902");

  db3.Add("a", Value::String("1"));
  Digest both;
  AddDatabaseDigest(db0, &both);
  AddDatabaseDigest(db3, &both);
  EXPECT_EQ(both.Hex(), "cf61fb80c90dca22cfbb5a5f017cfb290fe0411d");
}

TEST(DigestTest, KeyInsertionOrderDoesNotMatter) {
  KeyspaceStats stats;
  Database forward(0, &stats);
  Database backward(0, &stats);
  for (int i = 0; i < 100; ++i) forward.Add("k" + std::to_string(i), Value::String("v"));
  for (int i = 99; i >= 0; --i) backward.Add("k" + std::to_string(i), Value::String("v"));
  Digest f, b;
  AddDatabaseDigest(forward, &f);
  AddDatabaseDigest(backward, &b);
  EXPECT_EQ(f.Hex(), b.Hex());
}

}  // namespace
}  // namespace basalt
