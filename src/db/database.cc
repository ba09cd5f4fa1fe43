#include "db/database.h"

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <new>

namespace basalt {

Database::~Database() { Clear(); }

DbEntry* Database::NewEntry(std::string_view key, Value value, int64_t expire_ms) {
  void* mem = std::malloc(sizeof(DbEntry) + key.size());
  if (mem == nullptr) throw std::bad_alloc();
  auto* e = static_cast<DbEntry*>(mem);
  e->next = nullptr;
  e->expire_ms = expire_ms;
  new (&e->value) Value(std::move(value));
  e->key_len = static_cast<uint32_t>(key.size());
  e->volatile_index = 0;
  if (!key.empty()) std::memcpy(e->key_data, key.data(), key.size());
  return e;
}

void Database::FreeEntry(DbEntry* e) {
  e->value.~Value();
  std::free(e);
}

void Database::AddVolatile(DbEntry* e) {
  e->volatile_index = static_cast<uint32_t>(volatile_.size());
  volatile_.push_back(e);
}

void Database::RemoveVolatile(DbEntry* e) {
  DbEntry* last = volatile_.back();
  volatile_[e->volatile_index] = last;
  last->volatile_index = e->volatile_index;
  volatile_.pop_back();
}

// Takes `e` out of the table and the volatile list, and frees it.
void Database::Unlink(DbEntry* e) {
  table_.Erase(e->key());
  if (e->has_expire()) RemoveVolatile(e);
  FreeEntry(e);
}

bool Database::ExpireIfNeeded(DbEntry* e, int64_t now_ms) {
  if (!e->IsExpired(now_ms)) return false;
  Unlink(e);
  ++stats_->expired_keys;
  return true;
}

DbEntry* Database::Lookup(std::string_view key, int64_t now_ms) {
  DbEntry* e = table_.Find(key);
  if (e == nullptr || ExpireIfNeeded(e, now_ms)) return nullptr;
  return e;
}

DbEntry* Database::LookupRead(std::string_view key, int64_t now_ms) {
  DbEntry* e = Lookup(key, now_ms);
  if (e == nullptr) {
    ++stats_->misses;
  } else {
    ++stats_->hits;
  }
  return e;
}

DbEntry* Database::Add(std::string_view key, Value value, int64_t expire_ms) {
  DbEntry* e = NewEntry(key, std::move(value), expire_ms);
  table_.Insert(e);
  if (expire_ms != kNoExpire) AddVolatile(e);
  return e;
}

DbEntry* Database::Set(std::string_view key, Value value, int64_t now_ms, bool keep_ttl) {
  DbEntry* e = Lookup(key, now_ms);
  if (e == nullptr) return Add(key, std::move(value));
  if (!keep_ttl) SetExpire(e, kNoExpire);
  e->value = std::move(value);
  return e;
}

bool Database::Delete(std::string_view key) {
  DbEntry* e = table_.Find(key);
  if (e == nullptr) return false;
  Unlink(e);
  table_.ResizeIfNeeded();
  return true;
}

void Database::SetExpire(DbEntry* entry, int64_t expire_ms) {
  bool was_volatile = entry->has_expire();
  entry->expire_ms = expire_ms;
  if (was_volatile && !entry->has_expire()) RemoveVolatile(entry);
  if (!was_volatile && entry->has_expire()) AddVolatile(entry);
}

DbEntry* Database::MoveEntry(DbEntry* entry, Database& dest, std::string_view new_key) {
  // Allocate (copying new_key) before freeing the old entry, which new_key may point into.
  DbEntry* moved = NewEntry(new_key, std::move(entry->value), entry->expire_ms);
  Unlink(entry);
  table_.ResizeIfNeeded();
  dest.table_.Insert(moved);
  if (moved->has_expire()) dest.AddVolatile(moved);
  return moved;
}

size_t Database::Clear() {
  size_t n = table_.size();
  table_.Clear([](DbEntry* e) { FreeEntry(e); });
  volatile_.clear();
  volatile_.shrink_to_fit();
  avg_ttl_ms_ = 0;
  return n;
}

DbEntry* Database::RandomEntry(int64_t now_ms, FastRng& rng) {
  // Bounded tries: when every key is expired, we must not loop forever (Redis gives up too).
  for (int tries = 0; tries < 100 && table_.size() > 0; ++tries) {
    DbEntry* e = table_.RandomNode(rng);
    if (e == nullptr) return nullptr;
    if (!ExpireIfNeeded(e, now_ms)) return e;
  }
  return nullptr;
}

size_t Database::ActiveExpireCycle(int64_t now_ms, int64_t budget_us, int stale_percent) {
  constexpr int kSampleSize = 20;  // Redis's ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP
  auto start = std::chrono::steady_clock::now();
  size_t removed = 0;
  for (int iteration = 0; !volatile_.empty(); ++iteration) {
    int sampled = 0, expired = 0, ttl_samples = 0;
    int64_t ttl_sum = 0;
    for (; sampled < kSampleSize && !volatile_.empty(); ++sampled) {
      DbEntry* e = volatile_[rng_.Next() % volatile_.size()];
      if (ExpireIfNeeded(e, now_ms)) {
        ++expired;
      } else {
        ttl_sum += e->expire_ms - now_ms;
        ++ttl_samples;
      }
    }
    removed += expired;
    if (ttl_samples > 0) {
      // A running average that weighs each new sample by 2%, as Redis's activeExpireCycle.
      int64_t sample_avg = ttl_sum / ttl_samples;
      avg_ttl_ms_ = avg_ttl_ms_ == 0 ? sample_avg : (avg_ttl_ms_ / 50) * 49 + sample_avg / 50;
    }
    if (expired * 100 <= sampled * stale_percent) break;
    if ((iteration & 15) == 15) {
      auto elapsed = std::chrono::steady_clock::now() - start;
      if (std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count() >= budget_us) {
        break;
      }
    }
  }
  if (removed > 0) table_.ResizeIfNeeded();
  return removed;
}

void Database::Maintain() {
  table_.ResizeIfNeeded();
  if (table_.rehashing()) table_.RehashFor(std::chrono::microseconds(1000));
}

void Database::SwapWith(Database& other) {
  std::swap(table_, other.table_);
  std::swap(volatile_, other.volatile_);
  std::swap(avg_ttl_ms_, other.avg_ttl_ms_);
}

size_t Database::MemoryUsage() const {
  return table_.MemoryUsage() + volatile_.capacity() * sizeof(DbEntry*);
}

}  // namespace basalt
