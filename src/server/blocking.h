// Blocking commands: clients parked on keys until another command makes one of them ready.
//
// A blocking handler (BLPOP, BLMOVE, BZPOPMIN, XREAD BLOCK, ...) first tries to serve itself.
// When it cannot, and the client may block (CommandContext::CanBlock), it calls
// CommandContext::BlockOn(keys, type, deadline, timeout reply) and writes no reply. The
// dispatcher then parks the client: its command (argv copied) waits in a FIFO queue per
// (database, key), its socket input is left unread, and a timer fires at the deadline.
//
// A write that may satisfy waiters (a push, ZADD, XADD, a RENAME onto the key, ...) calls
// CommandContext::SignalKeyReady(key). After the command that signalled finishes (for
// MULTI/EXEC and scripts: after the whole transaction), the server walks the ready keys and
// re-executes, in FIFO order, the command of each client waiting on them while the key
// exists with the type they wait for, as Redis 7 does. A re-executed command that still
// cannot be served keeps its place in the queues and its deadline. A served client leaves
// every queue it was in, and its pipelined input runs before the loop sleeps.
//
// Writes that delete or retype a key (DEL, SET over it, RENAME away, FLUSHDB, SWAPDB) signal
// it too, so that waiters marked unblock_on_nokey learn that their key is gone.
//
// On timeout the client gets its command's timeout reply (a null array for BLPOP and
// friends, a null bulk for BLMOVE/BRPOPLPUSH); CLIENT UNBLOCK gives the same, or the
// -UNBLOCKED error.
#pragma once

#include <cstdint>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "net/event_loop.h"
#include "server/db_key.h"
#include "types/value.h"

namespace basalt {

class Client;

// What a blocked client receives when its deadline passes.
enum class BlockTimeoutReply {
  kNullArray,  // *-1 in RESP2 (BLPOP, BRPOP, BLMPOP, BZPOPMIN, BZMPOP, XREAD, ...)
  kNullBulk,   // $-1 in RESP2 (BLMOVE, BRPOPLPUSH)
};

// What a handler asks for when it blocks.
struct BlockRequest {
  std::vector<std::string> keys;
  ValueType type = ValueType::kList;  // the type a key must have to wake the client
  int64_t deadline_ms = 0;            // absolute unix ms; 0 blocks forever
  BlockTimeoutReply timeout_reply = BlockTimeoutReply::kNullArray;
  // The command to re-execute, when it must differ from the one received (empty: the
  // received argv). XREAD sets it to pin "$" to the ID it resolved to when it blocked.
  std::vector<std::string> argv;
  // Unblock with "-UNBLOCKED the stream key no longer exists" when a key is deleted or
  // replaced by another type while the client waits (XREADGROUP, as Redis 7's
  // unblock_on_nokey); other waiters just keep waiting.
  bool unblock_on_nokey = false;
};

// The state of a parked client (Client::blocked).
struct BlockedState {
  BlockRequest request;
  int db = 0;
  std::vector<std::string> argv;  // the command to re-execute
  EventLoop::TimerId timer = 0;
  // This client's node in each key's queue (same order as request.keys, duplicates removed).
  std::vector<std::pair<const DbKey*, std::list<Client*>::iterator>> positions;
};

// The queues of clients blocked per key, and the keys signalled ready since the last pass.
class BlockingRegistry {
 public:
  // Appends `client` to the queue of each of its keys. REQUIRES: client->blocked is set.
  void Add(Client* client);
  // Removes `client` from every queue it is in.
  void Remove(Client* client);

  // Records that (db, key) may now satisfy waiters, if anyone waits on it.
  void SignalKeyReady(int db, std::string_view key);
  // SignalKeyReady for every key of `db` that someone waits on.
  void SignalDatabaseReady(int db);
  bool has_ready_keys() const { return !ready_.empty(); }
  // The keys signalled since the last call, in signal order.
  std::vector<DbKey> TakeReadyKeys();
  // The clients waiting on (db, key), in FIFO order (a copy: re-execution edits the queues).
  std::vector<Client*> Waiters(const DbKey& key) const;

  size_t blocked_keys() const { return queues_.size(); }

 private:
  std::unordered_map<DbKey, std::list<Client*>, DbKeyHash> queues_;
  std::vector<DbKey> ready_;
  std::unordered_set<DbKey, DbKeyHash> ready_set_;
};

}  // namespace basalt
