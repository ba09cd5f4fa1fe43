#include "util/sha1.h"

#include <gtest/gtest.h>

#include <string>

namespace basalt {
namespace {

// Test vectors from FIPS 180 and RFC 3174.
TEST(Sha1Test, KnownVectors) {
  EXPECT_EQ(Sha1::Hex(Sha1::Of("")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(Sha1::Hex(Sha1::Of("abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(Sha1::Hex(Sha1::Of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
}

TEST(Sha1Test, MillionAs) {
  Sha1 h;
  std::string chunk(1000, 'a');
  for (int i = 0; i < 1000; ++i) h.Update(chunk);
  EXPECT_EQ(Sha1::Hex(h.Final()), "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

// Padding crosses a block boundary when 56..63 bytes remain; feeding in odd pieces must give
// the same hash as one call.
TEST(Sha1Test, IncrementalMatchesOneShotAtEveryLength) {
  std::string data;
  for (int i = 0; i < 200; ++i) data.push_back(static_cast<char>(i * 7 + 3));
  for (size_t len = 0; len <= data.size(); ++len) {
    std::string_view prefix(data.data(), len);
    Sha1 h;
    for (size_t pos = 0; pos < len; pos += 13) h.Update(prefix.substr(pos, 13));
    EXPECT_EQ(h.Final(), Sha1::Of(prefix)) << "length " << len;
  }
}

TEST(Sha1Test, BinaryBytes) {
  std::string zeros(20, '\0');
  EXPECT_EQ(Sha1::Hex(Sha1::Of(zeros)), "6768033e216468247bd031a0a2d9876d79818f8f");
}

}  // namespace
}  // namespace basalt
