#include "server/eviction.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>
#include <vector>

#include "commands/keyspace_events.h"
#include "db/access_clock.h"
#include "persistence/aof_writer.h"
#include "persistence/background_snapshot.h"
#include "server/client.h"
#include "server/command.h"
#include "server/log.h"
#include "server/server.h"
#include "util/memory.h"

namespace basalt {
namespace {

bool IsRandomPolicy(EvictionPolicy p) {
  return p == EvictionPolicy::kAllkeysRandom || p == EvictionPolicy::kVolatileRandom;
}
bool IsAllKeysPolicy(EvictionPolicy p) {
  return p == EvictionPolicy::kAllkeysLru || p == EvictionPolicy::kAllkeysLfu ||
         p == EvictionPolicy::kAllkeysRandom;
}

const std::string& TopName(const CommandSpec& spec) {
  return spec.parent != nullptr ? spec.parent->name : spec.name;
}

}  // namespace

Evictor::~Evictor() {
  if (timer_ != 0) server_.loop().CancelTimer(timer_);
}

uint64_t Evictor::UsedMemoryForEviction() const {
  // Redis leaves the AOF buffer (and replica output buffers) out: freeMemoryGetNotCountedMemory.
  // A fork-less snapshot's serialized bytes waiting for the disk are left out too: with a
  // fork they would be the child's, which Redis's figure never counts either.
  uint64_t not_counted = server_.aof().buffer_length();
  if (const BackgroundSnapshot* s = server_.persistence().in_process_child.get()) {
    not_counted += s->buffered_bytes();
  }
  const uint64_t used = CachedUsedMemory();
  return used > not_counted ? used - not_counted : 0;
}

uint64_t Evictor::BytesToFree() const {
  const uint64_t limit = server_.config().maxmemory;
  const uint64_t used = UsedMemoryForEviction();
  return limit != 0 && used > limit ? used - limit : 0;
}

bool Evictor::KeyTableExpandAllowed(void* ctx, size_t more_bytes, double load_factor) {
  constexpr double kMaxLoadFactor = 1.618;  // Redis's HASHTABLE_MAX_LOAD_FACTOR
  if (load_factor > kMaxLoadFactor) return true;
  const Evictor& self = *static_cast<const Evictor*>(ctx);
  const uint64_t limit = self.server_.config().maxmemory;
  return limit == 0 || self.UsedMemoryForEviction() + more_bytes <= limit;
}

bool Evictor::AdmitCommand(const Client& client, const CommandSpec& spec) {
  pre_command_oom_ = PerformEvictions() == Result::kFail;
  if (!pre_command_oom_) return true;
  if (spec.has(kCmdDenyOom)) return false;
  const std::string& name = TopName(spec);
  if (name == "exec") {
    if (!client.multi) return true;
    // EXEC is refused when the transaction holds a command that may grow memory.
    for (const auto& queued : client.multi->commands) {
      const CommandSpec* q = server_.commands().Find(queued[0]);
      if (q == nullptr) continue;
      if (!q->subcommands.empty() && queued.size() >= 2) {
        if (const CommandSpec* sub = CommandTable::FindSubcommand(*q, queued[1])) q = sub;
      }
      if (q->has(kCmdDenyOom)) return false;
    }
    return true;
  }
  // Queueing in MULTI takes memory without bound: only leaving the transaction is allowed.
  if (client.multi && name != "discard" && name != "quit" && name != "reset") return false;
  return true;
}

uint64_t Evictor::TimeLimitUs() const {
  const int tenacity = std::clamp(server_.config().maxmemory_eviction_tenacity, 0, 100);
  if (tenacity <= 10) return 50ull * static_cast<uint64_t>(tenacity);  // 0..500 us, linear
  // A 15% geometric progression: about two minutes at 99.
  if (tenacity < 100) return static_cast<uint64_t>(500.0 * std::pow(1.15, tenacity - 10.0));
  return std::numeric_limits<uint64_t>::max();
}

Evictor::Result Evictor::PerformEvictions() {
  const ServerConfig& config = server_.config();
  // As Redis's isSafeToPerformEvictions: the dataset stays still while clients are paused
  // and while it is being loaded (reported as fine, so nothing is refused either).
  if (server_.clients_paused() || server_.persistence().loading) return Result::kOk;
  const uint64_t used = UsedMemoryForEviction();
  if (config.maxmemory == 0 || used <= config.maxmemory) {
    UpdateExceededTime(Result::kOk);
    return Result::kOk;
  }
  if (config.eviction_policy == EvictionPolicy::kNoEviction) {
    UpdateExceededTime(Result::kFail);
    return Result::kFail;
  }
  const int64_t start_us = EventLoop::NowUs();
  now_ms_ = start_us / 1000;
  const uint64_t limit_us = TimeLimitUs();
  const int64_t to_free = static_cast<int64_t>(used - config.maxmemory);
  int64_t freed = 0;
  uint64_t keys_freed = 0;
  Result result = Result::kOk;
  std::string key;
  while (freed < to_free) {
    int db = 0;
    if (!SelectVictim(&key, &db)) {
      result = Result::kFail;  // nothing left to evict
      break;
    }
    freed += EvictKey(db, key);
    if (++keys_freed % 16 == 0 &&
        static_cast<uint64_t>(EventLoop::NowUs() - start_us) > limit_us) {
      // Freeing a lot at once would stall every client: go on between commands.
      StartTimer();
      break;
    }
  }
  if (result != Result::kFail && timer_ != 0) result = Result::kRunning;
  server_.latency_monitor().AddSampleIfNeeded(
      "eviction-cycle", (EventLoop::NowUs() - start_us) / 1000);
  UpdateExceededTime(result);
  return result;
}

void Evictor::StartTimer() {
  if (timer_ != 0) return;
  // 1 ms, not 0: a timer due at once would run again in the same pass, serving no client.
  timer_ = server_.loop().AddTimer(1, [this] {
    // Cleared first: a round that runs out of time again arms a new timer (StartTimer), and
    // PerformEvictions reports kRunning while one is armed.
    timer_ = 0;
    PerformEvictions();
    return int64_t{-1};
  });
}

void Evictor::UpdateExceededTime(Result result) {
  if (result == Result::kOk) {
    if (exceeded_since_us_ != 0) {
      total_exceeded_us_ += static_cast<uint64_t>(EventLoop::NowUs() - exceeded_since_us_);
      exceeded_since_us_ = 0;
    }
  } else if (exceeded_since_us_ == 0) {
    exceeded_since_us_ = EventLoop::NowUs();
  }
}

uint64_t Evictor::current_exceeded_time_us() const {
  if (exceeded_since_us_ == 0) return 0;
  return static_cast<uint64_t>(std::max<int64_t>(0, EventLoop::NowUs() - exceeded_since_us_));
}

uint64_t Evictor::total_exceeded_time_us() const {
  return total_exceeded_us_ + current_exceeded_time_us();
}

uint64_t Evictor::ArgvMemory(const Client& c) {
  uint64_t bytes = 0;
  for (std::string_view a : c.running_argv) bytes += a.size();
  if (c.blocked) {
    for (const std::string& a : c.blocked->argv) bytes += a.size();
  }
  return bytes;
}

uint64_t Evictor::ClientMemory(const Client& c) {
  uint64_t bytes = sizeof(Client) + c.query.capacity() + c.reply_buf.capacity() + ArgvMemory(c);
  if (c.multi) {
    for (const auto& argv : c.multi->commands) {
      for (const std::string& a : argv) bytes += a.capacity() + sizeof(std::string);
    }
  }
  return bytes;
}

void Evictor::RecountClient(Client& c) {
  const uint64_t bytes = ClientMemory(c);
  clients_memory_ += bytes - c.counted_memory;  // unsigned wrap-around nets out
  c.counted_memory = bytes;
}

void Evictor::RecountAllClients() {
  clients_memory_ = 0;
  for (const auto& [id, c] : server_.clients()) {
    c->counted_memory = 0;
    RecountClient(*c);
  }
  tracking_clients_ = true;
}

void Evictor::EvictClientsIfNeeded() {
  const ServerConfig& config = server_.config();
  uint64_t limit = 0;
  if (config.maxmemory_clients > 0) {
    limit = static_cast<uint64_t>(config.maxmemory_clients);
  } else if (config.maxmemory_clients < 0) {
    // A percentage of maxmemory; without maxmemory there is nothing to take it of.
    limit = config.maxmemory / 100 * static_cast<uint64_t>(-config.maxmemory_clients);
  }
  if (limit == 0) {
    tracking_clients_ = false;
    return;
  }
  if (!tracking_clients_) RecountAllClients();
  if (clients_memory_ <= limit) return;
  // Over it by the running total, which may lag behind buffers that shrank: measure all.
  RecountAllClients();
  uint64_t total = clients_memory_;
  if (total <= limit) return;
  std::vector<std::pair<uint64_t, Client*>> candidates;
  for (const auto& [id, c] : server_.clients()) {
    if (c->no_evict || c->close_asap) continue;
    candidates.emplace_back(ClientMemory(*c), c);
  }
  std::sort(candidates.begin(), candidates.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  for (const auto& [bytes, c] : candidates) {
    if (total <= limit) break;
    Log(LogLevel::kVerbose, "Evicting client: id=%llu addr=%s tot-mem=%llu",
        static_cast<unsigned long long>(c->id), c->addr.c_str(),
        static_cast<unsigned long long>(bytes));
    server_.CloseClientAsync(c);
    ++evicted_clients_;
    total -= bytes;
  }
}

void Evictor::ResetStats() {
  evicted_keys_ = 0;
  evicted_clients_ = 0;
  total_exceeded_us_ = 0;
  if (exceeded_since_us_ != 0) exceeded_since_us_ = EventLoop::NowUs();
}

void Evictor::InsertIntoPool(uint64_t idle, int db, std::string_view key) {
  int k = 0;
  while (k < kPoolSize && pool_[k].used && pool_[k].idle < idle) ++k;
  if (k == 0 && pool_[kPoolSize - 1].used) return;  // worse than every candidate held
  if (k < kPoolSize && !pool_[k].used) {
    // An empty slot right where it belongs.
  } else if (!pool_[kPoolSize - 1].used) {
    // Room at the end: shift the better half right (keeping the spare string's buffer).
    std::string spare = std::move(pool_[kPoolSize - 1].key);
    for (int j = kPoolSize - 1; j > k; --j) pool_[j] = std::move(pool_[j - 1]);
    pool_[k].key = std::move(spare);
  } else {
    // Full: drop the worst (slot 0) and shift the worse part left.
    --k;
    std::string spare = std::move(pool_[0].key);
    for (int j = 0; j < k; ++j) pool_[j] = std::move(pool_[j + 1]);
    pool_[k].key = std::move(spare);
  }
  pool_[k].idle = idle;
  pool_[k].db = db;
  pool_[k].used = true;
  pool_[k].key.assign(key);
}

void Evictor::PopulatePool(int db_index, bool volatile_only) {
  const ServerConfig& config = server_.config();
  const EvictionPolicy policy = config.eviction_policy;
  Database& db = server_.db(db_index);
  DbEntry* sample[kMaxSamples];
  const size_t want = static_cast<size_t>(std::clamp(config.maxmemory_samples, 1, kMaxSamples));
  const size_t n = volatile_only ? db.SampleVolatileEntries(sample, want, server_.rng())
                                 : db.SampleEntries(sample, want, server_.rng());
  const uint32_t clock = LruClockFromMs(now_ms_);
  for (size_t i = 0; i < n; ++i) {
    const DbEntry* e = sample[i];
    uint64_t idle = 0;
    if (IsLruPolicy(policy)) {
      idle = LruIdleSeconds(clock, e->value.lru());
    } else if (IsLfuPolicy(policy)) {
      idle = 255 - LfuDecrAndReturn(e->value.lru(), now_ms_, config.lfu_decay_time);
    } else {  // volatile-ttl: the sooner it expires, the better
      idle = std::numeric_limits<uint64_t>::max() - static_cast<uint64_t>(e->expire_ms());
    }
    InsertIntoPool(idle, db_index, e->key());
  }
}

bool Evictor::SelectVictim(std::string* key, int* db) {
  const EvictionPolicy policy = server_.config().eviction_policy;
  const bool volatile_only = !IsAllKeysPolicy(policy);
  const int dbs = server_.db_count();
  if (IsRandomPolicy(policy)) {
    for (int i = 0; i < dbs; ++i) {
      next_random_db_ = (next_random_db_ + 1) % dbs;
      DbEntry* e = server_.db(next_random_db_).RandomEntryForEviction(volatile_only, server_.rng());
      if (e != nullptr) {
        key->assign(e->key());
        *db = next_random_db_;
        return true;
      }
    }
    return false;
  }
  for (;;) {
    size_t total = 0;
    for (int i = 0; i < dbs; ++i) {
      Database& d = server_.db(i);
      const size_t keys = volatile_only ? d.expires_count() : d.size();
      if (keys == 0) continue;
      PopulatePool(i, volatile_only);
      total += keys;
    }
    if (total == 0) return false;
    // From the best candidate down; keys deleted since they were sampled are skipped.
    for (int k = kPoolSize - 1; k >= 0; --k) {
      PoolEntry& p = pool_[k];
      if (!p.used) continue;
      p.used = false;
      p.idle = 0;
      DbEntry* e = server_.db(p.db).FindRaw(p.key);
      if (e != nullptr && (!volatile_only || e->has_expire())) {
        key->swap(p.key);
        *db = p.db;
        return true;
      }
    }
  }
}

int64_t Evictor::EvictKey(int db, const std::string& key) {
  // Only the deletion is measured: the invalidation messages below take memory of their own.
  const int64_t start_us = EventLoop::NowUs();
  const uint64_t before = CachedUsedMemory();
  // lazyfree-lazy-eviction: a big value goes to the lazyfree thread. Its bytes are not free
  // yet, but they will be: count them, or this round would evict more keys to cover them.
  int64_t freed_later = 0;
  if (server_.config().lazyfree_lazy_eviction) {
    if (DbEntry* e = server_.db(db).FindRaw(key)) {
      const int64_t bytes = static_cast<int64_t>(e->value.AllocatedBytes());
      if (server_.lazyfree().MaybeFreeLater(e->value)) freed_later = bytes;
    }
  }
  server_.db(db).DeleteNow(key);
  const int64_t delta = static_cast<int64_t>(before) - static_cast<int64_t>(CachedUsedMemory()) +
                        freed_later;
  server_.latency_monitor().AddSampleIfNeeded("eviction-del",
                                              (EventLoop::NowUs() - start_us) / 1000);
  ++evicted_keys_;
  server_.PropagateDeletion(db, key, server_.config().lazyfree_lazy_eviction);
  server_.SignalModifiedKey(nullptr, db, key);
  server_.RaiseKeyspaceEvent(kEvEvicted, key, db);
  return delta;
}

}  // namespace basalt
