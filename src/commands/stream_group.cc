// The consumer-group commands: XGROUP (CREATE, SETID, DESTROY, CREATECONSUMER, DELCONSUMER,
// HELP), XACK, XPENDING, XCLAIM, XAUTOCLAIM, and XINFO (STREAM [FULL], GROUPS, CONSUMERS,
// HELP), with redis-server 7.0's argument checks, error texts and reply shapes, including its
// lag and entries-read bookkeeping (types/stream.h).
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "commands/arg_parse.h"
#include "commands/keyspace_events.h"
#include "commands/stream_family.h"
#include "db/database.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "util/strconv.h"

namespace basalt {

namespace {

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

void SubcommandSyntaxError(CommandContext& ctx) {
  ctx.Error("ERR unknown subcommand or wrong number of arguments for '" +
            std::string(ctx.argv[1].substr(0, 128)) + "'. Try " + Upper(ctx.argv[0]) +
            " HELP.");
}

void ReplyHelp(CommandContext& ctx, std::initializer_list<const char*> lines) {
  ctx.reply.ArrayHeader(static_cast<int64_t>(lines.size() + 3));
  ctx.reply.SimpleString(Upper(ctx.argv[0]) +
                         " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
  for (const char* l : lines) ctx.reply.SimpleString(l);
  ctx.reply.SimpleString("HELP");
  ctx.reply.SimpleString("    Prints this help.");
}

void ReplyNullableCount(CommandContext& ctx, int64_t v) {
  if (v == kInvalidEntriesRead) return ctx.reply.Null();
  ctx.reply.Integer(v);
}

void ReplyLag(CommandContext& ctx, const Stream& s, const StreamGroup& g) {
  int64_t lag;
  if (s.GroupLag(g, &lag)) return ctx.reply.Integer(lag);
  ctx.reply.Null();
}

// ---- XGROUP ---------------------------------------------------------------------------------

// The part every XGROUP subcommand but HELP shares (Redis's xgroupCommand prelude): parses
// MKSTREAM / ENTRIESREAD, finds the stream and the group. Returns false after replying.
struct XGroupArgs {
  Stream* s = nullptr;
  StreamGroup* group = nullptr;
  bool mkstream = false;
  int64_t entries_read = kInvalidEntriesRead;
};

bool XGroupPrelude(CommandContext& ctx, XGroupArgs* a) {
  std::string_view opt = ctx.argv[1];
  const bool create = EqualsIgnoreCase(opt, "create");
  const bool setid = EqualsIgnoreCase(opt, "setid");
  for (size_t i = 5; i < ctx.argc();) {
    if (create && EqualsIgnoreCase(ctx.argv[i], "mkstream")) {
      a->mkstream = true;
      ++i;
    } else if ((create || setid) && EqualsIgnoreCase(ctx.argv[i], "entriesread") &&
               i + 1 < ctx.argc()) {
      std::optional<int64_t> v = ParseInt64(ctx.argv[i + 1]);
      if (!v) {
        ctx.Error(kErrNotInteger);
        return false;
      }
      if (*v < 0 && *v != kInvalidEntriesRead) {
        ctx.Error("ERR value for ENTRIESREAD must be positive or -1");
        return false;
      }
      a->entries_read = *v;
      i += 2;
    } else {
      SubcommandSyntaxError(ctx);
      return false;
    }
  }
  bool wrong;
  a->s = LookupStreamWrite(ctx, ctx.argv[2], &wrong);
  if (wrong) return false;
  if (!a->mkstream) {
    if (a->s == nullptr) {
      ctx.Error("ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you "
                "may want to use the MKSTREAM option to create an empty stream automatically.");
      return false;
    }
    a->group = a->s->FindGroup(ctx.argv[3]);
    if (a->group == nullptr && (setid || EqualsIgnoreCase(opt, "createconsumer") ||
                                EqualsIgnoreCase(opt, "delconsumer"))) {
      ctx.Error("NOGROUP No such consumer group '" + std::string(ctx.argv[3]) +
                "' for key name '" + std::string(ctx.argv[2]) + "'");
      return false;
    }
  }
  return true;
}

void XGroupCreate(CommandContext& ctx) {
  XGroupArgs a;
  if (!XGroupPrelude(ctx, &a)) return;
  if (ctx.argc() > 8) return SubcommandSyntaxError(ctx);
  StreamID id;
  if (ctx.argv[4] == "$") {
    id = a.s != nullptr ? a.s->last_id() : StreamID{};
  } else if (!ParseStrictIdOrReply(ctx, ctx.argv[4], 0, &id)) {
    return;
  }
  if (a.s == nullptr) {
    Value v =
        Value::FromObject(ValueType::kStream, Encoding::kStream, std::make_unique<Stream>());
    v.set_lru(static_cast<uint32_t>(ctx.server.lru_clock()));
    ctx.db().Add(ctx.argv[2], std::move(v));
    a.s = &ctx.LookupWrite(ctx.argv[2])->value.object<Stream>();
  }
  if (a.s->CreateGroup(ctx.argv[3], id, a.entries_read) == nullptr) {
    return ctx.Error("BUSYGROUP Consumer Group name already exists");
  }
  ctx.reply.Ok();
  ctx.AddDirty();
}

void XGroupSetId(CommandContext& ctx) {
  XGroupArgs a;
  if (!XGroupPrelude(ctx, &a)) return;
  if (ctx.argc() != 5 && ctx.argc() != 7) return SubcommandSyntaxError(ctx);
  StreamID id;
  if (ctx.argv[4] == "$") {
    id = a.s->last_id();
  } else {
    std::optional<ParsedStreamID> p = ParseStreamID(ctx.argv[4], 0, /*strict=*/false);
    if (!p) return ctx.Error(kErrInvalidStreamID);
    id = p->id;
  }
  a.group->last_id = id;
  a.group->entries_read = a.entries_read;
  ctx.reply.Ok();
  ctx.AddDirty();
}

void XGroupDestroy(CommandContext& ctx) {
  XGroupArgs a;
  if (!XGroupPrelude(ctx, &a)) return;
  if (a.group == nullptr) return ctx.reply.Integer(0);
  a.s->groups().erase(a.s->groups().find(ctx.argv[3]));
  ctx.reply.Integer(1);
  ctx.AddDirty();
  // Clients blocked in XREADGROUP on this group get their error.
  ctx.SignalKeyReady(ctx.argv[2]);
}

void XGroupCreateConsumer(CommandContext& ctx) {
  XGroupArgs a;
  if (!XGroupPrelude(ctx, &a)) return;
  bool created;
  a.group->GetOrCreateConsumer(ctx.argv[4], ctx.now_ms(), &created);
  if (created) ctx.AddDirty();
  ctx.reply.Integer(created ? 1 : 0);
}

void XGroupDelConsumer(CommandContext& ctx) {
  XGroupArgs a;
  if (!XGroupPrelude(ctx, &a)) return;
  int64_t pending = 0;
  if (a.group->FindConsumer(ctx.argv[4]) != nullptr) {
    pending = static_cast<int64_t>(a.group->DeleteConsumer(ctx.argv[4]));
    ctx.AddDirty();
  }
  ctx.reply.Integer(pending);
}

void XGroupHelp(CommandContext& ctx) {
  ReplyHelp(ctx, {
                     "CREATE <key> <groupname> <id|$> [option]",
                     "    Create a new consumer group. Options are:",
                     "    * MKSTREAM",
                     "      Create the empty stream if it does not exist.",
                     "    * ENTRIESREAD entries_read",
                     "      Set the group's entries_read counter (internal use).",
                     "CREATECONSUMER <key> <groupname> <consumer>",
                     "    Create a new consumer in the specified group.",
                     "DELCONSUMER <key> <groupname> <consumer>",
                     "    Remove the specified consumer.",
                     "DESTROY <key> <groupname>",
                     "    Remove the specified group.",
                     "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
                     "    Set the current group ID and entries_read counter.",
                 });
}

// ---- XACK -----------------------------------------------------------------------------------

// XACK key group id [id ...]
void XAck(CommandContext& ctx) {
  bool wrong;
  Stream* s = LookupStreamRead(ctx, ctx.argv[1], &wrong);
  if (wrong) return;
  StreamGroup* g = s == nullptr ? nullptr : s->FindGroup(ctx.argv[2]);
  if (g == nullptr) return ctx.reply.Integer(0);
  std::vector<StreamID> ids;
  for (size_t j = 3; j < ctx.argc(); ++j) {
    StreamID id;
    if (!ParseStrictIdOrReply(ctx, ctx.argv[j], 0, &id)) return;
    ids.push_back(id);
  }
  int64_t acked = 0;
  for (const StreamID& id : ids) {
    auto it = g->pel.find(id);
    if (it == g->pel.end()) continue;
    it->second.consumer->pel.erase(id);
    g->pel.erase(it);
    ++acked;
  }
  if (acked > 0) ctx.AddDirty(static_cast<uint64_t>(acked));
  ctx.reply.Integer(acked);
}

// ---- XPENDING -------------------------------------------------------------------------------

std::string NoGroupError(std::string_view key, std::string_view group) {
  return "NOGROUP No such key '" + std::string(key) + "' or consumer group '" +
         std::string(group) + "'";
}

// XPENDING key group [[IDLE min-idle-time] start end count [consumer]]
void XPending(CommandContext& ctx) {
  const size_t argc = ctx.argc();
  const bool justinfo = argc == 3;
  StreamID start, end;
  int64_t count = 0, minidle = 0;
  std::string_view consumer_name;
  bool have_consumer = false;
  if (argc != 3 && (argc < 6 || argc > 9)) return ctx.Error(kErrSyntax);
  if (argc >= 6) {
    size_t startidx = 3;
    if (EqualsIgnoreCase(ctx.argv[3], "idle")) {
      std::optional<int64_t> v = ParseInt64(ctx.argv[4]);
      if (!v) return ctx.Error(kErrNotInteger);
      minidle = *v;
      if (argc < 8) return ctx.Error(kErrSyntax);
      startidx += 2;
    }
    std::optional<int64_t> c = ParseInt64(ctx.argv[startidx + 2]);
    if (!c) return ctx.Error(kErrNotInteger);
    count = *c < 0 ? 0 : *c;
    if (!ParseRangeStartOrReply(ctx, ctx.argv[startidx], &start)) return;
    if (!ParseRangeEndOrReply(ctx, ctx.argv[startidx + 1], &end)) return;
    if (startidx + 3 < argc) {
      consumer_name = ctx.argv[startidx + 3];
      have_consumer = true;
    }
  }
  bool wrong;
  Stream* s = LookupStreamRead(ctx, ctx.argv[1], &wrong);
  if (wrong) return;
  StreamGroup* g = s == nullptr ? nullptr : s->FindGroup(ctx.argv[2]);
  if (g == nullptr) return ctx.Error(NoGroupError(ctx.argv[1], ctx.argv[2]));

  if (justinfo) {
    ctx.reply.ArrayHeader(4);
    ctx.reply.Integer(static_cast<int64_t>(g->pel.size()));
    if (g->pel.empty()) {
      ctx.reply.Null();
      ctx.reply.Null();
      ctx.reply.NullArray();
      return;
    }
    ReplyStreamId(ctx, g->pel.begin()->first);
    ReplyStreamId(ctx, g->pel.rbegin()->first);
    int64_t n = 0;
    for (const auto& [name, c] : g->consumers) n += c->pel.empty() ? 0 : 1;
    ctx.reply.ArrayHeader(n);
    for (const auto& [name, c] : g->consumers) {
      if (c->pel.empty()) continue;
      ctx.reply.ArrayHeader(2);
      ctx.reply.Bulk(name);
      ctx.reply.BulkInt(static_cast<int64_t>(c->pel.size()));
    }
    return;
  }

  const int64_t now = ctx.now_ms();
  struct Row {
    StreamID id;
    const PendingEntry* nack;
  };
  std::vector<Row> rows;
  auto collect = [&](auto& pel, auto deref) {
    for (auto it = pel.lower_bound(start); count > 0 && it != pel.end() && it->first <= end;
         ++it) {
      const PendingEntry* nack = deref(it->second);
      if (minidle != 0 && now - nack->delivery_time < minidle) continue;
      rows.push_back({it->first, nack});
      --count;
    }
  };
  if (have_consumer) {
    StreamConsumer* c = g->FindConsumer(consumer_name);
    if (c == nullptr) return ctx.reply.EmptyArray();
    collect(c->pel, [](PendingEntry* p) { return p; });
  } else {
    collect(g->pel, [](PendingEntry& p) { return &p; });
  }
  ctx.reply.ArrayHeader(static_cast<int64_t>(rows.size()));
  for (const Row& r : rows) {
    ctx.reply.ArrayHeader(4);
    ReplyStreamId(ctx, r.id);
    ctx.reply.Bulk(r.nack->consumer->name);
    ctx.reply.Integer(std::max<int64_t>(0, now - r.nack->delivery_time));
    ctx.reply.Integer(static_cast<int64_t>(r.nack->delivery_count));
  }
}

// ---- XCLAIM / XAUTOCLAIM --------------------------------------------------------------------

// XCLAIM/XAUTOCLAIM's consumer (argv[3]), created (with its keyspace event) only once an
// entry is actually claimed, as Redis does; claiming counts as the consumer being seen.
StreamConsumer* ClaimingConsumer(CommandContext& ctx, StreamGroup* g, int64_t now) {
  bool created;
  StreamConsumer* consumer = g->GetOrCreateConsumer(ctx.argv[3], now, &created);
  if (created) ctx.Notify(kEvXGroupCreateConsumer, ctx.argv[1]);
  consumer->seen_time = now;
  return consumer;
}

// Moves `nack` (of entry `id`) to `consumer`.
void Reassign(StreamID id, PendingEntry* nack, StreamConsumer* consumer) {
  if (nack->consumer == consumer) return;
  if (nack->consumer != nullptr) nack->consumer->pel.erase(id);
  consumer->pel[id] = nack;
  nack->consumer = consumer;
}

void ReplyEntryById(CommandContext& ctx, const Stream& s, StreamID id) {
  s.Range(id, id, false, [&](const StreamEntryView& e) {
    ReplyStreamEntry(ctx, e);
    return false;
  });
}

// XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-ms] [RETRYCOUNT n]
//        [FORCE] [JUSTID] [LASTID id]
void XClaim(CommandContext& ctx) {
  bool wrong;
  Stream* s = LookupStreamRead(ctx, ctx.argv[1], &wrong);
  if (wrong) return;
  StreamGroup* g = s == nullptr ? nullptr : s->FindGroup(ctx.argv[2]);
  if (g == nullptr) return ctx.Error(NoGroupError(ctx.argv[1], ctx.argv[2]));
  int64_t minidle;
  if (!ParseIntegerOrReply(ctx, ctx.argv[4], &minidle,
                               "Invalid min-idle-time argument for XCLAIM")) {
    return;
  }
  if (minidle < 0) minidle = 0;
  std::vector<StreamID> ids;
  size_t j = 5;
  for (; j < ctx.argc(); ++j) {
    std::optional<ParsedStreamID> p = ParseStreamID(ctx.argv[j], 0, /*strict=*/true);
    if (!p) break;
    ids.push_back(p->id);
  }
  const int64_t now = ctx.now_ms();
  int64_t retrycount = -1, deliverytime = -1;
  bool force = false, justid = false;
  StreamID last_id;
  for (; j < ctx.argc(); ++j) {
    const bool more = j + 1 < ctx.argc();
    std::string_view opt = ctx.argv[j];
    if (EqualsIgnoreCase(opt, "force")) {
      force = true;
    } else if (EqualsIgnoreCase(opt, "justid")) {
      justid = true;
    } else if (EqualsIgnoreCase(opt, "idle") && more) {
      if (!ParseIntegerOrReply(ctx, ctx.argv[++j], &deliverytime,
                               "Invalid IDLE option argument for XCLAIM")) {
        return;
      }
      deliverytime = now - deliverytime;
    } else if (EqualsIgnoreCase(opt, "time") && more) {
      if (!ParseIntegerOrReply(ctx, ctx.argv[++j], &deliverytime,
                               "Invalid TIME option argument for XCLAIM")) {
        return;
      }
    } else if (EqualsIgnoreCase(opt, "retrycount") && more) {
      if (!ParseIntegerOrReply(ctx, ctx.argv[++j], &retrycount,
                               "Invalid RETRYCOUNT option argument for XCLAIM")) {
        return;
      }
    } else if (EqualsIgnoreCase(opt, "lastid") && more) {
      if (!ParseStrictIdOrReply(ctx, ctx.argv[++j], 0, &last_id)) return;
    } else {
      return ctx.Error("ERR Unrecognized XCLAIM option '" + std::string(opt) + "'");
    }
  }
  // Propagated as what changed (PropagateXClaim), never as sent: IDLE and the claims that
  // happened depend on the time.
  ctx.PreventPropagation();
  bool propagate_last_id = false;
  if (last_id > g->last_id) {
    g->last_id = last_id;
    ctx.AddDirty();
    propagate_last_id = true;
  }
  if (deliverytime != -1) {
    if (deliverytime < 0 || deliverytime > now) deliverytime = now;
  } else {
    deliverytime = now;
  }
  StreamConsumer* consumer = nullptr;
  std::vector<StreamID> claimed;
  for (const StreamID& id : ids) {
    auto it = g->pel.find(id);
    PendingEntry* nack = it == g->pel.end() ? nullptr : &it->second;
    if (!s->Contains(id)) {
      if (nack != nullptr) {
        ctx.AddDirty();
        if (nack->consumer != nullptr) {
          PropagateXClaim(ctx, ctx.argv[1], ctx.argv[2], *g, id, *nack);
          propagate_last_id = false;  // the XCLAIM carries it
          nack->consumer->pel.erase(id);
        }
        g->pel.erase(it);
      }
      continue;
    }
    if (force && nack == nullptr) {
      nack = &g->pel[id];
      nack->consumer = nullptr;
      nack->delivery_count = 1;
    }
    if (nack == nullptr) continue;
    if (nack->consumer != nullptr && minidle != 0 && now - nack->delivery_time < minidle) {
      continue;
    }
    if (consumer == nullptr) consumer = ClaimingConsumer(ctx, g, now);
    Reassign(id, nack, consumer);
    nack->delivery_time = deliverytime;
    if (retrycount >= 0) {
      nack->delivery_count = static_cast<uint64_t>(retrycount);
    } else if (!justid) {
      ++nack->delivery_count;
    }
    claimed.push_back(id);
    ctx.AddDirty();
    PropagateXClaim(ctx, ctx.argv[1], ctx.argv[2], *g, id, *nack);
    propagate_last_id = false;
  }
  if (propagate_last_id) PropagateGroupLastId(ctx, ctx.argv[1], ctx.argv[2], *g);
  ctx.reply.ArrayHeader(static_cast<int64_t>(claimed.size()));
  for (const StreamID& id : claimed) {
    if (justid) {
      ReplyStreamId(ctx, id);
    } else {
      ReplyEntryById(ctx, *s, id);
    }
  }
}

// XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID]
void XAutoClaim(CommandContext& ctx) {
  int64_t minidle;
  if (!ParseIntegerOrReply(ctx, ctx.argv[4], &minidle,
                               "Invalid min-idle-time argument for XAUTOCLAIM")) {
    return;
  }
  if (minidle < 0) minidle = 0;
  StreamID start;
  if (!ParseRangeStartOrReply(ctx, ctx.argv[5], &start)) return;
  int64_t count = 100;
  constexpr int64_t kAttemptsFactor = 10;
  bool justid = false;
  for (size_t j = 6; j < ctx.argc(); ++j) {
    const bool more = j + 1 < ctx.argc();
    if (EqualsIgnoreCase(ctx.argv[j], "count") && more) {
      std::optional<int64_t> v = ParseInt64(ctx.argv[j + 1]);
      if (!v || *v < 1 || *v > INT64_MAX / 16) return ctx.Error("ERR COUNT must be > 0");
      count = *v;
      ++j;
    } else if (EqualsIgnoreCase(ctx.argv[j], "justid")) {
      justid = true;
    } else {
      return ctx.Error(kErrSyntax);
    }
  }
  bool wrong;
  Stream* s = LookupStreamRead(ctx, ctx.argv[1], &wrong);
  if (wrong) return;
  StreamGroup* g = s == nullptr ? nullptr : s->FindGroup(ctx.argv[2]);
  if (g == nullptr) return ctx.Error(NoGroupError(ctx.argv[1], ctx.argv[2]));

  const int64_t now = ctx.now_ms();
  ctx.PreventPropagation();  // propagated as XCLAIMs of what changed, as XCLAIM is
  int64_t attempts = count * kAttemptsFactor;
  StreamConsumer* consumer = nullptr;
  std::vector<StreamID> claimed, deleted;
  auto it = g->pel.lower_bound(start);
  while (attempts-- > 0 && count > 0 && it != g->pel.end()) {
    const StreamID id = it->first;
    PendingEntry* nack = &it->second;
    if (!s->Contains(id)) {
      ctx.AddDirty();
      if (nack->consumer != nullptr) {
        PropagateXClaim(ctx, ctx.argv[1], ctx.argv[2], *g, id, *nack);
        nack->consumer->pel.erase(id);
      }
      it = g->pel.erase(it);
      deleted.push_back(id);
      --count;
      continue;
    }
    if (minidle != 0 && now - nack->delivery_time < minidle) {
      ++it;
      continue;
    }
    if (consumer == nullptr) consumer = ClaimingConsumer(ctx, g, now);
    Reassign(id, nack, consumer);
    nack->delivery_time = now;
    if (!justid) ++nack->delivery_count;
    claimed.push_back(id);
    --count;
    ctx.AddDirty();
    PropagateXClaim(ctx, ctx.argv[1], ctx.argv[2], *g, id, *nack);
    ++it;
  }
  ctx.reply.ArrayHeader(3);
  ReplyStreamId(ctx, it == g->pel.end() ? StreamID{} : it->first);
  ctx.reply.ArrayHeader(static_cast<int64_t>(claimed.size()));
  for (const StreamID& id : claimed) {
    if (justid) {
      ReplyStreamId(ctx, id);
    } else {
      ReplyEntryById(ctx, *s, id);
    }
  }
  ctx.reply.ArrayHeader(static_cast<int64_t>(deleted.size()));
  for (const StreamID& id : deleted) ReplyStreamId(ctx, id);
}

// ---- XINFO ----------------------------------------------------------------------------------

Stream* XInfoLookup(CommandContext& ctx) {
  bool wrong;
  Stream* s = LookupStreamRead(ctx, ctx.argv[2], &wrong);
  if (wrong) return nullptr;
  if (s == nullptr) ctx.Error(kErrNoSuchKey);
  return s;
}

void XInfoStream(CommandContext& ctx) {
  bool full = false;
  int64_t count = 10;
  const size_t optc = ctx.argc() - 3;
  if (optc != 0) {
    if (optc != 1 && optc != 3) return SubcommandSyntaxError(ctx);
    if (!EqualsIgnoreCase(ctx.argv[3], "full")) return SubcommandSyntaxError(ctx);
    if (optc == 3) {
      if (!EqualsIgnoreCase(ctx.argv[4], "count")) return SubcommandSyntaxError(ctx);
      std::optional<int64_t> v = ParseInt64(ctx.argv[5]);
      if (!v) return ctx.Error(kErrNotInteger);
      count = *v < 0 ? 10 : *v;
    }
    full = true;
  }
  Stream* s = XInfoLookup(ctx);
  if (s == nullptr) return;
  ctx.reply.MapHeader(full ? 9 : 10);
  ctx.reply.Bulk("length");
  ctx.reply.Integer(static_cast<int64_t>(s->length()));
  // Our blocks play the part of Redis's radix tree keys; the tree's inner nodes have no
  // counterpart, so nodes are reported as keys + 1 (the root).
  ctx.reply.Bulk("radix-tree-keys");
  ctx.reply.Integer(static_cast<int64_t>(s->block_count()));
  ctx.reply.Bulk("radix-tree-nodes");
  ctx.reply.Integer(static_cast<int64_t>(s->block_count() + 1));
  ctx.reply.Bulk("last-generated-id");
  ReplyStreamId(ctx, s->last_id());
  ctx.reply.Bulk("max-deleted-entry-id");
  ReplyStreamId(ctx, s->max_deleted_id());
  ctx.reply.Bulk("entries-added");
  ctx.reply.Integer(static_cast<int64_t>(s->entries_added()));
  ctx.reply.Bulk("recorded-first-entry-id");
  ReplyStreamId(ctx, s->first_id());
  if (!full) {
    ctx.reply.Bulk("groups");
    ctx.reply.Integer(static_cast<int64_t>(s->groups().size()));
    StreamEntryView e;
    ctx.reply.Bulk("first-entry");
    if (s->First(&e)) {
      ReplyStreamEntry(ctx, e);
    } else {
      ctx.reply.Null();
    }
    ctx.reply.Bulk("last-entry");
    if (s->Last(&e)) {
      ReplyStreamEntry(ctx, e);
    } else {
      ctx.reply.Null();
    }
    return;
  }
  ctx.reply.Bulk("entries");
  std::vector<StreamEntryView> entries;
  s->Range(StreamID::Min(), StreamID::Max(), false, [&](const StreamEntryView& e) {
    entries.push_back(e);
    return count == 0 || static_cast<int64_t>(entries.size()) < count;
  });
  ctx.reply.ArrayHeader(static_cast<int64_t>(entries.size()));
  for (const StreamEntryView& e : entries) ReplyStreamEntry(ctx, e);
  ctx.reply.Bulk("groups");
  ctx.reply.ArrayHeader(static_cast<int64_t>(s->groups().size()));
  auto limited = [count](size_t n) {
    return static_cast<int64_t>(count == 0 ? n : std::min<size_t>(n, count));
  };
  for (const auto& [name, g] : s->groups()) {
    ctx.reply.MapHeader(7);
    ctx.reply.Bulk("name");
    ctx.reply.Bulk(name);
    ctx.reply.Bulk("last-delivered-id");
    ReplyStreamId(ctx, g->last_id);
    ctx.reply.Bulk("entries-read");
    ReplyNullableCount(ctx, g->entries_read);
    ctx.reply.Bulk("lag");
    ReplyLag(ctx, *s, *g);
    ctx.reply.Bulk("pel-count");
    ctx.reply.Integer(static_cast<int64_t>(g->pel.size()));
    ctx.reply.Bulk("pending");
    int64_t n = limited(g->pel.size());
    ctx.reply.ArrayHeader(n);
    for (auto it = g->pel.begin(); n-- > 0; ++it) {
      ctx.reply.ArrayHeader(4);
      ReplyStreamId(ctx, it->first);
      ctx.reply.Bulk(it->second.consumer->name);
      ctx.reply.Integer(it->second.delivery_time);
      ctx.reply.Integer(static_cast<int64_t>(it->second.delivery_count));
    }
    ctx.reply.Bulk("consumers");
    ctx.reply.ArrayHeader(static_cast<int64_t>(g->consumers.size()));
    for (const auto& [cname, c] : g->consumers) {
      ctx.reply.MapHeader(4);
      ctx.reply.Bulk("name");
      ctx.reply.Bulk(cname);
      ctx.reply.Bulk("seen-time");
      ctx.reply.Integer(c->seen_time);
      ctx.reply.Bulk("pel-count");
      ctx.reply.Integer(static_cast<int64_t>(c->pel.size()));
      ctx.reply.Bulk("pending");
      int64_t m = limited(c->pel.size());
      ctx.reply.ArrayHeader(m);
      for (auto it = c->pel.begin(); m-- > 0; ++it) {
        ctx.reply.ArrayHeader(3);
        ReplyStreamId(ctx, it->first);
        ctx.reply.Integer(it->second->delivery_time);
        ctx.reply.Integer(static_cast<int64_t>(it->second->delivery_count));
      }
    }
  }
}

void XInfoGroups(CommandContext& ctx) {
  Stream* s = XInfoLookup(ctx);
  if (s == nullptr) return;
  ctx.reply.ArrayHeader(static_cast<int64_t>(s->groups().size()));
  for (const auto& [name, g] : s->groups()) {
    ctx.reply.MapHeader(6);
    ctx.reply.Bulk("name");
    ctx.reply.Bulk(name);
    ctx.reply.Bulk("consumers");
    ctx.reply.Integer(static_cast<int64_t>(g->consumers.size()));
    ctx.reply.Bulk("pending");
    ctx.reply.Integer(static_cast<int64_t>(g->pel.size()));
    ctx.reply.Bulk("last-delivered-id");
    ReplyStreamId(ctx, g->last_id);
    ctx.reply.Bulk("entries-read");
    ReplyNullableCount(ctx, g->entries_read);
    ctx.reply.Bulk("lag");
    ReplyLag(ctx, *s, *g);
  }
}

void XInfoConsumers(CommandContext& ctx) {
  Stream* s = XInfoLookup(ctx);
  if (s == nullptr) return;
  StreamGroup* g = s->FindGroup(ctx.argv[3]);
  if (g == nullptr) {
    return ctx.Error("NOGROUP No such consumer group '" + std::string(ctx.argv[3]) +
                     "' for key name '" + std::string(ctx.argv[2]) + "'");
  }
  const int64_t now = ctx.now_ms();
  ctx.reply.ArrayHeader(static_cast<int64_t>(g->consumers.size()));
  for (const auto& [name, c] : g->consumers) {
    ctx.reply.MapHeader(3);
    ctx.reply.Bulk("name");
    ctx.reply.Bulk(name);
    ctx.reply.Bulk("pending");
    ctx.reply.Integer(static_cast<int64_t>(c->pel.size()));
    ctx.reply.Bulk("idle");
    ctx.reply.Integer(std::max<int64_t>(0, now - c->seen_time));
  }
}

void XInfoHelp(CommandContext& ctx) {
  ReplyHelp(ctx, {
                     "CONSUMERS <key> <groupname>",
                     "    Show consumers of <groupname>.",
                     "GROUPS <key>",
                     "    Show the stream consumer groups.",
                     "STREAM <key> [FULL [COUNT <count>]",
                     "    Show information about the stream.",
                 });
}

CommandSpec Sub(const char* name, int arity, uint64_t flags, uint64_t acl, const char* since,
                const char* summary, const char* complexity, CommandHandler handler) {
  const bool help = std::string_view(name) == "help";
  return CommandSpec{.name = name, .arity = arity, .flags = flags,
                     .keys = help ? KeySpec{0, 0, 0} : KeySpec{2, 2, 1}, .acl = acl,
                     .group = "stream", .since = since, .summary = summary,
                     .complexity = complexity, .handler = handler};
}

}  // namespace

void RegisterStreamGroupCommands(CommandTable& table) {
  constexpr const char* kHelpSummary = "Show helpful text about the different subcommands";
  table.Register(
      {.name = "xgroup", .arity = -2, .acl = 0, .group = "stream", .since = "5.0.0",
       .summary = "A container for consumer groups commands",
       .complexity = "Depends on subcommand.",
       .subcommands = {
           Sub("create", -5, kCmdWrite | kCmdDenyOom, kAclStream, "5.0.0",
               "Create a consumer group.", "O(1)", XGroupCreate),
           Sub("setid", -5, kCmdWrite, kAclStream, "5.0.0",
               "Set a consumer group to an arbitrary last delivered ID value.", "O(1)",
               XGroupSetId),
           Sub("destroy", 4, kCmdWrite, kAclStream, "5.0.0", "Destroy a consumer group.",
               "O(N) where N is the number of entries in the group's pending entries list "
               "(PEL).",
               XGroupDestroy),
           Sub("createconsumer", 5, kCmdWrite | kCmdDenyOom, kAclStream, "6.2.0",
               "Create a consumer in a consumer group.", "O(1)", XGroupCreateConsumer),
           Sub("delconsumer", 5, kCmdWrite, kAclStream, "5.0.0",
               "Delete a consumer from a consumer group.", "O(1)", XGroupDelConsumer),
           Sub("help", 2, kCmdLoading | kCmdStale, kAclStream, "5.0.0", kHelpSummary, "O(1)",
               XGroupHelp),
       }});
  table.Register(
      {.name = "xinfo", .arity = -2, .acl = 0, .group = "stream", .since = "5.0.0",
       .summary = "A container for stream introspection commands",
       .complexity = "Depends on subcommand.",
       .subcommands = {
           Sub("stream", -3, kCmdReadOnly, kAclStream, "5.0.0", "Get information about a stream",
               "O(1)", XInfoStream),
           Sub("groups", 3, kCmdReadOnly, kAclStream, "5.0.0",
               "List the consumer groups of a stream", "O(1)", XInfoGroups),
           Sub("consumers", 4, kCmdReadOnly, kAclStream, "5.0.0",
               "List the consumers in a consumer group", "O(1)", XInfoConsumers),
           Sub("help", 2, kCmdLoading | kCmdStale, kAclStream, "5.0.0", kHelpSummary, "O(1)",
               XInfoHelp),
       }});
  table.Register({.name = "xack", .arity = -4, .flags = kCmdWrite | kCmdFast, .keys = {1, 1, 1},
                  .acl = kAclStream, .group = "stream", .since = "5.0.0",
                  .summary = "Marks a pending message as correctly processed, effectively "
                             "removing it from the pending entries list of the consumer group. "
                             "Return value of the command is the number of messages "
                             "successfully acknowledged, that is, the IDs we were actually "
                             "able to resolve in the PEL.",
                  .complexity = "O(1) for each message ID processed.", .handler = XAck});
  table.Register({.name = "xpending", .arity = -3, .flags = kCmdReadOnly, .keys = {1, 1, 1},
                  .acl = kAclStream, .group = "stream", .since = "5.0.0",
                  .summary = "Return information and entries from a stream consumer group "
                             "pending entries list, that are messages fetched but never "
                             "acknowledged.",
                  .complexity = "O(N) with N being the number of elements returned, so asking "
                                "for a small fixed number of entries per call is O(1). O(M), "
                                "where M is the total number of entries scanned when used with "
                                "the IDLE filter. When the command returns just the summary and "
                                "the list of consumers is small, it runs in O(1) time; "
                                "otherwise, an additional O(N) time for iterating every "
                                "consumer.",
                  .handler = XPending});
  table.Register({.name = "xclaim", .arity = -6, .flags = kCmdWrite | kCmdFast,
                  .keys = {1, 1, 1}, .acl = kAclStream, .group = "stream", .since = "5.0.0",
                  .summary = "Changes (or acquires) ownership of a message in a consumer group, "
                             "as if the message was delivered to the specified consumer.",
                  .complexity = "O(log N) with N being the number of messages in the PEL of the "
                                "consumer group.",
                  .handler = XClaim});
  table.Register({.name = "xautoclaim", .arity = -6, .flags = kCmdWrite | kCmdFast,
                  .keys = {1, 1, 1}, .acl = kAclStream, .group = "stream", .since = "6.2.0",
                  .summary = "Changes (or acquires) ownership of messages in a consumer group, "
                             "as if the messages were delivered to the specified consumer.",
                  .complexity = "O(1) if COUNT is small.", .handler = XAutoClaim});
}

}  // namespace basalt
