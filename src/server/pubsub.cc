// PubSubRegistry (pubsub.h) and the server's delivery of messages (Server::Publish).
#include "server/pubsub.h"

#include <algorithm>

#include "server/client.h"
#include "server/server.h"
#include "util/glob.h"
#include "util/strconv.h"

namespace basalt {

// ---- OrderedStringSet ---------------------------------------------------------------------

bool OrderedStringSet::Insert(std::string_view s) {
  if (index_.count(s) != 0) return false;
  items_.emplace_back(s);
  auto it = std::prev(items_.end());
  index_.emplace(std::string_view(*it), it);
  return true;
}

bool OrderedStringSet::Erase(std::string_view s) {
  auto found = index_.find(s);
  if (found == index_.end()) return false;
  auto it = found->second;
  index_.erase(found);  // before the string its key views goes away
  items_.erase(it);
  return true;
}

void OrderedStringSet::Clear() {
  index_.clear();
  items_.clear();
}

// ---- PubSubRegistry -----------------------------------------------------------------------

bool PubSubPatternMatches(std::string_view pattern, std::string_view channel) {
  return GlobMatch(pattern, channel, false);
}

namespace {

// Removes `c` from `clients`, keeping the others in subscription order.
void RemoveSubscriber(std::vector<Client*>& clients, Client* c) {
  auto it = std::find(clients.begin(), clients.end(), c);
  if (it != clients.end()) clients.erase(it);
}

}  // namespace

bool PubSubRegistry::Subscribe(Client* c, std::string_view channel, bool shard) {
  OrderedStringSet& mine = shard ? c->subscriptions.shard_channels : c->subscriptions.channels;
  if (!mine.Insert(channel)) return false;
  ChannelMap& map = Channels(shard);
  auto it = map.find(channel);
  if (it == map.end()) it = map.emplace(std::string(channel), Subscribers()).first;
  it->second.push_back(c);
  return true;
}

bool PubSubRegistry::Unsubscribe(Client* c, std::string_view channel, bool shard) {
  OrderedStringSet& mine = shard ? c->subscriptions.shard_channels : c->subscriptions.channels;
  if (!mine.Erase(channel)) return false;
  ChannelMap& map = Channels(shard);
  auto it = map.find(channel);
  if (it == map.end()) return true;
  RemoveSubscriber(it->second, c);
  // Forget channels nobody listens to, or subscribing to millions of names would leak.
  if (it->second.empty()) map.erase(it);
  return true;
}

bool PubSubRegistry::SubscribePattern(Client* c, std::string_view pattern) {
  if (!c->subscriptions.patterns.Insert(pattern)) return false;
  auto it = patterns_.find(pattern);
  if (it == patterns_.end()) it = patterns_.emplace(std::string(pattern), Subscribers()).first;
  it->second.push_back(c);
  return true;
}

bool PubSubRegistry::UnsubscribePattern(Client* c, std::string_view pattern) {
  if (!c->subscriptions.patterns.Erase(pattern)) return false;
  auto it = patterns_.find(pattern);
  if (it == patterns_.end()) return true;
  RemoveSubscriber(it->second, c);
  if (it->second.empty()) patterns_.erase(it);
  return true;
}

void PubSubRegistry::RemoveClient(Client* c) {
  ClientSubscriptions& subs = c->subscriptions;
  if (subs.total() == 0) return;
  for (bool shard : {false, true}) {
    OrderedStringSet& mine = shard ? subs.shard_channels : subs.channels;
    ChannelMap& map = Channels(shard);
    for (const std::string& channel : mine) {
      auto it = map.find(channel);
      if (it == map.end()) continue;
      RemoveSubscriber(it->second, c);
      if (it->second.empty()) map.erase(it);
    }
    mine.Clear();
  }
  for (const std::string& pattern : subs.patterns) {
    auto it = patterns_.find(pattern);
    if (it == patterns_.end()) continue;
    RemoveSubscriber(it->second, c);
    if (it->second.empty()) patterns_.erase(it);
  }
  subs.patterns.Clear();
}

size_t PubSubRegistry::SubscriberCount(std::string_view channel, bool shard) const {
  const ChannelMap& map = Channels(shard);
  auto it = map.find(channel);
  return it == map.end() ? 0 : it->second.size();
}

std::vector<std::string_view> PubSubRegistry::ActiveChannels(const std::string_view* pattern,
                                                             bool shard) const {
  std::vector<std::string_view> out;
  for (const auto& [channel, clients] : Channels(shard)) {
    if (pattern == nullptr || GlobMatch(*pattern, channel, false)) out.push_back(channel);
  }
  return out;
}

// ---- Delivery -----------------------------------------------------------------------------

namespace {

void AppendBulk(std::string* out, std::string_view s) {
  char len[24];
  out->push_back('$');
  out->append(len, FormatInt64(static_cast<int64_t>(s.size()), len));
  out->append("\r\n");
  out->append(s);
  out->append("\r\n");
}

// One message frame: ["message", channel, payload], ["smessage", ...] or
// ["pmessage", pattern, channel, payload]; an array for RESP2, a push for RESP3.
std::string MessageFrame(int resp, std::string_view kind, const std::string* pattern,
                         std::string_view channel, std::string_view message) {
  std::string out;
  out.reserve(32 + kind.size() + channel.size() + message.size() +
              (pattern ? pattern->size() + 16 : 0));
  out.push_back(resp >= 3 ? '>' : '*');
  out.append(pattern ? "4\r\n" : "3\r\n");
  AppendBulk(&out, kind);
  if (pattern) AppendBulk(&out, *pattern);
  AppendBulk(&out, channel);
  AppendBulk(&out, message);
  return out;
}

}  // namespace

size_t Server::Publish(std::string_view channel, std::string_view message, bool shard) {
  // The frames are the same for every receiver of one protocol: build each once.
  std::string direct[2];  // [0] RESP2, [1] RESP3
  const std::string* frame_pattern = nullptr;
  std::string pattern_frames[2];
  std::string_view kind = shard ? "smessage" : "message";
  return pubsub_.ForEachReceiver(channel, shard, [&](Client* c, const std::string* pattern) {
    // A client being closed still counts as a receiver, as in Redis, but gets nothing.
    if (c->close_asap) return;
    int v = c->reply.resp() >= 3 ? 1 : 0;
    std::string* frame;
    if (pattern == nullptr) {
      frame = &direct[v];
      if (frame->empty()) *frame = MessageFrame(v ? 3 : 2, kind, nullptr, channel, message);
    } else {
      if (pattern != frame_pattern) {
        frame_pattern = pattern;
        pattern_frames[0].clear();
        pattern_frames[1].clear();
      }
      frame = &pattern_frames[v];
      if (frame->empty()) *frame = MessageFrame(v ? 3 : 2, "pmessage", pattern, channel, message);
    }
    c->AppendPush(*frame);
    QueueWrite(c);  // also enforces the client's output buffer limit
  });
}

}  // namespace basalt
