#include "util/strconv.h"

#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>

namespace basalt {

namespace {

// isspace() in the C locale. Redis rejects numbers whose first byte is one of these
// because strtod/strtold would otherwise skip them silently.
inline bool IsCSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

inline bool IsDigit(char c) { return static_cast<unsigned char>(c - '0') < 10; }

inline char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

// Redis's inputs are NUL-terminated sds strings handed to C functions that stop at the
// first NUL; where Redis uses strlen()/strcasecmp() we cut the view the same way.
inline std::string_view UpToNul(std::string_view s) {
  size_t nul = s.find('\0');
  return nul == std::string_view::npos ? s : s.substr(0, nul);
}

constexpr char kDigitPairs[] =
    "0001020304050607080910111213141516171819"
    "2021222324252627282930313233343536373839"
    "4041424344454647484950515253545556575859"
    "6061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

constexpr std::array<uint64_t, 20> kPow10 = [] {
  std::array<uint64_t, 20> p{};
  p[0] = 1;
  for (size_t i = 1; i < p.size(); ++i) p[i] = p[i - 1] * 10;
  return p;
}();

// Number of decimal digits of v, branch-light: the bit length gives floor(log10) or one
// more (1233/4096 ~ log10(2)), and one table compare settles it. v|1 maps 0 to 1 digit
// without changing the count of any other value (10^k - 1 is odd).
inline size_t Digits10(uint64_t v) {
  v |= 1;
  const int bits = 64 - __builtin_clzll(v);
  const int t = (bits * 1233) >> 12;
  return static_cast<size_t>(t) + (v >= kPow10[t] ? 1 : 0);
}

// Runs `fn(buf)` on a NUL-terminated copy of s: strtod/strtold need the terminator and
// string_views have none. Short inputs (the common case) stay on the stack.
template <typename Fn>
auto WithCString(std::string_view s, Fn fn) {
  constexpr size_t kStackSize = 128;
  if (s.size() < kStackSize) {
    char buf[kStackSize];
    std::memcpy(buf, s.data(), s.size());
    buf[s.size()] = '\0';
    return fn(buf);
  }
  std::string copy(s);
  return fn(copy.data());
}

// The range/NaN checks shared by string2d and string2ld, applied after strto*() consumed
// exactly `consumed` bytes of an input of length n.
template <typename T>
std::optional<T> CheckStrtodResult(T value, size_t consumed, size_t n, int err) {
  if (consumed != n) return std::nullopt;
  if (err == ERANGE && (std::isinf(value) || value == 0)) return std::nullopt;
  if (err == EINVAL || std::isnan(value)) return std::nullopt;
  return value;
}

}  // namespace

// ---- Parsing -------------------------------------------------------------------------------

std::optional<int64_t> ParseInt64(std::string_view s) {
  const size_t n = s.size();
  // 20 bytes is the longest canonical int64 ("-9223372036854775808").
  if (n == 0 || n > 20) return std::nullopt;
  const char* p = s.data();
  const char* const end = p + n;
  if (n == 1 && p[0] == '0') return 0;

  bool negative = false;
  if (*p == '-') {
    negative = true;
    if (++p == end) return std::nullopt;
  }
  // A leading zero is only valid as the whole number "0", so "-0" and "01" fail here.
  if (*p < '1' || *p > '9') return std::nullopt;
  uint64_t v = static_cast<uint64_t>(*p++ - '0');
  while (p < end) {
    if (!IsDigit(*p)) return std::nullopt;
    if (__builtin_mul_overflow(v, 10u, &v) ||
        __builtin_add_overflow(v, static_cast<uint64_t>(*p - '0'), &v)) {
      return std::nullopt;
    }
    ++p;
  }
  if (negative) {
    if (v > (static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + 1)) {
      return std::nullopt;
    }
    return static_cast<int64_t>(0 - v);
  }
  if (v > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return std::nullopt;
  return static_cast<int64_t>(v);
}

std::optional<uint64_t> ParseUint64(std::string_view s) {
  s = UpToNul(s);
  if (auto v = ParseInt64(s)) {
    if (*v < 0) return std::nullopt;
    return static_cast<uint64_t>(*v);
  }
  // strtoull(s, &end, 10) and Redis's "whole string consumed, no ERANGE" check.
  const size_t n = s.size();
  size_t i = 0;
  while (i < n && IsCSpace(s[i])) ++i;
  bool negative = false;
  if (i < n && (s[i] == '+' || s[i] == '-')) {
    negative = s[i] == '-';
    ++i;
  }
  if (i == n || !IsDigit(s[i])) return std::nullopt;  // No conversion.
  uint64_t v = 0;
  bool overflow = false;
  for (; i < n && IsDigit(s[i]); ++i) {
    overflow |= __builtin_mul_overflow(v, 10u, &v);
    overflow |= __builtin_add_overflow(v, static_cast<uint64_t>(s[i] - '0'), &v);
  }
  if (i != n || overflow) return std::nullopt;
  // strtoull negates in unsigned arithmetic: "-1" would be 2^64-1 (ParseInt64 caught that
  // one, but "-01" and " -1" get here).
  return negative ? 0 - v : v;
}

std::optional<long double> ParseLongDouble(std::string_view s) {
  const size_t n = s.size();
  if (n == 0 || n >= kMaxLongDoubleChars || IsCSpace(s[0])) return std::nullopt;
  return WithCString(s, [n](const char* buf) {
    char* end;
    errno = 0;
    long double value = std::strtold(buf, &end);
    return CheckStrtodResult<long double>(value, static_cast<size_t>(end - buf), n, errno);
  });
}

std::optional<double> ParseDouble(std::string_view s) {
  const size_t n = s.size();
  if (n == 0 || IsCSpace(s[0])) return std::nullopt;
  const char* const end = s.data() + n;

  // Fast path: from_chars is correctly rounded like glibc's strtod and accepts a subset of
  // strtod's syntax, so a full, finite, nonzero parse is exactly what strtod would return.
  // Everything else (zero, inf, '+', hex floats, range errors, garbage) takes the slow path
  // so that strtod decides, with Redis's ERANGE rules.
  double value;
  auto [ptr, ec] = std::from_chars(s.data(), end, value);
  if (ec == std::errc() && ptr == end && value != 0 && std::isfinite(value)) return value;
  if (ec == std::errc() && ptr == end && std::isnan(value)) return std::nullopt;

  return WithCString(s, [n](const char* buf) {
    char* stop;
    errno = 0;
    double v = std::strtod(buf, &stop);
    return CheckStrtodResult<double>(v, static_cast<size_t>(stop - buf), n, errno);
  });
}

std::optional<int64_t> ParseMemory(std::string_view s) {
  s = UpToNul(s);
  if (!s.empty() && s[0] == '-') return std::nullopt;
  size_t digits = 0;
  while (digits < s.size() && IsDigit(s[digits])) ++digits;

  std::string_view unit = s.substr(digits);
  auto unit_is = [unit](std::string_view name) {
    if (unit.size() != name.size()) return false;
    for (size_t i = 0; i < unit.size(); ++i) {
      if (AsciiLower(unit[i]) != name[i]) return false;
    }
    return true;
  };
  uint64_t mul;
  if (unit.empty() || unit_is("b")) {
    mul = 1;
  } else if (unit_is("k")) {
    mul = 1000;
  } else if (unit_is("kb")) {
    mul = 1024;
  } else if (unit_is("m")) {
    mul = 1000 * 1000;
  } else if (unit_is("mb")) {
    mul = 1024 * 1024;
  } else if (unit_is("g")) {
    mul = 1000ULL * 1000 * 1000;
  } else if (unit_is("gb")) {
    mul = 1024ULL * 1024 * 1024;
  } else {
    return std::nullopt;
  }
  // Redis copies the digits into a 128-byte buffer and refuses longer ones.
  if (digits >= 128) return std::nullopt;

  // strtoull on a pure digit string: saturates on overflow (Redis ignores the ERANGE).
  uint64_t v = 0;
  for (size_t i = 0; i < digits; ++i) {
    if (__builtin_mul_overflow(v, 10u, &v) ||
        __builtin_add_overflow(v, static_cast<uint64_t>(s[i] - '0'), &v)) {
      v = std::numeric_limits<uint64_t>::max();
      break;
    }
  }
  return static_cast<int64_t>(v * mul);  // Wraps modulo 2^64, like Redis.
}

// ---- Formatting ----------------------------------------------------------------------------

size_t FormatUint64(uint64_t v, char* buf) {
  const size_t len = Digits10(v);
  char* p = buf + len;
  while (v >= 100) {
    const size_t i = static_cast<size_t>(v % 100) * 2;
    v /= 100;
    *--p = kDigitPairs[i + 1];
    *--p = kDigitPairs[i];
  }
  if (v < 10) {
    *--p = static_cast<char>('0' + v);
  } else {
    const size_t i = static_cast<size_t>(v) * 2;
    *--p = kDigitPairs[i + 1];
    *--p = kDigitPairs[i];
  }
  return len;
}

size_t FormatInt64(int64_t v, char* buf) {
  if (v >= 0) return FormatUint64(static_cast<uint64_t>(v), buf);
  buf[0] = '-';
  // Unsigned negation is exact for INT64_MIN too.
  return FormatUint64(0 - static_cast<uint64_t>(v), buf + 1) + 1;
}

std::string Int64ToString(int64_t v) {
  char buf[kInt64BufSize];
  return std::string(buf, FormatInt64(v, buf));
}

size_t FormatDouble(double v, char* buf) {
  // std::to_chars with an explicit precision is specified to produce printf's "%.17g"
  // output (including "inf", "-inf", "nan", "-nan"), without the locale and varargs cost.
  auto [end, ec] = std::to_chars(buf, buf + kDoubleBufSize, v, std::chars_format::general, 17);
  (void)ec;  // Cannot fail: kDoubleBufSize covers the longest "%.17g" output.
  return static_cast<size_t>(end - buf);
}

std::string FormatDouble(double v) {
  char buf[kDoubleBufSize];
  return std::string(buf, FormatDouble(v, buf));
}

std::string FormatDoubleCompact(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (v == 0) return std::signbit(v) ? "-0" : "0";
  // Redis prints integral values within +-2^62 with the integer printer; beyond that a
  // double's integer part may not fit the long long cast it uses.
  constexpr double kLimit = static_cast<double>(std::numeric_limits<int64_t>::max() / 2);
  if (v >= -kLimit && v <= kLimit) {
    const auto as_int = static_cast<int64_t>(v);
    if (static_cast<double>(as_int) == v) return Int64ToString(as_int);
  }
  return FormatDouble(v);
}

std::string FormatLongDouble(long double v, bool human) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  const char* const format = human ? "%.17Lf" : "%.17Lg";
  // "%.17Lf" of a huge value has up to ~4950 integer digits; most values fit in 64 bytes.
  char stack_buf[64];
  std::string out;
  int len = std::snprintf(stack_buf, sizeof(stack_buf), format, v);
  if (len < 0) return out;
  if (static_cast<size_t>(len) < sizeof(stack_buf)) {
    out.assign(stack_buf, static_cast<size_t>(len));
  } else {
    out.resize(static_cast<size_t>(len));
    std::snprintf(out.data(), out.size() + 1, format, v);
  }
  if (!human) return out;

  // Human form: drop the fractional zeros and a dangling '.', so 10.5 prints "10.5".
  if (out.find('.') != std::string::npos) {
    size_t keep = out.size();
    while (out[keep - 1] == '0') --keep;
    if (out[keep - 1] == '.') --keep;
    out.resize(keep);
  }
  if (out == "-0") out = "0";
  return out;
}

}  // namespace basalt
