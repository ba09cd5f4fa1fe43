// Pub/Sub subscriptions: who listens to which channel, shard channel or pattern.
//
// Two sides are kept in step, as Redis keeps them:
//   - each client's own subscriptions (ClientSubscriptions, a member of Client): what it
//     answers UNSUBSCRIBE-without-arguments with, and its subscription counts;
//   - the server's registry (PubSubRegistry, owned by Server): channel -> subscribers and
//     pattern -> subscribers, what PUBLISH walks.
//
//   channels_        "news"  -> [c1, c7, c3]     subscribers in subscription order
//   shard_channels_  "s:1"   -> [c2]             SSUBSCRIBE (one shard holds every slot)
//   patterns_        "n*"    -> [c7]             sorted by pattern: a deterministic order
//
// Delivery order for one PUBLISH: the channel's subscribers in the order they subscribed,
// then, pattern by pattern, each matching pattern's subscribers. Messages of successive
// PUBLISHes reach every client in publish order because each is appended to the client's
// reply buffer before the next command runs.
//
// Memory: a subscription costs one string and one list node on the client side and one
// pointer in the registry; a channel or pattern nobody listens to any more is removed.
//
// Single-threaded like the rest of the server. The registry stores raw Client pointers:
// Server removes a client (RemoveClient) before freeing it.
#pragma once

#include <cstddef>
#include <list>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace basalt {

class Client;

// A set of strings that iterates in insertion order, with O(1) insert, erase and lookup.
// Redis lists a client's patterns in subscription order; channels use the same structure so
// that "unsubscribe from everything" replies in a predictable order too.
class OrderedStringSet {
 public:
  OrderedStringSet() = default;
  OrderedStringSet(const OrderedStringSet&) = delete;
  OrderedStringSet& operator=(const OrderedStringSet&) = delete;

  // Returns false if `s` was already there.
  bool Insert(std::string_view s);
  // Returns false if `s` was not there.
  bool Erase(std::string_view s);
  bool Contains(std::string_view s) const { return index_.count(s) != 0; }
  size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  void Clear();
  std::list<std::string>::const_iterator begin() const { return items_.begin(); }
  std::list<std::string>::const_iterator end() const { return items_.end(); }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::list<std::string> items_;  // node addresses are stable: index_ keys point into them
  std::unordered_map<std::string_view, std::list<std::string>::iterator, Hash> index_;
};

// One client's subscriptions.
struct ClientSubscriptions {
  OrderedStringSet channels;        // SUBSCRIBE
  OrderedStringSet patterns;        // PSUBSCRIBE
  OrderedStringSet shard_channels;  // SSUBSCRIBE

  // What (P)SUBSCRIBE and (P)UNSUBSCRIBE replies count (Redis's clientSubscriptionsCount).
  size_t channels_and_patterns() const { return channels.size() + patterns.size(); }
  // Any subscription at all: the client is in Pub/Sub mode (Redis's CLIENT_PUBSUB flag).
  size_t total() const { return channels.size() + patterns.size() + shard_channels.size(); }
};

class PubSubRegistry {
 public:
  PubSubRegistry() = default;
  PubSubRegistry(const PubSubRegistry&) = delete;
  PubSubRegistry& operator=(const PubSubRegistry&) = delete;

  // Each returns true when the client's subscriptions changed (a repeated SUBSCRIBE or an
  // UNSUBSCRIBE of a channel it does not listen to changes nothing).
  bool Subscribe(Client* c, std::string_view channel, bool shard);
  bool Unsubscribe(Client* c, std::string_view channel, bool shard);
  bool SubscribePattern(Client* c, std::string_view pattern);
  bool UnsubscribePattern(Client* c, std::string_view pattern);
  // Drops all of `c`'s subscriptions without notifying it (disconnection, RESET).
  void RemoveClient(Client* c);

  // Calls deliver(Client*, const std::string* pattern) for every receiver of a message on
  // `channel` (pattern is nullptr for a channel subscription), in delivery order (see the
  // top of this file), and returns how many there were. Shard channels have no patterns.
  // `deliver` must not change subscriptions.
  template <typename Deliver>
  size_t ForEachReceiver(std::string_view channel, bool shard, Deliver&& deliver) const;

  // Subscribers of one channel, patterns not counted (PUBSUB NUMSUB / SHARDNUMSUB).
  size_t SubscriberCount(std::string_view channel, bool shard) const;
  // Channels with at least one subscriber, those matching `pattern` when it is non-null
  // (PUBSUB CHANNELS / SHARDCHANNELS). Views into the registry: use before any change.
  std::vector<std::string_view> ActiveChannels(const std::string_view* pattern, bool shard) const;

  size_t channel_count() const { return channels_.size(); }
  size_t shard_channel_count() const { return shard_channels_.size(); }
  size_t pattern_count() const { return patterns_.size(); }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using Subscribers = std::vector<Client*>;
  using ChannelMap = std::unordered_map<std::string, Subscribers, Hash, std::equal_to<>>;

  ChannelMap& Channels(bool shard) { return shard ? shard_channels_ : channels_; }
  const ChannelMap& Channels(bool shard) const { return shard ? shard_channels_ : channels_; }

  ChannelMap channels_;
  ChannelMap shard_channels_;
  std::map<std::string, Subscribers, std::less<>> patterns_;
};

// Redis's glob matcher, declared here so the template below needs no other header.
bool PubSubPatternMatches(std::string_view pattern, std::string_view channel);

template <typename Deliver>
size_t PubSubRegistry::ForEachReceiver(std::string_view channel, bool shard,
                                       Deliver&& deliver) const {
  size_t receivers = 0;
  const ChannelMap& map = Channels(shard);
  if (auto it = map.find(channel); it != map.end()) {
    for (Client* c : it->second) deliver(c, static_cast<const std::string*>(nullptr));
    receivers += it->second.size();
  }
  if (shard) return receivers;
  for (const auto& [pattern, clients] : patterns_) {
    if (!PubSubPatternMatches(pattern, channel)) continue;
    for (Client* c : clients) deliver(c, &pattern);
    receivers += clients.size();
  }
  return receivers;
}

}  // namespace basalt
