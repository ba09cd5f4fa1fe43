// Pub/Sub commands: SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, PUBLISH, the sharded
// SSUBSCRIBE, SUNSUBSCRIBE, SPUBLISH, and PUBSUB CHANNELS/NUMSUB/NUMPAT/SHARDCHANNELS/
// SHARDNUMSUB/HELP.
//
// Every (un)subscription is confirmed by a ["subscribe", channel, count] frame: an array in
// RESP2, a push in RESP3, and a push either way in the sense that CLIENT REPLY OFF does not
// silence it. The count is the client's channels plus patterns (shard channels alone for
// the S* commands), as Redis counts them. The registry and delivery live in server/pubsub.
// Without cluster support one shard holds every slot, so shard channels behave like a
// separate channel namespace that patterns never match.
#include <string>

#include "commands/registry.h"
#include "server/command_context.h"
#include "server/command_table.h"

namespace basalt {
namespace {

// Appends one confirmation frame; `channel` nullptr gives the null of an "unsubscribe from
// everything" that found nothing to unsubscribe from.
void Confirm(CommandContext& ctx, std::string_view kind, const std::string_view* channel,
             size_t count) {
  ReplyBuilder& r = ctx.reply;
  size_t start = ctx.client.reply_buf.size();
  if (r.resp() >= 3) {
    r.PushHeader(3);
  } else {
    r.ArrayHeader(3);
  }
  r.Bulk(kind);
  if (channel != nullptr) {
    r.Bulk(*channel);
  } else {
    r.Null();
  }
  r.Integer(static_cast<int64_t>(count));
  ctx.client.MarkPushSince(start);
}

// SUBSCRIBE channel [channel ...]
void Subscribe(CommandContext& ctx) {
  ClientSubscriptions& subs = ctx.client.subscriptions;
  for (size_t i = 1; i < ctx.argc(); ++i) {
    ctx.server.pubsub().Subscribe(&ctx.client, ctx.argv[i], false);
    Confirm(ctx, "subscribe", &ctx.argv[i], subs.channels_and_patterns());
  }
}

// PSUBSCRIBE pattern [pattern ...]
void PSubscribe(CommandContext& ctx) {
  ClientSubscriptions& subs = ctx.client.subscriptions;
  for (size_t i = 1; i < ctx.argc(); ++i) {
    ctx.server.pubsub().SubscribePattern(&ctx.client, ctx.argv[i]);
    Confirm(ctx, "psubscribe", &ctx.argv[i], subs.channels_and_patterns());
  }
}

// SSUBSCRIBE shardchannel [shardchannel ...]
void SSubscribe(CommandContext& ctx) {
  // Inside EXEC (and scripts) a reply per command is expected, so Redis refuses it there
  // (unlike SUBSCRIBE, which MULTI keeps allowing for backward compatibility).
  if (ctx.client.deny_blocking) {
    return ctx.Error("ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client");
  }
  ClientSubscriptions& subs = ctx.client.subscriptions;
  for (size_t i = 1; i < ctx.argc(); ++i) {
    ctx.server.pubsub().Subscribe(&ctx.client, ctx.argv[i], true);
    Confirm(ctx, "ssubscribe", &ctx.argv[i], subs.shard_channels.size());
  }
}

// UNSUBSCRIBE [channel ...], SUNSUBSCRIBE [shardchannel ...]
void UnsubscribeChannels(CommandContext& ctx, bool shard) {
  ClientSubscriptions& subs = ctx.client.subscriptions;
  std::string_view kind = shard ? "sunsubscribe" : "unsubscribe";
  auto count = [&] { return shard ? subs.shard_channels.size() : subs.channels_and_patterns(); };
  if (ctx.argc() > 1) {
    for (size_t i = 1; i < ctx.argc(); ++i) {
      ctx.server.pubsub().Unsubscribe(&ctx.client, ctx.argv[i], shard);
      Confirm(ctx, kind, &ctx.argv[i], count());
    }
    return;
  }
  OrderedStringSet& mine = shard ? subs.shard_channels : subs.channels;
  if (mine.empty()) return Confirm(ctx, kind, nullptr, count());
  while (!mine.empty()) {
    std::string channel = *mine.begin();  // a copy: unsubscribing frees the set's string
    ctx.server.pubsub().Unsubscribe(&ctx.client, channel, shard);
    std::string_view view(channel);
    Confirm(ctx, kind, &view, count());
  }
}

void Unsubscribe(CommandContext& ctx) { UnsubscribeChannels(ctx, false); }
void SUnsubscribe(CommandContext& ctx) { UnsubscribeChannels(ctx, true); }

// PUNSUBSCRIBE [pattern ...]
void PUnsubscribe(CommandContext& ctx) {
  ClientSubscriptions& subs = ctx.client.subscriptions;
  if (ctx.argc() > 1) {
    for (size_t i = 1; i < ctx.argc(); ++i) {
      ctx.server.pubsub().UnsubscribePattern(&ctx.client, ctx.argv[i]);
      Confirm(ctx, "punsubscribe", &ctx.argv[i], subs.channels_and_patterns());
    }
    return;
  }
  if (subs.patterns.empty()) {
    return Confirm(ctx, "punsubscribe", nullptr, subs.channels_and_patterns());
  }
  while (!subs.patterns.empty()) {
    std::string pattern = *subs.patterns.begin();
    ctx.server.pubsub().UnsubscribePattern(&ctx.client, pattern);
    std::string_view view(pattern);
    Confirm(ctx, "punsubscribe", &view, subs.channels_and_patterns());
  }
}

// PUBLISH channel message
void Publish(CommandContext& ctx) {
  size_t receivers = ctx.server.Publish(ctx.argv[1], ctx.argv[2], false);
  ctx.reply.Integer(static_cast<int64_t>(receivers));
}

// SPUBLISH shardchannel message
void SPublish(CommandContext& ctx) {
  size_t receivers = ctx.server.Publish(ctx.argv[1], ctx.argv[2], true);
  ctx.reply.Integer(static_cast<int64_t>(receivers));
}

// PUBSUB CHANNELS [pattern], PUBSUB SHARDCHANNELS [pattern]
void ListChannels(CommandContext& ctx, bool shard) {
  if (ctx.argc() > 3) {
    return ctx.Error("ERR unknown subcommand or wrong number of arguments for '" +
                     std::string(ctx.argv[1]) + "'. Try PUBSUB HELP.");
  }
  const std::string_view* pattern = ctx.argc() == 3 ? &ctx.argv[2] : nullptr;
  std::vector<std::string_view> channels = ctx.server.pubsub().ActiveChannels(pattern, shard);
  ctx.reply.ArrayHeader(static_cast<int64_t>(channels.size()));
  for (std::string_view channel : channels) ctx.reply.Bulk(channel);
}

void PubSubChannels(CommandContext& ctx) { ListChannels(ctx, false); }
void PubSubShardChannels(CommandContext& ctx) { ListChannels(ctx, true); }

// PUBSUB NUMSUB [channel ...], PUBSUB SHARDNUMSUB [shardchannel ...]: a flat array of
// channel, count pairs (an array in RESP3 too, as Redis replies).
void NumSub(CommandContext& ctx, bool shard) {
  ctx.reply.ArrayHeader(static_cast<int64_t>((ctx.argc() - 2) * 2));
  for (size_t i = 2; i < ctx.argc(); ++i) {
    ctx.reply.Bulk(ctx.argv[i]);
    ctx.reply.Integer(
        static_cast<int64_t>(ctx.server.pubsub().SubscriberCount(ctx.argv[i], shard)));
  }
}

void PubSubNumSub(CommandContext& ctx) { NumSub(ctx, false); }
void PubSubShardNumSub(CommandContext& ctx) { NumSub(ctx, true); }

// PUBSUB NUMPAT: distinct patterns with at least one subscriber.
void PubSubNumPat(CommandContext& ctx) {
  ctx.reply.Integer(static_cast<int64_t>(ctx.server.pubsub().pattern_count()));
}

void PubSubHelp(CommandContext& ctx) {
  static const char* const kLines[] = {
      "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "CHANNELS [<pattern>]",
      "    Return the currently active channels matching a <pattern> (default: '*').",
      "NUMPAT",
      "    Return number of subscriptions to patterns.",
      "NUMSUB [<channel> ...]",
      "    Return the number of subscribers for the specified channels, excluding",
      "    pattern subscriptions(default: no channels).",
      "SHARDCHANNELS [<pattern>]",
      "    Return the currently active shard level channels matching a <pattern> (default: "
      "'*').",
      "SHARDNUMSUB [<shardchannel> ...]",
      "    Return the number of subscribers for the specified shard level channel(s)",
      "HELP",
      "    Prints this help.",
  };
  ctx.reply.ArrayHeader(static_cast<int64_t>(std::size(kLines)));
  for (const char* line : kLines) ctx.reply.SimpleString(line);
}

CommandSpec Sub(std::string name, int arity, uint64_t flags, uint64_t acl, std::string since,
                std::string summary, std::string complexity, CommandHandler handler) {
  return CommandSpec{.name = std::move(name),
                     .arity = arity,
                     .flags = flags,
                     .acl = acl,
                     .group = "pubsub",
                     .since = std::move(since),
                     .summary = std::move(summary),
                     .complexity = std::move(complexity),
                     .handler = handler};
}

}  // namespace

void RegisterPubSubCommands(CommandTable& table) {
  constexpr uint64_t kSubscribeFlags = kCmdPubSub | kCmdNoScript | kCmdLoading | kCmdStale;
  constexpr uint64_t kPublishFlags = kCmdPubSub | kCmdLoading | kCmdStale | kCmdFast;
  constexpr uint64_t kIntrospect = kCmdPubSub | kCmdLoading | kCmdStale;
  table.Register({.name = "subscribe",
                  .arity = -2,
                  .flags = kSubscribeFlags,
                  .acl = kAclPubSub,
                  .group = "pubsub",
                  .since = "2.0.0",
                  .summary = "Listen for messages published to the given channels",
                  .complexity = "O(N) where N is the number of channels to subscribe to.",
                  .handler = Subscribe});
  table.Register(
      {.name = "unsubscribe",
       .arity = -1,
       .flags = kSubscribeFlags,
       .acl = kAclPubSub,
       .group = "pubsub",
       .since = "2.0.0",
       .summary = "Stop listening for messages posted to the given channels",
       .complexity = "O(N) where N is the number of clients already subscribed to a channel.",
       .handler = Unsubscribe});
  table.Register(
      {.name = "psubscribe",
       .arity = -2,
       .flags = kSubscribeFlags,
       .acl = kAclPubSub,
       .group = "pubsub",
       .since = "2.0.0",
       .summary = "Listen for messages published to channels matching the given patterns",
       .complexity = "O(N) where N is the number of patterns the client is already subscribed to.",
       .handler = PSubscribe});
  table.Register(
      {.name = "punsubscribe",
       .arity = -1,
       .flags = kSubscribeFlags,
       .acl = kAclPubSub,
       .group = "pubsub",
       .since = "2.0.0",
       .summary = "Stop listening for messages posted to channels matching the given patterns",
       .complexity = "O(N+M) where N is the number of patterns the client is already "
                     "subscribed and M is the number of total patterns subscribed in the "
                     "system (by any client).",
       .handler = PUnsubscribe});
  table.Register({.name = "publish",
                  .arity = 3,
                  .flags = kPublishFlags,
                  .acl = kAclPubSub,
                  .group = "pubsub",
                  .since = "2.0.0",
                  .summary = "Post a message to a channel",
                  .complexity = "O(N+M) where N is the number of clients subscribed to the "
                                "receiving channel and M is the total number of subscribed "
                                "patterns (by any client).",
                  .handler = Publish});
  table.Register({.name = "ssubscribe",
                  .arity = -2,
                  .flags = kSubscribeFlags,
                  .keys = {1, -1, 1},
                  .acl = kAclPubSub,
                  .group = "pubsub",
                  .since = "7.0.0",
                  .summary = "Listen for messages published to the given shard channels",
                  .complexity = "O(N) where N is the number of shard channels to subscribe to.",
                  .handler = SSubscribe});
  table.Register({.name = "sunsubscribe",
                  .arity = -1,
                  .flags = kSubscribeFlags,
                  .keys = {1, -1, 1},
                  .acl = kAclPubSub,
                  .group = "pubsub",
                  .since = "7.0.0",
                  .summary = "Stop listening for messages posted to the given shard channels",
                  .complexity = "O(N) where N is the number of clients already subscribed to "
                                "a shard channel.",
                  .handler = SUnsubscribe});
  table.Register({.name = "spublish",
                  .arity = 3,
                  .flags = kPublishFlags,
                  .keys = {1, 1, 1},
                  .acl = kAclPubSub,
                  .group = "pubsub",
                  .since = "7.0.0",
                  .summary = "Post a message to a shard channel",
                  .complexity = "O(N) where N is the number of clients subscribed to the "
                                "receiving shard channel.",
                  .handler = SPublish});
  table.Register(
      {.name = "pubsub",
       .arity = -2,
       .group = "pubsub",
       .since = "2.8.0",
       .summary = "A container for Pub/Sub commands",
       .complexity = "Depends on subcommand.",
       .handler = PubSubHelp,
       .subcommands = {
           Sub("channels", -2, kIntrospect, kAclPubSub, "2.8.0", "List active channels",
               "O(N) where N is the number of active channels, and assuming constant time "
               "pattern matching (relatively short channels and patterns)",
               PubSubChannels),
           Sub("help", 2, kCmdLoading | kCmdStale, 0, "6.2.0",
               "Show helpful text about the different subcommands", "O(1)", PubSubHelp),
           Sub("numpat", 2, kIntrospect, kAclPubSub, "2.8.0",
               "Get the count of unique patterns pattern subscriptions", "O(1)", PubSubNumPat),
           Sub("numsub", -2, kIntrospect, kAclPubSub, "2.8.0",
               "Get the count of subscribers for channels",
               "O(N) for the NUMSUB subcommand, where N is the number of requested channels",
               PubSubNumSub),
           Sub("shardchannels", -2, kIntrospect, kAclPubSub, "7.0.0", "List active shard channels",
               "O(N) where N is the number of active shard channels, and assuming constant "
               "time pattern matching (relatively short shard channels).",
               PubSubShardChannels),
           Sub("shardnumsub", -2, kIntrospect, kAclPubSub, "7.0.0",
               "Get the count of subscribers for shard channels",
               "O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard "
               "channels",
               PubSubShardNumSub),
       }});
}

}  // namespace basalt
