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

// Consumer-group changes as they are propagated (Redis's streamPropagate*): XREADGROUP,
// XCLAIM and XAUTOCLAIM are never propagated as sent, but as these idempotent commands.
//
// The pending entry `id` of group `group_name` as it now is (owner, delivery time and
// count), with the group's last ID: XCLAIM key group consumer 0 id TIME t RETRYCOUNT n
// FORCE JUSTID LASTID last. For an entry no longer in the stream it drops the pending one.
void PropagateXClaim(CommandContext& ctx, std::string_view key, std::string_view group_name,
                     const StreamGroup& group, StreamID id, const PendingEntry& nack);
// XGROUP SETID key group last-id ENTRIESREAD n
void PropagateGroupLastId(CommandContext& ctx, std::string_view key, std::string_view group_name,
                          const StreamGroup& group);
// XGROUP CREATECONSUMER key group consumer
void PropagateConsumerCreation(CommandContext& ctx, std::string_view key,
                               std::string_view group_name, std::string_view consumer);

// Renders the XREADGROUP / XCLAIM text of a consumer-group error.
inline constexpr std::string_view kErrNoGroupPrefix = "NOGROUP ";

}  // namespace basalt
