#include "server/command_context.h"

#include <climits>
#include <cmath>

#include "util/strconv.h"

namespace basalt {

void CommandContext::BlockOn(std::span<const std::string_view> keys, ValueType type,
                             int64_t deadline_ms, BlockTimeoutReply timeout_reply) {
  BlockRequest request;
  request.keys.assign(keys.begin(), keys.end());
  request.type = type;
  request.deadline_ms = deadline_ms;
  request.timeout_reply = timeout_reply;
  block = std::move(request);
}

// Redis's getTimeoutFromObjectOrReply, with its error texts and checks in its order.
bool CommandContext::ParseBlockTimeout(std::string_view arg, bool in_seconds,
                                       int64_t* deadline_ms) {
  int64_t timeout_ms;
  if (in_seconds) {
    std::optional<long double> seconds = ParseLongDouble(arg);
    if (!seconds) {
      reply.Error("ERR timeout is not a float or out of range");
      return false;
    }
    long double ms = *seconds * 1000.0L;
    if (ms > static_cast<long double>(LLONG_MAX)) {
      reply.Error("ERR timeout is out of range");
      return false;
    }
    timeout_ms = static_cast<int64_t>(std::ceil(ms));
  } else {
    std::optional<int64_t> ms = ParseInt64(arg);
    if (!ms) {
      reply.Error("ERR timeout is not an integer or out of range");
      return false;
    }
    timeout_ms = *ms;
  }
  if (timeout_ms < 0) {
    reply.Error("ERR timeout is negative");
    return false;
  }
  if (timeout_ms > 0) {
    if (timeout_ms > LLONG_MAX - now_ms()) {
      reply.Error("ERR timeout is out of range");
      return false;
    }
    timeout_ms += now_ms();
  }
  *deadline_ms = timeout_ms;
  return true;
}

}  // namespace basalt
