#include "util/glob.h"

#include <cstddef>

namespace basalt {

namespace {

// Redis compares ints of *signed* chars, so bytes >= 0x80 sort below ASCII in ranges. With
// nocase it passes them through glibc's C-locale tolower(), which lowers 'A'-'Z' and also
// maps -128..-2 to 128..254 while leaving -1 (EOF, byte 0xff) alone. That only matters for
// ranges, where it reorders the high bytes; we reproduce it so results stay identical.
inline int Fold(int c, bool nocase) {
  if (!nocase) return c;
  if (c >= 'A' && c <= 'Z') return c + 32;
  if (c < -1) return c + 256;
  return c;
}

inline int SignedByte(char c) { return static_cast<signed char>(c); }

// Matches the single-byte token that starts at pattern[p] (anything but '*') against byte
// c. Sets *next to the index just past the token. Tokenization never depends on c, which
// is what lets the caller backtrack by pattern index alone.
bool MatchToken(std::string_view pattern, size_t p, char c, bool nocase, size_t* next) {
  const size_t n = pattern.size();
  switch (pattern[p]) {
    case '?':
      *next = p + 1;
      return true;

    case '[': {
      size_t i = p + 1;
      const bool negate = i < n && pattern[i] == '^';
      if (negate) ++i;
      bool match = false;
      const int ch = Fold(SignedByte(c), nocase);
      while (true) {
        if (i >= n) break;  // Unterminated: the class runs to the end of the pattern.
        if (pattern[i] == '\\' && n - i >= 2) {
          // Escaped member: compared exactly, even with nocase (as Redis does).
          if (pattern[i + 1] == c) match = true;
          i += 2;
        } else if (pattern[i] == ']') {
          ++i;
          break;
        } else if (n - i >= 3 && pattern[i + 1] == '-') {
          int lo = SignedByte(pattern[i]);
          int hi = SignedByte(pattern[i + 2]);
          if (lo > hi) {
            const int t = lo;
            lo = hi;
            hi = t;
          }
          lo = Fold(lo, nocase);
          hi = Fold(hi, nocase);
          if (ch >= lo && ch <= hi) match = true;
          i += 3;
        } else {
          if (Fold(SignedByte(pattern[i]), nocase) == ch) match = true;
          ++i;
        }
      }
      *next = i;
      return match != negate;
    }

    case '\\':
      // "\x" is x literally; a lone trailing backslash is itself.
      if (n - p >= 2) ++p;
      [[fallthrough]];
    default:
      *next = p + 1;
      return Fold(SignedByte(pattern[p]), nocase) == Fold(SignedByte(c), nocase);
  }
}

}  // namespace

// Every token other than '*' consumes exactly one byte, so the classic "resume after the
// most recent star" strategy is exact: when the rest of the pattern fails, letting an
// earlier star absorb more bytes can only push that most recent star further right, which
// is a case already being tried. Only the last star's position is therefore kept.
bool GlobMatch(std::string_view pattern, std::string_view str, bool nocase) {
  // Redis's loop never runs for an empty subject, so only an empty pattern matches it.
  if (str.empty()) return pattern.empty();

  const size_t pn = pattern.size();
  const size_t sn = str.size();
  constexpr size_t kNoStar = static_cast<size_t>(-1);
  size_t p = 0;
  size_t s = 0;
  size_t star_p = kNoStar;  // Pattern index just after the last star seen.
  size_t star_s = 0;        // Subject index where that star's match currently ends.

  while (s < sn) {
    if (p < pn) {
      if (pattern[p] == '*') {
        while (p < pn && pattern[p] == '*') ++p;
        if (p == pn) return true;  // A trailing star swallows the rest.
        star_p = p;
        star_s = s;
        continue;
      }
      size_t next;
      if (MatchToken(pattern, p, str[s], nocase, &next)) {
        p = next;
        ++s;
        continue;
      }
    }
    if (star_p == kNoStar) return false;
    p = star_p;
    s = ++star_s;
  }
  // Subject consumed: what is left of the pattern must be stars only.
  while (p < pn && pattern[p] == '*') ++p;
  return p == pn;
}

}  // namespace basalt
