// HashTable: the intrusive chained hash table that holds every database's keys.
//
// The table stores pointers to nodes that the caller allocates, owns and frees; it never
// allocates or frees a node, only its own bucket arrays. Each node carries its own chain link,
// reached through Traits (see HashTableTraits below), so a key costs no allocation here.
//
// Layout. Bucket arrays have power-of-two sizes; a key lives in bucket `hash & (size - 1)`.
// Resizing is incremental, as in Redis's dict: a resize allocates a second array and every
// later Find/Insert/Erase (and the server cron, through RehashStep/RehashFor) moves one more
// bucket of the old array into the new one, so no single call pays for the whole table.
//
//   tables_[0] (the old array while rehashing)         tables_[1] (exists only while rehashing)
//   +-----+-----+-----+-----+-----+-----+-----+-----+   +-----+-----+-----+-----+ ...
//   |  0  |  0  |  0  |  *  |  0  |  *  |  0  |  0  |   |  *  |  0  |  *  |  0  | ...
//   +-----+-----+-----+--|--+-----+--|--+-----+-----+   +--|--+-----+--|--+-----+
//    \_______________/   |           |                     v           v
//     [0, rehash_idx_)   v           v                   node        node -> node -> null
//     already moved    node -> null  node -> node -> null
//
// Buckets [0, rehash_idx_) of the old array are empty (moved); new keys go to the new array; a
// lookup checks the old array (unless its bucket is already moved), then the new one. When the
// old array is empty it is freed and the new one becomes tables_[0].
//
// Memory per element: the node's next pointer (8 bytes, in the caller's node) plus its share
// of the bucket array, 8 bytes per bucket. The table grows when size >= buckets (load factor 1,
// to twice the size) and shrinks when size < buckets / 8, so a table that only grows costs
// 8-16 bytes of buckets per element (16 right after a grow), and one that has lost most of its
// keys up to 64. While rehashing, both arrays exist: up to 3x that for the duration.
//
// Resize policy: growth is automatic on Insert; shrinking happens in ResizeIfNeeded, which
// Erase calls and the cron should call too. SetResizeAllowed(false) (used while a snapshot
// shares memory copy-on-write with the table) stops new resizes and the incremental rehash
// steps, unless the load factor exceeds kForceResizeRatio, where chains get too long to bear.
//
// Iteration: ForEach visits everything at once; Scan is Redis's stateless cursor walk
// (reverse-binary increment) that returns every element present for the whole scan at least
// once, even if the table grows, shrinks or rehashes between calls; elements may repeat.
// Rehashing is paused while ForEach or Scan runs its callback, so the callback may call Find.
//
// Watching (for a snapshot taken while the table keeps changing, persistence/
// background_snapshot.h): a Watcher is told about each bucket just before a Find, Insert, Erase
// or Replace reaches it, and about any change of the bucket layout (a resize, a rehash step
// that moves nodes, Clear, a move of the table) before it happens. Bucket ids number the
// buckets of both arrays, [0, BucketIdCount()); they stay valid until the layout changes.
// A watcher usually also forbids resizing, so that the layout changes only under a forced
// resize.
//
// Thread safety: none. All calls come from the thread that owns the database. Even Find
// mutates (it performs a rehash step); Peek is the read-only lookup.
#pragma once

#include <sys/random.h>
#include <xxhash.h>

#include <algorithm>
#include <bit>
#include <cassert>
#include <chrono>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <utility>

#include "util/large_array.h"
#include "util/prefetch.h"

namespace basalt {

// ---------------------------------------------------------------------------------------------
// Key hashing

namespace hash_table_internal {

inline uint64_t RandomSeed() {
  uint64_t seed = 0;
  if (getrandom(&seed, sizeof(seed), 0) != static_cast<ssize_t>(sizeof(seed))) {
    // No entropy source: still vary per process so that keys cannot be chosen to collide.
    seed = static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) ^
           reinterpret_cast<uintptr_t>(&seed);
  }
  return seed;
}

inline uint64_t& KeyHashSeedRef() {
  // Function-local so that it is initialised before any use, even from static initialisers.
  static uint64_t seed = RandomSeed();
  return seed;
}

}  // namespace hash_table_internal

// The per-process random seed of KeyHash. Random so that clients cannot craft keys that all
// land in one bucket (hash flooding).
inline uint64_t KeyHashSeed() { return hash_table_internal::KeyHashSeedRef(); }

