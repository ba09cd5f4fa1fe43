// Connection commands: PING, ECHO, QUIT, HELLO, AUTH, SELECT, RESET, and CLIENT.
#include <string>

#include "commands/client.h"
#include "commands/registry.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "server/version.h"
#include "util/strconv.h"

namespace basalt {
namespace {

constexpr std::string_view kErrWrongPass =
    "WRONGPASS invalid username-password pair or user is disabled.";

// PING [message]
void Ping(CommandContext& ctx) {
  if (ctx.argc() > 2) {
    return ctx.Error("ERR wrong number of arguments for 'ping' command");
  }
  // A RESP2 client in Pub/Sub mode reads every reply as a message: Redis answers with the
  // ["pong", message] array there.
  if (ctx.client.subscription_count() != 0 && ctx.client.reply.resp() == 2) {
    ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk("pong");
    return ctx.reply.Bulk(ctx.argc() == 2 ? ctx.argv[1] : std::string_view());
  }
  if (ctx.argc() == 2) return ctx.reply.Bulk(ctx.argv[1]);
  ctx.reply.SimpleString("PONG");
}

// ECHO message
void Echo(CommandContext& ctx) { ctx.reply.Bulk(ctx.argv[1]); }

// QUIT: reply, then close once the reply is written.
void Quit(CommandContext& ctx) {
  ctx.reply.Ok();
  ctx.client.close_after_reply = true;
}

// Checks a username/password pair against the default user (requirepass).
// ACL users arrive with the ACL issue; until then only "default" exists.
bool CheckCredentials(CommandContext& ctx, std::string_view user, std::string_view pass) {
  const std::string& required = ctx.server.config().requirepass;
  if (user != "default") return false;
  return required.empty() || pass == required;
}

// AUTH [username] password
void Auth(CommandContext& ctx) {
  if (ctx.argc() > 3) return ctx.Error(kErrSyntax);
  std::string_view user = ctx.argc() == 3 ? ctx.argv[1] : std::string_view("default");
  std::string_view pass = ctx.argv[ctx.argc() - 1];
  if (ctx.argc() == 2 && ctx.server.config().requirepass.empty()) {
    return ctx.Error(
        "ERR AUTH <password> called without any password configured for the default user. "
        "Are you sure your configuration is correct?");
  }
  if (!CheckCredentials(ctx, user, pass)) return ctx.Error(kErrWrongPass);
  ctx.client.authenticated = true;
  ctx.reply.Ok();
}

// HELLO [protover [AUTH username password] [SETNAME clientname]]
void Hello(CommandContext& ctx) {
  int64_t version = ctx.client.reply.resp();
  size_t i = 1;
  if (ctx.argc() >= 2) {
    auto v = ParseInt64(ctx.argv[1]);
    if (!v) return ctx.Error("ERR Protocol version is not an integer or out of range");
    if (*v < 2 || *v > 3) return ctx.Error("NOPROTO unsupported protocol version");
    version = *v;
    i = 2;
  }
  std::string_view user, pass, setname;
  bool has_auth = false, has_name = false;
  for (; i < ctx.argc(); ++i) {
    size_t more = ctx.argc() - i - 1;
    if (EqualsIgnoreCase(ctx.argv[i], "auth") && more >= 2) {
      user = ctx.argv[i + 1];
      pass = ctx.argv[i + 2];
      has_auth = true;
      i += 2;
    } else if (EqualsIgnoreCase(ctx.argv[i], "setname") && more >= 1) {
      setname = ctx.argv[i + 1];
      has_name = true;
      i += 1;
    } else {
      return ctx.Error("ERR Syntax error in HELLO option '" + std::string(ctx.argv[i]) + "'");
    }
  }
  if (has_auth && !CheckCredentials(ctx, user, pass)) return ctx.Error(kErrWrongPass);
  if (has_auth) ctx.client.authenticated = true;
  if (!ctx.client.authenticated) {
    return ctx.Error("NOAUTH HELLO must be called with the client already authenticated, "
                     "otherwise the HELLO <proto> AUTH <user> <pass> option can be used to "
                     "authenticate the client and select the RESP protocol version at the "
                     "same time");
  }
  if (has_name) {
    if (!ValidClientName(setname)) {
      return ctx.Error(
          "ERR Client names cannot contain spaces, newlines or special characters.");
    }
    ctx.client.name = std::string(setname);
  }
  ctx.client.reply.set_resp(static_cast<int>(version));
  ReplyBuilder& r = ctx.reply;
  r.MapHeader(7);
  r.Bulk("server");
  r.Bulk("redis");
  r.Bulk("version");
  r.Bulk(kRedisCompatVersion);
  r.Bulk("proto");
  r.Integer(version);
  r.Bulk("id");
  r.Integer(static_cast<int64_t>(ctx.client.id));
  r.Bulk("mode");
  r.Bulk("standalone");
  r.Bulk("role");
  r.Bulk("master");
  r.Bulk("modules");
  r.EmptyArray();
}

// SELECT index
void Select(CommandContext& ctx) {
  auto index = ParseInt64(ctx.argv[1]);
  if (!index) return ctx.Error(kErrNotInteger);
  if (*index < 0 || *index >= ctx.server.db_count()) return ctx.Error(kErrDbIndex);
  ctx.client.db_index = static_cast<int>(*index);
  ctx.reply.Ok();
}

// RESET: back to a fresh connection's state.
void Reset(CommandContext& ctx) {
  Client& c = ctx.client;
  ctx.server.DiscardTransaction(&c);
  c.db_index = 0;
  c.reply.set_resp(2);
  c.name.clear();
  c.reply_mode = Client::ReplyMode::kOn;
  if (c.monitor) ctx.server.RemoveMonitor(&c);
  c.monitor = false;
  c.no_evict = false;
  c.no_touch = false;
  c.authenticated = ctx.server.config().requirepass.empty();
  ctx.server.pubsub().RemoveClient(&c);  // unsubscribes from everything, silently
  ctx.server.tracking().Disable(c);
  ctx.reply.SimpleString("RESET");
}

}  // namespace

void RegisterConnectionCommands(CommandTable& table) {
  constexpr uint64_t kConn = kAclConnection;
  table.Register({.name = "ping", .arity = -1, .flags = kCmdFast | kCmdSentinel,
                  .acl = kConn, .group = "connection", .since = "1.0.0",
                  .summary = "Returns the server's liveliness response.", .complexity = "O(1)",
                  .handler = Ping});
  table.Register({.name = "echo", .arity = 2, .flags = kCmdFast, .acl = kConn,
                  .group = "connection", .since = "1.0.0", .summary = "Returns the given string.",
                  .complexity = "O(1)", .handler = Echo});
  table.Register({.name = "quit", .arity = -1,
                  .flags = kCmdAllowBusy | kCmdNoAuth | kCmdNoScript | kCmdLoading | kCmdStale |
                           kCmdFast,
                  .acl = kConn, .group = "connection", .since = "1.0.0",
                  .summary = "Closes the connection.", .complexity = "O(1)", .handler = Quit});
  table.Register({.name = "auth", .arity = -2,
                  .flags = kCmdNoScript | kCmdLoading | kCmdStale | kCmdFast | kCmdNoAuth |
                           kCmdSentinel | kCmdAllowBusy,
                  .acl = kConn, .group = "connection", .since = "1.0.0",
                  .summary = "Authenticates the connection.",
                  .complexity = "O(N) where N is the number of passwords defined for the user",
                  .handler = Auth});
  table.Register({.name = "hello", .arity = -1,
                  .flags = kCmdNoScript | kCmdLoading | kCmdStale | kCmdFast | kCmdNoAuth |
                           kCmdSentinel | kCmdAllowBusy,
                  .acl = kConn, .group = "connection", .since = "6.0.0",
                  .summary = "Handshakes with the Redis server.", .complexity = "O(1)",
                  .handler = Hello});
  table.Register({.name = "select", .arity = 2, .flags = kCmdLoading | kCmdStale | kCmdFast,
                  .acl = kConn, .group = "connection", .since = "1.0.0",
                  .summary = "Changes the selected database.", .complexity = "O(1)",
                  .handler = Select});
  table.Register({.name = "reset", .arity = 1,
                  .flags = kCmdNoScript | kCmdLoading | kCmdStale | kCmdFast | kCmdNoAuth |
                           kCmdAllowBusy,
                  .acl = kConn, .group = "connection", .since = "6.2.0",
                  .summary = "Resets the connection.", .complexity = "O(1)", .handler = Reset});
  RegisterClientCommands(table);
}

}  // namespace basalt
