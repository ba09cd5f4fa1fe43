// Database: one of the 16 (by default) numbered keyspaces: keys, their values and expiry.
//
// Each key is one DbEntry (db/db_entry.h), a single allocation holding the chain link, the
// 16-byte Value, a short string value's bytes, the key bytes and, for a key that has or had a
// TTL, the expiry time; so a small string key costs 24 bytes plus its key and value bytes
// beyond 8 (rounded up by the allocator) plus one bucket pointer. Entries live in the
// intrusive HashTable. They move only when they need a bigger allocation: when a key first
// gets a TTL (SetExpire, or Set/SetString given one) and when Set/SetString store a short
// string longer than the entry has room for; these return the entry's new address, and any
// other DbEntry* to it is stale after.
//
// Keys with a TTL are also listed in `volatile_`, an array of entry pointers; each such entry
// remembers its slot (DbEntry::volatile_index), so adding, removing and sampling a random
// volatile key are all O(1), at 8 bytes per volatile key. Expiry is lazy (Lookup deletes a key found
// past its deadline) and active (ActiveExpireCycle samples volatile keys as Redis does).
// All calls come from the execution thread.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "db/db_entry.h"
#include "db/hash_table.h"
#include "types/value.h"

namespace basalt {

struct DbEntryTraits {
  static std::string_view Key(const DbEntry* e) { return e->key(); }
  static DbEntry* Next(const DbEntry* e) { return e->next; }
  static void SetNext(DbEntry* e, DbEntry* next) { e->next = next; }
  static uint64_t Hash(std::string_view key) { return KeyHash(key); }
};

// Counters shared by all databases, reported by INFO stats.
struct KeyspaceStats {
  uint64_t hits = 0;
  uint64_t misses = 0;
  uint64_t expired_keys = 0;
  uint64_t expired_stale_perc = 0;
  uint64_t dirty = 0;  // writes since the last save
};

class Database;

// Told about keys that leave the keyspace without a command naming them (expiry, lazy or
// active, including a hash whose last field expired), so that WATCH and keyspace events see
// them. Called just before the key is removed: its bytes are still readable, and the
// callee must not change the database.
class KeyspaceListener {
 public:
  virtual ~KeyspaceListener() = default;
  virtual void OnKeyExpiring(Database& db, std::string_view key) = 0;
  // A key was created (Add, and the destination of MoveEntry): keyspace event "new".
  virtual void OnKeyAdded(Database& db, std::string_view key) {}
  // Fields of the hash at `key` expired (lazily or actively); `emptied`: none is left and
  // the key is about to be removed (instead of OnKeyExpiring). Keyspace event "hexpired".
  virtual void OnHashFieldsExpired(Database& db, std::string_view key, bool emptied) {}
  // A server-side delete is about to free `old_value` (Redis's dbDelete and dbOverwrite):
  // Delete, or Set/Overwrite replacing it with `*replacement` (nullptr for Delete). The
  // callee may take the old value (leaving an empty string) to free it elsewhere
  // (lazyfree-lazy-server-del), and carry state over to the replacement (the LFU counter).
  virtual void OnValueDropping(Database& db, Value& old_value, Value* replacement) {}
  // Whether keys past their deadline may expire now. Not while the dataset loads (Redis's
  // keyIsExpired): a replayed AOF must rebuild what the writes built, e.g. an RPUSH after a
  // PEXPIREAT in the past appends to the old list, which then expires on first access.
  virtual bool ExpiryAllowed() const { return true; }
};

class Database {
 public:
  Database(int id, KeyspaceStats* stats) : id_(id), stats_(stats) {}
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  Database(Database&&) = default;