// For tests and tools that want reproducible bucket placement.
// REQUIRES: no table hashed with KeyHash holds any key (their buckets would be wrong), and no
// other thread is running.
inline void SetKeyHashSeed(uint64_t seed) { hash_table_internal::KeyHashSeedRef() = seed; }

// The hash that keyspace Traits::Hash should return.
inline uint64_t KeyHash(std::string_view key) {
  return XXH3_64bits_withSeed(key.data(), key.size(), KeyHashSeed());
}

// Key equality for chain walks. Keys of 8 to 32 bytes (most keys) compare as 8-byte words,
// the last one overlapping, inline: at these sizes a memcmp call costs more than comparing.
inline bool KeysEqual(std::string_view a, std::string_view b) {
  const size_t n = a.size();
  if (n != b.size()) return false;
  if (n < 8 || n > 32) return n == 0 || std::memcmp(a.data(), b.data(), n) == 0;
  auto word = [](const char* p) {
    uint64_t w;
    std::memcpy(&w, p, sizeof(w));
    return w;
  };
  uint64_t diff = word(a.data() + n - 8) ^ word(b.data() + n - 8);
  for (size_t i = 0; i + 8 < n; i += 8) diff |= word(a.data() + i) ^ word(b.data() + i);
  return diff == 0;
}

// ---------------------------------------------------------------------------------------------
// FastRng: xoshiro256** seeded through splitmix64. Small, fast and good enough for sampling
// (RandomNode, SampleNodes, eviction); not for anything that needs unpredictability.
// Satisfies std::uniform_random_bit_generator.

class FastRng {
 public:
  using result_type = uint64_t;

  FastRng() : FastRng(hash_table_internal::RandomSeed()) {}
  explicit FastRng(uint64_t seed) {
    for (uint64_t& s : state_) s = SplitMix64(seed);
  }

  uint64_t Next() {
    const uint64_t result = std::rotl(state_[1] * 5, 7) * 9;
    const uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = std::rotl(state_[3], 45);
    return result;
  }
  uint64_t operator()() { return Next(); }

  // Uniform in [0, n) (Lemire's multiply-shift; the bias is below 2^-64 * n, negligible here).
  // REQUIRES: n > 0.
  uint64_t Below(uint64_t n) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(Next()) * n) >> 64);
  }

  static constexpr uint64_t min() { return 0; }
  static constexpr uint64_t max() { return ~uint64_t{0}; }

 private:
  static uint64_t SplitMix64(uint64_t& x) {
    uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  uint64_t state_[4];
};

// ---------------------------------------------------------------------------------------------
// HashTable

// What the table needs to know about a node type. Key() must not change while the node is in
// the table; Next/SetNext are the chain link, which belongs to the table while the node is in it.
template <typename Traits, typename Node>
concept HashTableTraits = requires(const Node* cn, Node* n, std::string_view key) {
  { Traits::Key(cn) } -> std::convertible_to<std::string_view>;
  { Traits::Next(cn) } -> std::same_as<Node*>;
  Traits::SetNext(n, n);
  { Traits::Hash(key) } -> std::convertible_to<uint64_t>;
};

template <typename Node, typename Traits>
requires HashTableTraits<Traits, Node>
class HashTable {
 public:
  static constexpr size_t kMinBuckets = 4;
  // With resizing forbidden, the table still grows (and rehashes) past this load factor.
  static constexpr size_t kForceResizeRatio = 4;
  // A rehash step of n buckets gives up after visiting n * this many empty buckets.
  static constexpr size_t kEmptyVisitsPerBucket = 10;
  // RandomNode picks uniformly among this many sampled nodes (Redis's GETFAIR_NUMBER).
  static constexpr size_t kFairSampleCount = 40;
  // SampleNodes visits at most max(count * 10, this) buckets. The floor keeps small samples
  // from coming back empty by bad luck (ten empty buckets in a row are not rare at load 1/2).
  static constexpr size_t kMinSampleSteps = 40;
  static constexpr size_t kSamplePrefetchDistance = 4;

  class Watcher {
   public:
    virtual ~Watcher() = default;
    // Bucket `id` is about to be read or changed by a keyed call.
    virtual void BeforeBucketTouched(size_t id) = 0;
    // The bucket ids are about to change meaning. The watcher must detach (SetWatcher(nullptr))
    // here; it may still read the table through ForEachInBucket first.
    virtual void BeforeLayoutChange() = 0;
  };

