// GlobMatch: Redis 7.0's glob-style matching (stringmatchlen), used by KEYS, SCAN MATCH,
// PSUBSCRIBE, CONFIG GET, ACL key/channel patterns and CLIENT KILL.
//
// Pattern syntax, byte-oriented:
//   *        any run of bytes, including none
//   ?        exactly one byte
//   [abc]    one byte from the set; [^abc] one byte not in it
//   [a-z]    a range; reversed ranges ([z-a]) are swapped; endpoints compare as *signed*
//            chars, so bytes >= 0x80 sort before ASCII
//   \x       the byte x literally (inside [...] too); a trailing lone '\' is literal
// Quirks kept from Redis, because clients can observe them:
//   - An empty string matches only the empty pattern ("*" does not match "").
//   - An unterminated '[' ends at the end of the pattern: "[ab" is the set {a, b}.
//   - "[]" never matches, "[^]" matches any byte, and in "[a-]" the '-' makes a range
//     whose upper end is the closing ']' (so that class does not end there).
//   - nocase folds ASCII letters only, and does not apply to \x escapes inside [...];
//     ranges are folded after swapping, so nocase "[Z-a]" matches nothing.
//
// Runs in O(|pattern| * |str|) time and O(1) space for any input: unlike a naive
// backtracking matcher, "a*a*a*a*...b" cannot take exponential time or deep recursion.
// Results equal Redis's (whose skipLongerMatches pruning gives the same answers).
// Thread-safe; no allocation.
#pragma once

#include <string_view>

namespace basalt {

bool GlobMatch(std::string_view pattern, std::string_view str, bool nocase = false);

}  // namespace basalt