  int id() const { return id_; }
  void set_listener(KeyspaceListener* listener) { listener_ = listener; }
  // See HashTable::SetExpandAllowed: consulted before the key table grows.
  void SetExpandAllowed(HashTable<DbEntry, DbEntryTraits>::ExpandAllowedFn fn, void* ctx) {
    table_.SetExpandAllowed(fn, ctx);
  }
  size_t size() const { return table_.size(); }
  size_t expires_count() const { return volatile_.size(); }
  // Estimated mean remaining TTL of volatile keys in ms, from the active expiry samples
  // (INFO keyspace avg_ttl, computed as Redis does).
  int64_t avg_ttl_ms() const { return volatile_.empty() ? 0 : avg_ttl_ms_; }

  // The entry for `key` if it exists and has not expired at `now_ms`. An expired key found
  // here is deleted (lazy expiry). Does not count hits/misses: see LookupRead.
  DbEntry* Lookup(std::string_view key, int64_t now_ms);
  // Lookup for a read command: counts keyspace hits/misses.
  DbEntry* LookupRead(std::string_view key, int64_t now_ms);
  // The entry even if expired (for callers that handle expiry themselves).
  DbEntry* FindRaw(std::string_view key) { return table_.Find(key); }

  // Batch prefetch, for a pipeline of commands about to run: call each step for every key
  // of the batch before the next step, so that the keys' cache misses overlap instead of
  // coming one after another inside the commands. Hints only: nothing changes.
  static uint64_t KeyHashOf(std::string_view key) { return KeyHash(key); }
  void PrefetchBucket(uint64_t hash) const { table_.Prefetch(hash); }
  void PrefetchEntry(uint64_t hash) const { table_.PrefetchHead(hash); }
  // The last step: the head entry is in cache by now; starts loading its value's bytes and the
  // chain's next entry (a key that collided, or another looked up in the same bucket).
  void PrefetchValue(uint64_t hash) const {
    const DbEntry* e = table_.ChainHead(hash);
    if (e == nullptr) return;
    e->value.PrefetchPayload();
    if (e->next != nullptr) KeyTable::PrefetchNode(e->next);
  }

  // The running command's first key, so that its Lookup, Set and new entry hash it once
  // (with `hash` when the server already has it from the batch prefetch, else on first use).
  // Matched by address and length: the server clears it when the command returns, since
  // between commands the same bytes of a client's buffer hold other keys.
  void HintKey(std::string_view key, std::optional<uint64_t> hash = std::nullopt) {
    hint_key_ = key;
    hint_hash_ = hash.value_or(0);
    hint_hashed_ = hash.has_value();
  }
  void ClearKeyHint() { hint_key_ = {}; }

  // Adds a key that must not exist (call Lookup first). Returns the new entry.
  DbEntry* Add(std::string_view key, Value value, int64_t expire_ms = kNoExpire);
  // Sets `key` to `value`, replacing whatever was there. The key then has the TTL deadline
  // `expire_ms` if one is given, else its old TTL if `keep_ttl`, else none. Returns the key's
  // entry, which may have moved (see the top of this file). Giving the TTL here rather than
  // through SetExpire after saves moving a new entry to make room for it.
  DbEntry* Set(std::string_view key, Value value, int64_t now_ms, bool keep_ttl = false,
               int64_t expire_ms = kNoExpire);
  // Set for a string value given as bytes, stamped with the LRU clock `lru`: the same result
  // as Set(key, Value::String(bytes)), but a short string goes straight into the entry,
  // without a heap buffer on the way (the SET family's path).
  DbEntry* SetString(std::string_view key, std::string_view bytes, uint32_t lru, int64_t now_ms,
                     bool keep_ttl = false, int64_t expire_ms = kNoExpire);
  // Set and SetString for a caller that has just looked `key` up (Lookup, or a command's
  // LookupWrite) and changed nothing since: `found` is what that returned (nullptr: no such
  // key). They skip hashing the key and walking its chain a second time, which SET, looking
  // the key up first for NX/XX and the LFU touch, would otherwise pay on every call.
  DbEntry* SetFound(DbEntry* found, std::string_view key, Value value, bool keep_ttl = false,
                    int64_t expire_ms = kNoExpire);
  DbEntry* SetStringFound(DbEntry* found, std::string_view key, std::string_view bytes,
                          uint32_t lru, bool keep_ttl = false, int64_t expire_ms = kNoExpire);
  // Replaces the value of `entry`, keeping its TTL (Redis's dbOverwrite).
  void Overwrite(DbEntry* entry, Value value);
  // Deletes `key` (expired or not); returns whether it existed. A server-side delete: the
  // listener may free the value elsewhere (OnValueDropping).
  bool Delete(std::string_view key);
  // Delete for callers that applied their own lazyfree setting first (DEL/UNLINK, expiry,
  // eviction): the value is freed here.
  bool DeleteNow(std::string_view key);
  // Gives `entry` the TTL deadline `expire_ms` (kNoExpire: removes its TTL). Returns the
  // entry's address, which changes when a key without an expire slot gets its first TTL:
  // `entry` is stale then.
  DbEntry* SetExpire(DbEntry* entry, int64_t expire_ms);
  // Moves `entry` (one of this database's entries) to key `new_key` of `dest`, which may be
  // this database (RENAME) or another (MOVE): the value, its LRU clock and the expiry go
  // along, the old entry is freed. Entries embed their key, so this allocates a new entry;
  // `new_key` may point into entry's own key bytes. Returns the new entry.
  // REQUIRES: `new_key` is absent from `dest` (Lookup and Delete first).
  DbEntry* MoveEntry(DbEntry* entry, Database& dest, std::string_view new_key);
  // Removes all keys, calling nothing back. Returns how many were removed.
  size_t Clear();

