// Micro-benchmarks of the Listpack at the sizes the server uses it for: a hash or set of
// 128 entries (the default *-max-listpack-entries) and a quicklist node of ~8 KB.
// Reported counter: bytes per element of the encoded blob, for small strings and ints.
//
//   build-dir/bench/listpack_bench --benchmark_filter=Append

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "types/listpack.h"

namespace basalt {
namespace {

std::vector<std::string> Values(int n, bool ints) {
  std::vector<std::string> v;
  for (int i = 0; i < n; ++i)
    v.push_back(ints ? std::to_string(i * 37) : "field:" + std::to_string(i));
  return v;
}

void BM_Append(benchmark::State& state) {
  const auto values = Values(static_cast<int>(state.range(0)), state.range(1) != 0);
  size_t bytes = 0;
  for (auto _ : state) {
    Listpack lp;
    for (const std::string& v : values) lp.Append(v);
    bytes = lp.bytes_len();
    benchmark::DoNotOptimize(lp.bytes().data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(values.size()));
  state.counters["bytes_per_elem"] = static_cast<double>(bytes - 7) / values.size();
}
BENCHMARK(BM_Append)->Args({128, 0})->Args({128, 1})->Args({1000, 0})->Args({1000, 1});

void BM_Prepend(benchmark::State& state) {
  const auto values = Values(static_cast<int>(state.range(0)), false);
  for (auto _ : state) {
    Listpack lp;
    for (const std::string& v : values) lp.Prepend(v);
    benchmark::DoNotOptimize(lp.bytes().data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(values.size()));
}
BENCHMARK(BM_Prepend)->Arg(128)->Arg(1000);

void BM_Iterate(benchmark::State& state) {
  Listpack lp;
  for (const std::string& v : Values(static_cast<int>(state.range(0)), false)) lp.Append(v);
  for (auto _ : state) {
    size_t sum = 0;
    for (ListpackEntry e : lp.view()) sum += e.is_int ? 1 : e.sval.size();
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Iterate)->Arg(128)->Arg(1000);

// A hash field lookup: keys at even positions, the field searched is the last
// one.
void BM_FindField(benchmark::State& state) {
  Listpack lp;
  int pairs = static_cast<int>(state.range(0));
  for (int i = 0; i < pairs; ++i) {
    lp.Append("field:" + std::to_string(i));
    lp.Append(int64_t{i});
  }
  std::string needle = "field:" + std::to_string(pairs - 1);
  for (auto _ : state) benchmark::DoNotOptimize(lp.Find(lp.First(), needle, 1));
}
BENCHMARK(BM_FindField)->Arg(64)->Arg(256);

void BM_ValidateDeep(benchmark::State& state) {
  Listpack lp;
  for (const std::string& v : Values(static_cast<int>(state.range(0)), false)) lp.Append(v);
  for (auto _ : state) {
    size_t count = 0;
    benchmark::DoNotOptimize(Listpack::Validate(lp.bytes(), true, &count));
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(lp.bytes_len()));
}
BENCHMARK(BM_ValidateDeep)->Arg(1000);

}  // namespace
}  // namespace basalt
