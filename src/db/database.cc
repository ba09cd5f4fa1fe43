#include "db/database.h"

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <new>

#include "types/hash.h"

namespace basalt {

Database::~Database() { Clear(); }

DbEntry* Database::NewEntry(std::string_view key, Value&& value, int64_t expire_ms,
                            size_t room) {
  const bool expire_slot = expire_ms != kNoExpire;
  void* mem = std::malloc(DbEntry::SizeFor(key, room, expire_slot));
  if (mem == nullptr) throw std::bad_alloc();
  DbEntry* e = DbEntry::Construct(mem, key, std::move(value), room, expire_slot);
  if (expire_slot) e->set_expire_ms(expire_ms);
  return e;
}

void Database::FreeEntry(DbEntry* e) {
  e->Destroy();
  std::free(e);
}

DbEntry* Database::Reallocate(DbEntry* e, size_t room, bool expire_slot) {
  const std::string_view key = e->key();
  void* mem = std::malloc(DbEntry::SizeFor(key, room, expire_slot));
  if (mem == nullptr) throw std::bad_alloc();
  DbEntry* fresh = DbEntry::Construct(mem, key, std::move(e->value), room, expire_slot);
  if (e->has_expire()) {
    fresh->set_expire_ms(e->expire_ms());
    fresh->set_volatile_index(e->volatile_index());
    volatile_[e->volatile_index()] = fresh;
  }
  table_.Replace(e, fresh);
  FreeEntry(e);
  return fresh;
}

void Database::AddVolatile(DbEntry* e) {
  e->set_volatile_index(static_cast<uint32_t>(volatile_.size()));
  volatile_.push_back(e);
}

void Database::RemoveVolatile(DbEntry* e) {
  DbEntry* last = volatile_.back();
  const uint32_t index = e->volatile_index();
  volatile_[index] = last;
  last->set_volatile_index(index);
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
  if (listener_ != nullptr && !listener_->ExpiryAllowed()) return false;
  if (listener_ != nullptr) listener_->OnKeyExpiring(*this, e->key());
  Unlink(e);
  ++stats_->expired_keys;
  return true;
}

DbEntry* Database::Lookup(std::string_view key, int64_t now_ms) {
  DbEntry* e = table_.Find(key, HashOf(key));
  if (e == nullptr || ExpireIfNeeded(e, now_ms) || ExpireHashFieldsIfNeeded(e, now_ms)) {
    return nullptr;
  }
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

DbEntry* Database::Link(DbEntry* e, uint64_t hash) {
  table_.Insert(e, hash);
  if (e->has_expire()) AddVolatile(e);
  IndexArrivingValue(e);
  if (listener_ != nullptr) listener_->OnKeyAdded(*this, e->key());
  return e;
}

DbEntry* Database::Add(std::string_view key, Value value, int64_t expire_ms) {
  const size_t room = value.RoomToEmbed();
  return Link(NewEntry(key, std::move(value), expire_ms, room), HashOf(key));
}

DbEntry* Database::PrepareOverwrite(DbEntry* e, size_t room, bool keep_ttl, int64_t expire_ms) {
  if (!keep_ttl && expire_ms == kNoExpire) SetExpire(e, kNoExpire);  // never moves the entry
  // A short string longer than the room: a bigger entry costs less than a separate buffer.
  const bool slot = e->has_expire_slot() || expire_ms != kNoExpire;
  if (room > e->value_room() || slot != e->has_expire_slot()) e = Reallocate(e, room, slot);
  return e;
}

DbEntry* Database::Set(std::string_view key, Value value, int64_t now_ms, bool keep_ttl,
                       int64_t expire_ms) {
  return SetFound(Lookup(key, now_ms), key, std::move(value), keep_ttl, expire_ms);
}

DbEntry* Database::SetFound(DbEntry* e, std::string_view key, Value value, bool keep_ttl,
                            int64_t expire_ms) {
  if (e == nullptr) return Add(key, std::move(value), expire_ms);
  e = PrepareOverwrite(e, value.RoomToEmbed(), keep_ttl, expire_ms);
  if (listener_ != nullptr) listener_->OnValueDropping(*this, e->value, &value);
  e->value.AssignEmbedding(std::move(value), e->value_room());
  if (expire_ms != kNoExpire) SetExpire(e, expire_ms);  // the slot exists: never moves
  IndexArrivingValue(e);
  return e;
}

DbEntry* Database::SetString(std::string_view key, std::string_view bytes, uint32_t lru,
                             int64_t now_ms, bool keep_ttl, int64_t expire_ms) {
  return SetStringFound(Lookup(key, now_ms), key, bytes, lru, keep_ttl, expire_ms);
}

DbEntry* Database::SetStringFound(DbEntry* e, std::string_view key, std::string_view bytes,
                                  uint32_t lru, bool keep_ttl, int64_t expire_ms) {
  const size_t room = Value::RoomToEmbed(bytes);
  if (room == 0) {  // an int, a string of at most 8 bytes, or a long one: no copy to save
    // The clock goes in before SetFound, whose listener may keep the old one (LFU).
    Value v = Value::String(bytes);
    v.set_lru(lru);
    return SetFound(e, key, std::move(v), keep_ttl, expire_ms);
  }
  const bool fresh = e == nullptr;
  if (fresh) {
    e = NewEntry(key, Value(), expire_ms, room);
  } else {
    e = PrepareOverwrite(e, room, keep_ttl, expire_ms);
    if (listener_ != nullptr) {
      // The listener sees the replacement's clock (LFU keeps the old counter).
      Value incoming;
      incoming.set_lru(lru);
      listener_->OnValueDropping(*this, e->value, &incoming);
      lru = incoming.lru();
    }
  }
  e->value.AssignEmbeddedString(bytes, e->value_room());
  e->value.set_lru(lru);
  if (fresh) return Link(e, HashOf(key));
  if (expire_ms != kNoExpire) SetExpire(e, expire_ms);  // the slot exists: never moves
  return e;
}

void Database::Overwrite(DbEntry* entry, Value value) {
  if (listener_ != nullptr) listener_->OnValueDropping(*this, entry->value, &value);
  entry->value.AssignEmbedding(std::move(value), entry->value_room());
  IndexArrivingValue(entry);
}

bool Database::Delete(std::string_view key) { return DeleteEntry(key, /*server_del=*/true); }

bool Database::DeleteNow(std::string_view key) { return DeleteEntry(key, /*server_del=*/false); }

bool Database::DeleteEntry(std::string_view key, bool server_del) {
  DbEntry* e = table_.Find(key, HashOf(key));
  if (e == nullptr) return false;
  if (server_del && listener_ != nullptr) listener_->OnValueDropping(*this, e->value, nullptr);
  Unlink(e);
  table_.ResizeIfNeeded();
  return true;
}

DbEntry* Database::SetExpire(DbEntry* entry, int64_t expire_ms) {
  if (expire_ms == kNoExpire) {
    if (entry->has_expire()) {
      RemoveVolatile(entry);
      entry->set_expire_ms(kNoExpire);
    }
    return entry;
  }
  if (!entry->has_expire_slot()) entry = Reallocate(entry, entry->value_room(), true);
  const bool was_volatile = entry->has_expire();
  entry->set_expire_ms(expire_ms);
  if (!was_volatile) AddVolatile(entry);
  return entry;
}

DbEntry* Database::MoveEntry(DbEntry* entry, Database& dest, std::string_view new_key) {
  // Allocate (copying new_key) before freeing the old entry, which new_key may point into.
  DbEntry* moved =
      NewEntry(new_key, std::move(entry->value), entry->expire_ms(), entry->value.RoomToEmbed());
  Unlink(entry);
  table_.ResizeIfNeeded();
  return dest.Link(moved, KeyHash(moved->key()));
}

size_t Database::Clear() {
  size_t n = table_.size();
  table_.Clear([](DbEntry* e) { FreeEntry(e); });
  volatile_.clear();
  volatile_.shrink_to_fit();
  hash_field_expiry_.clear();
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
        ttl_sum += e->expire_ms() - now_ms;
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
  std::swap(hash_field_expiry_, other.hash_field_expiry_);
}

// --- Hash field expiry ---

namespace {

// The hashtable-encoded hash held by `v`, or nullptr (field TTLs exist only in that encoding).
StringMap* FieldTtlMap(Value& v) {
  if (v.type() != ValueType::kHash || v.encoding() != Encoding::kHashtable) return nullptr;
  return &v.object<StringMap>();
}

}  // namespace

bool Database::ExpireHashFieldsIfNeeded(DbEntry* e, int64_t now_ms) {
  StringMap* map = FieldTtlMap(e->value);
  if (map == nullptr) return false;
  const int64_t next = map->next_expire();
  if (next == kNoFieldExpire || next >= now_ms) return false;
  map->ExpireFields(now_ms, SIZE_MAX);
  if (listener_ != nullptr) listener_->OnHashFieldsExpired(*this, e->key(), map->empty());
  if (!map->empty()) return false;  // the index entry comes due and re-lists it then
  Unlink(e);
  return true;
}

void Database::IndexArrivingValue(DbEntry* e) {
  StringMap* map = FieldTtlMap(e->value);
  if (map == nullptr || map->next_expire() == kNoFieldExpire) return;
  // The value may still be listed under its old key or database: force a fresh entry here.
  map->set_indexed_at(kNoFieldExpire);
  NoteHashFieldExpiry(e->key(), e->value);
}

void Database::NoteHashFieldExpiry(std::string_view key, Value& hash) {
  StringMap* map = FieldTtlMap(hash);
  if (map == nullptr) return;
  const int64_t next = map->next_expire();
  if (next == kNoFieldExpire || next == map->indexed_at()) return;
  // Drop the entry this value was listed under (if it is still here under this key).
  if (map->indexed_at() != kNoFieldExpire) {
    auto old = hash_field_expiry_.find(std::make_pair(map->indexed_at(), std::string(key)));
    if (old != hash_field_expiry_.end()) hash_field_expiry_.erase(old);
  }
  hash_field_expiry_.emplace(next, std::string(key));
  map->set_indexed_at(next);
}

size_t Database::ActiveExpireHashFields(int64_t now_ms, size_t max_fields) {
  size_t removed = 0;
  while (removed < max_fields && !hash_field_expiry_.empty() &&
         hash_field_expiry_.begin()->first < now_ms) {
    auto node = hash_field_expiry_.extract(hash_field_expiry_.begin());
    const int64_t listed_at = node.value().first;
    DbEntry* e = table_.Find(node.value().second);
    if (e == nullptr) continue;  // stale: the key is gone
    StringMap* map = FieldTtlMap(e->value);
    if (map == nullptr || map->indexed_at() != listed_at) continue;  // stale: not this value
    map->set_indexed_at(kNoFieldExpire);
    if (ExpireIfNeeded(e, now_ms)) continue;
    const size_t expired = map->ExpireFields(now_ms, max_fields - removed);
    removed += expired;
    if (expired > 0 && listener_ != nullptr) {
      listener_->OnHashFieldsExpired(*this, e->key(), map->empty());
    }
    if (map->empty()) {
      Unlink(e);
      continue;
    }
    // Re-list under the new earliest expiry, reusing the extracted node.
    const int64_t next = map->next_expire();
    if (next == kNoFieldExpire) continue;
    node.value().first = next;
    hash_field_expiry_.insert(std::move(node));
    map->set_indexed_at(next);
  }
  if (removed > 0) table_.ResizeIfNeeded();
  return removed;
}

size_t Database::MemoryUsage() const {
  return table_.MemoryUsage() + volatile_.capacity() * sizeof(DbEntry*);
}

}  // namespace basalt
