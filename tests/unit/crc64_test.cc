// Tests for persistence/crc64: the CRC-64/Jones check value Redis's crc64.c is tested with,
// piecewise computation, and agreement of the sliced path with a bitwise reference.
#include "persistence/crc64.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace basalt {
namespace {

uint64_t BitwiseCrc64(std::string_view s) {
  uint64_t crc = 0;
  for (unsigned char c : s) {
    crc ^= c;
    for (int i = 0; i < 8; ++i) crc = (crc & 1) ? (crc >> 1) ^ 0x95ac9329ac4bc9b5ULL : crc >> 1;
  }
  return crc;
}

TEST(Crc64Test, CheckValue) {
  EXPECT_EQ(Crc64Of(0, "123456789"), 0xe9c6d914c4b8d9caULL);
  EXPECT_EQ(Crc64Of(0, ""), 0u);
}

TEST(Crc64Test, RedisTestVector) {
  // The sentence Redis's crc64 self-test uses.
  const std::string li =
      "This is a test of the emergency broadcast system. This is only a test.";
  EXPECT_EQ(Crc64Of(0, li), BitwiseCrc64(li));
}

TEST(Crc64Test, PiecewiseEqualsWhole) {
  std::mt19937 rng(7);
  std::string data(1000, '\0');
  for (char& c : data) c = static_cast<char>(rng());
  const uint64_t whole = Crc64Of(0, data);
  EXPECT_EQ(whole, BitwiseCrc64(data));
  for (size_t cut : {0, 1, 7, 8, 9, 500, 999, 1000}) {
    std::string_view v(data);
    EXPECT_EQ(Crc64Of(Crc64Of(0, v.substr(0, cut)), v.substr(cut)), whole) << cut;
  }
}

TEST(Crc64Test, EveryLengthMatchesBitwise) {
  std::string data;
  for (int i = 0; i < 64; ++i) {
    EXPECT_EQ(Crc64Of(0, data), BitwiseCrc64(data)) << i;
    data.push_back(static_cast<char>(i * 37 + 11));
  }
}

}  // namespace
}  // namespace basalt
