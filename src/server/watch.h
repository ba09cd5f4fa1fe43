// Transactions: MULTI's queue and WATCH's optimistic locks.
//
// A client in MULTI queues its commands (argv copied) instead of running them; EXEC runs the
// queue in one go, unless a command was refused while queueing (EXECABORT) or a WATCHed key
// was modified since WATCH (EXEC then answers a null array). "Modified" is what Redis's
// signalModifiedKey covers: any write to the key by any client (the dispatcher touches a
// write command's keys whenever it reports changes), its expiry, FLUSHDB/FLUSHALL and SWAPDB
// (which touch the keys they affect, with Redis's rules for keys that were already expired
// when watched), and MOVE/COPY into another database.
//
// A key that was logically expired when WATCHed does not count as modified when it is then
// removed (it was already "gone"); one that expires after WATCH does, even if nothing has
// deleted it yet by EXEC time.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/db_key.h"

namespace basalt {

class Client;

// A WATCHed key of one client (Client::watched).
struct WatchedKey {
  int db;
  std::string key;
  bool expired_when_watched;  // already logically expired at WATCH time
};

// The commands a client queued since MULTI (Client::multi).
struct MultiState {
  std::vector<std::vector<std::string>> commands;
  bool aborted = false;  // a command was refused while queueing: EXEC answers EXECABORT
};

// Which clients watch which keys. The clients hold their own list (Client::watched); this is
// the reverse index used when a key is touched.
class WatchRegistry {
 public:
  bool empty() const { return watchers_.empty(); }
  void Add(Client* client, int db, std::string_view key);
  // Removes every key `client` watches from the index (the client clears its own list).
  void RemoveAll(Client* client);
  // The clients watching (db, key), or nullptr.
  const std::vector<Client*>* Watchers(int db, std::string_view key) const;
  // Every watched key of database `db` (for FLUSHDB/SWAPDB), as (key, watchers).
  std::vector<std::pair<std::string, std::vector<Client*>>> KeysOfDb(int db) const;

 private:
  std::unordered_map<DbKey, std::vector<Client*>, DbKeyHash> watchers_;
};

}  // namespace basalt
