#include "db/access_clock.h"

#include <gtest/gtest.h>

namespace basalt {
namespace {

TEST(AccessClockTest, LruIdleWrapsAround) {
  EXPECT_EQ(LruIdleSeconds(100, 40), 60u);
  EXPECT_EQ(LruIdleSeconds(100, 100), 0u);
  // The clock wrapped past 2^24 - 1 since the value was stamped.
  EXPECT_EQ(LruIdleSeconds(5, kLruClockMax - 5), 10u);
  EXPECT_EQ(LruClockFromMs(int64_t{1} << 40), ((int64_t{1} << 40) / 1000) & kLruClockMax);
}

TEST(AccessClockTest, LfuInitialStamp) {
  const int64_t now = 3 * 60 * 1000 + 59999;  // minute 3
  EXPECT_EQ(LfuInitialStamp(now), (3u << 8) | kLfuInitVal);
  EXPECT_EQ(LfuDecrAndReturn(LfuInitialStamp(now), now, 1), kLfuInitVal);
}

TEST(AccessClockTest, LfuDecaysPerPeriod) {
  const uint32_t stamp = (10u << 8) | 20;  // minute 10, counter 20
  const int64_t minute = 60 * 1000;
  EXPECT_EQ(LfuDecrAndReturn(stamp, 10 * minute, 1), 20u);
  EXPECT_EQ(LfuDecrAndReturn(stamp, 15 * minute, 1), 15u);
  EXPECT_EQ(LfuDecrAndReturn(stamp, 15 * minute, 2), 18u);  // two periods of 2 minutes
  EXPECT_EQ(LfuDecrAndReturn(stamp, 100 * minute, 1), 0u);
  EXPECT_EQ(LfuDecrAndReturn(stamp, 100 * minute, 0), 20u);  // decay disabled
  // The 16-bit minute clock wrapped: 0xFFFF - 0xFFF0 + 4 minutes elapsed.
  const uint32_t old = (0xFFF0u << 8) | 30;
  EXPECT_EQ(LfuDecrAndReturn(old, int64_t{0x10004} * minute, 1), 30u - (0xFFFF - 0xFFF0 + 4));
}

TEST(AccessClockTest, LfuLogIncrIsLogarithmic) {
  // Below the initial value every hit counts.
  EXPECT_EQ(LfuLogIncr(0, 10, 0.99), 1u);
  EXPECT_EQ(LfuLogIncr(5, 10, 0.99), 6u);
  // At 6 the chance is 1 / (1 * 10 + 1).
  EXPECT_EQ(LfuLogIncr(6, 10, 0.05), 7u);
  EXPECT_EQ(LfuLogIncr(6, 10, 0.5), 6u);
  EXPECT_EQ(LfuLogIncr(255, 0, 0.0), 255u);
  // Factor 0: every hit counts.
  EXPECT_EQ(LfuLogIncr(100, 0, 0.999), 101u);
}

TEST(AccessClockTest, LfuTouchRestampsMinute) {
  const int64_t minute = 60 * 1000;
  const uint32_t stamp = (10u << 8) | 8;
  uint32_t touched = LfuTouch(stamp, 12 * minute, 10, 1, 0.0);  // decays 2, then +1
  EXPECT_EQ(touched >> 8, 12u);
  EXPECT_EQ(touched & 0xFF, 7u);
}

}  // namespace
}  // namespace basalt