  HashTable() = default;
  ~HashTable() { FreeTables(); }

  HashTable(const HashTable&) = delete;
  HashTable& operator=(const HashTable&) = delete;
  HashTable(HashTable&& other) noexcept { TakeFrom(other); }
  HashTable& operator=(HashTable&& other) noexcept {
    if (this != &other) {
      FreeTables();
      TakeFrom(other);
    }
    return *this;
  }

  size_t size() const { return tables_[0].used + tables_[1].used; }
  bool empty() const { return size() == 0; }
  bool rehashing() const { return tables_[1].buckets != nullptr; }
  // Buckets of the array the table is heading to: the new one while rehashing.
  size_t bucket_count() const { return rehashing() ? tables_[1].size : tables_[0].size; }
  // Bytes of bucket arrays (both while rehashing). Nodes are the caller's to count.
  size_t MemoryUsage() const { return (tables_[0].size + tables_[1].size) * sizeof(Node*); }

  static uint64_t HashOf(std::string_view key) { return Traits::Hash(key); }

  // The node with `key`, or nullptr. Performs one rehash step. Always inlined: it is the
  // keyspace's hottest call, and the watcher check would otherwise tip it over the limit.
  [[gnu::always_inline]] Node* Find(std::string_view key) { return Find(key, HashOf(key)); }
  // The same with the key's hash already computed (REQUIRES: hash == HashOf(key)), so that a
  // caller doing Find then Insert hashes once.
  [[gnu::always_inline]] Node* Find(std::string_view key, uint64_t hash) {
    if (size() == 0) return nullptr;
    if (watcher_ != nullptr) [[unlikely]] TellWatcher(hash);
    AutoRehashStep();
    return Peek(key, hash);
  }

  // Find without the rehash step: usable on a const table.
  Node* Peek(std::string_view key) const { return Peek(key, HashOf(key)); }
  Node* Peek(std::string_view key, uint64_t hash) const {
    if (size() == 0) return nullptr;
    for (int t = 0; t <= (rehashing() ? 1 : 0); ++t) {
      const uint64_t idx = hash & tables_[t].mask();
      if (t == 0 && rehashing() && idx < rehash_idx_) continue;  // bucket already moved
      for (Node* n = tables_[t].buckets[idx]; n != nullptr; n = Traits::Next(n)) {
        if (KeysEqual(Traits::Key(n), key)) return n;
      }
    }
    return nullptr;
  }

  // Starts loading the bucket slot(s) that `hash` maps to, so that a caller with a batch of
  // keys (a pipeline) can overlap their cache misses before calling Find.
  void Prefetch(uint64_t hash) const {
    PrefetchSlot(tables_[0], hash);
    if (rehashing()) PrefetchSlot(tables_[1], hash);
  }

  // The step after Prefetch, once the bucket slot is in cache: starts loading the first node
  // of its chain (where most keys are, at load factor <= 1).
  void PrefetchHead(uint64_t hash) const {
    PrefetchFirstNode(tables_[0], hash);
    if (rehashing()) PrefetchFirstNode(tables_[1], hash);
  }

  // A prefetch hint for a node's first 64 bytes, which hold a small node whole (a keyspace
  // entry with a short key and value); they span two cache lines unless the node is aligned.
  static void PrefetchNode(const Node* n) {
    PrefetchRead(n);
    PrefetchRead(reinterpret_cast<const char*>(n) + 63);
  }

  // The first node of the chain where a key with `hash` would be: at a load factor of at most
  // 1, usually that key's own node. For prefetching what a node points to without comparing
  // keys.
  Node* ChainHead(uint64_t hash) const {
    if (tables_[0].size == 0) return nullptr;
    const uint64_t idx = hash & tables_[0].mask();
    if (rehashing() && idx < rehash_idx_) return tables_[1].buckets[hash & tables_[1].mask()];
    return tables_[0].buckets[idx];
  }

