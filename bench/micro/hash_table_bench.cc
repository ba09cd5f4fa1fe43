// Micro-benchmarks of the keyspace HashTable against std::unordered_map<std::string, ...> (a
// chained table, like ours) and, when Abseil is installed, absl::flat_hash_map (open
// addressing with SIMD-probed control bytes, the "Swiss table").
//
// All sides hold the same ~1M short string keys, each container with its own default hash.
// For fairness the HashTable's nodes own their key as a std::string and are allocated inside
// the timed region, as unordered_map allocates its own nodes (flat_hash_map stores the
// strings in its slot array). Lookups and erases go in a shuffled order so that none benefits
// from insertion-order locality. The map benchmarks are templates: BM_Map_Lookup<FlatHashMap>
// is the same loop as BM_Map_Lookup<UnorderedMap>.
//
//   build-dir/bench/hash_table_bench --benchmark_filter=Lookup

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#ifdef BASALT_HAVE_ABSL
#include "absl/container/flat_hash_map.h"
#endif

#include "db/hash_table.h"

namespace basalt {
namespace {

constexpr size_t kKeys = 1 << 20;

struct BenchNode {
  BenchNode* next = nullptr;
  uint64_t value = 0;
  std::string key;
};

struct BenchTraits {
  static std::string_view Key(const BenchNode* n) { return n->key; }
  static BenchNode* Next(const BenchNode* n) { return n->next; }
  static void SetNext(BenchNode* n, BenchNode* next) { n->next = next; }
  static uint64_t Hash(std::string_view key) { return KeyHash(key); }
};

using Table = HashTable<BenchNode, BenchTraits>;
using UnorderedMap = std::unordered_map<std::string, uint64_t>;
#ifdef BASALT_HAVE_ABSL
using FlatHashMap = absl::flat_hash_map<std::string, uint64_t>;
#endif

// Keys like "key:00000123456" (15 bytes: within std::string's inline buffer on both sides).
std::vector<std::string> MakeKeys(size_t count, uint64_t seed) {
  FastRng rng(seed);
  std::vector<std::string> keys;
  keys.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    std::string digits = std::to_string(rng.Below(100'000'000'000ULL));
    keys.push_back("key:" + std::string(11 - digits.size(), '0') + digits);
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

const std::vector<std::string>& Keys() {
  static const std::vector<std::string> keys = MakeKeys(kKeys, 1);
  return keys;
}

// Same shape, none of them in Keys().
const std::vector<std::string>& MissKeys() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> keys = MakeKeys(kKeys, 2);
    for (std::string& k : keys) k[3] = '-';  // "key-..." never equals a "key:..." key
    return keys;
  }();
  return keys;
}

std::vector<std::string> Shuffled(const std::vector<std::string>& keys) {
  std::vector<std::string> out = keys;
  FastRng rng(3);
  std::shuffle(out.begin(), out.end(), rng);
  return out;
}

const std::vector<std::string>& ShuffledKeys() {
  static const std::vector<std::string> keys = Shuffled(Keys());
  return keys;
}

void FillTable(Table& t) {
  uint64_t i = 0;
  for (const std::string& key : Keys()) t.Insert(new BenchNode{nullptr, i++, key});
}

template <typename Map>
void FillMap(Map& m) {
  uint64_t i = 0;
  for (const std::string& key : Keys()) m.emplace(key, i++);
}

void DeleteAll(Table& t) {
  t.Clear([](BenchNode* n) { delete n; });
}

// A filled table, built once and shared by the read-only benchmarks.
Table& SharedTable() {
  static Table* table = [] {
    auto* t = new Table;
    FillTable(*t);
    while (t->RehashStep(1000)) {
    }
    return t;
  }();
  return *table;
}

template <typename Map>
Map& SharedMap() {
  static Map* map = [] {
    auto* m = new Map;
    FillMap(*m);
    return m;
  }();
  return *map;
}

// ----- Insert 1M keys into an empty container.

void BM_HashTable_Insert(benchmark::State& state) {
  Keys();
  for (auto _ : state) {
    Table t;
    FillTable(t);
    state.PauseTiming();
    state.counters["bucket_bytes_per_key"] =
        static_cast<double>(t.MemoryUsage()) / static_cast<double>(t.size());
    DeleteAll(t);
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * Keys().size()));
}
BENCHMARK(BM_HashTable_Insert)->Unit(benchmark::kMillisecond);

template <typename Map>
void BM_Map_Insert(benchmark::State& state) {
  Keys();
  for (auto _ : state) {
    Map m;
    FillMap(m);
    state.PauseTiming();
    m = Map();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * Keys().size()));
}
BENCHMARK_TEMPLATE(BM_Map_Insert, UnorderedMap)->Unit(benchmark::kMillisecond);

// ----- Lookups, one key per iteration, in shuffled order.

template <typename Lookup>
void RunLookups(benchmark::State& state, const std::vector<std::string>& keys, Lookup lookup) {
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(lookup(keys[i]));
    if (++i == keys.size()) i = 0;
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

void BM_HashTable_LookupHit(benchmark::State& state) {
  Table& t = SharedTable();
  RunLookups(state, ShuffledKeys(), [&](const std::string& k) { return t.Find(k); });
}
BENCHMARK(BM_HashTable_LookupHit);

template <typename Map>
void BM_Map_LookupHit(benchmark::State& state) {
  Map& m = SharedMap<Map>();
  RunLookups(state, ShuffledKeys(), [&](const std::string& k) { return m.find(k) != m.end(); });
}
BENCHMARK_TEMPLATE(BM_Map_LookupHit, UnorderedMap);

void BM_HashTable_LookupMiss(benchmark::State& state) {
  Table& t = SharedTable();
  RunLookups(state, MissKeys(), [&](const std::string& k) { return t.Find(k); });
}
BENCHMARK(BM_HashTable_LookupMiss);

template <typename Map>
void BM_Map_LookupMiss(benchmark::State& state) {
  Map& m = SharedMap<Map>();
  RunLookups(state, MissKeys(), [&](const std::string& k) { return m.find(k) != m.end(); });
}
BENCHMARK_TEMPLATE(BM_Map_LookupMiss, UnorderedMap);

// ----- Erase every key (shuffled) of a filled container, freeing each node.

void BM_HashTable_Erase(benchmark::State& state) {
  const std::vector<std::string>& keys = ShuffledKeys();
  for (auto _ : state) {
    state.PauseTiming();
    Table t;
    FillTable(t);
    while (t.RehashStep(1000)) {
    }
    state.ResumeTiming();
    for (const std::string& key : keys) delete t.Erase(key);
    benchmark::DoNotOptimize(t.size());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * keys.size()));
}
BENCHMARK(BM_HashTable_Erase)->Unit(benchmark::kMillisecond);

template <typename Map>
void BM_Map_Erase(benchmark::State& state) {
  const std::vector<std::string>& keys = ShuffledKeys();
  for (auto _ : state) {
    state.PauseTiming();
    Map m;
    FillMap(m);
    state.ResumeTiming();
    for (const std::string& key : keys) m.erase(key);
    benchmark::DoNotOptimize(m.size());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * keys.size()));
}
BENCHMARK_TEMPLATE(BM_Map_Erase, UnorderedMap)->Unit(benchmark::kMillisecond);

