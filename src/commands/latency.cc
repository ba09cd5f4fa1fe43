// LATENCY LATEST / HISTORY / RESET / GRAPH / DOCTOR / HISTOGRAM / HELP: the latency monitor
// (server/latency_monitor.h) and the per-command latency histograms (CommandStats::latency).
#include <ctime>

#include "commands/registry.h"
#include "server/command_context.h"
#include "server/command_table.h"

namespace basalt {
namespace {

void LatencyLatest(CommandContext& ctx) {
  const auto& events = ctx.server.latency_monitor().events();
  ctx.reply.ArrayHeader(static_cast<int64_t>(events.size()));
  for (const auto& [name, series] : events) {
    ctx.reply.ArrayHeader(4);
    ctx.reply.Bulk(name);
    ctx.reply.Integer(series.latest().time);
    ctx.reply.Integer(series.latest().latency);
    ctx.reply.Integer(series.max);
  }
}

// LATENCY HISTORY event: [time, latency] pairs, oldest first; empty for an unknown event.
void LatencyHistory(CommandContext& ctx) {
  const LatencyMonitor::Series* series = ctx.server.latency_monitor().Find(ctx.argv[2]);
  if (series == nullptr) return ctx.reply.ArrayHeader(0);
  int64_t n = 0;
  for (const auto& s : series->samples) n += s.time != 0;
  ctx.reply.ArrayHeader(n);
  for (int j = 0; j < LatencyMonitor::kSamples; ++j) {
    const auto& s = series->samples[(series->idx + j) % LatencyMonitor::kSamples];
    if (s.time == 0) continue;
    ctx.reply.ArrayHeader(2);
    ctx.reply.Integer(s.time);
    ctx.reply.Integer(s.latency);
  }
}

// LATENCY RESET [event ...]: how many series were dropped.
void LatencyReset(CommandContext& ctx) {
  LatencyMonitor& monitor = ctx.server.latency_monitor();
  if (ctx.argc() == 2) return ctx.reply.Integer(static_cast<int64_t>(monitor.ResetAll()));
  int64_t n = 0;
  for (size_t i = 2; i < ctx.argc(); ++i) n += monitor.Reset(ctx.argv[i]);
  ctx.reply.Integer(n);
}

void LatencyGraph(CommandContext& ctx) {
  const LatencyMonitor::Series* series = ctx.server.latency_monitor().Find(ctx.argv[2]);
  if (series == nullptr) {
    return ctx.Error("ERR No samples available for event '" + std::string(ctx.argv[2]) + "'");
  }
  ctx.reply.Verbatim(LatencyMonitor::Graph(ctx.argv[2], *series, std::time(nullptr)));
}

void LatencyDoctor(CommandContext& ctx) {
  ctx.reply.Verbatim(ctx.server.latency_monitor().Doctor(
      std::time(nullptr), ctx.server.config().slowlog_log_slower_than));
}

// One command's entry: {calls, histogram_usec: {bucket µs: cumulative count}}, with the
// buckets of HdrHistogram's logarithmic iteration Redis uses (1024 ns doubling), each
// listed only when it adds samples.
void HistogramEntry(CommandContext& ctx, const CommandSpec& spec) {
  const LatencyHistogram& h = spec.stats.latency;
  ctx.reply.Bulk(spec.full_name);
  ctx.reply.MapHeader(2);
  ctx.reply.Bulk("calls");
  ctx.reply.Integer(static_cast<int64_t>(h.total_count()));
  ctx.reply.Bulk("histogram_usec");
  std::vector<std::pair<int64_t, uint64_t>> buckets;
  uint64_t previous = 0;
  for (int64_t level = 1024; previous < h.total_count(); level *= 2) {
    const int64_t top = LatencyHistogram::HighestEquivalent(
        std::min(level, LatencyHistogram::kMaxValue));
    const uint64_t cumulative = h.CountAtOrBelow(top);
    if (cumulative > previous) buckets.emplace_back(top / 1000, cumulative);
    previous = cumulative;
    if (level >= LatencyHistogram::kMaxValue) break;
  }
  ctx.reply.MapHeader(static_cast<int64_t>(buckets.size()));
  for (const auto& [usec, count] : buckets) {
    ctx.reply.Integer(usec);
    ctx.reply.Integer(static_cast<int64_t>(count));
  }
}

// Adds `spec` and its subcommands that have samples.
void CollectWithSamples(const CommandSpec& spec, std::vector<const CommandSpec*>& out) {
  if (!spec.stats.latency.empty()) out.push_back(&spec);
  for (const CommandSpec& sub : spec.subcommands) {
    if (!sub.stats.latency.empty()) out.push_back(&sub);
  }
}

// LATENCY HISTOGRAM [command ...]: every command with samples, or the named ones ("client"
// names all its subcommands, "client|id" one); unknown names are skipped.
void LatencyHistogramCmd(CommandContext& ctx) {
  std::vector<const CommandSpec*> specs;
  CommandTable& table = ctx.server.commands();
  if (ctx.argc() == 2) {
    for (const auto& spec : table.all()) CollectWithSamples(*spec, specs);
  } else {
    for (size_t i = 2; i < ctx.argc(); ++i) {
      std::string_view name = ctx.argv[i];
      const size_t bar = name.find('|');
      const CommandSpec* spec = table.Find(name.substr(0, bar));
      if (spec == nullptr) continue;
      if (bar != std::string_view::npos) {
        spec = CommandTable::FindSubcommand(*spec, name.substr(bar + 1));
        if (spec == nullptr) continue;
      }
      CollectWithSamples(*spec, specs);
    }
  }
  ctx.reply.MapHeader(static_cast<int64_t>(specs.size()));
  for (const CommandSpec* spec : specs) HistogramEntry(ctx, *spec);
}

void LatencyHelp(CommandContext& ctx) {
  static constexpr const char* kLines[] = {
      "LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "DOCTOR",
      "    Return a human readable latency analysis report.",
      "GRAPH <event>",
      "    Return an ASCII latency graph for the <event> class.",
      "HISTORY <event>",
      "    Return time-latency samples for the <event> class.",
      "LATEST",
      "    Return the latest latency samples for all events.",
      "RESET [<event> ...]",
      "    Reset latency data of one or more <event> classes.",
      "    (default: reset all data for all event classes)",
      "HISTOGRAM [COMMAND ...]",
      "    Return a cumulative distribution of latencies in the format of a histogram for the "
      "specified command names.",
      "    If no commands are specified then all histograms are replied.",
      "HELP",
      "    Prints this help.",
  };
  ctx.reply.ArrayHeader(sizeof(kLines) / sizeof(kLines[0]));
  for (const char* line : kLines) ctx.reply.SimpleString(line);
}

CommandSpec Sub(const char* name, int arity, CommandHandler handler, const char* summary,
                const char* complexity = "O(1)") {
  return CommandSpec{.name = name, .arity = arity,
                     .flags = kCmdAdmin | kCmdNoScript | kCmdLoading | kCmdStale,
                     .group = "server", .since = "2.8.13", .summary = summary,
                     .complexity = complexity, .handler = handler};
}

}  // namespace

void RegisterLatencyCommands(CommandTable& table) {
  CommandSpec histogram =
      Sub("histogram", -2, LatencyHistogramCmd,
          "Return the cumulative distribution of latencies of a subset of commands or all.",
          "O(N) where N is the number of commands with latency information being retrieved.");
  histogram.since = "7.0.0";
  table.Register(
      {.name = "latency", .arity = -2, .group = "server", .since = "2.8.13",
       .summary = "A container for latency diagnostics commands",
       .complexity = "Depends on subcommand.",
       .subcommands = {
           Sub("doctor", 2, LatencyDoctor, "Return a human readable latency analysis report."),
           Sub("graph", 3, LatencyGraph, "Return a latency graph for the event."),
           Sub("history", 3, LatencyHistory, "Return timestamp-latency samples for the event."),
           Sub("latest", 2, LatencyLatest, "Return the latest latency samples for all events."),
           Sub("reset", -2, LatencyReset, "Reset latency data for one or more events."),
           histogram,
           {.name = "help", .arity = 2, .flags = kCmdLoading | kCmdStale, .group = "server",
            .since = "2.8.13",
            .summary = "Show helpful text about the different subcommands.",
            .complexity = "O(1)", .handler = LatencyHelp},
       }});
}

}  // namespace basalt