  // Links `n` in. Grows the table if the load factor reaches 1.
  // REQUIRES: no node with n's key is in the table (unchecked: Find first).
  void Insert(Node* n) { Insert(n, HashOf(Traits::Key(n))); }
  // REQUIRES: hash == HashOf(Traits::Key(n)).
  void Insert(Node* n, uint64_t hash) {
    if (watcher_ != nullptr) [[unlikely]] TellWatcher(hash);
    AutoRehashStep();
    GrowIfNeeded();
    Table& t = rehashing() ? tables_[1] : tables_[0];
    Node*& head = t.buckets[hash & t.mask()];
    Traits::SetNext(n, head);
    head = n;
    ++t.used;
  }

  // Unlinks the node with `key` and returns it (its next link cleared), or nullptr if absent.
  // Then shrinks the table if it has become sparse (see ResizeIfNeeded).
  Node* Erase(std::string_view key) { return Erase(key, HashOf(key)); }
  Node* Erase(std::string_view key, uint64_t hash) {
    if (size() == 0) return nullptr;
    if (watcher_ != nullptr) [[unlikely]] TellWatcher(hash);
    AutoRehashStep();
    Link link = FindLink(hash, [key](const Node* n) { return KeysEqual(Traits::Key(n), key); });
    if (link.node == nullptr) return nullptr;
    Relink(link, Traits::Next(link.node));
    Traits::SetNext(link.node, nullptr);
    --link.table->used;
    ResizeIfNeeded();
    return link.node;
  }

  // Puts `new_node` where `old_node` is, for a caller that reallocated a node. O(chain length).
  // REQUIRES: old_node is in the table; both have the same key; new_node is not in the table.
  void Replace(Node* old_node, Node* new_node) {
    const uint64_t hash = HashOf(Traits::Key(old_node));
    if (watcher_ != nullptr) [[unlikely]] TellWatcher(hash);
    Link link = FindLink(hash, [old_node](const Node* n) { return n == old_node; });
    assert(link.node != nullptr && "HashTable::Replace: old_node is not in the table");
    Traits::SetNext(new_node, Traits::Next(old_node));
    Relink(link, new_node);
    Traits::SetNext(old_node, nullptr);
  }

  // Calls f(Node*) for every node. f may change a node's value but not its key, and may call
  // Find/Peek, but must not Insert or Erase. No rehashing happens meanwhile.
  template <typename F>
  void ForEach(F f) {
    PauseRehash pause(this);
    for (int t = 0; t <= (rehashing() ? 1 : 0); ++t) {
      for (size_t i = 0; i < tables_[t].size; ++i) VisitChain(tables_[t].buckets[i], f);
    }
  }

  // Unlinks every node, calling free_node(Node*) on each (which may free it), and releases the
  // bucket arrays: the table is as new.
  template <typename F>
  void Clear(F free_node) {
    ReleaseWatcher();
    for (Table& t : tables_) {
      for (size_t i = 0; i < t.size; ++i) VisitChain(t.buckets[i], free_node);
    }
    FreeTables();
  }

  // --- Watching (see the top of this file) ---

  // Installs `w` (nullptr: none). REQUIRES: no other watcher is installed.
  void SetWatcher(Watcher* w) { watcher_ = w; }
  Watcher* watcher() const { return watcher_; }
  // Tells the watcher that the layout is about to change, which detaches it. For a caller
  // about to hand the table's nodes elsewhere.
  void ReleaseWatcher() {
    if (watcher_ != nullptr) watcher_->BeforeLayoutChange();
    assert(watcher_ == nullptr && "HashTable::Watcher::BeforeLayoutChange must detach");
    watcher_ = nullptr;
  }
  size_t BucketIdCount() const { return tables_[0].size + tables_[1].size; }
  // Calls f(const Node*) for each node of bucket `id`. Rehashing is paused meanwhile; f must
  // not change the table.
  template <typename F>
  void ForEachInBucket(size_t id, F f) const {
    const Table& t = id < tables_[0].size ? tables_[0] : tables_[1];
    const size_t idx = id < tables_[0].size ? id : id - tables_[0].size;
    for (const Node* n = t.buckets[idx]; n != nullptr; n = Traits::Next(n)) f(n);
  }

