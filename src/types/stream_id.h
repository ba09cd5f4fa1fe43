// Stream IDs: the "<ms>-<seq>" keys of stream entries, ordered by (ms, seq) as unsigned
// 64-bit numbers, and the ways commands spell them (Redis 7.0's rules and limits).
//
//   explicit  "1526919030474-55"         both parts given
//   partial   "1526919030474"            seq missing: the caller says what it means (0 as a
//                                        range start, UINT64_MAX as a range end)
//   ms-*      "1526919030474-*"          XADD only: the next seq for that ms
//   -  / +    the smallest / largest ID  range bounds only (not in strict parsing)
//   (ID       exclusive range bound      XRANGE/XREVRANGE/XPENDING/XAUTOCLAIM
//
// Plain functions without server dependencies; not thread-safe only in the sense that
// values are plain data.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace basalt {

struct StreamID {
  uint64_t ms = 0;
  uint64_t seq = 0;

  auto operator<=>(const StreamID&) const = default;
  bool operator==(const StreamID&) const = default;
  bool IsZero() const { return ms == 0 && seq == 0; }

  static constexpr StreamID Min() { return {0, 0}; }
  static constexpr StreamID Max() { return {UINT64_MAX, UINT64_MAX}; }

  // The next / previous ID (seq carries into ms). Returns false, leaving the ID unchanged,
  // at Max() / Min().
  bool Increment();
  bool Decrement();

  // "<ms>-<seq>" into `buf` (at least kMaxLen bytes); returns the length.
  static constexpr size_t kMaxLen = 42;
  size_t Format(char* buf) const;
  std::string ToString() const;
};

// Redis's error text for any malformed ID.
inline constexpr std::string_view kErrInvalidStreamID =
    "ERR Invalid stream ID specified as stream command argument";

// How an ID argument was spelled, for XADD's ms-* form.
struct ParsedStreamID {
  StreamID id;
  bool seq_given = true;  // false for "ms-*" (only when allow_seq_star)
};

// Redis's streamGenericParseIDOrReply. `missing_seq` fills a partial ID's seq. `strict`
// rejects "-" and "+". `allow_seq_star` accepts "ms-*" (XADD). nullopt when malformed.
std::optional<ParsedStreamID> ParseStreamID(std::string_view s, uint64_t missing_seq,
                                            bool strict, bool allow_seq_star = false);

// A range bound: an ID (partial allowed, "-"/"+" allowed), or "(ID" for an exclusive bound
// (strict: "(-" is invalid). Redis's streamParseIntervalIDOrReply.
struct StreamBound {
  StreamID id;
  bool exclusive = false;
};
std::optional<StreamBound> ParseStreamBound(std::string_view s, uint64_t missing_seq);

}  // namespace basalt
