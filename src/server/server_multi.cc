// The server's side of transactions (see watch.h): WATCH bookkeeping, touching watched keys,
// and EXEC/DISCARD.
#include <string>
#include <vector>

#include "commands/keyspace_events.h"
#include "scripting/script_run.h"
#include "scripting/scripting.h"
#include "server/server.h"

namespace basalt {

void Server::Watch(Client* client, std::string_view key) {
  const int db = client->db_index;
  for (const WatchedKey& wk : client->watched) {
    if (wk.db == db && wk.key == key) return;  // already watched
  }
  DbEntry* e = databases_[db].FindRaw(key);
  const bool expired = e != nullptr && e->IsExpired(EventLoop::NowMs());
  client->watched.push_back(WatchedKey{db, std::string(key), expired});
  watches_.Add(client, db, key);
}

void Server::UnwatchAll(Client* client) {
  if (client->watched.empty()) return;
  watches_.RemoveAll(client);
  client->watched.clear();
}

void Server::TouchWatchedKey(int db, std::string_view key) {
  if (watches_.empty()) return;
  const std::vector<Client*>* watchers = watches_.Watchers(db, key);
  if (watchers == nullptr) return;
  const bool exists = databases_[db].FindRaw(key) != nullptr;
  for (Client* c : *watchers) {
    for (WatchedKey& wk : c->watched) {
      if (wk.db != db || wk.key != key) continue;
      // A key already expired when watched, now deleted: logically no change.
      if (wk.expired_when_watched && !exists) {
        wk.expired_when_watched = false;
        break;
      }
      c->dirty_cas = true;
      break;
    }
  }
}

void Server::TouchWatchedKeysInDb(int emptied, int replaced_with) {
  if (watches_.empty()) return;
  const int64_t now = EventLoop::NowMs();
  Database& from = databases_[emptied];
  Database* with = replaced_with >= 0 ? &databases_[replaced_with] : nullptr;
  for (auto& [key, clients] : watches_.KeysOfDb(emptied)) {
    const bool exists_in_emptied = from.FindRaw(key) != nullptr;
    DbEntry* replacement = with != nullptr ? with->FindRaw(key) : nullptr;
    if (!exists_in_emptied && replacement == nullptr) continue;
    const bool replacement_expired = replacement != nullptr && replacement->IsExpired(now);
    for (Client* c : clients) {
      for (WatchedKey& wk : c->watched) {
        if (wk.db != emptied || wk.key != key) continue;
        if (wk.expired_when_watched) {
          if (replacement == nullptr) {
            wk.expired_when_watched = false;  // the expired key is now deleted: no change
            break;
          }
          if (replacement_expired) break;  // expired before, expired after
        } else if (!exists_in_emptied && replacement_expired) {
          wk.expired_when_watched = true;  // nothing replaced by something already expired
          break;
        }
        c->dirty_cas = true;
        break;
      }
    }
  }
}

void Server::OnKeyExpiring(Database& db, std::string_view key) {
  RaiseKeyspaceEvent(kEvExpired, key, db.id(), /*precedes_default=*/true);
  PropagateDeletion(db.id(), key, config_.lazyfree_lazy_expire);
  TouchExpiringKey(db, key);
  if (tracking_.active()) tracking_.InvalidateKey(nullptr, key);
  // lazyfree-lazy-expire: a big value goes to the lazyfree thread; the database then removes
  // an entry holding an empty string.
  if (config_.lazyfree_lazy_expire) {
    if (DbEntry* e = db.FindRaw(key)) lazyfree_.MaybeFreeLater(e->value);
  }
}

void Server::OnValueDropping(Database& db, Value& old_value, Value* replacement) {
  // Redis's dbOverwrite keeps the old object's LFU counter (not its LRU clock: the new value
  // was just accessed).
  if (replacement != nullptr && lfu_policy()) replacement->set_lru(old_value.lru());
  if (config_.lazyfree_lazy_server_del) lazyfree_.MaybeFreeLater(old_value);
}

void Server::OnHashFieldsExpired(Database& db, std::string_view key, bool emptied) {
  RaiseKeyspaceEvent(kEvHExpired, key, db.id(), /*precedes_default=*/true);
  if (!emptied) return;
  RaiseKeyspaceEvent(kEvDel, key, db.id(), /*precedes_default=*/true);
  PropagateDeletion(db.id(), key, config_.lazyfree_lazy_expire);
  TouchExpiringKey(db, key);
}

void Server::TouchExpiringKey(Database& db, std::string_view key) {
  if (watches_.empty() || watches_.Watchers(db.id(), key) == nullptr) return;
  // The key is about to go: judge it as deleted.
  for (Client* c : *watches_.Watchers(db.id(), key)) {
    for (WatchedKey& wk : c->watched) {
      if (wk.db != db.id() || wk.key != key) continue;
      if (wk.expired_when_watched) {
        wk.expired_when_watched = false;
      } else {
        c->dirty_cas = true;
      }
      break;
    }
  }
}

void Server::SignalModifiedKey(Client* writer, int db, std::string_view key) {
  TouchWatchedKey(db, key);
  if (tracking_.active()) {
    // A script's write comes from the client that ran the script (NOLOOP spares it).
    if (writer != nullptr && writer->is_script && scripting_->running() != nullptr) {
      writer = scripting_->running()->caller;
    }
    tracking_.InvalidateKey(writer, key);
  }
  if (blocked_clients_ > 0) blocking_.SignalKeyReady(db, key);
}

bool Server::WatchedKeyExpired(Client* client) {
  const int64_t now = EventLoop::NowMs();
  for (const WatchedKey& wk : client->watched) {
    if (wk.expired_when_watched) continue;
    DbEntry* e = databases_[wk.db].FindRaw(wk.key);
    if (e != nullptr && e->IsExpired(now)) return true;
  }
  return false;
}

void Server::DiscardTransaction(Client* client) {
  client->multi.reset();
  client->dirty_cas = false;
  UnwatchAll(client);
}

void Server::ExecTransaction(Client* client) {
  if (!client->multi) return client->reply.Error("ERR EXEC without MULTI");
  if (WatchedKeyExpired(client)) client->dirty_cas = true;
  if (client->multi->aborted || client->dirty_cas) {
    if (client->multi->aborted) {
      client->reply.Error("EXECABORT Transaction discarded because of previous errors.");
    } else {
      client->reply.NullArray();
    }
    return DiscardTransaction(client);
  }
  std::vector<std::vector<std::string>> commands = std::move(client->multi->commands);
  // Out of MULTI before running the queue, or the queued commands would queue again.
  DiscardTransaction(client);
  // Blocking commands answer at once inside a transaction, as on timeout.
  const bool was_deny_blocking = client->deny_blocking;
  client->deny_blocking = true;
  ++exec_depth_;
  client->reply.ArrayHeader(static_cast<int64_t>(commands.size()));
  std::vector<std::string_view> argv;
  for (const std::vector<std::string>& command : commands) {
    argv.assign(command.begin(), command.end());
    Execute(client, argv);
  }
  --exec_depth_;
  client->deny_blocking = was_deny_blocking;
}

}  // namespace basalt
