// INFO [section ...]: the server's state as "field:value" lines grouped in "# Section"
// blocks, with Redis 7.0's section names, field names and section selection rules:
//   - no argument or "default": server clients memory persistence stats replication cpu
//     modules errorstats cluster keyspace;
//   - "all": every section (adds commandstats and latencystats); "everything": all plus
//     module-generated sections (Basalt has none);
//   - otherwise the named sections (case-insensitive), always printed in the fixed order
//     above; unknown names print nothing.
// Fields for features Basalt lacks (persistence, replication, modules, Lua) are printed
// with the values an idle Redis with the feature unused would show, so clients and
// monitoring tools that parse them keep working.
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <set>
#include <string>

#include "commands/server_family.h"
#include "persistence/aof_writer.h"
#include "persistence/snapshot.h"
#include "scripting/scripting.h"
#include "server/command_context.h"
#include "server/version.h"
#include "util/memory.h"

namespace basalt {
namespace {

// The section names of a default INFO, in output order ("modules" stands for the module
// list, which Redis calls module_list internally).
constexpr std::string_view kDefaultSections[] = {
    "server", "clients",     "memory",     "persistence", "stats",   "replication",
    "cpu",    "module_list", "errorstats", "cluster",     "keyspace"};

class InfoWriter {
 public:
  // Starts "# Title"; sections after the first are preceded by an empty line.
  void Section(const char* title) {
    if (sections_++ > 0) out_ += "\r\n";
    out_ += "# ";
    out_ += title;
    out_ += "\r\n";
  }
  void Field(std::string_view name, std::string_view value) {
    out_ += name;
    out_ += ':';
    out_ += value;
    out_ += "\r\n";
  }
  void Field(std::string_view name, uint64_t value) { Field(name, std::to_string(value)); }
  void Field(std::string_view name, int64_t value) { Field(name, std::to_string(value)); }
  void Field(std::string_view name, int value) { Field(name, std::to_string(value)); }
  void Field(std::string_view name, uint32_t value) { Field(name, std::to_string(value)); }
  // printf-formatted value.
  void FieldF(std::string_view name, const char* fmt, ...) __attribute__((format(printf, 3, 4))) {
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    std::vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    Field(name, buf);
  }

  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
  int sections_ = 0;
};

std::string LowerCopy(std::string_view s) {
  std::string out;
  AsciiLower(s, &out);
  return out;
}

// Which sections to print, following genInfoSectionDict.
struct SectionSelection {
  std::set<std::string, std::less<>> names;
  bool all = false;

  explicit SectionSelection(std::span<const std::string_view> args) {
    if (args.empty()) {
      names.insert(std::begin(kDefaultSections), std::end(kDefaultSections));
      return;
    }
    for (std::string_view arg : args) {
      if (EqualsIgnoreCase(arg, "default")) {
        names.insert(std::begin(kDefaultSections), std::end(kDefaultSections));
      } else if (EqualsIgnoreCase(arg, "all") || EqualsIgnoreCase(arg, "everything")) {
        all = true;
      } else {
        names.insert(LowerCopy(arg));
      }
    }
  }