  // A random key that has not expired (may lazily expire a few on the way), or nullptr.
  DbEntry* RandomEntry(int64_t now_ms, FastRng& rng);

  // Eviction sampling (server/eviction.cc), expired keys included and none removed: up to
  // `count` entries of all keys (HashTable::SampleNodes) or of the keys with a TTL, and one
  // random entry of either set (nullptr when it is empty).
  size_t SampleEntries(DbEntry** out, size_t count, FastRng& rng) {
    return table_.SampleNodes(out, count, rng);
  }
  size_t SampleVolatileEntries(DbEntry** out, size_t count, FastRng& rng) {
    if (volatile_.empty()) return 0;
    for (size_t i = 0; i < count; ++i) out[i] = volatile_[rng.Below(volatile_.size())];
    return count;
  }
  DbEntry* RandomEntryForEviction(bool volatile_only, FastRng& rng) {
    if (volatile_only) {
      return volatile_.empty() ? nullptr : volatile_[rng.Below(volatile_.size())];
    }
    return table_.RandomNode(rng);
  }

  // --- For a snapshot taken while the database keeps changing (HashTable's watching) ---
  using KeyTable = HashTable<DbEntry, DbEntryTraits>;
  // Every call that reads or changes a key tells the watcher first (table lookups, inserts,
  // erases), as do Clear and SwapWith before the keys leave.
  void SetWatcher(KeyTable::Watcher* w) { table_.SetWatcher(w); }
  void ReleaseWatcher() { table_.ReleaseWatcher(); }
  size_t BucketIdCount() const { return table_.BucketIdCount(); }
  template <typename F>
  void ForEachInBucket(size_t id, F f) const {
    table_.ForEachInBucket(id, f);
  }
  // See HashTable::SetResizeAllowed.
  void SetResizeAllowed(bool allowed) { table_.SetResizeAllowed(allowed); }

  // One SCAN step: calls f(entry) for the entries of one bucket (more while rehashing).
  template <typename F>
  uint64_t Scan(uint64_t cursor, F f) {
    return table_.Scan(cursor, f);
  }
  template <typename F>
  void ForEach(F f) {
    table_.ForEach(f);
  }

  // Samples keys with a TTL and deletes the expired ones, repeating while more than
  // `stale_percent` of a sample had expired, for at most `budget_us` microseconds.
  // Returns keys removed.
  size_t ActiveExpireCycle(int64_t now_ms, int64_t budget_us, int stale_percent = 10);
  // Lets the table grow/shrink and rehash a little; called from the cron.
  void Maintain();

