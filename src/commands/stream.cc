// The stream commands without consumer groups: XADD, XLEN, XRANGE, XREVRANGE, XDEL, XTRIM,
// XSETID, with redis-server 7.0's argument checks, error texts and reply shapes. XREAD and
// XREADGROUP live in stream_read.cc, the group commands in stream_group.cc; the storage in
// types/stream.h.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "commands/keyspace_events.h"
#include "commands/registry.h"
#include "commands/stream_family.h"
#include "db/database.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "util/strconv.h"

namespace basalt {

// ---- shared helpers (stream_family.h) -------------------------------------------------------

Stream* LookupStreamRead(CommandContext& ctx, std::string_view key, bool* wrong) {
  *wrong = false;
  DbEntry* e = ctx.LookupRead(key);
  if (e == nullptr) return nullptr;
  if (!ctx.CheckType(e, ValueType::kStream)) {
    *wrong = true;
    return nullptr;
  }
  return &e->value.object<Stream>();
}

Stream* LookupStreamWrite(CommandContext& ctx, std::string_view key, bool* wrong) {
  *wrong = false;
  DbEntry* e = ctx.LookupWrite(key);
  if (e == nullptr) return nullptr;
  if (!ctx.CheckType(e, ValueType::kStream)) {
    *wrong = true;
    return nullptr;
  }
  return &e->value.object<Stream>();
}

bool ParseStrictIdOrReply(CommandContext& ctx, std::string_view arg, uint64_t missing_seq,
                          StreamID* out) {
  std::optional<ParsedStreamID> p = ParseStreamID(arg, missing_seq, /*strict=*/true);
  if (!p) {
    ctx.Error(kErrInvalidStreamID);
    return false;
  }
  *out = p->id;
  return true;
}

bool ParseRangeStartOrReply(CommandContext& ctx, std::string_view arg, StreamID* out) {
  std::optional<StreamBound> b = ParseStreamBound(arg, 0);
  if (!b) {
    ctx.Error(kErrInvalidStreamID);
    return false;
  }
  *out = b->id;
  if (b->exclusive && !out->Increment()) {
    ctx.Error("ERR invalid start ID for the interval");
    return false;
  }
  return true;
}

bool ParseRangeEndOrReply(CommandContext& ctx, std::string_view arg, StreamID* out) {
  std::optional<StreamBound> b = ParseStreamBound(arg, UINT64_MAX);
  if (!b) {
    ctx.Error(kErrInvalidStreamID);
    return false;
  }
  *out = b->id;
  if (b->exclusive && !out->Decrement()) {
    ctx.Error("ERR invalid end ID for the interval");
    return false;
  }
  return true;
}

void ReplyStreamId(CommandContext& ctx, const StreamID& id) {
  char buf[StreamID::kMaxLen];
  ctx.reply.Bulk(std::string_view(buf, id.Format(buf)));
}

void ReplyStreamEntry(CommandContext& ctx, const StreamEntryView& e) {
  ctx.reply.ArrayHeader(2);
  ReplyStreamId(ctx, e.id);
  ctx.reply.ArrayHeader(static_cast<int64_t>(e.fields.size() * 2));
  for (const auto& [f, v] : e.fields) {
    ctx.reply.Bulk(f);
    ctx.reply.Bulk(v);
  }
}

void PropagateXClaim(CommandContext& ctx, std::string_view key, std::string_view group_name,
                     const StreamGroup& group, StreamID id, const PendingEntry& nack) {
  if (!ctx.propagating()) return;
  const std::string id_text = id.ToString();
  const std::string time = std::to_string(nack.delivery_time);
  const std::string count = std::to_string(nack.delivery_count);
  const std::string last_id = group.last_id.ToString();
  ctx.PropagateAs({"XCLAIM", key, group_name, nack.consumer->name, "0", id_text, "TIME", time,
                   "RETRYCOUNT", count, "FORCE", "JUSTID", "LASTID", last_id});
}

void PropagateGroupLastId(CommandContext& ctx, std::string_view key, std::string_view group_name,
                          const StreamGroup& group) {
  if (!ctx.propagating()) return;
  const std::string last_id = group.last_id.ToString();
  const std::string entries_read = std::to_string(group.entries_read);
  ctx.PropagateAs({"XGROUP", "SETID", key, group_name, last_id, "ENTRIESREAD", entries_read});
}

void PropagateConsumerCreation(CommandContext& ctx, std::string_view key,
                               std::string_view group_name, std::string_view consumer) {
  ctx.PropagateAs({"XGROUP", "CREATECONSUMER", key, group_name, consumer});
}

namespace {

// ---- XADD / XTRIM argument parsing (Redis's streamParseAddOrTrimArgsOrReply) -----------------

struct AddTrimArgs {
  StreamTrimArgs trim;
  bool no_mkstream = false;
  bool id_given = false;
  ParsedStreamID id;
  size_t id_pos = 0;
};

bool ParseAddOrTrim(CommandContext& ctx, bool xadd, AddTrimArgs* a) {
  using S = StreamTrimArgs::Strategy;
  const size_t argc = ctx.argc();
  bool limit_given = false;
  size_t i = 2;
  for (; i < argc; ++i) {
    const size_t moreargs = argc - 1 - i;
    std::string_view opt = ctx.argv[i];
    if (xadd && opt == "*") {
      break;
    } else if ((EqualsIgnoreCase(opt, "maxlen") || EqualsIgnoreCase(opt, "minid")) &&
               moreargs > 0) {
      const bool maxlen = EqualsIgnoreCase(opt, "maxlen");
      if (a->trim.strategy != S::kNone) {
        ctx.Error("ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
        return false;
      }
      a->trim.approx = false;
      std::string_view next = ctx.argv[i + 1];
      if (moreargs >= 2 && next == "~") {
        a->trim.approx = true;
        ++i;
      } else if (moreargs >= 2 && next == "=") {
        ++i;
      }
      if (maxlen) {
        std::optional<int64_t> v = ParseInt64(ctx.argv[i + 1]);
        if (!v) {
          ctx.Error(kErrNotInteger);
          return false;
        }
        if (*v < 0) {
          ctx.Error("ERR The MAXLEN argument must be >= 0.");
          return false;
        }
        a->trim.maxlen = static_cast<uint64_t>(*v);
        a->trim.strategy = S::kMaxLen;
      } else {
        if (!ParseStrictIdOrReply(ctx, ctx.argv[i + 1], 0, &a->trim.minid)) return false;
        a->trim.strategy = S::kMinId;
      }
      ++i;
    } else if (EqualsIgnoreCase(opt, "limit") && moreargs > 0) {
      std::optional<int64_t> v = ParseInt64(ctx.argv[i + 1]);
      if (!v) {
        ctx.Error(kErrNotInteger);
        return false;
      }
      if (*v < 0) {
        ctx.Error("ERR The LIMIT argument must be >= 0.");
        return false;
      }
      a->trim.limit = *v;
      limit_given = true;
      ++i;
    } else if (xadd && EqualsIgnoreCase(opt, "nomkstream")) {
      a->no_mkstream = true;
    } else if (xadd) {
      std::optional<ParsedStreamID> p =
          ParseStreamID(opt, 0, /*strict=*/true, /*allow_seq_star=*/true);
      if (!p) {
        ctx.Error(kErrInvalidStreamID);
        return false;
      }
      a->id = *p;
      a->id_given = true;
      break;
    } else {
      ctx.Error(kErrSyntax);
      return false;
    }
  }
  a->id_pos = i;
  if (a->trim.limit != 0 && a->trim.strategy == S::kNone) {
    ctx.Error("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
    return false;
  }
  if (!xadd && a->trim.strategy == S::kNone) {
    ctx.Error("ERR syntax error, XTRIM must be called with a trimming strategy");
    return false;
  }
  if (limit_given) {
    if (!a->trim.approx) {
      ctx.Error("ERR syntax error, LIMIT cannot be used without the special ~ option");
      return false;
    }
  } else if (a->trim.approx) {
    // Bounds the work of one trim to about 100 blocks, as Redis does.
    int64_t limit = 100 * ctx.server.config().stream_node_max_entries;
    if (limit <= 0) limit = 10000;
    if (limit > 1000000) limit = 1000000;
    a->trim.limit = limit;
  } else {
    a->trim.limit = 0;
  }
  return true;
}

// Appends the trim of `a` as it is propagated: an exact trim ("=") to where the stream now
// ends. An approximate one ("~", LIMIT) trimmed to where the blocks allowed, which a replay
// with other block sizes would not reproduce; the resulting length or first ID does.
void AppendPropagatedTrim(const AddTrimArgs& a, const Stream& s, std::vector<std::string>* out) {
  using S = StreamTrimArgs::Strategy;
  if (a.trim.strategy == S::kMaxLen) {
    out->insert(out->end(), {"MAXLEN", "=", std::to_string(a.trim.approx ? s.length()
                                                                         : a.trim.maxlen)});
  } else if (a.trim.strategy == S::kMinId) {
    const StreamID& minid = a.trim.approx && s.length() > 0 ? s.first_id() : a.trim.minid;
    out->insert(out->end(), {"MINID", "=", minid.ToString()});
  }
}

Stream* CreateStream(CommandContext& ctx, std::string_view key) {
  Value v = Value::FromObject(ValueType::kStream, Encoding::kStream, std::make_unique<Stream>());
  v.set_lru(static_cast<uint32_t>(ctx.server.lru_clock()));
  ctx.db().Add(key, std::move(v));
  return &ctx.LookupWrite(key)->value.object<Stream>();
}

// XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value ...
void XAdd(CommandContext& ctx) {
  AddTrimArgs a;
  if (!ParseAddOrTrim(ctx, /*xadd=*/true, &a)) return;
  const size_t field_pos = a.id_pos + 1;
  const size_t nargs = ctx.argc() > field_pos ? ctx.argc() - field_pos : 0;
  if (nargs < 2 || nargs % 2 == 1) {
    return ctx.Error("ERR wrong number of arguments for 'xadd' command");
  }
  if (a.id_given && a.id.seq_given && a.id.id.IsZero()) {
    return ctx.Error("ERR The ID specified in XADD must be greater than 0-0");
  }
  bool wrong;
  Stream* s = LookupStreamWrite(ctx, ctx.argv[1], &wrong);
  if (wrong) return;
  if (s == nullptr) {
    if (a.no_mkstream) return ctx.reply.Null();
    s = CreateStream(ctx, ctx.argv[1]);
  }
  if (s->last_id() == StreamID::Max()) {
    return ctx.Error("ERR The stream has exhausted the last possible ID, unable to add more items");
  }
  std::optional<StreamID> id = s->NextId(ctx.now_ms(), a.id_given ? &a.id : nullptr);
  if (!id) {
    return ctx.Error(
        "ERR The ID specified in XADD is equal or smaller than the target stream top item");
  }
  const ServerConfig& cfg = ctx.server.config();
  s->Append(*id, ctx.argv.subspan(field_pos), cfg.stream_node_max_bytes,
            cfg.stream_node_max_entries);
  ReplyStreamId(ctx, *id);
  ctx.AddDirty();
  if (a.trim.strategy != StreamTrimArgs::Strategy::kNone && s->Trim(a.trim) > 0) {
    ctx.Notify(kEvXTrim, ctx.argv[1]);  // after the table's "xadd"
  }
  ctx.SignalKeyReady(ctx.argv[1]);
  // With the ID it got (an auto ID would differ on replay) and the exact trim.
  if (ctx.propagating()) {
    std::vector<std::string> argv = {"XADD", std::string(ctx.argv[1])};
    if (a.no_mkstream) argv.push_back("NOMKSTREAM");
    AppendPropagatedTrim(a, *s, &argv);
    argv.push_back(id->ToString());
    argv.insert(argv.end(), ctx.argv.begin() + static_cast<ptrdiff_t>(field_pos), ctx.argv.end());
    ctx.PropagateAs(argv);
  }
}

// XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count]
void XTrim(CommandContext& ctx) {
  AddTrimArgs a;
  if (!ParseAddOrTrim(ctx, /*xadd=*/false, &a)) return;
  bool wrong;
  Stream* s = LookupStreamWrite(ctx, ctx.argv[1], &wrong);
  if (wrong) return;
  if (s == nullptr) return ctx.reply.Integer(0);
  int64_t deleted = s->Trim(a.trim);
  if (deleted > 0) ctx.AddDirty(static_cast<uint64_t>(deleted));
  if (deleted > 0 && ctx.propagating()) {
    std::vector<std::string> argv = {"XTRIM", std::string(ctx.argv[1])};
    AppendPropagatedTrim(a, *s, &argv);
    ctx.PropagateAs(argv);
  }
  ctx.reply.Integer(deleted);
}

// XLEN key
void XLen(CommandContext& ctx) {
  bool wrong;
  Stream* s = LookupStreamRead(ctx, ctx.argv[1], &wrong);
  if (wrong) return;
  ctx.reply.Integer(s == nullptr ? 0 : static_cast<int64_t>(s->length()));
}

// XRANGE key start end [COUNT count] / XREVRANGE key end start [COUNT count]
void RangeGeneric(CommandContext& ctx, bool rev) {
  std::string_view start_arg = rev ? ctx.argv[3] : ctx.argv[2];
  std::string_view end_arg = rev ? ctx.argv[2] : ctx.argv[3];
  StreamID start, end;
  if (!ParseRangeStartOrReply(ctx, start_arg, &start)) return;
  if (!ParseRangeEndOrReply(ctx, end_arg, &end)) return;
  int64_t count = -1;
  for (size_t j = 4; j < ctx.argc(); ++j) {
    if (EqualsIgnoreCase(ctx.argv[j], "count") && j + 1 < ctx.argc()) {
      std::optional<int64_t> v = ParseInt64(ctx.argv[j + 1]);
      if (!v) return ctx.Error(kErrNotInteger);
      count = *v < 0 ? 0 : *v;
      ++j;
    } else {
      return ctx.Error(kErrSyntax);
    }
  }
  bool wrong;
  Stream* s = LookupStreamRead(ctx, ctx.argv[1], &wrong);
  if (wrong) return;
  if (s == nullptr) return ctx.reply.EmptyArray();
  if (count == 0) return ctx.reply.NullArray();
  int64_t n = 0;
  s->Range(start, end, rev, [&](const StreamEntryView&) { return ++n != count; });
  ctx.reply.ArrayHeader(n);
  int64_t emitted = 0;
  s->Range(start, end, rev, [&](const StreamEntryView& e) {
    ReplyStreamEntry(ctx, e);
    return ++emitted != n;
  });
}

void XRange(CommandContext& ctx) { RangeGeneric(ctx, false); }
void XRevRange(CommandContext& ctx) { RangeGeneric(ctx, true); }

// XDEL key id [id ...]
void XDel(CommandContext& ctx) {
  std::vector<StreamID> ids;
  bool wrong;
  Stream* s = LookupStreamWrite(ctx, ctx.argv[1], &wrong);
  if (wrong) return;
  if (s == nullptr) return ctx.reply.Integer(0);
  for (size_t j = 2; j < ctx.argc(); ++j) {
    StreamID id;
    if (!ParseStrictIdOrReply(ctx, ctx.argv[j], 0, &id)) return;
    ids.push_back(id);
  }
  int64_t deleted = 0;
  bool first_entry = false;
  for (const StreamID& id : ids) {
    if (!s->Delete(id)) continue;
    if (id == s->first_id()) first_entry = true;
    if (id > s->max_deleted_id()) s->set_max_deleted_id(id);
    ++deleted;
  }
  if (deleted > 0) {
    if (s->length() == 0 || first_entry) s->UpdateFirstId();
    ctx.AddDirty(static_cast<uint64_t>(deleted));
  }
  ctx.reply.Integer(deleted);
}

// XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id]
void XSetId(CommandContext& ctx) {
  StreamID id, max_xdel;
  int64_t entries_added = -1;
  if (!ParseStrictIdOrReply(ctx, ctx.argv[2], 0, &id)) return;
  for (size_t i = 3; i < ctx.argc(); i += 2) {
    const bool more = i + 1 < ctx.argc();
    std::string_view opt = ctx.argv[i];
    if (EqualsIgnoreCase(opt, "entriesadded") && more) {
      std::optional<int64_t> v = ParseInt64(ctx.argv[i + 1]);
      if (!v) return ctx.Error(kErrNotInteger);
      if (*v < 0) return ctx.Error("ERR entries_added must be positive");
      entries_added = *v;
    } else if (EqualsIgnoreCase(opt, "maxdeletedid") && more) {
      if (!ParseStrictIdOrReply(ctx, ctx.argv[i + 1], 0, &max_xdel)) return;
      if (id < max_xdel) {
        return ctx.Error(
            "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
      }
    } else {
      return ctx.Error(kErrSyntax);
    }
  }
  bool wrong;
  Stream* s = LookupStreamWrite(ctx, ctx.argv[1], &wrong);
  if (wrong) return;
  if (s == nullptr) return ctx.Error(kErrNoSuchKey);
  if (s->length() > 0) {
    StreamEntryView last;
    s->Last(&last);
    if (id < last.id) {
      return ctx.Error("ERR The ID specified in XSETID is smaller than the target stream top item");
    }
    if (entries_added != -1 && s->length() > static_cast<uint64_t>(entries_added)) {
      return ctx.Error(
          "ERR The entries_added specified in XSETID is smaller than the target stream length");
    }
  }
  s->set_last_id(id);
  if (entries_added != -1) s->set_entries_added(static_cast<uint64_t>(entries_added));
  if (!max_xdel.IsZero()) s->set_max_deleted_id(max_xdel);
  ctx.reply.Ok();
  ctx.AddDirty();
}

}  // namespace

void RegisterStreamReadCommands(CommandTable& table);  // stream_read.cc

void RegisterStreamCommands(CommandTable& table) {
  table.Register({.name = "xadd", .arity = -5, .flags = kCmdWrite | kCmdDenyOom | kCmdFast,
                  .keys = {1, 1, 1}, .acl = kAclStream, .group = "stream", .since = "5.0.0",
                  .summary = "Appends a new entry to a stream",
                  .complexity = "O(1) when adding a new entry, O(N) when trimming where N being "
                                "the number of entries evicted.",
                  .handler = XAdd});
  table.Register({.name = "xlen", .arity = 2, .flags = kCmdReadOnly | kCmdFast,
                  .keys = {1, 1, 1}, .acl = kAclStream, .group = "stream", .since = "5.0.0",
                  .summary = "Return the number of entries in a stream", .complexity = "O(1)",
                  .handler = XLen});
  table.Register({.name = "xrange", .arity = -4, .flags = kCmdReadOnly, .keys = {1, 1, 1},
                  .acl = kAclStream, .group = "stream", .since = "5.0.0",
                  .summary = "Return a range of elements in a stream, with IDs matching the "
                             "specified IDs interval",
                  .complexity = "O(N) with N being the number of elements being returned. If N "
                                "is constant (e.g. always asking for the first 10 elements with "
                                "COUNT), you can consider it O(1).",
                  .handler = XRange});
  table.Register({.name = "xrevrange", .arity = -4, .flags = kCmdReadOnly, .keys = {1, 1, 1},
                  .acl = kAclStream, .group = "stream", .since = "5.0.0",
                  .summary = "Return a range of elements in a stream, with IDs matching the "
                             "specified IDs interval, in reverse order (from greater to smaller "
                             "IDs) compared to XRANGE",
                  .complexity = "O(N) with N being the number of elements returned. If N is "
                                "constant (e.g. always asking for the first 10 elements with "
                                "COUNT), you can consider it O(1).",
                  .handler = XRevRange});
  table.Register({.name = "xdel", .arity = -3, .flags = kCmdWrite | kCmdFast, .keys = {1, 1, 1},
                  .acl = kAclStream, .group = "stream", .since = "5.0.0",
                  .summary = "Removes the specified entries from the stream. Returns the number "
                             "of items actually deleted, that may be different from the number "
                             "of IDs passed in case certain IDs do not exist.",
                  .complexity = "O(1) for each single item to delete in the stream, regardless "
                                "of the stream size.",
                  .handler = XDel});
  table.Register({.name = "xtrim", .arity = -4, .flags = kCmdWrite, .keys = {1, 1, 1},
                  .acl = kAclStream, .group = "stream", .since = "5.0.0",
                  .summary = "Trims the stream to (approximately if '~' is passed) a certain "
                             "size",
                  .complexity = "O(N), with N being the number of evicted entries. Constant "
                                "times are very small however, since entries are organized in "
                                "macro nodes containing multiple entries that can be released "
                                "with a single deallocation.",
                  .handler = XTrim});
  table.Register({.name = "xsetid", .arity = -3, .flags = kCmdWrite | kCmdDenyOom | kCmdFast,
                  .keys = {1, 1, 1}, .acl = kAclStream, .group = "stream", .since = "5.0.0",
                  .summary = "An internal command for replicating stream values",
                  .complexity = "O(1)", .handler = XSetId});
  RegisterStreamReadCommands(table);
  RegisterStreamGroupCommands(table);
}

}  // namespace basalt
