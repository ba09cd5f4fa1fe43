// MEMORY USAGE (and HELP): what one key costs. The rest of the MEMORY family (STATS, DOCTOR,
// PURGE, MALLOC-STATS) belongs with the memory accounting work.
//
// Redis estimates a collection's size from SAMPLES elements; Basalt's values know their
// allocations exactly (Value::AllocatedBytes), so SAMPLES is parsed and validated as Redis
// does but the answer is always exact: the entry's allocation (chain link, expiry, value
// header and key bytes, as the allocator rounded it), what the value owns, and the key's
// share of the table's bucket array.
#include <malloc.h>

#include "commands/registry.h"
#include "server/command_context.h"
#include "server/command_table.h"
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

void MemoryHelp(CommandContext& ctx) {
  static constexpr const char* kLines[] = {
      "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
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
           {.name = "help", .arity = 2, .flags = kCmdLoading | kCmdStale, .group = "server",
            .since = "4.0.0", .summary = "Show helpful text about the different subcommands",
            .complexity = "O(1)", .handler = MemoryHelp},
       }});
}

}  // namespace basalt
