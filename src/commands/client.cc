// CLIENT and its subcommands: naming, listing, killing, pausing and reply modes.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "commands/client.h"
#include "commands/client_tracking.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "util/strconv.h"

namespace basalt {

// Redis allows names of printable ASCII without spaces ('!' to '~').
bool ValidClientName(std::string_view name) {
  for (char c : name) {
    if (c < '!' || c > '~') return false;
  }
  return true;
}

namespace {

// Redis's flag letters, in its order; "N" when none applies.
std::string ClientFlags(const Client& c) {
  std::string flags;
  if (c.monitor) flags += 'O';
  if (c.subscription_count() != 0) flags += 'P';
  if (c.multi) flags += 'x';
  if (c.blocked) flags += 'b';
  if (c.tracking.on) flags += 't';
  if (c.tracking.broken_redirect) flags += 'R';
  if (c.tracking.bcast) flags += 'B';
  if (c.dirty_cas) flags += 'd';
  if (c.no_evict) flags += 'e';
  if (flags.empty()) flags = "N";
  return flags;
}

// CLIENT LIST TYPE / CLIENT KILL TYPE: which clients a type names. Monitors count as
// normal clients, as in Redis; there are no master or replica clients yet.
enum class ClientTypeFilter { kAny, kNormal, kPubsub, kNone };

std::optional<ClientTypeFilter> ParseClientType(std::string_view type) {
  if (EqualsIgnoreCase(type, "normal")) return ClientTypeFilter::kNormal;
  if (EqualsIgnoreCase(type, "pubsub")) return ClientTypeFilter::kPubsub;
  if (EqualsIgnoreCase(type, "master") || EqualsIgnoreCase(type, "replica") ||
      EqualsIgnoreCase(type, "slave")) {
    return ClientTypeFilter::kNone;
  }
  return std::nullopt;
}

bool ClientTypeMatches(ClientTypeFilter filter, const Client& c) {
  switch (filter) {
    case ClientTypeFilter::kAny:
      return true;
    case ClientTypeFilter::kNormal:
      return c.subscription_count() == 0;
    case ClientTypeFilter::kPubsub:
      return c.subscription_count() != 0;
    case ClientTypeFilter::kNone:
      return false;
  }
  return false;
}

}  // namespace

// One CLIENT LIST / CLIENT INFO line, in Redis 7.2's field order.
std::string DescribeClient(const Server& server, const Client& c, int64_t now_ms) {
  std::string s;
  s.reserve(384);
  auto field = [&s](std::string_view name, std::string_view value) {
    if (!s.empty()) s += ' ';
    s.append(name);
    s += '=';
    s.append(value);
  };
  auto num = [&field](std::string_view name, int64_t v) { field(name, Int64ToString(v)); };
  num("id", static_cast<int64_t>(c.id));
  field("addr", c.addr);
  field("laddr", c.laddr);
  num("fd", c.fd);
  field("name", c.name);
  num("age", (now_ms - c.ctime_ms) / 1000);
  num("idle", (now_ms - c.last_interaction_ms) / 1000);
  field("flags", ClientFlags(c));
  num("db", c.db_index);
  num("sub", static_cast<int64_t>(c.subscriptions.channels.size()));
  num("psub", static_cast<int64_t>(c.subscriptions.patterns.size()));
  num("ssub", static_cast<int64_t>(c.subscriptions.shard_channels.size()));
  num("multi", c.multi ? static_cast<int64_t>(c.multi->commands.size()) : -1);
  num("qbuf", static_cast<int64_t>(c.query.size()));
  num("qbuf-free", static_cast<int64_t>(c.query.writable()));
  num("argv-mem", static_cast<int64_t>(Evictor::ArgvMemory(c)));
  num("multi-mem", 0);
  num("rbs", static_cast<int64_t>(c.reply_buf.capacity()));
  num("rbp", static_cast<int64_t>(c.reply_buf.size()));
  num("obl", static_cast<int64_t>(c.reply_buf.size() - c.reply_sent));
  num("oll", 0);
  num("omem", static_cast<int64_t>(c.pending_output()));
  num("tot-mem", static_cast<int64_t>(Evictor::ClientMemory(c)));
  field("events", c.want_write_event ? "rw" : "r");
  field("cmd", c.last_command ? std::string_view(c.last_command->full_name) : "NULL");
  field("user", "default");
  num("redir", c.tracking.on ? static_cast<int64_t>(c.tracking.redirect) : -1);
  num("resp", c.reply.resp());
  field("lib-name", c.lib_name);
  field("lib-ver", c.lib_ver);
  (void)server;
  return s;
}

namespace {

void ClientId(CommandContext& ctx) { ctx.reply.Integer(static_cast<int64_t>(ctx.client.id)); }

void ClientSetName(CommandContext& ctx) {
  if (!ValidClientName(ctx.argv[2])) {
    return ctx.Error("ERR Client names cannot contain spaces, newlines or special characters.");
  }
  ctx.client.name = std::string(ctx.argv[2]);
  ctx.reply.Ok();
}

void ClientGetName(CommandContext& ctx) {
  if (ctx.client.name.empty()) return ctx.reply.Null();
  ctx.reply.Bulk(ctx.client.name);
}

void ClientSetInfo(CommandContext& ctx) {
  std::string_view attr = ctx.argv[2], value = ctx.argv[3];
  std::string* target = nullptr;
  if (EqualsIgnoreCase(attr, "lib-name")) {
    target = &ctx.client.lib_name;
  } else if (EqualsIgnoreCase(attr, "lib-ver")) {
    target = &ctx.client.lib_ver;
  } else {
    return ctx.Error("ERR Unrecognized option '" + std::string(attr) + "'");
  }
  if (!ValidClientName(value)) {
    return ctx.Error("ERR " + std::string(attr) +
                     " cannot contain spaces, newlines or special characters.");
  }
  *target = std::string(value);
  ctx.reply.Ok();
}

void ClientInfo(CommandContext& ctx) {
  ctx.reply.Verbatim(DescribeClient(ctx.server, ctx.client, ctx.now_ms()) + "\n");
}

// CLIENT LIST [TYPE normal|master|replica|pubsub] [ID id [id ...]]
void ClientList(CommandContext& ctx) {
  std::vector<uint64_t> ids;
  ClientTypeFilter type_filter = ClientTypeFilter::kAny;
  for (size_t i = 2; i < ctx.argc(); ++i) {
    if (EqualsIgnoreCase(ctx.argv[i], "type") && i + 1 < ctx.argc()) {
      std::string_view type = ctx.argv[++i];
      auto filter = ParseClientType(type);
      if (!filter) return ctx.Error("ERR Unknown client type '" + std::string(type) + "'");
      type_filter = *filter;
    } else if (EqualsIgnoreCase(ctx.argv[i], "id") && i + 1 < ctx.argc()) {
      for (++i; i < ctx.argc(); ++i) {
        auto id = ParseInt64(ctx.argv[i]);
        if (!id || *id <= 0) return ctx.Error("ERR Invalid client ID");
        ids.push_back(static_cast<uint64_t>(*id));
      }
    } else {
      return ctx.Error(kErrSyntax);
    }
  }
  std::string out;
  for (auto& [id, c] : ctx.server.clients()) {
    if (c->close_asap || !ClientTypeMatches(type_filter, *c)) continue;
    if (!ids.empty() && std::find(ids.begin(), ids.end(), id) == ids.end()) continue;
    out += DescribeClient(ctx.server, *c, ctx.now_ms());
    out += '\n';
  }
  ctx.reply.Verbatim(out);
}

// CLIENT KILL addr:port | CLIENT KILL <filter value> ...
void ClientKill(CommandContext& ctx) {
  if (ctx.argc() == 3) {
    for (auto& [id, c] : ctx.server.clients()) {
      if (c->addr == ctx.argv[2] && !c->close_asap) {
        if (c == &ctx.client) {
          c->close_after_reply = true;
        } else {
          ctx.server.CloseClientAsync(c);
        }
        return ctx.reply.Ok();
      }
    }
    return ctx.Error("ERR No such client");
  }
  if (ctx.argc() % 2 != 0) return ctx.Error(kErrSyntax);
  uint64_t want_id = 0;
  std::string_view addr, laddr;
  bool skipme = true;
  ClientTypeFilter type_filter = ClientTypeFilter::kAny;
  int64_t maxage = 0;
  for (size_t i = 2; i + 1 < ctx.argc(); i += 2) {
    std::string_view opt = ctx.argv[i], val = ctx.argv[i + 1];
    if (EqualsIgnoreCase(opt, "id")) {
      auto id = ParseInt64(val);
      if (!id || *id <= 0) return ctx.Error("ERR client-id should be greater than 0");
      want_id = static_cast<uint64_t>(*id);
    } else if (EqualsIgnoreCase(opt, "type")) {
      auto filter = ParseClientType(val);
      if (!filter) return ctx.Error("ERR Unknown client type '" + std::string(val) + "'");
      type_filter = *filter;
    } else if (EqualsIgnoreCase(opt, "addr")) {
      addr = val;
    } else if (EqualsIgnoreCase(opt, "laddr")) {
      laddr = val;
    } else if (EqualsIgnoreCase(opt, "user")) {
      if (val != "default") return ctx.Error("ERR No such user '" + std::string(val) + "'");
    } else if (EqualsIgnoreCase(opt, "skipme")) {
      if (EqualsIgnoreCase(val, "yes")) {
        skipme = true;
      } else if (EqualsIgnoreCase(val, "no")) {
        skipme = false;
      } else {
        return ctx.Error(kErrSyntax);
      }
    } else if (EqualsIgnoreCase(opt, "maxage")) {
      auto age = ParseInt64(val);
      if (!age) return ctx.Error(kErrNotInteger);
      maxage = *age;
    } else {
      return ctx.Error(kErrSyntax);
    }
  }
  int64_t killed = 0;
  for (auto& [id, c] : ctx.server.clients()) {
    if (c->close_asap || !ClientTypeMatches(type_filter, *c)) continue;
    if (want_id != 0 && id != want_id) continue;
    if (!addr.empty() && c->addr != addr) continue;
    if (!laddr.empty() && c->laddr != laddr) continue;
    if (skipme && c == &ctx.client) continue;
    if (maxage > 0 && (ctx.now_ms() - c->ctime_ms) / 1000 < maxage) continue;
    if (c == &ctx.client) {
      c->close_after_reply = true;
    } else {
      ctx.server.CloseClientAsync(c);
    }
    ++killed;
  }
  ctx.reply.Integer(killed);
}

// CLIENT REPLY ON|OFF|SKIP
void ClientReply(CommandContext& ctx) {
  std::string_view mode = ctx.argv[2];
  if (EqualsIgnoreCase(mode, "on")) {
    ctx.client.reply_mode = Client::ReplyMode::kOn;
    ctx.reply.Ok();
  } else if (EqualsIgnoreCase(mode, "off")) {
    ctx.client.reply_mode = Client::ReplyMode::kOff;
  } else if (EqualsIgnoreCase(mode, "skip")) {
    if (ctx.client.reply_mode == Client::ReplyMode::kOn) {
      ctx.client.reply_mode = Client::ReplyMode::kSkipNext;
    }
  } else {
    ctx.Error(kErrSyntax);
  }
}

// CLIENT NO-EVICT on|off, CLIENT NO-TOUCH on|off
void SetOnOff(CommandContext& ctx, bool* flag) {
  if (EqualsIgnoreCase(ctx.argv[2], "on")) {
    *flag = true;
  } else if (EqualsIgnoreCase(ctx.argv[2], "off")) {
    *flag = false;
  } else {
    return ctx.Error(kErrSyntax);
  }
  ctx.reply.Ok();
}
void ClientNoEvict(CommandContext& ctx) { SetOnOff(ctx, &ctx.client.no_evict); }
void ClientNoTouch(CommandContext& ctx) { SetOnOff(ctx, &ctx.client.no_touch); }

// CLIENT UNBLOCK client-id [TIMEOUT|ERROR]: 1 if the client was blocked and is now served
// with its timeout reply (or the -UNBLOCKED error), else 0.
void ClientUnblock(CommandContext& ctx) {
  std::optional<int64_t> id = ParseInt64(ctx.argv[2]);
  if (!id) return ctx.Error(kErrNotInteger);
  bool with_error = false;
  if (ctx.argc() == 4) {
    if (EqualsIgnoreCase(ctx.argv[3], "error")) {
      with_error = true;
    } else if (!EqualsIgnoreCase(ctx.argv[3], "timeout")) {
      return ctx.Error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
    }
  }
  Client* target = ctx.server.FindClient(static_cast<uint64_t>(*id));
  bool done = target != nullptr && ctx.server.UnblockClientByRequest(target, with_error);
  ctx.reply.Integer(done ? 1 : 0);
}

// CLIENT PAUSE timeout [WRITE|ALL]
void ClientPause(CommandContext& ctx) {
  auto timeout = ParseInt64(ctx.argv[2]);
  if (!timeout || *timeout < 0) return ctx.Error("ERR timeout is not an integer or out of range");
  bool writes_only = false;
  if (ctx.argc() == 4) {
    if (EqualsIgnoreCase(ctx.argv[3], "write")) {
      writes_only = true;
    } else if (!EqualsIgnoreCase(ctx.argv[3], "all")) {
      return ctx.Error("ERR Syntax error. Usage: CLIENT PAUSE <timeout> [WRITE|ALL]");
    }
  } else if (ctx.argc() > 4) {
    return ctx.Error(kErrSyntax);
  }
  ctx.server.PauseClients(ctx.now_ms() + *timeout, writes_only);
  ctx.reply.Ok();
}

void ClientUnpause(CommandContext& ctx) {
  ctx.server.UnpauseClients();
  ctx.reply.Ok();
}

void ClientHelp(CommandContext& ctx) {
  static const char* kLines[] = {
      "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "CACHING (YES|NO)",
      "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
      "GETREDIR",
      "    Return the client ID we are redirecting to when tracking is enabled.",
      "GETNAME",
      "    Return the name of the current connection.",
      "ID",
      "    Return the ID of the current connection.",
      "INFO",
      "    Return information about the current client connection.",
      "KILL <ip:port>",
      "    Kill connection made from <ip:port>.",
      "KILL <option> <value> [<option> <value> [...]]",
      "    Kill connections. Options are:",
      "    * ADDR (<ip:port>|<unixsocket>:0)",
      "      Kill connections made from the specified address",
      "    * LADDR (<ip:port>|<unixsocket>:0)",
      "      Kill connections made to specified local address",
      "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
      "      Kill connections by type.",
      "    * USER <username>",
      "      Kill connections authenticated by <username>.",
      "    * SKIPME (YES|NO)",
      "      Skip killing current connection (default: yes).",
      "    * ID <client-id>",
      "      Kill connections by client id.",
      "    * MAXAGE <maxage>",
      "      Kill connections older than the specified age.",
      "LIST [options ...]",
      "    Return information about client connections. Options:",
      "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
      "      Return clients of specified type.",
      "UNPAUSE",
      "    Stop the current client pause, resuming traffic.",
      "PAUSE <timeout> [WRITE|ALL]",
      "    Suspend all, or just write, clients for <timeout> milliseconds.",
      "REPLY (ON|OFF|SKIP)",
      "    Control the replies sent to the current connection.",
      "SETNAME <name>",
      "    Assign the name <name> to the current connection.",
      "SETINFO <option> <value>",
      "    Set client meta attr. Options are:",
      "    * LIB-NAME: the client lib name.",
      "    * LIB-VER: the client lib version.",
      "UNBLOCK <clientid> [TIMEOUT|ERROR]",
      "    Unblock the specified blocked client.",
      "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
      "         [OPTIN] [OPTOUT] [NOLOOP]",
      "    Control server assisted client side caching.",
      "TRACKINGINFO",
      "    Report tracking status for the current connection.",
      "NO-EVICT (ON|OFF)",
      "    Protect current client connection from eviction.",
      "NO-TOUCH (ON|OFF)",
      "    Will not touch LRU/LFU stats when this mode is on.",
      "HELP",
      "    Print this help.",
  };
  ctx.reply.ArrayHeader(sizeof(kLines) / sizeof(kLines[0]));
  for (const char* line : kLines) ctx.reply.SimpleString(line);
}

CommandSpec Sub(const char* name, int arity, uint64_t flags, const char* summary,
                CommandHandler handler, const char* since = "2.4.0") {
  return CommandSpec{.name = name, .arity = arity, .flags = flags, .acl = kAclConnection,
                     .group = "connection", .since = since, .summary = summary,
                     .complexity = "O(1)", .handler = handler};
}

}  // namespace

void RegisterClientCommands(CommandTable& table) {
  constexpr uint64_t kSafe = kCmdNoScript | kCmdLoading | kCmdStale;
  constexpr uint64_t kAdminCmd = kCmdAdmin | kCmdNoScript | kCmdLoading | kCmdStale;
  table.Register(
      {.name = "client", .arity = -2, .acl = kAclConnection, .group = "connection",
       .since = "2.4.0", .summary = "A container for client connection commands.",
       .complexity = "Depends on subcommand.",
       .subcommands = {
           Sub("id", 2, kSafe, "Returns the unique client ID of the connection.", ClientId,
               "5.0.0"),
           Sub("setname", 3, kSafe, "Sets the connection name.", ClientSetName, "2.6.9"),
           Sub("getname", 2, kSafe, "Returns the name of the connection.", ClientGetName,
               "2.6.9"),
           Sub("setinfo", 4, kSafe, "Sets information specific to the client or connection.",
               ClientSetInfo, "7.2.0"),
           Sub("info", 2, kSafe, "Returns information about the connection.", ClientInfo,
               "6.2.0"),
           Sub("list", -2, kAdminCmd, "Lists open connections.", ClientList, "2.4.0"),
           Sub("kill", -3, kAdminCmd, "Terminates open connections.", ClientKill, "2.4.0"),
           Sub("reply", 3, kSafe, "Instructs the server whether to reply to commands.",
               ClientReply, "3.2.0"),
           Sub("no-evict", 3, kAdminCmd, "Sets the client eviction mode of the connection.",
               ClientNoEvict, "7.0.0"),
           Sub("no-touch", 3, kSafe,
               "Controls whether commands sent by the client affect the LRU/LFU of accessed "
               "keys.",
               ClientNoTouch, "7.2.0"),
           Sub("unblock", -3, kAdminCmd, "Unblocks a client blocked by a blocking command from a "
               "different connection.", ClientUnblock, "5.0.0"),
           Sub("pause", -3, kAdminCmd, "Suspends commands processing.", ClientPause, "3.0.0"),
           Sub("unpause", 2, kAdminCmd, "Resumes processing commands from paused clients.",
               ClientUnpause, "6.2.0"),
           Sub("tracking", -3, kSafe,
               "Enable or disable server assisted client side caching support",
               ClientTracking, "6.0.0"),
           Sub("caching", 3, kSafe,
               "Instruct the server about tracking or not keys in the next request",
               ClientCaching, "6.0.0"),
           Sub("getredir", 2, kSafe,
               "Get tracking notifications redirection client ID if any",
               ClientGetRedir, "6.0.0"),
           Sub("trackinginfo", 2, kSafe,
               "Return information about server assisted client side caching for the "
               "current connection",
               ClientTrackingInfo, "6.2.0"),
           Sub("help", 2, kCmdLoading | kCmdStale, "Returns helpful text about the different "
               "subcommands.", ClientHelp, "5.0.0"),
       }});
}

}  // namespace basalt
