// XREAD and XREADGROUP: reading new entries from several streams, optionally through a
// consumer group (delivering to a consumer and recording pending entries), blocking until
// XADD brings something. Redis 7.0's argument checks, errors and reply shapes.
//
// Blocking: a blocked command is re-executed when a key it waits on gets new data (see
// server/blocking.h). "$" must keep meaning "what was last when the command was first
// called", so before blocking the handler hands the server a rewritten argv with each "$"
// replaced by the resolved ID (BlockRequest::argv). A re-executed command knows it is one
// (the client is still marked blocked): like Redis's serving of blocked clients, it then
// reads at most 1000 entries per stream when no COUNT was given, and a group deleted while
// the client waited gives "-NOGROUP the consumer group this client was blocked on no longer
// exists".
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "commands/keyspace_events.h"
#include "commands/stream_family.h"
#include "db/database.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "util/strconv.h"

namespace basalt {

namespace {

// Redis's XREAD_BLOCKED_DEFAULT_COUNT.
constexpr int64_t kBlockedDefaultCount = 1000;

// XREAD [COUNT count] [BLOCK ms] STREAMS key ... id ...
// XREADGROUP GROUP group consumer [COUNT count] [BLOCK ms] [NOACK] STREAMS key ... id ...
void ReadGeneric(CommandContext& ctx, bool xreadgroup) {
  const size_t argc = ctx.argc();
  bool block = false;
  int64_t deadline = 0;
  int64_t count = 0;
  size_t streams_arg = 0;
  size_t streams_count = 0;
  bool noack = false;
  std::string_view groupname, consumername;
  bool have_group = false;
  for (size_t i = 1; i < argc; ++i) {
    const size_t moreargs = argc - i - 1;
    std::string_view o = ctx.argv[i];
    if (EqualsIgnoreCase(o, "block") && moreargs > 0) {
      ++i;
      if (!ctx.ParseBlockTimeout(ctx.argv[i], /*in_seconds=*/false, &deadline)) return;
      block = true;
    } else if (EqualsIgnoreCase(o, "count") && moreargs > 0) {
      ++i;
      std::optional<int64_t> v = ParseInt64(ctx.argv[i]);
      if (!v) return ctx.Error(kErrNotInteger);
      count = *v < 0 ? 0 : *v;
    } else if (EqualsIgnoreCase(o, "streams") && moreargs > 0) {
      streams_arg = i + 1;
      streams_count = argc - streams_arg;
      if (streams_count % 2 != 0) {
        return ctx.Error(
            "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be "
            "specified.");
      }
      streams_count /= 2;
      break;
    } else if (EqualsIgnoreCase(o, "group") && moreargs >= 2) {
      if (!xreadgroup) {
        return ctx.Error("ERR The GROUP option is only supported by XREADGROUP. You called "
                         "XREAD instead.");
      }
      groupname = ctx.argv[i + 1];
      consumername = ctx.argv[i + 2];
      have_group = true;
      i += 2;
    } else if (EqualsIgnoreCase(o, "noack")) {
      if (!xreadgroup) {
        return ctx.Error("ERR The NOACK option is only supported by XREADGROUP. You called "
                         "XREAD instead.");
      }
      noack = true;
    } else {
      return ctx.Error(kErrSyntax);
    }
  }
  if (streams_arg == 0) return ctx.Error(kErrSyntax);
  if (xreadgroup && !have_group) return ctx.Error("ERR Missing GROUP option for XREADGROUP");

  const bool reprocessing = ctx.client.blocked != nullptr;
  std::vector<StreamID> ids(streams_count);
  std::vector<StreamGroup*> groups(streams_count, nullptr);
  std::vector<bool> new_only(streams_count, false);  // ">"
  std::vector<std::string> resolved(streams_count);  // "$" resolved, for blocking
  for (size_t k = 0; k < streams_count; ++k) {
    std::string_view key = ctx.argv[streams_arg + k];
    std::string_view arg = ctx.argv[streams_arg + streams_count + k];
    bool wrong;
    Stream* s = LookupStreamRead(ctx, key, &wrong);
    if (wrong) return;
    if (have_group) {
      StreamGroup* g = s == nullptr ? nullptr : s->FindGroup(groupname);
      if (g == nullptr) {
        if (reprocessing) {
          return ctx.Error(
              "NOGROUP the consumer group this client was blocked on no longer exists");
        }
        return ctx.Error("NOGROUP No such key '" + std::string(key) + "' or consumer group '" +
                         std::string(groupname) + "' in XREADGROUP with GROUP option");
      }
      groups[k] = g;
    }
    if (arg == "$") {
      if (xreadgroup) {
        return ctx.Error(
            "ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the "
            "history of this consumer by specifying a proper ID, or use the > ID to get new "
            "messages. The $ ID would just return an empty result set.");
      }
      ids[k] = s != nullptr ? s->last_id() : StreamID{};
      resolved[k] = ids[k].ToString();
      continue;
    }
    if (arg == ">") {
      if (!xreadgroup) {
        return ctx.Error("ERR The > ID can be specified only when calling XREADGROUP using the "
                         "GROUP <group> <consumer> option.");
      }
      ids[k] = StreamID::Max();
      new_only[k] = true;
      continue;
    }
    if (arg == "+" && !xreadgroup) {
      // Redis 7.4: the last entry. Reading after the ID just before it yields exactly it.
      StreamEntryView last;
      if (s != nullptr && s->Last(&last)) {
        ids[k] = last.id;
        ids[k].Decrement();
      } else {
        ids[k] = s != nullptr ? s->last_id() : StreamID{};
      }
      resolved[k] = ids[k].ToString();
      continue;
    }
    if (!ParseStrictIdOrReply(ctx, arg, 0, &ids[k])) return;
  }

  const int64_t limit = (reprocessing && count == 0) ? kBlockedDefaultCount : count;
  // Which streams can be served now, and from where.
  struct Serve {
    size_t k;
    Stream* s;
    StreamID after;
    bool history;
  };
  std::vector<Serve> serves;
  for (size_t k = 0; k < streams_count; ++k) {
    bool wrong;
    Stream* s = LookupStreamRead(ctx, ctx.argv[streams_arg + k], &wrong);
    if (s == nullptr) continue;
    StreamEntryView last;
    if (have_group) {
      if (!new_only[k]) {
        serves.push_back({k, s, ids[k], true});
      } else if (s->length() > 0 && s->Last(&last) && last.id > groups[k]->last_id) {
        serves.push_back({k, s, groups[k]->last_id, false});
      }
    } else if (s->length() > 0 && s->Last(&last) && last.id > ids[k]) {
      serves.push_back({k, s, ids[k], false});
    }
  }

  if (!serves.empty()) {
    const bool resp3 = ctx.reply.resp() >= 3;
    if (resp3) {
      ctx.reply.MapHeader(static_cast<int64_t>(serves.size()));
    } else {
      ctx.reply.ArrayHeader(static_cast<int64_t>(serves.size()));
    }
    const int64_t now = ctx.now_ms();
    for (const Serve& sv : serves) {
      if (!resp3) ctx.reply.ArrayHeader(2);
      ctx.reply.Bulk(ctx.argv[streams_arg + sv.k]);
      StreamGroup* g = groups[sv.k];
      StreamConsumer* consumer = nullptr;
      const std::string_view key = ctx.argv[streams_arg + sv.k];
      if (g != nullptr) {
        // XREADGROUP propagates as the changes it made (see PropagateXClaim): the consumer
        // (created by the XCLAIMs, or explicitly under NOACK), the new pending entries, and
        // under NOACK the group's last ID.
        ctx.PreventPropagation();
        bool created;
        consumer = g->GetOrCreateConsumer(consumername, now, &created);
        if (created) ctx.Notify(kEvXGroupCreateConsumer, key);
        if (created && noack) PropagateConsumerCreation(ctx, key, groupname, consumername);
        consumer->seen_time = now;
        ctx.AddDirty();
      }
      if (sv.history) {
        // The consumer's own pending entries after the given ID (exclusive, as for new
        // entries: "XREADGROUP ... 667" does not return 667-0).
        StreamID from = sv.after;
        const bool past_end = !from.Increment();
        std::vector<std::pair<StreamID, PendingEntry*>> pending;
        for (auto it = past_end ? consumer->pel.end() : consumer->pel.lower_bound(from);
             it != consumer->pel.end() && (limit == 0 || static_cast<int64_t>(pending.size()) < limit);
             ++it) {
          pending.emplace_back(it->first, it->second);
        }
        ctx.reply.ArrayHeader(static_cast<int64_t>(pending.size()));
        for (auto& [id, nack] : pending) {
          bool found = false;
          sv.s->Range(id, id, false, [&](const StreamEntryView& e) {
            ReplyStreamEntry(ctx, e);
            found = true;
            return false;
          });
          if (found) {
            nack->delivery_time = now;
            ++nack->delivery_count;
          } else {
            ctx.reply.ArrayHeader(2);
            ReplyStreamId(ctx, id);
            ctx.reply.NullArray();
          }
        }
        continue;
      }
      StreamID start = sv.after;
      start.Increment();
      std::vector<StreamEntryView> entries;
      sv.s->Range(start, StreamID::Max(), false, [&](const StreamEntryView& e) {
        entries.push_back(e);
        return limit == 0 || static_cast<int64_t>(entries.size()) < limit;
      });
      ctx.reply.ArrayHeader(static_cast<int64_t>(entries.size()));
      bool last_id_moved = false;
      for (const StreamEntryView& e : entries) {
        if (g != nullptr && e.id > g->last_id) {
          last_id_moved = true;
          if (g->entries_read != kInvalidEntriesRead && !sv.s->RangeHasTombstones(&e.id, nullptr)) {
            ++g->entries_read;
          } else if (sv.s->entries_added() != 0) {
            g->entries_read = sv.s->EstimateDistanceFromFirstEverEntry(e.id);
          }
          g->last_id = e.id;
        }
        ReplyStreamEntry(ctx, e);
        if (g != nullptr && !noack) {
          auto [it, inserted] = g->pel.try_emplace(e.id);
          PendingEntry& nack = it->second;
          if (!inserted) nack.consumer->pel.erase(e.id);
          nack.consumer = consumer;
          nack.delivery_time = now;
          nack.delivery_count = 1;
          consumer->pel[e.id] = &nack;
          PropagateXClaim(ctx, key, groupname, *g, e.id, nack);
        }
      }
      // Without NOACK the XCLAIMs carried the last ID (LASTID).
      if (g != nullptr && noack && last_id_moved) PropagateGroupLastId(ctx, key, groupname, *g);
    }
    return;
  }

  if (block) {
    if (!ctx.CanBlock()) return ctx.reply.NullArray();
    std::vector<std::string_view> keys(ctx.argv.begin() + streams_arg,
                                       ctx.argv.begin() + streams_arg + streams_count);
    ctx.BlockOn(keys, ValueType::kStream, deadline, BlockTimeoutReply::kNullArray);
    // A group reader must hear when its stream goes away (Redis's unblock_on_nokey).
    if (ctx.block) ctx.block->unblock_on_nokey = xreadgroup;
    // Re-execution must read after the IDs "$" and "+" stood for now, not later.
    bool rewrite = false;
    for (const std::string& r : resolved) rewrite |= !r.empty();
    if (rewrite && ctx.block) {
      ctx.block->argv.assign(ctx.argv.begin(), ctx.argv.end());
      for (size_t k = 0; k < streams_count; ++k) {
        if (!resolved[k].empty()) ctx.block->argv[streams_arg + streams_count + k] = resolved[k];
      }
    }
    return;
  }
  ctx.reply.NullArray();
}

void XRead(CommandContext& ctx) { ReadGeneric(ctx, false); }
void XReadGroup(CommandContext& ctx) { ReadGeneric(ctx, true); }

// The keys of XREAD/XREADGROUP: those after STREAMS (the first half of what follows).
std::vector<int> StreamsKeys(std::span<const std::string_view> argv) {
  std::vector<int> keys;
  for (size_t i = 1; i < argv.size(); ++i) {
    if (EqualsIgnoreCase(argv[i], "streams")) {
      size_t n = (argv.size() - i - 1) / 2;
      for (size_t k = 0; k < n; ++k) keys.push_back(static_cast<int>(i + 1 + k));
      break;
    }
  }
  return keys;
}

}  // namespace

void RegisterStreamReadCommands(CommandTable& table) {
  table.Register({.name = "xread", .arity = -4,
                  .flags = kCmdReadOnly | kCmdBlocking | kCmdMovableKeys, .keys = {0, 0, 0},
                  .acl = kAclStream, .group = "stream", .since = "5.0.0",
                  .summary = "Return never seen elements in multiple streams, with IDs greater "
                             "than the ones reported by the caller for each stream. Can block.",
                  .complexity = "For each stream mentioned: O(N) with N being the number of "
                                "elements being returned, it means that XREAD-ing with a fixed "
                                "COUNT is O(1). Note that when the BLOCK option is used, XADD "
                                "will pay O(M) time in order to serve the M clients blocked on "
                                "the stream getting new data.",
                  .handler = XRead, .find_keys = StreamsKeys});
  table.Register({.name = "xreadgroup", .arity = -7,
                  .flags = kCmdWrite | kCmdBlocking | kCmdMovableKeys, .keys = {0, 0, 0},
                  .acl = kAclStream, .group = "stream", .since = "5.0.0",
                  .summary = "Return new entries from a stream using a consumer group, or "
                             "access the history of the pending entries for a given consumer. "
                             "Can block.",
                  .complexity = "For each stream mentioned: O(M) with M being the number of "
                                "elements returned. If M is constant (e.g. always asking for "
                                "the first 10 elements with COUNT), you can consider it O(1). "
                                "On the other side when XREADGROUP blocks, XADD will pay the "
                                "O(N) time in order to serve the N clients blocked on the "
                                "stream getting new data.",
                  .handler = XReadGroup, .find_keys = StreamsKeys});
}

}  // namespace basalt
