#include "types/lcs.h"

#include <algorithm>
#include <cstdlib>
#include <memory>

namespace basalt {

LcsStatus ComputeLcs(std::string_view a, std::string_view b, const LcsOptions& options,
                     LcsResult* out) {
  // Lengths are stored in uint32_t cells; Redis refuses inputs this long for the same reason.
  if (a.size() >= UINT32_MAX - 1 || b.size() >= UINT32_MAX - 1) return LcsStatus::kTooLong;
  const uint32_t alen = static_cast<uint32_t>(a.size());
  const uint32_t blen = static_cast<uint32_t>(b.size());
  const uint64_t width = uint64_t{blen} + 1;
  const uint64_t cells = (uint64_t{alen} + 1) * width;  // < 2^64: both factors < 2^32
  if (cells > UINT64_MAX / sizeof(uint32_t)) return LcsStatus::kTableTooLarge;
  const uint64_t table_bytes = cells * sizeof(uint32_t);
  if (table_bytes > options.max_table_bytes) return LcsStatus::kTableTooLarge;

  // malloc rather than new: a failed allocation must become an error reply, not an exception.
  std::unique_ptr<uint32_t, decltype(&std::free)> table(
      static_cast<uint32_t*>(std::malloc(table_bytes)), &std::free);
  if (table == nullptr) return LcsStatus::kOutOfMemory;
  uint32_t* t = table.get();
  auto cell = [t, width](uint64_t i, uint64_t j) -> uint32_t& { return t[i * width + j]; };

  // cell(i, j) = LCS length of a[0, i) and b[0, j).
  for (uint64_t j = 0; j <= blen; ++j) cell(0, j) = 0;
  for (uint64_t i = 1; i <= alen; ++i) {
    cell(i, 0) = 0;
    for (uint64_t j = 1; j <= blen; ++j) {
      if (a[i - 1] == b[j - 1]) {
        cell(i, j) = cell(i - 1, j - 1) + 1;
      } else {
        cell(i, j) = std::max(cell(i - 1, j), cell(i, j - 1));
      }
    }
  }

  LcsResult result;
  result.length = cell(alen, blen);
  if (options.want_sequence) result.sequence.resize(result.length);

  // Walk back from the end, collecting the subsequence right to left and the runs of
  // consecutive matches. A run closes on the first step that does not extend it, or when
  // it reaches the start of either string.
  if (options.want_sequence || options.want_matches) {
    uint32_t i = alen, j = blen, remaining = result.length;
    bool open = false;
    LcsMatch run{};
    while (i > 0 && j > 0) {
      bool close = false;
      if (a[i - 1] == b[j - 1]) {
        if (options.want_sequence) result.sequence[remaining - 1] = a[i - 1];
        if (!open) {
          run = {i - 1, i - 1, j - 1, j - 1};
          open = true;
        } else if (run.a_start == i && run.b_start == j) {
          --run.a_start;
          --run.b_start;
        } else {
          close = true;
        }
        if (run.a_start == 0 || run.b_start == 0) close = true;
        --remaining;
        --i;
        --j;
      } else {
        // On a tie step in b: the branch Redis takes, which decides which LCS is reported.
        if (cell(i - 1, j) > cell(i, j - 1)) {
          --i;
        } else {
          --j;
        }
        if (open) close = true;
      }
      if (close) {
        if (options.want_matches &&
            (options.min_match_len == 0 || run.length() >= options.min_match_len)) {
          result.matches.push_back(run);
        }
        open = false;
      }
    }
  }
  *out = std::move(result);
  return LcsStatus::kOk;
}

}  // namespace basalt