  // One step of a SCAN: calls f(Node*) for every node of one bucket of the smaller array (and,
  // while rehashing, of the buckets of the larger array that split from it) and returns the
  // cursor for the next call; 0 when the scan is complete. Start with cursor 0.
  //
  // The cursor counts up in bit-reversed order, so it enumerates bucket indices by their low
  // bits first. An array 2^k times larger splits bucket b into buckets whose low bits are b,
  // visited consecutively; a smaller one merges them. Either way no bucket whose low bits the
  // cursor has passed can hold an element that was not yet returned, which gives the guarantee:
  // an element present from the first call to the last is returned at least once.
  //
  // f may Erase the node it was given (and only that one), e.g. to expire it, or call Find;
  // it must not Insert. No rehashing happens during the call.
  template <typename F>
  uint64_t Scan(uint64_t cursor, F f) {
    if (size() == 0) return 0;
    PauseRehash pause(this);
    uint64_t v = cursor;
    if (!rehashing()) {
      const uint64_t mask = tables_[0].mask();
      VisitChain(tables_[0].buckets[v & mask], f);
      return ReverseIncrement(v, mask);
    }
    const Table* small = &tables_[0];
    const Table* big = &tables_[1];
    if (small->size > big->size) std::swap(small, big);
    const uint64_t small_mask = small->mask();
    const uint64_t big_mask = big->mask();
    VisitChain(small->buckets[v & small_mask], f);
    // The buckets of the big array whose low bits equal v's: they differ only in the bits of
    // big_mask that small_mask lacks, which the loop counts through in reverse order too.
    do {
      VisitChain(big->buckets[v & big_mask], f);
      v = ReverseIncrement(v, big_mask);
    } while ((v & (small_mask ^ big_mask)) != 0);
    return v;
  }

  // A random node, or nullptr if the table is empty. Expected O(1): it samples up to
  // kFairSampleCount nodes from a random run of buckets and picks one, which is much fairer
  // than picking a random bucket then a random chain element (a node alone in its bucket would
  // otherwise be more likely than one sharing it). Performs a few rehash steps.
  // Rng: anything whose operator() returns a uniform uint64_t, such as FastRng.
  template <typename Rng>
  Node* RandomNode(Rng& rng) {
    if (size() == 0) return nullptr;
    Node* sample[kFairSampleCount];
    const size_t n = SampleNodes(sample, kFairSampleCount, rng);
    if (n == 0) return RandomNodeFromRandomBucket(rng);
    return sample[RandomBelow(rng, n)];
  }

  // Writes up to `count` distinct nodes to out[] and returns how many: a sample for eviction and
  // expiry (Redis's dictGetSomeKeys). It walks the buckets from a random one, jumping elsewhere
  // after a long empty run, and stops after max(count * 10, kMinSampleSteps) buckets, so it may
  // return fewer than min(count, size()) nodes (in a sparse table). Not uniformly random: nodes
  // come in runs of adjacent buckets.
  template <typename Rng>
  size_t SampleNodes(Node** out, size_t count, Rng& rng) {
    count = std::min(count, size());
    if (count == 0) return 0;
    for (size_t i = 0; i < count && rehashing(); ++i) AutoRehashStep();

    const bool two = rehashing();
    const uint64_t max_mask =
        two ? std::max(tables_[0].mask(), tables_[1].mask()) : tables_[0].mask();
    uint64_t i = rng() & max_mask;
    size_t stored = 0;
    size_t empty_run = 0;
    uint64_t walked = 0;       // buckets passed since the random start, to detect wrapping
    bool may_revisit = false;  // once set, skip buckets whose head is already in out[]
    for (size_t steps = std::max<size_t>(count * 10, kMinSampleSteps); steps > 0; --steps) {
      if (two && i < rehash_idx_ && i >= tables_[1].size) {
        // Shrinking: nothing at i in either array up to rehash_idx_; skip the empty stretch.
        walked += rehash_idx_ - i;
        i = rehash_idx_;
        if (walked > max_mask) may_revisit = true;
      }
      bool found = false;
      for (int t = 0; t <= (two ? 1 : 0); ++t) {
        const Table& table = tables_[t];
        if (i >= table.size || (t == 0 && two && i < rehash_idx_)) continue;
        // The walk is bound by cache misses on nodes; start those of buckets a few ahead.
        const uint64_t ahead = (i + kSamplePrefetchDistance) & table.mask();
        if (Node* later = table.buckets[ahead]; later != nullptr) __builtin_prefetch(later);
        Node* n = table.buckets[i];
        if (n == nullptr) continue;
        found = true;
        if (may_revisit && std::find(out, out + stored, n) != out + stored) continue;
        for (; n != nullptr && stored < count; n = Traits::Next(n)) out[stored++] = n;
        if (stored == count) return stored;
      }
      if (found) {
        empty_run = 0;
      } else if (++empty_run >= 5 && empty_run > count) {
        i = rng() & max_mask;
        empty_run = 0;
        may_revisit = true;
        continue;
      }
      i = (i + 1) & max_mask;
      if (++walked > max_mask) may_revisit = true;
    }
    return stored;
  }

