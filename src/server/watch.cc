#include "server/watch.h"

#include <algorithm>

#include "server/client.h"

namespace basalt {

void WatchRegistry::Add(Client* client, int db, std::string_view key) {
  std::vector<Client*>& clients = watchers_[DbKey{db, std::string(key)}];
  clients.push_back(client);
}

void WatchRegistry::RemoveAll(Client* client) {
  for (const WatchedKey& wk : client->watched) {
    auto it = watchers_.find(DbKey{wk.db, wk.key});
    if (it == watchers_.end()) continue;
    std::erase(it->second, client);
    if (it->second.empty()) watchers_.erase(it);
  }
}

const std::vector<Client*>* WatchRegistry::Watchers(int db, std::string_view key) const {
  auto it = watchers_.find(DbKey{db, std::string(key)});
  return it == watchers_.end() ? nullptr : &it->second;
}

std::vector<std::pair<std::string, std::vector<Client*>>> WatchRegistry::KeysOfDb(int db) const {
  std::vector<std::pair<std::string, std::vector<Client*>>> out;
  for (const auto& [dk, clients] : watchers_) {
    if (dk.db == db) out.emplace_back(dk.key, clients);
  }
  return out;
}

}  // namespace basalt