  bool Has(std::string_view name) const { return all || names.count(name) > 0; }
};

std::string Sanitized(std::string_view s) {
  // ':' ends a field name and '#' starts a section; Redis replaces them (and newlines).
  std::string out(s);
  for (char& c : out) {
    if (c == '#' || c == ':' || c == '\n' || c == '\r') c = '_';
  }
  return out;
}

std::string RusageTime(const timeval& tv) {
  char buf[48];
  std::snprintf(buf, sizeof(buf), "%ld.%06ld", static_cast<long>(tv.tv_sec),
                static_cast<long>(tv.tv_usec));
  return buf;
}

std::string Executable() {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
}

int64_t NowUs() {
  timeval tv;
  gettimeofday(&tv, nullptr);
  return static_cast<int64_t>(tv.tv_sec) * 1000000 + tv.tv_usec;
}

void ServerSection(Server& server, InfoWriter& w) {
  utsname name{};
  uname(&name);
  int64_t uptime = (NowUs() / 1000 - server.start_time_ms()) / 1000;
  const ServerConfig& config = server.config();
  w.Section("Server");
  w.Field("redis_version", kRedisCompatVersion);
  w.Field("basalt_version", kBasaltVersion);
  w.Field("redis_git_sha1", "00000000");
  w.Field("redis_git_dirty", 0);
  w.Field("redis_build_id", "0");
  w.Field("redis_mode", config.cluster_enabled ? "cluster" : "standalone");
  w.FieldF("os", "%s %s %s", name.sysname, name.release, name.machine);
  w.Field("arch_bits", static_cast<int>(sizeof(long) * 8));
  w.Field("monotonic_clock", "POSIX clock_gettime");
  w.Field("multiplexing_api", "epoll");
  w.Field("atomicvar_api", "c11-builtin");
#ifdef __GNUC__
  w.FieldF("gcc_version", "%d.%d.%d", __GNUC__, __GNUC_MINOR__, __GNUC_PATCHLEVEL__);
#else
  w.Field("gcc_version", "0.0.0");
#endif
  w.Field("process_id", static_cast<int64_t>(getpid()));
  w.Field("process_supervised", config.supervised == "no" ? "no" : config.supervised);
  w.Field("run_id", server.run_id());
  w.Field("tcp_port", config.port != 0 ? config.port : config.tls_port);
  w.Field("server_time_usec", NowUs());
  w.Field("uptime_in_seconds", uptime);
  w.Field("uptime_in_days", uptime / (3600 * 24));
  w.Field("hz", config.hz);
  w.Field("configured_hz", config.hz);
  w.Field("lru_clock", static_cast<uint64_t>((NowUs() / 1000000) & 0xFFFFFF));
  w.Field("executable", Executable());
  w.Field("config_file", server.config_file());
  w.Field("io_threads_active", 0);
}

void ClientsSection(Server& server, InfoWriter& w) {
  size_t max_in = 0;
  size_t max_out = 0;
  for (const auto& [id, c] : server.clients()) {
    max_in = std::max(max_in, c->query.capacity());
    max_out = std::max(max_out, c->reply_buf.size());
  }
  w.Section("Clients");
  w.Field("connected_clients", static_cast<uint64_t>(server.clients().size()));
  w.Field("cluster_connections", 0);
  w.Field("maxclients", server.config().maxclients);
  w.Field("client_recent_max_input_buffer", static_cast<uint64_t>(max_in));
  w.Field("client_recent_max_output_buffer", static_cast<uint64_t>(max_out));
  w.Field("blocked_clients", static_cast<uint64_t>(server.blocked_clients()));
  w.Field("tracking_clients", server.tracking().tracking_clients());
  w.Field("clients_in_timeout_table", static_cast<uint64_t>(server.blocked_clients()));
  w.Field("total_blocking_keys", static_cast<uint64_t>(server.blocking_keys()));
  w.Field("total_blocking_keys_on_nokey", 0);
}

void MemorySection(Server& server, InfoWriter& w) {
  MemoryStats mem = ReadMemoryStats();
  // used_memory is the figure maxmemory compares against (eviction.h), read exactly now.
  RefreshUsedMemory();
  mem.allocated = CachedUsedMemory();
  ServerStats& stats = server.stats();
  stats.peak_memory = std::max(stats.peak_memory, mem.allocated);
  uint64_t clients_mem = 0;
  for (const auto& [id, c] : server.clients()) {
    clients_mem += c->query.capacity() + c->reply_buf.capacity();
  }
  uint64_t db_overhead = 0;
  for (int i = 0; i < server.db_count(); ++i) db_overhead += server.db(i).MemoryUsage();
  uint64_t overhead = std::min<uint64_t>(clients_mem + db_overhead, mem.allocated);
  uint64_t dataset = mem.allocated - overhead;
  uint64_t total_system = TotalSystemMemory();
  const ServerConfig& config = server.config();
  auto ratio = [](uint64_t a, uint64_t b) { return b ? static_cast<double>(a) / b : 0.0; };

  w.Section("Memory");
  w.Field("used_memory", mem.allocated);
  w.Field("used_memory_human", BytesToHuman(mem.allocated));
  w.Field("used_memory_rss", mem.rss);
  w.Field("used_memory_rss_human", BytesToHuman(mem.rss));
  w.Field("used_memory_peak", stats.peak_memory);
  w.Field("used_memory_peak_human", BytesToHuman(stats.peak_memory));
  w.FieldF("used_memory_peak_perc", "%.2f%%", ratio(mem.allocated, stats.peak_memory) * 100);
  w.Field("used_memory_overhead", overhead);
  w.Field("used_memory_startup", server.startup_memory());
  w.Field("used_memory_dataset", dataset);
  w.FieldF("used_memory_dataset_perc", "%.2f%%", ratio(dataset, mem.allocated) * 100);
  w.Field("allocator_allocated", mem.allocated);
  w.Field("allocator_active", mem.active);
  w.Field("allocator_resident", mem.resident);
  w.Field("total_system_memory", total_system);
  w.Field("total_system_memory_human", BytesToHuman(total_system));
  Scripting& scripting = server.scripting();
  const size_t lua_eval = scripting.eval_lua_memory();
  const size_t lua_functions = scripting.functions().engine().UsedMemory();
  size_t functions_code = 0;
  for (const auto& [name, lib] : scripting.functions().libraries()) {
    functions_code += name.size() + lib->code.size();
  }
  w.Field("used_memory_lua", lua_eval);
  w.Field("used_memory_vm_eval", lua_eval);
  w.Field("used_memory_lua_human", BytesToHuman(lua_eval));
  w.Field("used_memory_scripts_eval", scripting.scripts_memory());
  w.Field("number_of_cached_scripts", scripting.script_count());
  w.Field("number_of_functions", scripting.functions().function_count());
  w.Field("number_of_libraries", scripting.functions().libraries().size());
  w.Field("used_memory_vm_functions", lua_functions);
  w.Field("used_memory_vm_total", lua_eval + lua_functions);
  w.Field("used_memory_vm_total_human", BytesToHuman(lua_eval + lua_functions));
  w.Field("used_memory_functions", functions_code);
  w.Field("used_memory_scripts", scripting.scripts_memory() + functions_code);
  w.Field("used_memory_scripts_human", BytesToHuman(scripting.scripts_memory() + functions_code));
  w.Field("maxmemory", config.maxmemory);
  w.Field("maxmemory_human", BytesToHuman(config.maxmemory));
  w.Field("maxmemory_policy", config.maxmemory_policy);
  w.FieldF("allocator_frag_ratio", "%.2f", ratio(mem.active, mem.allocated));
  w.Field("allocator_frag_bytes", mem.active - mem.allocated);
  w.FieldF("allocator_rss_ratio", "%.2f", ratio(mem.resident, mem.active));
  w.Field("allocator_rss_bytes", mem.resident - mem.active);
  w.FieldF("rss_overhead_ratio", "%.2f", ratio(mem.rss, mem.resident));
  w.Field("rss_overhead_bytes", static_cast<int64_t>(mem.rss) - static_cast<int64_t>(mem.resident));
  w.FieldF("mem_fragmentation_ratio", "%.2f", ratio(mem.rss, mem.allocated));
  w.Field("mem_fragmentation_bytes",
          static_cast<int64_t>(mem.rss) - static_cast<int64_t>(mem.allocated));
  w.Field("mem_not_counted_for_evict", 0);
  w.Field("mem_replication_backlog", 0);
  w.Field("mem_total_replication_buffers", 0);
  w.Field("mem_clients_slaves", 0);
  w.Field("mem_clients_normal", clients_mem);
  w.Field("mem_cluster_links", 0);
  w.Field("mem_aof_buffer", server.aof().buffer_length());
  w.Field("mem_allocator", AllocatorName());
  w.Field("active_defrag_running", 0);
  w.Field("lazyfree_pending_objects", server.lazyfree().pending());
  w.Field("lazyfreed_objects", server.lazyfree().freed());
}

void PersistenceSection(Server& server, InfoWriter& w) {
  PersistenceState& ps = server.persistence();
  const int64_t now_s = server.now_ms() / 1000;
  w.Section("Persistence");
  w.Field("loading", ps.loading ? 1 : 0);
  w.Field("async_loading", 0);
  const bool saving = ps.child_pid != -1;
  w.Field("current_cow_peak", ps.cow_peak);
  w.Field("current_cow_size", ps.cow_size);
  w.Field("current_cow_size_age",
          saving && ps.cow_updated_ms != 0 ? (server.now_ms() - ps.cow_updated_ms) / 1000 : 0);
  w.FieldF("current_fork_perc", "%.2f",
           saving && ps.keys_total != 0 ? 100.0 * static_cast<double>(ps.keys_processed) /
                                              static_cast<double>(ps.keys_total)
                                        : 0.0);
  w.Field("current_save_keys_processed", ps.keys_processed);
  w.Field("current_save_keys_total", ps.keys_total);
  w.Field("rdb_changes_since_last_save", server.keyspace_stats().dirty);
  w.Field("rdb_bgsave_in_progress", ps.rdb_child() ? 1 : 0);
  w.Field("rdb_last_save_time", LastSaveTime(server));
  w.Field("rdb_last_bgsave_status", ps.last_bgsave_ok ? "ok" : "err");
  w.Field("rdb_last_bgsave_time_sec", ps.last_bgsave_time_sec);
  w.Field("rdb_current_bgsave_time_sec",
          ps.rdb_child() ? now_s - ps.child_start_ms / 1000 : -1);
  w.Field("rdb_saves", ps.saves);
  w.Field("rdb_last_cow_size", ps.last_cow_size);
  w.Field("rdb_last_load_keys_expired", ps.last_load_keys_expired);
  w.Field("rdb_last_load_keys_loaded", ps.last_load_keys_loaded);
  Aof& aof = server.aof();
  w.Field("aof_enabled", aof.enabled() ? 1 : 0);
  w.Field("aof_rewrite_in_progress", ps.aof_child() ? 1 : 0);
  w.Field("aof_rewrite_scheduled", aof.rewrite_scheduled() ? 1 : 0);
  w.Field("aof_last_rewrite_time_sec", aof.last_rewrite_time_sec());
  w.Field("aof_current_rewrite_time_sec",
          ps.aof_child() ? now_s - aof.rewrite_time_start_s() : -1);
  w.Field("aof_last_bgrewrite_status", aof.last_rewrite_ok() ? "ok" : "err");
  w.Field("aof_rewrites", aof.rewrites());
  w.Field("aof_rewrites_consecutive_failures", aof.rewrite_consecutive_failures());
  w.Field("aof_last_write_status", aof.last_write_ok() ? "ok" : "err");
  w.Field("aof_last_cow_size", ps.aof_last_cow_size);
  w.Field("module_fork_in_progress", 0);
  w.Field("module_fork_last_cow_size", 0);
  // As Redis, by the config (on while waiting for the first rewrite too).
  if (server.config().appendonly) {
    w.Field("aof_current_size", aof.current_size());
    w.Field("aof_base_size", aof.base_size());
    w.Field("aof_pending_rewrite", aof.rewrite_scheduled() ? 1 : 0);
    w.Field("aof_buffer_length", aof.buffer_length());
    w.Field("aof_pending_bio_fsync", aof.pending_fsync());
    w.Field("aof_delayed_fsync", aof.delayed_fsync());
  }
}

void StatsSection(Server& server, InfoWriter& w) {
  const ServerStats& s = server.stats();
  const KeyspaceStats& ks = server.keyspace_stats();
  w.Section("Stats");
  w.Field("total_connections_received", s.total_connections_received);
  w.Field("total_commands_processed", s.total_commands_processed);
  w.Field("instantaneous_ops_per_sec", s.InstantaneousOps());
  w.Field("total_net_input_bytes", s.total_net_input_bytes);
  w.Field("total_net_output_bytes", s.total_net_output_bytes);
  w.Field("total_net_repl_input_bytes", 0);
  w.Field("total_net_repl_output_bytes", 0);
  w.FieldF("instantaneous_input_kbps", "%.2f",
           ServerStats::InstantaneousKbps(s.net_input_samples));
  w.FieldF("instantaneous_output_kbps", "%.2f",
           ServerStats::InstantaneousKbps(s.net_output_samples));
  w.Field("instantaneous_input_repl_kbps", "0.00");
  w.Field("instantaneous_output_repl_kbps", "0.00");
  w.Field("rejected_connections", s.rejected_connections);
  w.Field("sync_full", 0);
  w.Field("sync_partial_ok", 0);
  w.Field("sync_partial_err", 0);
  w.Field("expired_keys", ks.expired_keys);
  w.FieldF("expired_stale_perc", "%.2f", static_cast<double>(ks.expired_stale_perc));
  w.Field("expired_time_cap_reached_count", 0);
  w.Field("expire_cycle_cpu_milliseconds", 0);
  w.Field("evicted_keys", server.evictor().evicted_keys());
  w.Field("evicted_clients", server.evictor().evicted_clients());
  w.Field("total_eviction_exceeded_time", server.evictor().total_exceeded_time_us() / 1000);
  w.Field("current_eviction_exceeded_time", server.evictor().current_exceeded_time_us() / 1000);
  w.Field("keyspace_hits", ks.hits);
  w.Field("keyspace_misses", ks.misses);
  w.Field("pubsub_channels", static_cast<uint64_t>(server.pubsub().channel_count()));
  w.Field("pubsub_patterns", static_cast<uint64_t>(server.pubsub().pattern_count()));
  w.Field("pubsubshard_channels", static_cast<uint64_t>(server.pubsub().shard_channel_count()));
  w.Field("latest_fork_usec", server.persistence().latest_fork_usec);
  w.Field("total_forks", server.persistence().total_forks);
  w.Field("migrate_cached_sockets", static_cast<uint64_t>(server.migrate_connections().size()));
  w.Field("slave_expires_tracked_keys", 0);
  w.Field("active_defrag_hits", 0);
  w.Field("active_defrag_misses", 0);
  w.Field("active_defrag_key_hits", 0);
  w.Field("active_defrag_key_misses", 0);
  w.Field("total_active_defrag_time", 0);
  w.Field("current_active_defrag_time", 0);
  w.Field("tracking_total_keys", server.tracking().total_keys());
  w.Field("tracking_total_items", server.tracking().total_items());
  w.Field("tracking_total_prefixes", server.tracking().total_prefixes());
  w.Field("unexpected_error_replies", s.unexpected_error_replies);
  w.Field("total_error_replies", s.total_error_replies);
  w.Field("dump_payload_sanitizations", 0);
  w.Field("total_reads_processed", 0);
  w.Field("total_writes_processed", 0);
  w.Field("io_threaded_reads_processed", 0);
  w.Field("io_threaded_writes_processed", 0);
  w.Field("client_query_buffer_limit_disconnections", s.client_qbuf_limit_disconnections);
  w.Field("client_output_buffer_limit_disconnections", s.client_outbuf_limit_disconnections);
  w.Field("reply_buffer_shrinks", 0);
  w.Field("reply_buffer_expands", 0);
}

void ReplicationSection(Server& server, InfoWriter& w) {
  w.Section("Replication");
  w.Field("role", "master");
  w.Field("connected_slaves", 0);
  w.Field("master_failover_state", "no-failover");
  w.Field("master_replid", server.run_id());
  w.Field("master_replid2", std::string(40, '0'));
  w.Field("master_repl_offset", 0);
  w.Field("second_repl_offset", -1);
  w.Field("repl_backlog_active", 0);
  w.Field("repl_backlog_size", server.config().repl_backlog_size);
  w.Field("repl_backlog_first_byte_offset", 0);
  w.Field("repl_backlog_histlen", 0);
}

void CpuSection(InfoWriter& w) {
  rusage self{}, children{}, thread{};
  getrusage(RUSAGE_SELF, &self);
  getrusage(RUSAGE_CHILDREN, &children);
  getrusage(RUSAGE_THREAD, &thread);
  w.Section("CPU");
  w.Field("used_cpu_sys", RusageTime(self.ru_stime));
  w.Field("used_cpu_user", RusageTime(self.ru_utime));
  w.Field("used_cpu_sys_children", RusageTime(children.ru_stime));
  w.Field("used_cpu_user_children", RusageTime(children.ru_utime));
  w.Field("used_cpu_sys_main_thread", RusageTime(thread.ru_stime));
  w.Field("used_cpu_user_main_thread", RusageTime(thread.ru_utime));
}

void CommandStatsLines(const CommandSpec& spec, InfoWriter& w) {
  const CommandStats& s = spec.stats;
  if (s.calls > 0 || s.failed_calls > 0 || s.rejected_calls > 0) {
    w.FieldF("cmdstat_" + Sanitized(spec.full_name),
             "calls=%llu,usec=%llu,usec_per_call=%.2f,rejected_calls=%llu,failed_calls=%llu",
             static_cast<unsigned long long>(s.calls), static_cast<unsigned long long>(s.usec),
             // In float, as Redis divides: the rounding of the last digit follows it.
             s.calls == 0 ? 0.0 : static_cast<float>(s.usec) / static_cast<float>(s.calls),
             static_cast<unsigned long long>(s.rejected_calls),
             static_cast<unsigned long long>(s.failed_calls));
  }
  for (const CommandSpec& sub : spec.subcommands) CommandStatsLines(sub, w);
}

// Commands (and subcommands, as "config|get") that recorded a latency since CONFIG RESETSTAT.
void LatencyStatsLines(const CommandSpec& spec, std::span<const double> percentiles,
                       InfoWriter& w) {
  if (!spec.stats.latency.empty()) {
    w.Field("latency_percentiles_usec_" + Sanitized(spec.full_name),
            FormatLatencyPercentiles(spec.stats.latency, percentiles));
  }
  for (const CommandSpec& sub : spec.subcommands) LatencyStatsLines(sub, percentiles, w);
}

void KeyspaceSection(Server& server, InfoWriter& w) {
  w.Section("Keyspace");
  for (int i = 0; i < server.db_count(); ++i) {
    Database& db = server.db(i);
    if (db.size() == 0 && db.expires_count() == 0) continue;
    w.FieldF("db" + std::to_string(i), "keys=%zu,expires=%zu,avg_ttl=%lld", db.size(),
             db.expires_count(), static_cast<long long>(db.avg_ttl_ms()));
  }
}

}  // namespace

std::string GenerateInfo(Server& server, std::span<const std::string_view> args) {
  SectionSelection want(args);
  InfoWriter w;
  if (want.Has("server")) ServerSection(server, w);
  if (want.Has("clients")) ClientsSection(server, w);
  if (want.Has("memory")) MemorySection(server, w);
  if (want.Has("persistence")) PersistenceSection(server, w);
  if (want.Has("stats")) StatsSection(server, w);
  if (want.Has("replication")) ReplicationSection(server, w);
  if (want.Has("cpu")) CpuSection(w);
  if (want.Has("module_list") || want.Has("modules")) w.Section("Modules");
  if (want.Has("commandstats")) {
    w.Section("Commandstats");
    for (const auto& spec : server.commands().all()) CommandStatsLines(*spec, w);
  }
  if (want.Has("errorstats")) {
    w.Section("Errorstats");
    for (const auto& [code, count] : server.stats().error_counts) {
      w.FieldF("errorstat_" + Sanitized(code), "count=%llu",
               static_cast<unsigned long long>(count));
    }
  }
  if (want.Has("latencystats")) {
    w.Section("Latencystats");
    // With tracking off Redis prints the bare header, even for histograms kept from before.
    if (server.config().latency_tracking) {
      for (const auto& spec : server.commands().all()) {
        LatencyStatsLines(*spec, server.config().latency_tracking_info_percentiles, w);
      }
    }
  }
  if (want.Has("cluster")) {
    w.Section("Cluster");
    w.Field("cluster_enabled", server.config().cluster_enabled ? 1 : 0);
  }
  if (want.Has("keyspace")) KeyspaceSection(server, w);
  return w.Take();
}

// INFO [section ...]
void InfoCommand(CommandContext& ctx) {
  std::string text = GenerateInfo(ctx.server, ctx.argv.subspan(1));
  ctx.reply.Verbatim(text);
}

}  // namespace basalt
