// Micro-benchmarks of the RESP request parser, in MB/s of request bytes.
//
// A read buffer full of requests is parsed request by request as ProcessInput does: Parse,
// then Reset after each command (the general path), or ParseAhead batches of up to 16 (the
// pipelined path). The large-bulk case feeds a 1 MB argument in 16 KB reads, the way it
// arrives from a socket: the resumable parser picks up where it stopped instead of starting
// the request over at each read.
//
//   build-dir/bench/request_parser_bench

#include <benchmark/benchmark.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/request_parser.h"

namespace basalt {
namespace {

constexpr size_t kBufferBytes = 16 * 1024;  // one read's worth (Client's read size)

std::string Multibulk(const std::vector<std::string>& args) {
  std::string out = "*" + std::to_string(args.size()) + "\r\n";
  for (const std::string& a : args) out += "$" + std::to_string(a.size()) + "\r\n" + a + "\r\n";
  return out;
}

// Copies of `request` until the buffer holds kBufferBytes or more, with the key varied.
std::string FillBuffer(const std::vector<std::string>& args, bool inline_form) {
  std::string buf;
  for (int i = 0; buf.size() < kBufferBytes; ++i) {
    std::vector<std::string> a = args;
    if (a.size() > 1) a[1] = "key:" + std::to_string(100000000000ULL + i).substr(1);
    if (inline_form) {
      std::string line;
      for (const std::string& s : a) line += (line.empty() ? "" : " ") + s;
      buf += line + "\r\n";
    } else {
      buf += Multibulk(a);
    }
  }
  return buf;
}

// Parses the whole buffer with Parse, as the general path does.
void ParseAll(benchmark::State& state, const std::string& buf) {
  RequestParser parser;
  const ParserLimits limits;
  for (auto _ : state) {
    std::string_view rest = buf;
    size_t commands = 0;
    while (!rest.empty()) {
      if (parser.Parse(rest, limits) != RequestParser::Status::kCommand) {
        state.SkipWithError("parse failed");
        return;
      }
      benchmark::DoNotOptimize(parser.args().data());
      rest.remove_prefix(parser.consumed());
      parser.Reset();
      ++commands;
    }
    benchmark::DoNotOptimize(commands);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * buf.size()));
}

void BM_Parse_Get(benchmark::State& state) {
  ParseAll(state, FillBuffer({"GET", "key:00000000000"}, false));
}
BENCHMARK(BM_Parse_Get);

void BM_Parse_Set16(benchmark::State& state) {
  ParseAll(state, FillBuffer({"SET", "key:00000000000", std::string(16, 'v')}, false));
}
BENCHMARK(BM_Parse_Set16);

void BM_Parse_InlineGet(benchmark::State& state) {
  ParseAll(state, FillBuffer({"GET", "key:00000000000"}, true));
}
BENCHMARK(BM_Parse_InlineGet);

// The pipelined path: ParseAhead batches, each request's bytes consumed after it.
void BM_ParseAhead_Get(benchmark::State& state) {
  const std::string buf = FillBuffer({"GET", "key:00000000000"}, false);
  const ParserLimits limits;
  RequestBatch batch;
  for (auto _ : state) {
    std::string_view rest = buf;
    while (!rest.empty()) {
      RequestParser::ParseAhead(rest, limits, &batch);
      if (batch.count == 0) {
        state.SkipWithError("parse failed");
        return;
      }
      for (size_t i = 0; i < batch.count; ++i) {
        benchmark::DoNotOptimize(batch.request(i).data());
        rest.remove_prefix(batch.bytes[i]);
      }
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * buf.size()));
}
BENCHMARK(BM_ParseAhead_Get);

// SET key <1 MB>, arriving in 16 KB reads: each read resumes the request. Reported as time per
// request, not MB/s: the payload's bytes are only counted, never scanned, so a byte rate would
// say how seldom the parser is called rather than how fast it reads.
void BM_Parse_LargeBulkInReads(benchmark::State& state) {
  const std::string request = Multibulk({"SET", "key:00000000000", std::string(1 << 20, 'v')});
  const ParserLimits limits;
  for (auto _ : state) {
    RequestParser parser;
    size_t available = 0;
    RequestParser::Status status = RequestParser::Status::kNeedMore;
    while (status == RequestParser::Status::kNeedMore && available < request.size()) {
      available = std::min(request.size(), available + kBufferBytes);
      status = parser.Parse(std::string_view(request.data(), available), limits);
    }
    if (status != RequestParser::Status::kCommand) {
      state.SkipWithError("parse failed");
      return;
    }
    benchmark::DoNotOptimize(parser.args().data());
  }
  state.counters["reads"] = static_cast<double>((request.size() + kBufferBytes - 1) / kBufferBytes);
}
BENCHMARK(BM_Parse_LargeBulkInReads);

}  // namespace
}  // namespace basalt