// ----- Visit every element: SCAN cursor loop, ForEach, and unordered_map iteration.

void BM_HashTable_FullScan(benchmark::State& state) {
  Table& t = SharedTable();
  for (auto _ : state) {
    uint64_t sum = 0;
    uint64_t cursor = 0;
    do {
      cursor = t.Scan(cursor, [&](BenchNode* n) { sum += n->value; });
    } while (cursor != 0);
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * t.size()));
}
BENCHMARK(BM_HashTable_FullScan)->Unit(benchmark::kMillisecond);

void BM_HashTable_ForEach(benchmark::State& state) {
  Table& t = SharedTable();
  for (auto _ : state) {
    uint64_t sum = 0;
    t.ForEach([&](BenchNode* n) { sum += n->value; });
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * t.size()));
}
BENCHMARK(BM_HashTable_ForEach)->Unit(benchmark::kMillisecond);

template <typename Map>
void BM_Map_FullScan(benchmark::State& state) {
  Map& m = SharedMap<Map>();
  for (auto _ : state) {
    uint64_t sum = 0;
    for (const auto& [key, value] : m) sum += value;
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * m.size()));
}
BENCHMARK_TEMPLATE(BM_Map_FullScan, UnorderedMap)->Unit(benchmark::kMillisecond);

#ifdef BASALT_HAVE_ABSL
BENCHMARK_TEMPLATE(BM_Map_Insert, FlatHashMap)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_Map_LookupHit, FlatHashMap);
BENCHMARK_TEMPLATE(BM_Map_LookupMiss, FlatHashMap);
BENCHMARK_TEMPLATE(BM_Map_Erase, FlatHashMap)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_Map_FullScan, FlatHashMap)->Unit(benchmark::kMillisecond);
#endif

// ----- Sampling, for eviction and RANDOMKEY (no map equivalent in O(1)).

void BM_HashTable_RandomNode(benchmark::State& state) {
  Table& t = SharedTable();
  FastRng rng(4);
  for (auto _ : state) benchmark::DoNotOptimize(t.RandomNode(rng));
}
BENCHMARK(BM_HashTable_RandomNode);

void BM_HashTable_SampleNodes5(benchmark::State& state) {
  Table& t = SharedTable();
  FastRng rng(5);
  BenchNode* out[5];
  for (auto _ : state) benchmark::DoNotOptimize(t.SampleNodes(out, 5, rng));
}
BENCHMARK(BM_HashTable_SampleNodes5);

}  // namespace
}  // namespace basalt
