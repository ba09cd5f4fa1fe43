// MEMORY USAGE / STATS / DOCTOR / PURGE / MALLOC-STATS / HELP.
//
// STATS reports Redis 7.0's fields from the allocator's figures (util/memory.h); DOCTOR looks
// at the same figures for the problems Redis's memory doctor knows (fragmentation, RSS
// overhead, big client buffers) and explains them in its own words.
//
// Redis estimates a collection's size from SAMPLES elements; Basalt's values know their
// allocations exactly (Value::AllocatedBytes), so SAMPLES is parsed and validated as Redis
// does but the answer is always exact: the entry's allocation (chain link, expiry, value
// header and key bytes, as the allocator rounded it), what the value owns, and the key's
// share of the table's bucket array.
#include <malloc.h>

#include <algorithm>
#include <cstdio>

#include "commands/registry.h"
#include "server/command_context.h"
#include "server/command_table.h"
#include "util/memory.h"
#include "util/strconv.h"

namespace basalt {

namespace {

// MEMORY USAGE key [SAMPLES count]
void MemoryUsage(CommandContext& ctx) {
  for (size_t j = 3; j < ctx.argc(); j += 2) {
    if (EqualsIgnoreCase(ctx.argv[j], "samples") && j + 1 < ctx.argc()) {
      std::optional<int64_t> samples = ParseInt64(ctx.argv[j + 1]);
      if (!samples) return ctx.Error(kErrNotInteger);
      if (*samples < 0) return ctx.Error(kErrSyntax);
    } else {
      return ctx.Error(kErrSyntax);
    }
  }
  // Redis looks the key up without touching its LRU clock or the hit/miss counters.
  DbEntry* e = ctx.db().Lookup(ctx.argv[2], ctx.now_ms());
  if (e == nullptr) return ctx.reply.Null();
  const size_t bytes = malloc_usable_size(e) + e->value.AllocatedBytes() + sizeof(void*);
  ctx.reply.Integer(static_cast<int64_t>(bytes));
}

// The figures STATS and DOCTOR share.
struct MemoryReport {
  MemoryStats mem;
  uint64_t used = 0;
  uint64_t peak = 0;
  uint64_t startup = 0;
  uint64_t clients_normal = 0;
  uint64_t overhead = 0;
  uint64_t dataset = 0;
  uint64_t keys = 0;
  size_t clients = 0;
  uint64_t biggest_client_buffers = 0;
};

MemoryReport BuildReport(Server& server) {
  MemoryReport r;
  r.mem = ReadMemoryStats();
  RefreshUsedMemory();
  r.used = CachedUsedMemory();
  ServerStats& stats = server.stats();
  stats.peak_memory = std::max(stats.peak_memory, r.used);
  r.peak = stats.peak_memory;
  r.startup = server.startup_memory();
  for (const auto& [id, c] : server.clients()) {
    const uint64_t buffers = c->query.capacity() + c->reply_buf.capacity();
    r.clients_normal += buffers;
    r.biggest_client_buffers = std::max(r.biggest_client_buffers, buffers);
  }
  r.clients = server.clients().size();
  r.overhead = r.startup + r.clients_normal;
  for (int i = 0; i < server.db_count(); ++i) {
    r.overhead += server.db(i).MemoryUsage();
    r.keys += server.db(i).size();
  }
  r.dataset = r.used > r.overhead ? r.used - r.overhead : 0;
  return r;
}

double Ratio(uint64_t a, uint64_t b) { return b == 0 ? 0 : static_cast<double>(a) / b; }

// MEMORY STATS: Redis 7.0's map, in its order.
void MemoryStatsCmd(CommandContext& ctx) {
  Server& server = ctx.server;
  MemoryReport r = BuildReport(server);
  int dbs = 0;
  for (int i = 0; i < server.db_count(); ++i) dbs += server.db(i).size() != 0;
  ReplyBuilder& out = ctx.reply;
  out.MapHeader(27 + dbs);
  auto integer = [&out](const char* name, int64_t v) {
    out.Bulk(name);
    out.Integer(v);
  };
  auto real = [&out](const char* name, double v) {
    out.Bulk(name);
    out.Double(v);
  };
  integer("peak.allocated", static_cast<int64_t>(r.peak));
  integer("total.allocated", static_cast<int64_t>(r.used));
  integer("startup.allocated", static_cast<int64_t>(r.startup));
  integer("replication.backlog", 0);
  integer("clients.slaves", 0);
  integer("clients.normal", static_cast<int64_t>(r.clients_normal));
  integer("cluster.links", 0);
  integer("aof.buffer", 0);
  integer("lua.caches", 0);  // TODO(scripting): the Lua script cache, once it is measured
  integer("functions.caches", 0);
  for (int i = 0; i < server.db_count(); ++i) {
    Database& db = server.db(i);
    if (db.size() == 0) continue;
    out.Bulk("db." + std::to_string(i));
    out.MapHeader(3);
    // The key table's buckets; the expires are an array of entry pointers.
    integer("overhead.hashtable.main", static_cast<int64_t>(db.MemoryUsage()));
    integer("overhead.hashtable.expires",
            static_cast<int64_t>(db.expires_count() * sizeof(void*)));
    integer("overhead.hashtable.slot-to-keys", 0);
  }
  integer("overhead.total", static_cast<int64_t>(r.overhead));
  integer("keys.count", static_cast<int64_t>(r.keys));
  integer("keys.bytes-per-key",
          r.keys == 0 ? 0 : static_cast<int64_t>((r.used - std::min(r.used, r.startup)) / r.keys));
  integer("dataset.bytes", static_cast<int64_t>(r.dataset));
  real("dataset.percentage", Ratio(r.dataset, r.used - std::min(r.used, r.startup)) * 100);
  real("peak.percentage", Ratio(r.used, r.peak) * 100);
  integer("allocator.allocated", static_cast<int64_t>(r.mem.allocated));
  integer("allocator.active", static_cast<int64_t>(r.mem.active));
  integer("allocator.resident", static_cast<int64_t>(r.mem.resident));
  real("allocator-fragmentation.ratio", Ratio(r.mem.active, r.mem.allocated));
  integer("allocator-fragmentation.bytes",
          static_cast<int64_t>(r.mem.active) - static_cast<int64_t>(r.mem.allocated));
  real("allocator-rss.ratio", Ratio(r.mem.resident, r.mem.active));
  integer("allocator-rss.bytes",
          static_cast<int64_t>(r.mem.resident) - static_cast<int64_t>(r.mem.active));
  real("rss-overhead.ratio", Ratio(r.mem.rss, r.mem.resident));
  integer("rss-overhead.bytes",
          static_cast<int64_t>(r.mem.rss) - static_cast<int64_t>(r.mem.resident));
  real("fragmentation", Ratio(r.mem.rss, r.used));
  integer("fragmentation.bytes", static_cast<int64_t>(r.mem.rss) - static_cast<int64_t>(r.used));
}

// MEMORY DOCTOR: a short diagnosis. Like Redis, it declines to judge an almost empty server.
void MemoryDoctor(CommandContext& ctx) {
  MemoryReport r = BuildReport(ctx.server);
  constexpr uint64_t kMinUseful = 5ull << 20;
  std::string out;
  if (r.used < kMinUseful) {
    out = "Hi Sam, this instance is empty or is using very little memory, so there is nothing "
          "to diagnose yet. Come back once it holds some data.\n";
    return ctx.reply.Verbatim(out);
  }
  std::vector<std::string> issues;
  char buf[512];
  if (r.peak > r.used * 3 / 2) {
    std::snprintf(buf, sizeof(buf),
                  " * Peak memory: the peak (%s) is well above what is used now (%s): the "
                  "fragmentation ratio may look high because freed memory is not all returned "
                  "to the system.\n",
                  BytesToHuman(r.peak).c_str(), BytesToHuman(r.used).c_str());
    issues.push_back(buf);
  }
  const double frag = Ratio(r.mem.active, r.mem.allocated);
  if (frag > 1.1 && r.mem.active - r.mem.allocated > (10ull << 20)) {
    std::snprintf(buf, sizeof(buf),
                  " * High allocator fragmentation: %.2f (%s wasted). MEMORY PURGE may return "
                  "part of it.\n",
                  frag, BytesToHuman(r.mem.active - r.mem.allocated).c_str());
    issues.push_back(buf);
  }
  const double rss = Ratio(r.mem.rss, r.mem.resident);
  if (rss > 1.1 && r.mem.rss - r.mem.resident > (10ull << 20)) {
    std::snprintf(buf, sizeof(buf),
                  " * High process RSS overhead: %.2f over what the allocator holds.\n", rss);
    issues.push_back(buf);
  }
  if (r.clients > 0 && r.biggest_client_buffers > (200ull << 10) &&
      r.clients_normal / r.clients > (200ull << 10)) {
    std::snprintf(buf, sizeof(buf),
                  " * Big client buffers: clients use %s of buffers on average. Look at "
                  "CLIENT LIST for clients with big qbuf or omem.\n",
                  BytesToHuman(r.clients_normal / r.clients).c_str());
    issues.push_back(buf);
  }
  if (issues.empty()) {
    out = "Hi Sam, I can't find any memory issue in your instance. I can only account for "
          "what occurs on this base.\n";
  } else {
    out = "Sam, I detected a few issues in this server's memory:\n\n";
    for (const std::string& i : issues) out += i;
  }
  ctx.reply.Verbatim(out);
}

void MemoryPurge(CommandContext& ctx) {
  PurgeAllocator();
  ctx.reply.Ok();
}

void MemoryMallocStats(CommandContext& ctx) { ctx.reply.Verbatim(AllocatorStatsText()); }

void MemoryHelp(CommandContext& ctx) {
  static constexpr const char* kLines[] = {
      "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "DOCTOR",
      "    Return memory problems reports.",
      "MALLOC-STATS",
      "    Return internal statistics report from the memory allocator.",
      "PURGE",
      "    Attempt to purge dirty pages for reclamation by the allocator.",
      "STATS",
      "    Return information about the memory usage of the server.",
      "USAGE <key> [SAMPLES <count>]",
      "    Return memory in bytes used by <key> and its value. Nested values are",
      "    sampled up to <count> times (default: 5, 0 means sample all).",
      "HELP",
      "    Prints this help.",
  };
  ctx.reply.ArrayHeader(sizeof(kLines) / sizeof(kLines[0]));
  for (const char* line : kLines) ctx.reply.SimpleString(line);
}

}  // namespace

void RegisterMemoryCommands(CommandTable& table) {
  table.Register(
      {.name = "memory", .arity = -2, .group = "server", .since = "4.0.0",
       .summary = "A container for memory diagnostics commands",
       .complexity = "Depends on subcommand.",
       .subcommands = {
           {.name = "usage", .arity = -3, .flags = kCmdReadOnly, .keys = {2, 2, 1},
            .group = "server", .since = "4.0.0",
            .summary = "Estimate the memory usage of a key",
            .complexity = "O(N) where N is the number of samples.", .handler = MemoryUsage},
           {.name = "stats", .arity = 2, .group = "server", .since = "4.0.0",
            .summary = "Show memory usage details", .complexity = "O(1)",
            .handler = MemoryStatsCmd},
           {.name = "doctor", .arity = 2, .group = "server", .since = "4.0.0",
            .summary = "Outputs memory problems report", .complexity = "O(1)",
            .handler = MemoryDoctor},
           {.name = "purge", .arity = 2, .group = "server", .since = "4.0.0",
            .summary = "Ask the allocator to release memory",
            .complexity = "Depends on how much memory is allocated, could be slow",
            .handler = MemoryPurge},
           {.name = "malloc-stats", .arity = 2, .group = "server", .since = "4.0.0",
            .summary = "Show allocator internal stats",
            .complexity = "Depends on how much memory is allocated, could be slow",
            .handler = MemoryMallocStats},
           {.name = "help", .arity = 2, .flags = kCmdLoading | kCmdStale, .group = "server",
            .since = "4.0.0", .summary = "Show helpful text about the different subcommands",
            .complexity = "O(1)", .handler = MemoryHelp},
       }});
}

}  // namespace basalt
