// Tracking tables and invalidation delivery (see tracking.h).
#include "server/tracking.h"

#include <algorithm>

#include "server/client.h"
#include "server/command.h"
#include "server/command_table.h"
#include "server/server.h"

namespace basalt {

namespace {

constexpr std::string_view kInvalidateChannel = "__redis__:invalidate";

void AppendBulk(std::string& out, std::string_view s) {
  out += '$';
  out += std::to_string(s.size());
  out += "\r\n";
  out.append(s);
  out += "\r\n";
}

// Two prefixes overlap when one starts the other: a key could match both.
bool Overlap(std::string_view a, std::string_view b) {
  size_t n = std::min(a.size(), b.size());
  return a.substr(0, n) == b.substr(0, n);
}

}  // namespace

std::string Tracking::PrefixCollision(const Client& c, std::span<const std::string> prefixes) {
  for (size_t i = 0; i < prefixes.size(); ++i) {
    for (const std::string& existing : c.tracking.prefixes) {
      if (Overlap(existing, prefixes[i])) {
        return "ERR Prefix '" + prefixes[i] + "' overlaps with an existing prefix '" + existing +
               "'. Prefixes for a single client must not overlap.";
      }
    }
    for (size_t j = i + 1; j < prefixes.size(); ++j) {
      if (Overlap(prefixes[i], prefixes[j])) {
        return "ERR Prefix '" + prefixes[i] + "' overlaps with another provided prefix '" +
               prefixes[j] + "'. Prefixes for a single client must not overlap.";
      }
    }
  }
  return "";
}

void Tracking::Enable(Client& c, const TrackingOptions& options) {
  ClientTrackingState& t = c.tracking;
  if (!t.on) ++tracking_clients_;
  t.on = true;
  t.broken_redirect = false;
  t.redirect = options.redirect;
  t.optin = options.optin;
  t.optout = options.optout;
  t.noloop = options.noloop;
  t.bcast = options.bcast;
  if (!options.bcast) return;
  std::vector<std::string> added = options.prefixes;
  if (added.empty()) added.emplace_back();
  for (const std::string& p : added) {
    if (std::find(t.prefixes.begin(), t.prefixes.end(), p) != t.prefixes.end()) continue;
    t.prefixes.push_back(p);
    prefixes_[p].push_back(&c);
  }
}

void Tracking::Disable(Client& c) {
  ClientTrackingState& t = c.tracking;
  for (const std::string& p : t.prefixes) {
    auto it = prefixes_.find(p);
    if (it == prefixes_.end()) continue;
    std::erase(it->second, &c);
    if (it->second.empty()) prefixes_.erase(it);
  }
  if (t.on) --tracking_clients_;
  t = ClientTrackingState{};
  if (held_for_ == c.id) held_.clear();
}

void Tracking::InvalidateKey(Client* writer, std::string_view key) {
  Invalidate(writer, key, /*bcast=*/true);
  // Outside a command nothing else would send the broadcasts.
  if (writer == nullptr) FlushBroadcasts();
}

void Tracking::Invalidate(Client* writer, std::string_view key, bool bcast) {
  if (bcast && !prefixes_.empty()) {
    for (const auto& [prefix, clients] : prefixes_) {
      (void)clients;
      if (key.substr(0, prefix.size()) != prefix) continue;
      auto& pending = bcast_keys_[prefix];
      uint64_t writer_id = writer ? writer->id : 0;
      auto same = std::find_if(pending.begin(), pending.end(),
                               [&](const auto& kv) { return kv.first == key; });
      if (same != pending.end()) {
        same->second = writer_id;  // the last writer decides NOLOOP, as Redis
      } else {
        pending.emplace_back(std::string(key), writer_id);
      }
    }
  }
  auto it = keys_.find(std::string(key));
  if (it == keys_.end()) return;
  total_items_ -= it->second.ids.size();
  std::vector<uint64_t> ids = std::move(it->second.ids);
  EraseKey(it);
  for (uint64_t id : ids) {
    Client* target = server_.FindClient(id);
    if (target == nullptr || !target->tracking.on || target->tracking.bcast) continue;
    if (target == writer) {
      if (target->tracking.noloop) continue;
      // Its own reply is still being written: the message follows it.
      held_for_ = target->id;
      held_.emplace_back(std::string(key));
      continue;
    }
    std::vector<std::string_view> one{key};
    Send(*target, &one);
  }
}

void Tracking::EraseKey(std::unordered_map<std::string, KeyEntry>::iterator it) {
  size_t index = it->second.index;
  const std::string* last = key_list_.back();
  key_list_[index] = last;
  keys_.find(*last)->second.index = index;
  key_list_.pop_back();
  keys_.erase(it);
}

void Tracking::InvalidateAll(Client* writer) {
  if (tracking_clients_ > 0) {
    for (const auto& [id, c] : server_.clients()) {
      if (!c->tracking.on) continue;
      if (c == writer) {
        held_for_ = c->id;
        held_.emplace_back(std::nullopt);
      } else {
        Send(*c, nullptr);
      }
    }
  }
  keys_.clear();
  key_list_.clear();
  total_items_ = 0;
}

void Tracking::Send(Client& c, const std::vector<std::string_view>* keys) {
  Client* to = &c;
  bool redirected = false;
  if (c.tracking.redirect != 0) {
    Client* redir = server_.FindClient(c.tracking.redirect);
    if (redir == nullptr) {
      c.tracking.broken_redirect = true;
      if (c.reply.resp() >= 3) {
        std::string frame = ">2\r\n";
        AppendBulk(frame, "tracking-redir-broken");
        frame += ":" + std::to_string(c.tracking.redirect) + "\r\n";
        c.AppendPush(frame);
        server_.QueueWrite(&c);
      }
      return;
    }
    to = redir;
    redirected = true;
  }
  std::string frame;
  if (to->reply.resp() >= 3) {
    frame = ">2\r\n";
    AppendBulk(frame, "invalidate");
  } else if (redirected && to->subscription_count() != 0) {
    frame = "*3\r\n";
    AppendBulk(frame, "message");
    AppendBulk(frame, kInvalidateChannel);
  } else {
    return;  // RESP2 without a subscribed redirect client: nowhere to send it
  }
  if (keys == nullptr) {
    frame += to->reply.resp() >= 3 ? "_\r\n" : "$-1\r\n";
  } else {
    frame += "*" + std::to_string(keys->size()) + "\r\n";
    for (std::string_view k : *keys) AppendBulk(frame, k);
  }
  to->AppendPush(frame);
  server_.QueueWrite(to);
}

void Tracking::FlushBroadcasts() {
  if (bcast_keys_.empty()) return;
  for (auto& [prefix, keys] : bcast_keys_) {
    auto it = prefixes_.find(prefix);
    if (it == prefixes_.end()) continue;
    for (Client* c : it->second) {
      std::vector<std::string_view> list;
      for (const auto& [key, writer_id] : keys) {
        if (c->tracking.noloop && writer_id == c->id) continue;
        list.push_back(key);
      }
      if (!list.empty()) Send(*c, &list);
    }
  }
  bcast_keys_.clear();
}

void Tracking::RememberKeys(Client& c, const CommandSpec& spec,
                            std::span<const std::string_view> argv) {
  const ClientTrackingState& t = c.tracking;
  if (!t.on || t.bcast || (t.optin && !t.caching) || (t.optout && t.caching)) return;
  for (int pos : CommandTable::KeyPositions(spec, argv)) {
    auto [it, added] = keys_.try_emplace(std::string(argv[pos]));
    if (added) {
      it->second.index = key_list_.size();
      key_list_.push_back(&it->first);
    }
    if (std::find(it->second.ids.begin(), it->second.ids.end(), c.id) ==
        it->second.ids.end()) {
      it->second.ids.push_back(c.id);
      ++total_items_;
    }
  }
}

void Tracking::AfterCommand(Client& c, const CommandSpec& spec,
                            std::span<const std::string_view> argv, bool nested) {
  ClientTrackingState& t = c.tracking;
  // A read-only script (EVAL_RO, EVALSHA_RO, FCALL_RO) is tracked through the commands it
  // runs (RememberKeys from Server::Execute), not as a read itself: Redis's call().
  if (spec.has(kCmdReadOnly) && !spec.has(kCmdPubSub) && (spec.acl & kAclScripting) == 0) {
    RememberKeys(c, spec, argv);
  }
  // CLIENT CACHING applies to the next command only (all of a MULTI ... EXEC).
  // (Redis keeps it across any CLIENT subcommand.)
  const CommandSpec& top = spec.parent ? *spec.parent : spec;
  if (top.name != "client" && !c.multi && !nested) t.caching = false;
  if (nested) return;
  FlushBroadcasts();
  if (!held_.empty()) {
    std::vector<std::optional<std::string>> held = std::move(held_);
    held_.clear();
    Client* target = server_.FindClient(held_for_);
    for (const std::optional<std::string>& key : held) {
      if (target == nullptr) break;
      if (!key) {
        Send(*target, nullptr);
      } else {
        std::vector<std::string_view> one{*key};
        Send(*target, &one);
      }
    }
  }
  EvictOverLimit();
}

void Tracking::EvictOverLimit() {
  const uint64_t max_keys = server_.config().tracking_table_max_keys;
  if (max_keys == 0) return;
  // All the excess at once: Redis spreads a big excess (after CONFIG SET lowers the limit)
  // over its cron, which this table has no pass in; reads add at most a few keys at a time.
  while (keys_.size() > max_keys) {
    rng_state_ ^= rng_state_ << 13;
    rng_state_ ^= rng_state_ >> 7;
    rng_state_ ^= rng_state_ << 17;
    std::string key = *key_list_[rng_state_ % key_list_.size()];
    Invalidate(nullptr, key, /*bcast=*/false);
  }
}

}  // namespace basalt
