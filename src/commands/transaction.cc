// Transactions: MULTI, EXEC, DISCARD, WATCH, UNWATCH. The queueing itself happens in the
// dispatcher (Server::Execute), and the bookkeeping in server/server_multi.cc (see
// server/watch.h); these handlers are the commands' front doors.
#include "commands/registry.h"
#include "server/command_context.h"
#include "server/command_table.h"

namespace basalt {

namespace {

// MULTI
void Multi(CommandContext& ctx) {
  if (ctx.client.multi) return ctx.Error("ERR MULTI calls can not be nested");
  ctx.client.multi = std::make_unique<MultiState>();
  ctx.reply.Ok();
}

// EXEC
void Exec(CommandContext& ctx) { ctx.server.ExecTransaction(&ctx.client); }

// DISCARD
void Discard(CommandContext& ctx) {
  if (!ctx.client.multi) return ctx.Error("ERR DISCARD without MULTI");
  ctx.server.DiscardTransaction(&ctx.client);
  ctx.reply.Ok();
}

// WATCH key [key ...]
void Watch(CommandContext& ctx) {
  if (ctx.client.multi) return ctx.Error("ERR WATCH inside MULTI is not allowed");
  // Already doomed: watching more changes nothing.
  if (!ctx.client.dirty_cas) {
    for (size_t i = 1; i < ctx.argc(); ++i) ctx.server.Watch(&ctx.client, ctx.argv[i]);
  }
  ctx.reply.Ok();
}

// UNWATCH
void Unwatch(CommandContext& ctx) {
  ctx.server.UnwatchAll(&ctx.client);
  ctx.client.dirty_cas = false;
  ctx.reply.Ok();
}

}  // namespace

void RegisterTransactionCommands(CommandTable& table) {
  constexpr uint64_t kFlags = kCmdNoScript | kCmdLoading | kCmdStale | kCmdFast | kCmdAllowBusy;
  table.Register({.name = "multi", .arity = 1, .flags = kFlags, .acl = kAclTransaction,
                  .group = "transactions", .since = "1.2.0",
                  .summary = "Mark the start of a transaction block", .complexity = "O(1)",
                  .handler = Multi});
  table.Register({.name = "exec", .arity = 1,
                  .flags = kCmdNoScript | kCmdLoading | kCmdStale | kCmdSkipSlowlog,
                  .acl = kAclTransaction, .group = "transactions", .since = "1.2.0",
                  .summary = "Execute all commands issued after MULTI",
                  .complexity = "Depends on commands in the transaction", .handler = Exec});
  table.Register({.name = "discard", .arity = 1, .flags = kFlags, .acl = kAclTransaction,
                  .group = "transactions", .since = "2.0.0",
                  .summary = "Discard all commands issued after MULTI", .complexity = "O(N), when N "
                  "is the number of queued commands", .handler = Discard});
  table.Register({.name = "watch", .arity = -2, .flags = kFlags, .keys = {1, -1, 1},
                  .acl = kAclTransaction, .group = "transactions", .since = "2.2.0",
                  .summary = "Watch the given keys to determine execution of the MULTI/EXEC "
                             "block",
                  .complexity = "O(1) for every key.", .handler = Watch});
  table.Register({.name = "unwatch", .arity = 1, .flags = kFlags, .acl = kAclTransaction,
                  .group = "transactions", .since = "2.2.0",
                  .summary = "Forget about all watched keys", .complexity = "O(1)",
                  .handler = Unwatch});
}

}  // namespace basalt
