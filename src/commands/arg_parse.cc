#include "commands/arg_parse.h"

#include <optional>
#include <string>

#include "server/command_context.h"
#include "util/strconv.h"

namespace basalt {

namespace {

void ReplyMessage(CommandContext& ctx, const char* message) {
  ctx.Error(std::string("ERR ") + message);
}

}  // namespace

bool ParseIntegerOrReply(CommandContext& ctx, std::string_view arg, int64_t* out,
                         const char* message) {
  std::optional<int64_t> v = ParseInt64(arg);
  if (!v) {
    if (message != nullptr) {
      ReplyMessage(ctx, message);
    } else {
      ctx.Error(kErrNotInteger);
    }
    return false;
  }
  *out = *v;
  return true;
}

bool ParseRangeOrReply(CommandContext& ctx, std::string_view arg, int64_t min, int64_t max,
                       const char* message, int64_t* out) {
  int64_t v;
  if (!ParseIntegerOrReply(ctx, arg, &v, message)) return false;
  if (v < min || v > max) {
    if (message != nullptr) {
      ReplyMessage(ctx, message);
    } else {
      // Redis's text, its missing "be" included.
      ctx.Error("ERR value is out of range, value must between " + std::to_string(min) +
                " and " + std::to_string(max));
    }
    return false;
  }
  *out = v;
  return true;
}

bool ParsePositiveOrReply(CommandContext& ctx, std::string_view arg, const char* message,
                          int64_t* out) {
  return ParseRangeOrReply(ctx, arg, 0, INT64_MAX,
                           message != nullptr ? message : "value is out of range, must be positive",
                           out);
}

bool ParseNumKeysOrReply(CommandContext& ctx, size_t numkeys_index, size_t args_after,
                         int64_t* numkeys) {
  if (!ParseRangeOrReply(ctx, ctx.argv[numkeys_index], 1, INT64_MAX,
                         "numkeys should be greater than 0", numkeys)) {
    return false;
  }
  if (static_cast<uint64_t>(*numkeys) > ctx.argc() - numkeys_index - 1 - args_after) {
    ctx.Error(kErrSyntax);
    return false;
  }
  return true;
}

}  // namespace basalt
