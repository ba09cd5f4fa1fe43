// The arguments shared by SCAN, SSCAN, HSCAN and ZSCAN: the cursor, MATCH, COUNT, and the
// options only some of them take (TYPE for SCAN, NOVALUES for HSCAN), parsed with Redis's
// errors and in its order.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace basalt {

class CommandContext;

struct ScanOptions {
  uint64_t cursor = 0;
  int64_t count = 10;                     // elements to collect per call (a hint)
  std::optional<std::string_view> match;  // unset, or a glob other than "*"
  std::optional<std::string_view> type;   // SCAN only
  bool novalues = false;                  // HSCAN only

  bool Matches(std::string_view element) const;
};

enum class ScanKind { kKeys, kSet, kHash, kZSet };

// Parses the cursor at argv[cursor_index] and the options after it. On a bad argument
// replies the error (ERR invalid cursor, ERR syntax error, ...) and returns nullopt.
std::optional<ScanOptions> ParseScanOptions(CommandContext& ctx, size_t cursor_index,
                                            ScanKind kind);

}  // namespace basalt