  // Starts a grow or shrink if the load factor calls for one and resizing is allowed; returns
  // whether it did. Called by Erase and by the server's cron.
  bool ResizeIfNeeded() {
    if (rehashing() || rehash_paused_ > 0 || tables_[0].size == 0) return false;
    const Table& t = tables_[0];
    if (t.used >= t.size && GrowthAllowed(t)) return Resize(t.used + 1);
    if (resize_allowed_ && t.size > kMinBuckets && t.used < t.size / 8) {
      return Resize(t.used + 1);
    }
    return false;
  }

  // While false, no resize starts and a rehash in progress makes no progress, unless the load
  // factor exceeds kForceResizeRatio.
  void SetResizeAllowed(bool allowed) { resize_allowed_ = allowed; }
  bool resize_allowed() const { return resize_allowed_; }

  // Asked before the table grows, with the bytes the new bucket array takes and the load
  // factor now: false postpones the growth (chains get longer meanwhile). Redis's
  // dictTypeExpandAllowed: the keyspace uses it so that a rehash does not push memory over
  // maxmemory. nullptr (the default): always allowed. Moves with the table.
  using ExpandAllowedFn = bool (*)(void* ctx, size_t more_bytes, double load_factor);
  void SetExpandAllowed(ExpandAllowedFn fn, void* ctx) {
    expand_allowed_ = fn;
    expand_ctx_ = ctx;
  }

  // Moves up to `buckets` non-empty buckets to the new array (visiting at most
  // kEmptyVisitsPerBucket times as many empty ones). Returns whether rehashing continues.
  bool RehashStep(size_t buckets) {
    if (!rehashing()) return false;
    if (rehash_paused_ > 0 || !RehashAllowed()) return true;
    ReleaseWatcher();
    size_t empty_visits = buckets * kEmptyVisitsPerBucket;
    Table& from = tables_[0];
    Table& to = tables_[1];
    const bool shrinking = to.size < from.size;
    for (; buckets > 0 && from.used > 0; --buckets) {
      while (from.buckets[rehash_idx_] == nullptr) {
        ++rehash_idx_;
        if (--empty_visits == 0) return true;
      }
      Node* n = from.buckets[rehash_idx_];
      while (n != nullptr) {
        Node* next = Traits::Next(n);
        // A smaller power-of-two array keeps the low bits of the index: no need to rehash.
        const uint64_t idx =
            shrinking ? (rehash_idx_ & to.mask()) : (HashOf(Traits::Key(n)) & to.mask());
        Traits::SetNext(n, to.buckets[idx]);
        to.buckets[idx] = n;
        --from.used;
        ++to.used;
        n = next;
      }
      from.buckets[rehash_idx_] = nullptr;
      ++rehash_idx_;
    }
    if (from.used > 0) return true;
    FreeBuckets(from.buckets, from.size);
    from = to;
    to = Table{};
    rehash_idx_ = 0;
    return false;
  }

  // Rehashes in slices of 100 buckets until done or `budget` has passed. Returns the number of
  // buckets moved (rounded up to slices) for the cron's statistics.
  size_t RehashFor(std::chrono::microseconds budget) {
    const auto start = std::chrono::steady_clock::now();
    size_t moved = 0;
    while (rehashing() && rehash_paused_ == 0 && RehashAllowed()) {
      const bool more = RehashStep(100);
      moved += 100;
      if (!more || std::chrono::steady_clock::now() - start >= budget) break;
    }
    return moved;
  }

 private:
  struct Table {
    Node** buckets = nullptr;
    size_t size = 0;  // 0 or a power of two
    size_t used = 0;

    uint64_t mask() const { return size - 1; }
  };

  static void PrefetchSlot(const Table& t, uint64_t hash) {
    if (t.size != 0) PrefetchRead(&t.buckets[hash & t.mask()]);
  }
  static void PrefetchFirstNode(const Table& t, uint64_t hash) {
    if (t.size == 0) return;
    if (Node* head = t.buckets[hash & t.mask()]) PrefetchNode(head);
  }

