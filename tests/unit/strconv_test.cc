// Expected values were checked against redis-server 7.0.15: integers through SET + INCR,
// doubles through ZADD + ZSCORE, long doubles through INCRBYFLOAT, memory values through
// CONFIG SET/GET maxmemory.
#include "util/strconv.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <string>

namespace basalt {
namespace {

using namespace std::string_view_literals;

constexpr int64_t kMin64 = std::numeric_limits<int64_t>::min();
constexpr int64_t kMax64 = std::numeric_limits<int64_t>::max();
constexpr uint64_t kMaxU64 = std::numeric_limits<uint64_t>::max();

// ---- ParseInt64 ----------------------------------------------------------------------------

TEST(StrconvTest, ParseInt64Accepts) {
  EXPECT_EQ(ParseInt64("0"), 0);
  EXPECT_EQ(ParseInt64("1"), 1);
  EXPECT_EQ(ParseInt64("-1"), -1);
  EXPECT_EQ(ParseInt64("1234567890"), 1234567890);
  EXPECT_EQ(ParseInt64("9223372036854775807"), kMax64);
  EXPECT_EQ(ParseInt64("-9223372036854775808"), kMin64);
}

TEST(StrconvTest, ParseInt64RejectsNonCanonical) {
  EXPECT_EQ(ParseInt64(""), std::nullopt);
  EXPECT_EQ(ParseInt64("-"), std::nullopt);
  EXPECT_EQ(ParseInt64("01"), std::nullopt);
  EXPECT_EQ(ParseInt64("00"), std::nullopt);
  EXPECT_EQ(ParseInt64("-0"), std::nullopt);
  EXPECT_EQ(ParseInt64("-01"), std::nullopt);
  EXPECT_EQ(ParseInt64("+1"), std::nullopt);
  EXPECT_EQ(ParseInt64(" 1"), std::nullopt);
  EXPECT_EQ(ParseInt64("1 "), std::nullopt);
  EXPECT_EQ(ParseInt64("1a"), std::nullopt);
  EXPECT_EQ(ParseInt64("1.0"), std::nullopt);
  EXPECT_EQ(ParseInt64("0x10"), std::nullopt);
  EXPECT_EQ(ParseInt64("1\0"sv), std::nullopt);
  EXPECT_EQ(ParseInt64("--1"), std::nullopt);
}

TEST(StrconvTest, ParseInt64RejectsOverflowAndLength) {
  EXPECT_EQ(ParseInt64("9223372036854775808"), std::nullopt);
  EXPECT_EQ(ParseInt64("-9223372036854775809"), std::nullopt);
  EXPECT_EQ(ParseInt64("18446744073709551615"), std::nullopt);
  EXPECT_EQ(ParseInt64("18446744073709551616"), std::nullopt);
  EXPECT_EQ(ParseInt64("99999999999999999999"), std::nullopt);
  EXPECT_EQ(ParseInt64("123456789012345678901"), std::nullopt);  // 21 bytes.
}

TEST(StrconvTest, ParseInt64RoundTripsRandomValues) {
  std::mt19937_64 rng(7);
  char buf[kInt64BufSize];
  for (int i = 0; i < 100000; ++i) {
    const int64_t v = static_cast<int64_t>(rng()) >> (rng() % 64);
    const size_t len = FormatInt64(v, buf);
    ASSERT_EQ(ParseInt64(std::string_view(buf, len)), v);
  }
}

// ---- ParseUint64 ---------------------------------------------------------------------------

TEST(StrconvTest, ParseUint64) {
  EXPECT_EQ(ParseUint64("0"), 0u);
  EXPECT_EQ(ParseUint64("42"), 42u);
  EXPECT_EQ(ParseUint64("18446744073709551615"), kMaxU64);
  EXPECT_EQ(ParseUint64("18446744073709551616"), std::nullopt);
  EXPECT_EQ(ParseUint64(""), std::nullopt);
  EXPECT_EQ(ParseUint64("-1"), std::nullopt);  // string2ll accepts it; negative is refused.
  EXPECT_EQ(ParseUint64("1 "), std::nullopt);
  EXPECT_EQ(ParseUint64("1x"), std::nullopt);
  EXPECT_EQ(ParseUint64(" "), std::nullopt);
  EXPECT_EQ(ParseUint64("+"), std::nullopt);
  EXPECT_EQ(ParseUint64("- 1"), std::nullopt);
  EXPECT_EQ(ParseUint64("0x10"), std::nullopt);
}

TEST(StrconvTest, ParseUint64KeepsStrtoullLeniency) {
  // These reach Redis's strtoull fallback (e.g. XADD s 007-1 is the ID 7-1).
  EXPECT_EQ(ParseUint64("007"), 7u);
  EXPECT_EQ(ParseUint64("+5"), 5u);
  EXPECT_EQ(ParseUint64(" 5"), 5u);
  EXPECT_EQ(ParseUint64("\t\n5"), 5u);
  EXPECT_EQ(ParseUint64("-0"), 0u);
  EXPECT_EQ(ParseUint64("-01"), kMaxU64);
  EXPECT_EQ(ParseUint64(" -1"), kMaxU64);
  EXPECT_EQ(ParseUint64("-18446744073709551615"), 1u);
  EXPECT_EQ(ParseUint64("000000000000000000000000000000001"), 1u);
  // C-string semantics: the input ends at the first NUL.
  EXPECT_EQ(ParseUint64("12\0junk"sv), 12u);
  EXPECT_EQ(ParseUint64("\0"sv), std::nullopt);
}

// Reference: Redis's string2ull written against libc.
std::optional<uint64_t> ReferenceString2ull(const std::string& s) {
  const char* c = s.c_str();
  if (auto v = ParseInt64(std::string_view(c, std::strlen(c)))) {
    if (*v < 0) return std::nullopt;
    return static_cast<uint64_t>(*v);
  }
  errno = 0;
  char* end = nullptr;
  unsigned long long v = std::strtoull(c, &end, 10);
  if (errno == EINVAL || errno == ERANGE || !(*c != '\0' && *end == '\0')) return std::nullopt;
  return v;
}

TEST(StrconvTest, ParseUint64MatchesStrtoullOnRandomInput) {
  std::mt19937_64 rng(11);
  const char alphabet[] = "0123456789 +-\tx";
  for (int i = 0; i < 200000; ++i) {
    std::string s;
    const size_t len = rng() % 24;
    for (size_t j = 0; j < len; ++j) s += alphabet[rng() % (sizeof(alphabet) - 1)];
    ASSERT_EQ(ParseUint64(s), ReferenceString2ull(s)) << "input: '" << s << "'";
  }
}

// ---- ParseDouble ---------------------------------------------------------------------------

TEST(StrconvTest, ParseDoubleAccepts) {
  EXPECT_EQ(ParseDouble("0"), 0.0);
  EXPECT_EQ(ParseDouble("1.1"), 1.1);
  EXPECT_EQ(ParseDouble("-1.5"), -1.5);
  EXPECT_EQ(ParseDouble("100"), 100.0);
  EXPECT_EQ(ParseDouble("1e20"), 1e20);
  EXPECT_EQ(ParseDouble("3.0e-5"), 3.0e-5);
  EXPECT_EQ(ParseDouble("1E3"), 1000.0);
  EXPECT_EQ(ParseDouble(".5"), 0.5);
  EXPECT_EQ(ParseDouble("5."), 5.0);
  EXPECT_EQ(ParseDouble("+5"), 5.0);
  EXPECT_EQ(ParseDouble("0x10"), 16.0);  // strtod takes hex floats; ZADD z 0x10 a works.
  EXPECT_EQ(ParseDouble("123456789012345678"), 123456789012345678.0);
  EXPECT_EQ(ParseDouble("4.9e-324"), 4.9e-324);  // Subnormal: ERANGE but nonzero, accepted.
  EXPECT_EQ(ParseDouble("inf"), HUGE_VAL);
  EXPECT_EQ(ParseDouble("+inf"), HUGE_VAL);
  EXPECT_EQ(ParseDouble("-inf"), -HUGE_VAL);
  EXPECT_EQ(ParseDouble("Infinity"), HUGE_VAL);
  auto neg_zero = ParseDouble("-0.0");
  ASSERT_TRUE(neg_zero.has_value());
  EXPECT_TRUE(*neg_zero == 0 && std::signbit(*neg_zero));
}

TEST(StrconvTest, ParseDoubleRejects) {
  EXPECT_EQ(ParseDouble(""), std::nullopt);
  EXPECT_EQ(ParseDouble(" 1"), std::nullopt);
  EXPECT_EQ(ParseDouble("\t1"), std::nullopt);
  EXPECT_EQ(ParseDouble("1 "), std::nullopt);
  EXPECT_EQ(ParseDouble("1x"), std::nullopt);
  EXPECT_EQ(ParseDouble("1e"), std::nullopt);
  EXPECT_EQ(ParseDouble("."), std::nullopt);
  EXPECT_EQ(ParseDouble("-"), std::nullopt);
  EXPECT_EQ(ParseDouble("nan"), std::nullopt);
  EXPECT_EQ(ParseDouble("-nan"), std::nullopt);
  EXPECT_EQ(ParseDouble("NaN"), std::nullopt);
  EXPECT_EQ(ParseDouble("1e400"), std::nullopt);  // Overflow.
  EXPECT_EQ(ParseDouble("-1e400"), std::nullopt);
  EXPECT_EQ(ParseDouble("1e-400"), std::nullopt);  // Underflow to zero.
  EXPECT_EQ(ParseDouble("1\0"sv), std::nullopt);
}

// Reference: Redis's string2d written against libc.
std::optional<double> ReferenceString2d(const std::string& s) {
  errno = 0;
  char* end;
  double d = std::strtod(s.c_str(), &end);
  if (s.empty() || std::isspace(static_cast<unsigned char>(s[0])) ||
      static_cast<size_t>(end - s.c_str()) != s.size() ||
      (errno == ERANGE && (d == HUGE_VAL || d == -HUGE_VAL || d == 0)) || std::isnan(d)) {
    return std::nullopt;
  }
  return d;
}

TEST(StrconvTest, ParseDoubleMatchesStrtodOnRandomInput) {
  std::mt19937_64 rng(3);
  const char alphabet[] = "0123456789.e-+ xinfa";
  for (int i = 0; i < 300000; ++i) {
    std::string s;
    const size_t len = rng() % 12;
    for (size_t j = 0; j < len; ++j) s += alphabet[rng() % (sizeof(alphabet) - 1)];
    auto got = ParseDouble(s);
    auto want = ReferenceString2d(s);
    ASSERT_EQ(got.has_value(), want.has_value()) << "input: '" << s << "'";
    if (got) {
      ASSERT_EQ(std::memcmp(&*got, &*want, sizeof(double)), 0) << "input: '" << s << "'";
    }
  }
  // Printed random doubles must parse back to the same bits, through either path.
  for (int i = 0; i < 100000; ++i) {
    uint64_t bits = rng();
    double d;
    std::memcpy(&d, &bits, sizeof(d));
    if (!std::isfinite(d)) continue;
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%.17g", d);
    auto got = ParseDouble(buf);
    auto want = ReferenceString2d(buf);
    ASSERT_EQ(got.has_value(), want.has_value()) << buf;
    if (got) {
      ASSERT_EQ(std::memcmp(&*got, &*want, sizeof(double)), 0) << buf;
    }
  }
}

// ---- ParseLongDouble -----------------------------------------------------------------------

TEST(StrconvTest, ParseLongDoubleAccepts) {
  EXPECT_EQ(ParseLongDouble("0.1"), 0.1L);
  EXPECT_EQ(ParseLongDouble("-1.5"), -1.5L);
  EXPECT_EQ(ParseLongDouble("5.0e3"), 5000.0L);
  EXPECT_EQ(ParseLongDouble("+2.5"), 2.5L);
  EXPECT_EQ(ParseLongDouble(".5"), 0.5L);
  EXPECT_EQ(ParseLongDouble("5."), 5.0L);
  EXPECT_EQ(ParseLongDouble("0x1p-3"), 0.125L);
  EXPECT_EQ(ParseLongDouble("1e4000"), 1e4000L);  // Fine for long double, not for double.
  EXPECT_EQ(ParseLongDouble("inf"), HUGE_VALL);   // INCRBYFLOAT then refuses the result.
  EXPECT_EQ(ParseLongDouble("-inf"), -HUGE_VALL);
  auto tiny = ParseLongDouble("4e-4940");  // Subnormal: accepted.
  ASSERT_TRUE(tiny.has_value());
  EXPECT_GT(*tiny, 0);
}

TEST(StrconvTest, ParseLongDoubleRejects) {
  EXPECT_EQ(ParseLongDouble(""), std::nullopt);
  EXPECT_EQ(ParseLongDouble(" 1"), std::nullopt);
  EXPECT_EQ(ParseLongDouble("1 "), std::nullopt);
  EXPECT_EQ(ParseLongDouble("1x"), std::nullopt);
  EXPECT_EQ(ParseLongDouble("nan"), std::nullopt);
  EXPECT_EQ(ParseLongDouble("1e5000"), std::nullopt);
  EXPECT_EQ(ParseLongDouble("1e-5000"), std::nullopt);
  EXPECT_EQ(ParseLongDouble("1\0"sv), std::nullopt);
}

TEST(StrconvTest, ParseLongDoubleLengthLimit) {
  // MAX_LONG_DOUBLE_CHARS is 5k: 5119 bytes are parsed, 5120 are refused.
  std::string longest = "1." + std::string(kMaxLongDoubleChars - 3, '0');
  ASSERT_EQ(longest.size(), kMaxLongDoubleChars - 1);
  EXPECT_EQ(ParseLongDouble(longest), 1.0L);
  EXPECT_EQ(ParseLongDouble(longest + "0"), std::nullopt);
}

// ---- ParseMemory ---------------------------------------------------------------------------

TEST(StrconvTest, ParseMemoryUnits) {
  EXPECT_EQ(ParseMemory("0"), 0);
  EXPECT_EQ(ParseMemory("7"), 7);
  EXPECT_EQ(ParseMemory("007"), 7);
  EXPECT_EQ(ParseMemory("7b"), 7);
  EXPECT_EQ(ParseMemory("7B"), 7);
  EXPECT_EQ(ParseMemory("100k"), 100000);
  EXPECT_EQ(ParseMemory("100kb"), 102400);
  EXPECT_EQ(ParseMemory("5m"), 5000000);
  EXPECT_EQ(ParseMemory("512mb"), 536870912);
  EXPECT_EQ(ParseMemory("4G"), 4000000000);
  EXPECT_EQ(ParseMemory("4g"), 4000000000);
  EXPECT_EQ(ParseMemory("1gb"), 1073741824);
  EXPECT_EQ(ParseMemory("1GB"), 1073741824);
  EXPECT_EQ(ParseMemory("1Gb"), 1073741824);
}

TEST(StrconvTest, ParseMemoryRejects) {
  EXPECT_EQ(ParseMemory("-1"), std::nullopt);
  EXPECT_EQ(ParseMemory("-1gb"), std::nullopt);
  EXPECT_EQ(ParseMemory(" 1"), std::nullopt);
  EXPECT_EQ(ParseMemory("1 "), std::nullopt);
  EXPECT_EQ(ParseMemory("+1"), std::nullopt);
  EXPECT_EQ(ParseMemory("1.5gb"), std::nullopt);
  EXPECT_EQ(ParseMemory("1kbb"), std::nullopt);
  EXPECT_EQ(ParseMemory("1t"), std::nullopt);
  EXPECT_EQ(ParseMemory("1tb"), std::nullopt);
  EXPECT_EQ(ParseMemory(std::string(128, '1')), std::nullopt);
}

TEST(StrconvTest, ParseMemoryQuirks) {
  // CONFIG SET maxmemory "" and "gb" both set 0 in Redis 7.0.
  EXPECT_EQ(ParseMemory(""), 0);
  EXPECT_EQ(ParseMemory("gb"), 0);
  // Digit overflow saturates; CONFIG GET then shows 18446744073709551615.
  EXPECT_EQ(ParseMemory("99999999999999999999999"), -1);
  EXPECT_EQ(ParseMemory("18446744073709551616"), -1);
  EXPECT_EQ(static_cast<uint64_t>(*ParseMemory("18446744073709551615")), kMaxU64);
  // The unit multiplication wraps: CONFIG GET shows 3028092406290448384.
  EXPECT_EQ(ParseMemory("20000000000gb"), 3028092406290448384);
  EXPECT_EQ(ParseMemory(std::string(127, '0') + "1"), std::nullopt);  // 128 digits.
  EXPECT_EQ(ParseMemory(std::string(126, '0') + "1"), 1);
  EXPECT_EQ(ParseMemory("5\0garbage"sv), 5);  // C string: ends at the NUL.
}

// ---- FormatInt64 ---------------------------------------------------------------------------

TEST(StrconvTest, FormatInt64) {
  EXPECT_EQ(Int64ToString(0), "0");
  EXPECT_EQ(Int64ToString(7), "7");
  EXPECT_EQ(Int64ToString(-7), "-7");
  EXPECT_EQ(Int64ToString(10), "10");
  EXPECT_EQ(Int64ToString(99), "99");
  EXPECT_EQ(Int64ToString(100), "100");
  EXPECT_EQ(Int64ToString(-1000000), "-1000000");
  EXPECT_EQ(Int64ToString(kMax64), "9223372036854775807");
  EXPECT_EQ(Int64ToString(kMin64), "-9223372036854775808");
  char buf[kInt64BufSize];
  EXPECT_EQ(std::string(buf, FormatUint64(kMaxU64, buf)), "18446744073709551615");
  EXPECT_EQ(std::string(buf, FormatUint64(0, buf)), "0");
}

TEST(StrconvTest, FormatInt64MatchesPrintfAtEveryWidth) {
  char buf[kInt64BufSize];
  char want[32];
  uint64_t p = 1;
  for (int digits = 1; digits <= 19; ++digits, p *= 10) {
    for (int64_t v : {static_cast<int64_t>(p), static_cast<int64_t>(p - 1),
                      static_cast<int64_t>(p + 1), static_cast<int64_t>(p * 9 - 1)}) {
      for (int64_t x : {v, -v}) {
        std::snprintf(want, sizeof(want), "%lld", static_cast<long long>(x));
        ASSERT_EQ(std::string(buf, FormatInt64(x, buf)), want);
      }
    }
  }
  std::mt19937_64 rng(5);
  for (int i = 0; i < 100000; ++i) {
    const uint64_t u = rng() >> (rng() % 64);
    std::snprintf(want, sizeof(want), "%llu", static_cast<unsigned long long>(u));
    ASSERT_EQ(std::string(buf, FormatUint64(u, buf)), want);
  }
}

// ---- FormatDouble --------------------------------------------------------------------------

TEST(StrconvTest, FormatDoubleLikeZscore) {
  EXPECT_EQ(FormatDouble(1.1), "1.1000000000000001");
  EXPECT_EQ(FormatDouble(100), "100");
  EXPECT_EQ(FormatDouble(5), "5");
  EXPECT_EQ(FormatDouble(16), "16");
  EXPECT_EQ(FormatDouble(1e15), "1000000000000000");
  EXPECT_EQ(FormatDouble(1e20), "1e+20");
  EXPECT_EQ(FormatDouble(123456789012345678.0), "1.2345678901234568e+17");
  EXPECT_EQ(FormatDouble(3.0e-5), "3.0000000000000001e-05");
  EXPECT_EQ(FormatDouble(4.9e-324), "4.9406564584124654e-324");
  EXPECT_EQ(FormatDouble(0.0), "0");
  EXPECT_EQ(FormatDouble(-0.0), "-0");
  EXPECT_EQ(FormatDouble(-2.5), "-2.5");
  EXPECT_EQ(FormatDouble(HUGE_VAL), "inf");
  EXPECT_EQ(FormatDouble(-HUGE_VAL), "-inf");
  EXPECT_EQ(FormatDouble(std::numeric_limits<double>::quiet_NaN()), "nan");
  EXPECT_EQ(FormatDouble(-std::numeric_limits<double>::max()), "-1.7976931348623157e+308");
}

TEST(StrconvTest, FormatDoubleMatchesPrintfOnRandomBits) {
  std::mt19937_64 rng(9);
  char buf[kDoubleBufSize];
  char want[64];
  for (int i = 0; i < 300000; ++i) {
    uint64_t bits = rng();
    double d;
    std::memcpy(&d, &bits, sizeof(d));
    if (i % 3 == 0) d = static_cast<double>(static_cast<int64_t>(rng()) >> (rng() % 64));
    if (i % 3 == 1) d = static_cast<double>(rng() % 100000) / 1000.0;
    std::snprintf(want, sizeof(want), "%.17g", d);
    ASSERT_EQ(std::string(buf, FormatDouble(d, buf)), want);
  }
}

TEST(StrconvTest, FormatDoubleCompact) {
  EXPECT_EQ(FormatDoubleCompact(1.1), "1.1000000000000001");
  EXPECT_EQ(FormatDoubleCompact(3), "3");
  EXPECT_EQ(FormatDoubleCompact(-3), "-3");
  EXPECT_EQ(FormatDoubleCompact(1e17), "100000000000000000");
  EXPECT_EQ(FormatDoubleCompact(4611686018427387904.0), "4611686018427387904");  // 2^62.
  EXPECT_EQ(FormatDoubleCompact(-4611686018427387904.0), "-4611686018427387904");
  EXPECT_EQ(FormatDoubleCompact(9223372036854775808.0), "9.2233720368547758e+18");
  EXPECT_EQ(FormatDoubleCompact(1e20), "1e+20");
  EXPECT_EQ(FormatDoubleCompact(0.0), "0");
  EXPECT_EQ(FormatDoubleCompact(-0.0), "-0");
  EXPECT_EQ(FormatDoubleCompact(HUGE_VAL), "inf");
  EXPECT_EQ(FormatDoubleCompact(-HUGE_VAL), "-inf");
  EXPECT_EQ(FormatDoubleCompact(-std::numeric_limits<double>::quiet_NaN()), "nan");
}

// ---- FormatLongDouble ----------------------------------------------------------------------

// INCRBYFLOAT results as Redis prints them: the stored value is the sum of the two parsed
// long doubles, formatted in human mode.
std::string IncrByFloat(const char* base, const char* incr) {
  return FormatLongDouble(*ParseLongDouble(base) + *ParseLongDouble(incr), true);
}

TEST(StrconvTest, FormatLongDoubleHumanLikeIncrByFloat) {
  EXPECT_EQ(IncrByFloat("0.1", "0.2"), "0.3");
  EXPECT_EQ(IncrByFloat("10.5", "0.1"), "10.6");
  EXPECT_EQ(IncrByFloat("10.6", "1e20"), "100000000000000000008");
  EXPECT_EQ(IncrByFloat("3", "1.23e-7"), "3.000000123");
  EXPECT_EQ(IncrByFloat("1", "-1"), "0");
  EXPECT_EQ(IncrByFloat("0", "-0.00000000000000000001"), "0");  // "-0" becomes "0".
  EXPECT_EQ(IncrByFloat("0", "1e-30"), "0");
  EXPECT_EQ(IncrByFloat("0", "0.333333333333333333333"), "0.33333333333333333");
  EXPECT_EQ(IncrByFloat("0", "1e17"), "100000000000000000");
  EXPECT_EQ(IncrByFloat("0", "-1.5"), "-1.5");
  EXPECT_EQ(IncrByFloat("0", "5.0e3"), "5000");
  EXPECT_EQ(IncrByFloat("0", "1.23456789012345678901"), "1.23456789012345679");
  EXPECT_EQ(IncrByFloat("0", "-0.1"), "-0.1");
  EXPECT_EQ(IncrByFloat("0", "1e-17"), "0.00000000000000001");
  EXPECT_EQ(IncrByFloat("0", "1e-18"), "0");
  EXPECT_EQ(IncrByFloat("0", "123456789.123456789"), "123456789.12345678899873747");
  EXPECT_EQ(IncrByFloat("0", "9223372036854775807"), "9223372036854775807");
  EXPECT_EQ(IncrByFloat("0", "1.1"), "1.1");
  EXPECT_EQ(IncrByFloat("1.1", "2.0e0"), "3.1");
}

TEST(StrconvTest, FormatLongDoubleHumanHugeValues) {
  const std::string big = FormatLongDouble(1e4000L, true);
  EXPECT_EQ(big.size(), 4000u);  // INCRBYFLOAT on a key holding "1e4000" prints this.
  EXPECT_EQ(big.substr(0, 20), "99999999999999999999");
  EXPECT_EQ(big.find('.'), std::string::npos);
  const std::string max = FormatLongDouble(std::numeric_limits<long double>::max(), true);
  EXPECT_EQ(max.size(), 4933u);
  EXPECT_EQ(FormatLongDouble(-std::numeric_limits<long double>::max(), true).size(), 4934u);
}

TEST(StrconvTest, FormatLongDoubleSpecialValues) {
  EXPECT_EQ(FormatLongDouble(HUGE_VALL, true), "inf");
  EXPECT_EQ(FormatLongDouble(-HUGE_VALL, true), "-inf");
  EXPECT_EQ(FormatLongDouble(HUGE_VALL, false), "inf");
  EXPECT_EQ(FormatLongDouble(-HUGE_VALL, false), "-inf");
  EXPECT_EQ(FormatLongDouble(-0.0L, true), "0");
  EXPECT_EQ(FormatLongDouble(0.0L, true), "0");
}

TEST(StrconvTest, FormatLongDoubleAuto) {
  EXPECT_EQ(FormatLongDouble(0.1L, false), "0.1");
  EXPECT_EQ(FormatLongDouble(1.0L / 3, false), "0.33333333333333333");
  EXPECT_EQ(FormatLongDouble(0.1, false), "0.10000000000000001");  // The double 0.1.
  EXPECT_EQ(FormatLongDouble(1.5L, false), "1.5");
  EXPECT_EQ(FormatLongDouble(1e20L, false), "1e+20");
  EXPECT_EQ(FormatLongDouble(-0.0L, false), "-0");
  EXPECT_EQ(FormatLongDouble(1e4000L, false), "1e+4000");
}

}  // namespace
}  // namespace basalt
