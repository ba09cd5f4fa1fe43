// Evictor: keeps used memory under `maxmemory` by deleting keys `maxmemory-policy` picks,
// with Redis 7.0's approximated algorithm (evict.c):
//
//   - LRU / LFU / TTL policies keep a pool of the 16 best candidates seen so far, sorted by
//     "idle" score (seconds idle, 255 - LFU counter, or -expire time); each round samples
//     `maxmemory-samples` keys of every database (all keys, or only those with a TTL for
//     volatile-*), merges them into the pool, and evicts the best one still present;
//   - random policies delete a random key, walking the databases round-robin;
//   - one call frees until used memory is back under the limit, but for at most the time
//     `maxmemory-eviction-tenacity` allows (checked every 16 keys); past it, a timer keeps
//     evicting between commands (Redis's evictionTimeProc) and the call reports kRunning.
//
// Memory is the allocator's figure (util/memory.h CachedUsedMemory); client output buffers
// are part of it, as in Redis (there are no replica buffers or AOF buffer to leave out).
// Each evicted key is reported as Redis does: INFO evicted_keys, the "evicted" keyspace
// event, WATCH and client tracking (Server::SignalModifiedKey). Propagation of the deletion
// to AOF/replicas would go where the key is deleted (EvictKey), once there is such a point.
//
// Owned by Server; runs on the execution thread only.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "net/event_loop.h"
#include "server/client.h"

namespace basalt {

class Client;
class Server;
struct CommandSpec;

// The error a denyoom command gets when memory cannot be brought under the limit.
inline constexpr std::string_view kErrOom = "OOM command not allowed when used memory > 'maxmemory'.";

class Evictor {
 public:
  enum class Result { kOk, kRunning, kFail };

  explicit Evictor(Server& server) : server_(server) {}
  ~Evictor();
  Evictor(const Evictor&) = delete;
  Evictor& operator=(const Evictor&) = delete;

  // The dispatcher's check before running `spec` for `client` (REQUIRES maxmemory != 0):
  // evicts as needed, and returns false when the command must be refused with kErrOom
  // (memory still over the limit and the command may grow it: a denyoom command, EXEC of
  // a transaction holding one, or anything but EXEC/DISCARD/QUIT/RESET queued in MULTI).
  bool AdmitCommand(const Client& client, const CommandSpec& spec);

  // Whether the last AdmitCommand found memory over the limit with nothing left to evict
  // (Redis's server.pre_command_oom_state): scripts refuse denyoom commands then.
  bool pre_command_oom() const { return pre_command_oom_; }

  // Redis's performEvictions.
  Result PerformEvictions();

  // CONFIG SET maxmemory: evicts at once down to the new limit, as far as the tenacity
  // allows, and goes on between commands (Redis's updateMaxmemory).
  void Kick() { PerformEvictions(); }

  // HashTable::ExpandAllowedFn for the key tables (`ctx`: the Evictor): a growth that would
  // take memory over maxmemory waits until the load factor reaches 1.618 (Redis's
  // dictExpandAllowed), so that a rehash does not by itself cause evictions.
  static bool KeyTableExpandAllowed(void* ctx, size_t more_bytes, double load_factor);

  // Used memory as maxmemory counts it, and how much must go to get under the limit (0 when
  // under it).
  uint64_t UsedMemoryForEviction() const;
  uint64_t BytesToFree() const;

  // maxmemory-clients (Redis 7.0 client eviction): when the connections' buffers together
  // take more than the limit (bytes, or a percentage of maxmemory), closes the biggest
  // clients first until they fit, sparing CLIENT NO-EVICT ones. Called before each command
  // and before the loop sleeps. While the limit is set, a running total of the clients'
  // memory is kept (each client re-measured after it reads or is written to, as Redis
  // updates its client memory buckets), so that under the limit the check is a compare;
  // only over it are all clients measured and the biggest picked.
  void EvictClientsIfNeeded();
  // Re-measures `c` into the running total (a no-op while the limit is off).
  void UpdateClientMemory(Client& c) {
    if (tracking_clients_) RecountClient(c);
  }
  // `c` is being freed: takes it out of the running total.
  void ForgetClient(Client& c) {
    clients_memory_ -= c.counted_memory;
    c.counted_memory = 0;
  }
  // What one connection costs towards maxmemory-clients (CLIENT LIST tot-mem).
  static uint64_t ClientMemory(const Client& c);
  // The bytes of the arguments a client holds: of its running command, or of the blocked
  // command it waits in (CLIENT LIST argv-mem).
  static uint64_t ArgvMemory(const Client& c);

  // INFO stats.
  uint64_t evicted_keys() const { return evicted_keys_; }
  uint64_t evicted_clients() const { return evicted_clients_; }
  uint64_t total_exceeded_time_us() const;    // total_eviction_exceeded_time (ms in INFO)
  uint64_t current_exceeded_time_us() const;  // current_eviction_exceeded_time
  void ResetStats();                          // CONFIG RESETSTAT

 private:
  static constexpr int kPoolSize = 16;
  static constexpr int kMaxSamples = 64;  // maxmemory-samples is at most 64

  struct PoolEntry {
    uint64_t idle = 0;  // higher is a better candidate
    int db = 0;
    bool used = false;
    std::string key;
  };

  // Samples database `db` into the pool (Redis's evictionPoolPopulate).
  void PopulatePool(int db, bool volatile_only);
  void InsertIntoPool(uint64_t idle, int db, std::string_view key);
  // Picks the key to evict next; false when there is none.
  bool SelectVictim(std::string* key, int* db);
  // Deletes the key and does the bookkeeping. Returns the bytes it freed.
  int64_t EvictKey(int db, const std::string& key);
  void StartTimer();
  void UpdateExceededTime(Result result);
  // maxmemory-eviction-tenacity as a time budget in microseconds.
  uint64_t TimeLimitUs() const;
  void RecountClient(Client& c);
  // Measures every client afresh (the limit was just set, or memory seems over it).
  void RecountAllClients();

  Server& server_;
  std::array<PoolEntry, kPoolSize> pool_;
  int next_random_db_ = 0;
  int64_t now_ms_ = 0;  // the clock of the running PerformEvictions
  bool pre_command_oom_ = false;
  EventLoop::TimerId timer_ = 0;
  uint64_t evicted_keys_ = 0;
  uint64_t evicted_clients_ = 0;
  uint64_t total_exceeded_us_ = 0;
  int64_t exceeded_since_us_ = 0;  // 0: under the limit
  uint64_t clients_memory_ = 0;    // sum of the clients' counted_memory
  bool tracking_clients_ = false;  // clients_memory_ is kept (maxmemory-clients is set)
};

}  // namespace basalt