  // Where a node hangs in its chain: the bucket of `table` when `prev` is null, else prev's
  // next link. Erase and Replace both find a node this way, then rewrite that one link.
  struct Link {
    Table* table = nullptr;
    uint64_t idx = 0;
    Node* prev = nullptr;
    Node* node = nullptr;  // nullptr: no node matched
  };

  // The first node in `hash`'s chains (both tables while rehashing) for which match(node).
  template <typename Match>
  Link FindLink(uint64_t hash, Match match) {
    for (int t = 0; t <= (rehashing() ? 1 : 0); ++t) {
      Table& table = tables_[t];
      const uint64_t idx = hash & table.mask();
      if (t == 0 && rehashing() && idx < rehash_idx_) continue;
      Node* prev = nullptr;
      for (Node* n = table.buckets[idx]; n != nullptr; prev = n, n = Traits::Next(n)) {
        if (match(n)) return Link{&table, idx, prev, n};
      }
    }
    return Link{};
  }

  // Makes the link that pointed at `link.node` point at `target` instead.
  void Relink(const Link& link, Node* target) {
    if (link.prev == nullptr) {
      link.table->buckets[link.idx] = target;
    } else {
      Traits::SetNext(link.prev, target);
    }
  }

  // Rehashing is paused while a ForEach or Scan callback runs, so that Find (which rehashes)
  // cannot move the nodes being walked.
  class PauseRehash {
   public:
    explicit PauseRehash(HashTable* table) : table_(table) { ++table_->rehash_paused_; }
    ~PauseRehash() { --table_->rehash_paused_; }
    PauseRehash(const PauseRehash&) = delete;
    PauseRehash& operator=(const PauseRehash&) = delete;

   private:
    HashTable* table_;
  };

  static uint64_t ReverseBits(uint64_t v) {
    v = ((v >> 1) & 0x5555555555555555ULL) | ((v & 0x5555555555555555ULL) << 1);
    v = ((v >> 2) & 0x3333333333333333ULL) | ((v & 0x3333333333333333ULL) << 2);
    v = ((v >> 4) & 0x0f0f0f0f0f0f0f0fULL) | ((v & 0x0f0f0f0f0f0f0f0fULL) << 4);
    return __builtin_bswap64(v);
  }

  // Adds one to the masked bits of v counting from the most significant one down. Setting the
  // unmasked bits first makes the carry run out of the masked ones into them.
  static uint64_t ReverseIncrement(uint64_t v, uint64_t mask) {
    v |= ~mask;
    return ReverseBits(ReverseBits(v) + 1);
  }

