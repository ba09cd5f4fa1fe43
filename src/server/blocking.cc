#include "server/blocking.h"

#include <algorithm>
#include <functional>
#include <utility>

#include "server/client.h"

namespace basalt {

void BlockingRegistry::Add(Client* client) {
  BlockedState& state = *client->blocked;
  for (const std::string& key : state.request.keys) {
    DbKey bk{state.db, key};
    auto [it, inserted] = queues_.try_emplace(std::move(bk));
    const DbKey* stable = &it->first;  // node-based map: the key's address is stable
    bool already = std::any_of(state.positions.begin(), state.positions.end(),
                               [&](const auto& p) { return p.first == stable; });
    if (already) continue;  // BLPOP k k: one place in the queue
    it->second.push_back(client);
    state.positions.emplace_back(stable, std::prev(it->second.end()));
  }
}

void BlockingRegistry::Remove(Client* client) {
  if (!client->blocked) return;
  for (auto& [key, pos] : client->blocked->positions) {
    auto it = queues_.find(*key);
    it->second.erase(pos);
    if (it->second.empty()) queues_.erase(it);
  }
  client->blocked->positions.clear();
}

void BlockingRegistry::SignalKeyReady(int db, std::string_view key) {
  if (queues_.empty()) return;  // the common case: nobody blocks, nothing to record
  DbKey bk{db, std::string(key)};
  if (!queues_.contains(bk) || ready_set_.contains(bk)) return;
  ready_set_.insert(bk);
  ready_.push_back(std::move(bk));
}

void BlockingRegistry::SignalDatabaseReady(int db) {
  std::vector<std::string> keys;
  for (const auto& [bk, queue] : queues_) {
    if (bk.db == db) keys.push_back(bk.key);
  }
  for (const std::string& key : keys) SignalKeyReady(db, key);
}

std::vector<DbKey> BlockingRegistry::TakeReadyKeys() {
  ready_set_.clear();
  return std::exchange(ready_, {});
}

std::vector<Client*> BlockingRegistry::Waiters(const DbKey& key) const {
  auto it = queues_.find(key);
  if (it == queues_.end()) return {};
  return std::vector<Client*>(it->second.begin(), it->second.end());
}

}  // namespace basalt
