// lcs: longest common subsequence of two byte strings, as the LCS command reports it.
//
// The classic dynamic-programming table (one uint32_t per (i, j) pair, (|a|+1)*(|b|+1) cells)
// is built, then walked back from the end. The walk takes the same branch as Redis on ties,
// so the subsequence returned and the list of matching ranges are byte-for-byte Redis's:
// ranges come last-first, each the longest contiguous run of the walk.
//
// The table is the only large allocation; callers bound it (Redis: proto-max-bulk-len bytes).
// Pure and thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace basalt {

// One run of consecutive matching bytes: a[a_start..a_end] == b[b_start..b_end].
struct LcsMatch {
  uint32_t a_start;
  uint32_t a_end;
  uint32_t b_start;
  uint32_t b_end;
  uint32_t length() const { return a_end - a_start + 1; }
};

struct LcsOptions {
  bool want_sequence = true;   // fill LcsResult::sequence
  bool want_matches = false;   // fill LcsResult::matches
  uint64_t min_match_len = 0;  // drop matches shorter than this (0 keeps all)
  uint64_t max_table_bytes = 512ULL * 1024 * 1024;
};

enum class LcsStatus {
  kOk,
  kTooLong,        // an input is 2^32-2 bytes or more
  kTableTooLarge,  // the table would exceed max_table_bytes
  kOutOfMemory,    // the table could not be allocated
};

struct LcsResult {
  uint32_t length = 0;
  std::string sequence;
  std::vector<LcsMatch> matches;  // last match first
};

// Computes the LCS of `a` and `b`. On a status other than kOk, `out` is untouched.
LcsStatus ComputeLcs(std::string_view a, std::string_view b, const LcsOptions& options,
                     LcsResult* out);

}  // namespace basalt
