// What the sorted-set command files share (zset.cc: single-key commands, ranges, pops and
// blocking pops; zset_store.cc: ZUNION/ZINTER/ZDIFF and their STORE forms, ZINTERCARD,
// ZRANGESTORE): thresholds from the config, lookup, reply shapes and storing results.
#pragma once

#include <string_view>
#include <vector>

#include "commands/keyspace_events.h"
#include "db/database.h"
#include "server/command_context.h"
#include "types/zset.h"

namespace basalt {

class CommandTable;

// Registered by RegisterZSetCommands.
void RegisterZSetStoreCommands(CommandTable& table);

inline ZSetLimits ZSetLimitsOf(CommandContext& ctx) {
  const ServerConfig& c = ctx.server.config();
  return ZSetLimits{static_cast<size_t>(c.zset_max_listpack_entries),
                    static_cast<size_t>(c.zset_max_listpack_value)};
}

// Replies `entries` as Redis's range replies do: members only, or with scores (RESP2: a flat
// array member, score, ...; RESP3: an array of [member, score] pairs).
inline void ReplyZSetEntries(CommandContext& ctx, const std::vector<ZSetEntry>& entries,
                             bool withscores) {
  const bool pairs = withscores && ctx.reply.resp() >= 3;
  const auto n = static_cast<int64_t>(entries.size());
  ctx.reply.ArrayHeader(withscores && !pairs ? 2 * n : n);
  for (const ZSetEntry& e : entries) {
    if (pairs) ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk(e.member);
    if (withscores) ctx.reply.Double(e.score);
  }
}

// Stores a finished result under `dst` (replacing whatever was there, TTL included), or
// deletes `dst` when the result is empty; replies the size; counts dirty as Redis does; wakes
// clients blocked on `dst`.
inline void StoreZSetResult(CommandContext& ctx, std::string_view dst,
                            std::vector<ZSetEntry> entries) {
  const size_t size = entries.size();
  if (size == 0) {
    if (ctx.db().Delete(dst)) {
      ctx.AddDirty();
      ctx.NotifyInstead(kEvDel, dst);
    }
    ctx.reply.Integer(0);
    return;
  }
  Value v = ZSetFromEntries(std::move(entries), ZSetLimitsOf(ctx));
  v.set_lru(static_cast<uint32_t>(ctx.server.lru_clock()));
  ctx.db().Set(dst, std::move(v), ctx.now_ms());
  ctx.AddDirty();
  ctx.SignalKeyReady(dst);
  ctx.reply.Integer(static_cast<int64_t>(size));
}

}  // namespace basalt
