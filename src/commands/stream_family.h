// What the stream command files share (stream.cc: XADD, XRANGE, XREAD and the other commands
// without groups; stream_group.cc: XGROUP, XREADGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM,
// XINFO): lookup, ID parsing with Redis's replies, and the entry reply shape.
#pragma once

#include <string_view>

#include "server/command_context.h"
#include "types/stream.h"

namespace basalt {

class CommandTable;

// Registered by RegisterStreamCommands (stream.cc).
void RegisterStreamGroupCommands(CommandTable& table);

// The stream at `key` for reading (nullptr when missing; replies WRONGTYPE and sets *wrong
// when it holds another type).
Stream* LookupStreamRead(CommandContext& ctx, std::string_view key, bool* wrong);
Stream* LookupStreamWrite(CommandContext& ctx, std::string_view key, bool* wrong);

// A strict ID (no "-"/"+"), replying Redis's error when malformed.
bool ParseStrictIdOrReply(CommandContext& ctx, std::string_view arg, uint64_t missing_seq,
                          StreamID* out);
// A range bound with exclusive "(" support, incremented (start) or decremented (end) when
// exclusive, replying "invalid start/end ID for the interval" on overflow.
bool ParseRangeStartOrReply(CommandContext& ctx, std::string_view arg, StreamID* out);
bool ParseRangeEndOrReply(CommandContext& ctx, std::string_view arg, StreamID* out);

void ReplyStreamId(CommandContext& ctx, const StreamID& id);
// [id, [field, value, ...]]
void ReplyStreamEntry(CommandContext& ctx, const StreamEntryView& e);

// Renders the XREADGROUP / XCLAIM text of a consumer-group error.
inline constexpr std::string_view kErrNoGroupPrefix = "NOGROUP ";

}  // namespace basalt