  // --- Hash field expiry (HEXPIRE & co., Redis 7.4) ---
  // Hashes with field TTLs are listed in `hash_field_expiry_` by (earliest field expiry, key)
  // so that the cron can find the fields due without scanning every hash. The index may hold
  // stale entries (keys since deleted, renamed, moved or overwritten, or whose earliest expiry
  // changed): each entry is checked against the key's current value when it comes due and
  // dropped if it no longer matches; the value remembers the entry that is current for it
  // (StringMap::indexed_at). Add, Set and MoveEntry list values that arrive with field TTLs
  // (COPY, RENAME, MOVE); SwapWith and Clear carry or drop the index with the keys.
  //
  // Lists (or re-lists) the hash at `key` under its earliest field expiry, if it has one.
  // Call after giving a field of it a TTL.
  void NoteHashFieldExpiry(std::string_view key, Value& hash);
  // Removes up to `max_fields` expired fields of hashes listed in the index (deleting hashes
  // left empty). Returns the fields removed. Called from the cron next to ActiveExpireCycle.
  size_t ActiveExpireHashFields(int64_t now_ms, size_t max_fields);
  size_t hash_field_expiry_index_size() const { return hash_field_expiry_.size(); }

  void SwapWith(Database& other);
  size_t MemoryUsage() const;

 private:
  static DbEntry* NewEntry(std::string_view key, Value&& value, int64_t expire_ms, size_t room);
  // Links a new entry in: table, volatile list, field-TTL index, listener. `hash` is its
  // key's.
  DbEntry* Link(DbEntry* e, uint64_t hash);
  // KeyHash(key), computed once per command for the hinted key (HintKey).
  uint64_t HashOf(std::string_view key) {
    if (key.data() != hint_key_.data() || key.size() != hint_key_.size() ||
        hint_key_.data() == nullptr) {
      return KeyHash(key);
    }
    if (!hint_hashed_) {
      hint_hash_ = KeyHash(key);
      hint_hashed_ = true;
    }
    return hint_hash_;
  }
  // Set's work on an existing entry before its new value goes in: drops the TTL unless kept or
  // given, and reallocates if the value needs more room or the TTL needs a slot.
  DbEntry* PrepareOverwrite(DbEntry* e, size_t room, bool keep_ttl, int64_t expire_ms);
  static void FreeEntry(DbEntry* e);
  // Moves `e` to a new allocation with `room` bytes of value room and an expire slot if
  // `expire_slot`, in the table and the volatile list; frees the old one.
  DbEntry* Reallocate(DbEntry* e, size_t room, bool expire_slot);
  bool ExpireIfNeeded(DbEntry* e, int64_t now_ms);
  // Lazy field expiry: drops the expired fields of a hash; true if that emptied (and deleted)
  // the key.
  bool ExpireHashFieldsIfNeeded(DbEntry* e, int64_t now_ms);
  // Lists a value that arrives with field TTLs (Add, Set, MoveEntry) in the index.
  void IndexArrivingValue(DbEntry* e);
  void AddVolatile(DbEntry* e);
  void RemoveVolatile(DbEntry* e);
  void Unlink(DbEntry* e);
  bool DeleteEntry(std::string_view key, bool server_del);

  int id_;
  KeyspaceStats* stats_;
  KeyspaceListener* listener_ = nullptr;
  HashTable<DbEntry, DbEntryTraits> table_;
  std::vector<DbEntry*> volatile_;
  FastRng rng_;
  int64_t avg_ttl_ms_ = 0;
  std::set<std::pair<int64_t, std::string>> hash_field_expiry_;  // (earliest expiry, key)
  std::string_view hint_key_;  // see HintKey
  uint64_t hint_hash_ = 0;
  bool hint_hashed_ = false;
};

}  // namespace basalt
