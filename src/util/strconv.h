// strconv: strict number <-> string conversions that behave exactly like Redis 7.0's util.c.
//
// Every command that takes or returns a number goes through here, so the accepted syntax
// and the printed form are part of the wire contract ("value is not an integer or out of
// range" vs. success, "1.1000000000000001" vs. "1.1"). Each function names the Redis routine
// it mirrors; the quirks of those routines are kept on purpose and listed next to each one.
//
// All functions are pure, allocation-free unless they return std::string, and thread-safe.
// The floating-point routines assume LC_NUMERIC is "C" (the default in a program that never
// calls setlocale for it), as Redis does.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace basalt {

// Buffer sizes for the char* formatters below. "-9223372036854775808" is 20 bytes;
// "%.17g" needs at most 24 ("-1.2345678901234567e-308").
inline constexpr size_t kInt64BufSize = 21;
inline constexpr size_t kDoubleBufSize = 32;

// Redis's MAX_LONG_DOUBLE_CHARS: ParseLongDouble rejects inputs of this length or more.
inline constexpr size_t kMaxLongDoubleChars = 5 * 1024;

// ---- Parsing -------------------------------------------------------------------------------

// string2ll: optional '-', then "0" or a digit 1-9 followed by digits, nothing else, no
// overflow. Rejects "", " 1", "1 ", "+1", "01", "-0", "-" and anything longer than 20 bytes.
std::optional<int64_t> ParseInt64(std::string_view s);

// string2ull (used for stream IDs): first tries ParseInt64 (negative results are rejected),
// then falls back to strtoull(s, 10) semantics, so it also accepts leading whitespace, a
// '+' or '-' sign and leading zeros ("007" -> 7, "-01" -> 2^64-1, " 5" -> 5). Input is
// treated as a C string: it ends at the first NUL byte.
std::optional<uint64_t> ParseUint64(std::string_view s);

// string2ld (INCRBYFLOAT, HINCRBYFLOAT): strtold syntax (decimal, exponent, hex floats, a
// '+' sign, "inf"/"infinity"), but the whole input must be consumed, the first byte must
// not be whitespace, NaN is rejected, overflow and underflow-to-zero are rejected (a
// subnormal result is accepted), and the length must be below kMaxLongDoubleChars.
std::optional<long double> ParseLongDouble(std::string_view s);

// string2d (ZADD scores, getDoubleFromObject): same rules as ParseLongDouble but for double
// and with no length limit. Accepts "inf", "-inf", "+inf", "1e10", "0x10", ".5", "5.".
std::optional<double> ParseDouble(std::string_view s);

// memtoull (CONFIG SET of memory values): digits followed by an optional unit, one of
// b k kb m mb g gb in any case (k = 1000, kb = 1024, ...). A leading '-' or any other
// suffix is rejected. Quirks kept from Redis: an empty digit string is 0 ("" and "gb" give
// 0), digit overflow saturates at 2^64-1 and the unit multiplication wraps modulo 2^64.
// The unsigned result is returned reinterpreted as int64_t, as config.c stores it; callers
// apply their own bounds. Input ends at the first NUL byte.
std::optional<int64_t> ParseMemory(std::string_view s);

// ---- Formatting ----------------------------------------------------------------------------

// ll2string / ull2string. REQUIRES: buf has room for kInt64BufSize bytes. Writes no NUL;
// returns the number of bytes written.
size_t FormatInt64(int64_t v, char* buf);
size_t FormatUint64(uint64_t v, char* buf);
std::string Int64ToString(int64_t v);

// addReplyDouble in RESP2 (ZSCORE, ZRANGE WITHSCORES, ZINCRBY, GEO*...): printf "%.17g",
// e.g. 1.1 -> "1.1000000000000001", 1e20 -> "1e+20", 100 -> "100", -0.0 -> "-0",
// infinities -> "inf" / "-inf" (RESP3 prefixes ','; that is the reply builder's job).
// REQUIRES: buf has room for kDoubleBufSize bytes. Writes no NUL; returns the length.
size_t FormatDouble(double v, char* buf);
std::string FormatDouble(double v);

// d2string: the form Redis stores for scores in listpack-encoded sorted sets. Differs from
// FormatDouble only in that integral values with |v| <= 2^62 print all their digits
// (1e17 -> "100000000000000000", not "1e+17") and NaN prints "nan" regardless of sign.
std::string FormatDoubleCompact(double v);

// ld2string. human = true is LD_STR_HUMAN (INCRBYFLOAT, HINCRBYFLOAT replies and stored
// values): "%.17Lf" with trailing zeros and a trailing '.' removed, "-0" printed as "0",
// never an exponent. human = false is LD_STR_AUTO: "%.17Lg". Infinities print "inf"/"-inf".
std::string FormatLongDouble(long double v, bool human);

}  // namespace basalt
