#include "commands/scan_options.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <string>

#include "server/command_context.h"
#include "util/glob.h"
#include "util/strconv.h"

namespace basalt {

namespace {

// Redis parses the cursor with strtoul: leading whitespace is refused, but a sign is accepted
// ("-1" is 2^64-1), as are leading zeros and the empty string (0); overflow is refused.
std::optional<uint64_t> ParseScanCursor(std::string_view arg) {
  // NUL-terminated copy: like Redis's sds, parsing stops at an embedded NUL and accepts it.
  std::string s(arg);
  if (!s.empty() && std::isspace(static_cast<unsigned char>(s[0]))) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  unsigned long long v = std::strtoull(s.c_str(), &end, 10);
  if (*end != '\0' || errno == ERANGE) return std::nullopt;
  return v;
}

}  // namespace

bool ScanOptions::Matches(std::string_view element) const {
  return !match || GlobMatch(*match, element);
}

std::optional<ScanOptions> ParseScanOptions(CommandContext& ctx, size_t cursor_index,
                                            ScanKind kind) {
  ScanOptions opts;
  std::optional<uint64_t> cursor = ParseScanCursor(ctx.argv[cursor_index]);
  if (!cursor) {
    ctx.Error("ERR invalid cursor");
    return std::nullopt;
  }
  opts.cursor = *cursor;
  for (size_t i = cursor_index + 1; i < ctx.argc();) {
    std::string_view opt = ctx.argv[i];
    const bool has_arg = i + 1 < ctx.argc();
    if (EqualsIgnoreCase(opt, "count") && has_arg) {
      std::optional<int64_t> v = ParseInt64(ctx.argv[i + 1]);
      if (!v) {
        ctx.Error(kErrNotInteger);
        return std::nullopt;
      }
      if (*v < 1) {
        ctx.Error(kErrSyntax);
        return std::nullopt;
      }
      opts.count = *v;
      i += 2;
    } else if (EqualsIgnoreCase(opt, "match") && has_arg) {
      std::string_view pattern = ctx.argv[i + 1];
      if (pattern == "*") {
        opts.match.reset();
      } else {
        opts.match = pattern;
      }
      i += 2;
    } else if (EqualsIgnoreCase(opt, "type") && has_arg && kind == ScanKind::kKeys) {
      opts.type = ctx.argv[i + 1];
      i += 2;
    } else if (EqualsIgnoreCase(opt, "novalues") && kind == ScanKind::kHash) {
      opts.novalues = true;
      i += 1;
    } else {
      ctx.Error(kErrSyntax);
      return std::nullopt;
    }
  }
  return opts;
}

}  // namespace basalt