  template <typename Rng>
  static uint64_t RandomBelow(Rng& rng, uint64_t n) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(rng()) * n) >> 64);
  }

  // The buckets a key with `hash` is in or would go to: its bucket in the old array unless
  // already moved, and while rehashing its bucket in the new one. Out of line and cold, so
  // that the lookups stay small enough to inline: a watcher is there only during a snapshot.
  [[gnu::noinline, gnu::cold]] void TellWatcher(uint64_t hash) {
    const uint64_t idx0 = hash & tables_[0].mask();
    if (tables_[0].size != 0 && !(rehashing() && idx0 < rehash_idx_)) {
      watcher_->BeforeBucketTouched(idx0);
    }
    if (rehashing() && watcher_ != nullptr) {
      watcher_->BeforeBucketTouched(tables_[0].size + (hash & tables_[1].mask()));
    }
  }

  // Calls f on each node of a chain, reading the link first so that f may unlink or free it.
  template <typename F>
  static void VisitChain(Node* n, F& f) {
    while (n != nullptr) {
      Node* next = Traits::Next(n);
      f(n);
      n = next;
    }
  }

  // With resizing forbidden, a rehash in progress resumes only once an array it fills is
  // overloaded (the smaller one: while shrinking, inserts go to the small new array).
  bool RehashAllowed() const {
    const size_t smaller =
        rehashing() ? std::min(tables_[0].size, tables_[1].size) : tables_[0].size;
    return resize_allowed_ || size() > kForceResizeRatio * smaller;
  }

  void AutoRehashStep() {
    if (rehashing()) RehashStep(1);
  }

  void GrowIfNeeded() {
    if (rehashing()) return;
    const Table& t = tables_[0];
    if (t.size == 0) {
      if (!Resize(kMinBuckets)) std::abort();  // out of memory for 32 bytes: nothing to do
      return;
    }
    if (t.used >= t.size && GrowthAllowed(t)) {
      Resize(t.used + 1);  // on allocation failure keep the old array: chains get longer
    }
  }

  bool GrowthAllowed(const Table& t) const {
    if (!resize_allowed_ && t.used <= kForceResizeRatio * t.size) return false;
    if (expand_allowed_ == nullptr) return true;
    return expand_allowed_(expand_ctx_, std::bit_ceil(t.used + 1) * sizeof(Node*),
                           static_cast<double>(t.used) / static_cast<double>(t.size));
  }

  // Starts a resize to the smallest power of two >= max(min_size, kMinBuckets). Returns false
  // if already rehashing, already that size, or out of memory.
  bool Resize(size_t min_size) {
    if (rehashing()) return false;
    min_size = std::max(min_size, kMinBuckets);
    if (min_size > (size_t{1} << 62)) return false;
    const size_t new_size = std::bit_ceil(min_size);
    if (new_size == tables_[0].size) return false;
    ReleaseWatcher();
    Node** buckets = AllocateBuckets(new_size);
    if (buckets == nullptr) return false;
    Table fresh{buckets, new_size, 0};
    if (tables_[0].buckets == nullptr) {
      tables_[0] = fresh;
    } else {
      tables_[1] = fresh;
      rehash_idx_ = 0;
    }
    return true;
  }

  // Zeroed. Big arrays get huge pages (see util/large_array.h); calloc maps fresh zero pages
  // for the others above its mmap threshold instead of writing zeros.
  static Node** AllocateBuckets(size_t count) {
    const size_t bytes = count * sizeof(Node*);
    if (bytes >= kLargeArrayBytes) return static_cast<Node**>(MapLargeArray(bytes));
    return static_cast<Node**>(std::calloc(count, sizeof(Node*)));
  }
  static void FreeBuckets(Node** buckets, size_t count) {
    const size_t bytes = count * sizeof(Node*);
    if (bytes >= kLargeArrayBytes) {
      UnmapLargeArray(buckets, bytes);
    } else {
      std::free(buckets);
    }
  }

  void FreeTables() {
    ReleaseWatcher();
    for (Table& t : tables_) {
      FreeBuckets(t.buckets, t.size);
      t = Table{};
    }
    rehash_idx_ = 0;
  }

  void TakeFrom(HashTable& other) {
    other.ReleaseWatcher();
    tables_[0] = std::exchange(other.tables_[0], Table{});
    tables_[1] = std::exchange(other.tables_[1], Table{});
    rehash_idx_ = std::exchange(other.rehash_idx_, 0);
    resize_allowed_ = other.resize_allowed_;
    expand_allowed_ = other.expand_allowed_;
    expand_ctx_ = other.expand_ctx_;
    rehash_paused_ = 0;
  }

  // Redis's dictGetRandomKey: RandomNode's fallback when a sparse table defeats sampling.
  template <typename Rng>
  Node* RandomNodeFromRandomBucket(Rng& rng) {
    if (size() == 0) return nullptr;
    AutoRehashStep();
    Node* head = nullptr;
    if (rehashing()) {
      // Only buckets [rehash_idx_, size0) of the old array and all of the new one can be full.
      const size_t old_size = tables_[0].size;
      const size_t span = old_size + tables_[1].size - rehash_idx_;
      do {
        const size_t h = rehash_idx_ + RandomBelow(rng, span);
        head = h >= old_size ? tables_[1].buckets[h - old_size] : tables_[0].buckets[h];
      } while (head == nullptr);
    } else {
      do {
        head = tables_[0].buckets[rng() & tables_[0].mask()];
      } while (head == nullptr);
    }
    size_t length = 0;
    for (Node* n = head; n != nullptr; n = Traits::Next(n)) ++length;
    for (uint64_t k = RandomBelow(rng, length); k > 0; --k) head = Traits::Next(head);
    return head;
  }

  Table tables_[2];
  size_t rehash_idx_ = 0;  // while rehashing: tables_[0] buckets below this are empty
  int rehash_paused_ = 0;
  bool resize_allowed_ = true;
  ExpandAllowedFn expand_allowed_ = nullptr;
  void* expand_ctx_ = nullptr;
  Watcher* watcher_ = nullptr;
};

}  // namespace basalt
