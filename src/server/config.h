// Server configuration: the ServerConfig values and the registry that reads and writes them
// under Redis 7.0's parameter names (redis.conf directives, CONFIG GET, CONFIG SET).
//
// ServerConfig is a plain struct the server reads directly (`config.port`, `config.hz`).
// Its default member values are Redis 7.0's defaults, so `ServerConfig{}` is the config of
// `redis-server` started with no arguments. Field names are the parameter names with '-'
// turned into '_' (`hash-max-listpack-entries` → hash_max_listpack_entries), except where
// a comment says otherwise.
//
// ConfigRegistry knows every Redis 7.0 parameter (including the TLS ones of a TLS build and
// the aliases such as `slaveof`), its type, bounds, flags and field, and implements:
//   - ApplyDirectives: config-file semantics (redis.conf lines, command-line options);
//   - Get: CONFIG GET with glob patterns, values printed as Redis prints them;
//   - Set: CONFIG SET name value [name value ...], all or nothing.
// Parameters whose feature Basalt lacks are accepted and keep their value without effect.
//
// Invariant: fields are written through the registry only. A few parameters keep a typed
// mirror for hot paths (`maxmemory_policy` → eviction_policy, `loglevel` → verbosity,
// `appendfsync` → aof_fsync, `notify-keyspace-events` → notify_keyspace_flags, ...); the
// registry updates both, direct writes would let them drift.
//
// Apply hooks let the server react to a change (re-listen on `port`, chdir on `dir`, ...).
// As in Redis they run after all values of a CONFIG SET are stored, once per distinct
// hook; if one fails every value is restored and the hooks run again on the old values.
// Hooks do not run while a config file is applied, except for `dir`: Redis changes
// directory when it reads that line, so a `dir` hook also runs during ApplyDirectives
// (its failure is a config file error at that line). Install ChdirToConfigDir there.
//
// Thread-compatible: a registry is immutable after its hooks are set; ServerConfig belongs
// to the server thread.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/config_file.h"
#include "server/log.h"

namespace basalt {

// ---- Value types of the special parameters ------------------------------------------------

// One `save <seconds> <changes>` point: snapshot when `changes` writes happened within
// `seconds`.
struct SaveParam {
  int64_t seconds = 0;
  int changes = 0;
  bool operator==(const SaveParam&) const = default;
};

// client-output-buffer-limit classes, in the order CONFIG GET prints them. `replica` is
// also accepted as `slave` (and printed so).
enum class ClientClass { kNormal = 0, kReplica = 1, kPubsub = 2 };
inline constexpr int kClientClassCount = 3;

struct ClientBufferLimit {
  uint64_t hard_limit_bytes = 0;
  uint64_t soft_limit_bytes = 0;
  int64_t soft_limit_seconds = 0;
  bool operator==(const ClientBufferLimit&) const = default;
};

// maxmemory-policy, typed. The same eight names, in Redis's table order.
enum class EvictionPolicy {
  kVolatileLru,
  kVolatileLfu,
  kVolatileRandom,
  kVolatileTtl,
  kAllkeysLru,
  kAllkeysLfu,
  kAllkeysRandom,
  kNoEviction,
};
// The policies whose values' 24-bit clock is an LFU counter and minute (db/access_clock.h),
// and those that evict by idle time.
inline bool IsLfuPolicy(EvictionPolicy p) {
  return p == EvictionPolicy::kAllkeysLfu || p == EvictionPolicy::kVolatileLfu;
}
inline bool IsLruPolicy(EvictionPolicy p) {
  return p == EvictionPolicy::kAllkeysLru || p == EvictionPolicy::kVolatileLru;
}

// appendfsync, typed.
enum class AofFsync { kEverySec, kAlways, kNo };

// shutdown-on-sigint / shutdown-on-sigterm flags ("default" is 0).
inline constexpr int kShutdownSave = 1;
inline constexpr int kShutdownNoSave = 2;
inline constexpr int kShutdownNow = 4;
inline constexpr int kShutdownForce = 8;

// notify-keyspace-events classes: bit values of notify_keyspace_flags (Redis's NOTIFY_*).
inline constexpr int kNotifyKeyspace = 1 << 0;  // K
inline constexpr int kNotifyKeyevent = 1 << 1;  // E
inline constexpr int kNotifyGeneric = 1 << 2;   // g
inline constexpr int kNotifyString = 1 << 3;    // $
inline constexpr int kNotifyList = 1 << 4;      // l
inline constexpr int kNotifySet = 1 << 5;       // s
inline constexpr int kNotifyHash = 1 << 6;      // h
inline constexpr int kNotifyZset = 1 << 7;      // z
inline constexpr int kNotifyExpired = 1 << 8;   // x
inline constexpr int kNotifyEvicted = 1 << 9;   // e
inline constexpr int kNotifyStream = 1 << 10;   // t
inline constexpr int kNotifyKeyMiss = 1 << 11;  // m (not part of A)
inline constexpr int kNotifyLoaded = 1 << 12;   // module-only
inline constexpr int kNotifyModule = 1 << 13;   // d
inline constexpr int kNotifyNew = 1 << 14;      // n (not part of A)
inline constexpr int kNotifyAll = kNotifyGeneric | kNotifyString | kNotifyList | kNotifySet |
                                  kNotifyHash | kNotifyZset | kNotifyExpired | kNotifyEvicted |
                                  kNotifyStream | kNotifyModule;  // A

// "KEA" → flags; nullopt when a character is not a class ("Ag$lshzxeKEtmdn").
std::optional<int> ParseKeyspaceEventFlags(std::string_view classes);
// Flags → the canonical string CONFIG GET prints ("AKE" for "KEA").
std::string KeyspaceEventFlagsToString(int flags);

// ---- The configuration --------------------------------------------------------------------

struct ServerConfig {
  // -- Network
  int port = 6379;
  // Basalt's own: a Prometheus /metrics endpoint on 127.0.0.1 (server/metrics_http.h); 0: off.
  int metrics_port = 0;
  std::vector<std::string> bind = {"*", "-::*"};  // a leading '-' marks an optional address
  std::string bind_source_addr;
  bool protected_mode = true;
  int tcp_backlog = 511;
  std::string unixsocket;
  uint32_t unixsocketperm = 0;  // octal in the file and in CONFIG GET
  uint32_t socket_mark_id = 0;
  int timeout = 0;  // seconds; 0 = never close idle clients
  int tcp_keepalive = 300;
  uint32_t maxclients = 10000;

  // -- TLS (Basalt has no TLS yet: stored only)
  int tls_port = 0;
  std::string tls_cert_file;
  std::string tls_key_file;
  std::string tls_key_file_pass;
  std::string tls_client_cert_file;
  std::string tls_client_key_file;
  std::string tls_client_key_file_pass;
  std::string tls_dh_params_file;
  std::string tls_ca_cert_file;
  std::string tls_ca_cert_dir;
  std::string tls_auth_clients = "yes";
  bool tls_replication = false;
  bool tls_cluster = false;
  std::string tls_protocols;
  std::string tls_ciphers;
  std::string tls_ciphersuites;
  bool tls_prefer_server_ciphers = false;
  bool tls_session_caching = true;
  int tls_session_cache_size = 20 * 1024;
  int tls_session_cache_timeout = 300;

  // -- General
  bool daemonize = false;
  std::string supervised = "no";
  std::string pidfile;
  std::string loglevel = "notice";
  LogLevel verbosity = LogLevel::kNotice;  // mirror of loglevel
  std::string logfile;                     // empty = stdout
  bool syslog_enabled = false;
  std::string syslog_ident = "redis";
  std::string syslog_facility = "local0";
  bool crash_log_enabled = true;
  bool crash_memcheck_enabled = true;
  int databases = 16;
  bool always_show_logo = false;
  bool set_proc_title = true;
  std::string proc_title_template = "{title} {listen-addr} {server-mode}";
  std::string enable_protected_configs = "no";  // no | yes | local
  std::string enable_debug_command = "no";
  std::string enable_module_command = "no";
  std::string ignore_warnings;
  bool use_exit_on_panic = false;  // hidden
  int watchdog_period = 0;         // hidden

  // -- Snapshotting
  std::vector<SaveParam> save_params = {{3600, 1}, {300, 100}, {60, 10000}};  // `save`
  bool stop_writes_on_bgsave_error = true;
  bool rdbcompression = true;
  bool rdbchecksum = true;
  std::string sanitize_dump_payload = "no";
  std::string dbfilename = "dump.rdb";
  bool rdb_del_sync_files = false;
  // The `dir` last set. CONFIG GET dir prints the process's working directory instead (as
  // Redis does), which is where this leads once the `dir` hook has run.
  std::string dir;
  bool rdb_save_incremental_fsync = true;
  // Basalt's own: BGSAVE and BGREWRITEAOF fork a child as Redis does, instead of writing the
  // snapshot from the event loop (persistence/background_snapshot.h), which is the default.
  bool snapshot_fork = false;
  int rdb_key_save_delay = 0;                               // hidden
  int key_load_delay = 0;                                   // hidden
  int64_t loading_process_events_interval_bytes = 2 << 20;  // hidden

  // -- Replication
  std::string replicaof_host;  // `replicaof <host> <port>`; empty = this is a master
  int replicaof_port = 0;
  std::string masteruser;
  std::string masterauth;
  bool replica_serve_stale_data = true;
  bool replica_read_only = true;
  bool repl_diskless_sync = true;
  int repl_diskless_sync_delay = 5;
  int repl_diskless_sync_max_replicas = 0;
  std::string repl_diskless_load = "disabled";
  int repl_ping_replica_period = 10;
  int repl_timeout = 60;
  bool repl_disable_tcp_nodelay = false;
  int64_t repl_backlog_size = 1 << 20;
  int64_t repl_backlog_ttl = 3600;
  int replica_priority = 100;
  bool replica_announced = true;
  int min_replicas_to_write = 0;
  int min_replicas_max_lag = 10;
  std::string replica_announce_ip;
  int replica_announce_port = 0;
  bool replica_lazy_flush = false;
  bool replica_ignore_maxmemory = true;
  bool replica_ignore_disk_write_errors = false;
  std::string propagation_error_behavior = "ignore";

  // -- Keys tracking, security
  uint64_t tracking_table_max_keys = 1000000;
  uint64_t acllog_max_len = 128;
  std::string aclfile;
  std::string requirepass;  // empty = no password
  std::string acl_pubsub_default = "resetchannels";
  // `user <name> <rules...>` lines, kept for the ACL subsystem: each is the arguments
  // after `user`. Not a parameter (absent from CONFIG GET), as in Redis.
  std::vector<std::vector<std::string>> acl_users;
  // `rename-command old new` lines in order; an empty new name disables the command.
  std::vector<std::pair<std::string, std::string>> renamed_commands;

  // -- Memory management
  uint64_t maxmemory = 0;
  std::string maxmemory_policy = "noeviction";
  EvictionPolicy eviction_policy = EvictionPolicy::kNoEviction;  // mirror of maxmemory_policy
  int maxmemory_samples = 5;
  int maxmemory_eviction_tenacity = 10;
  // Bytes, or when negative a percentage of maxmemory ("10%" is stored as -10).
  int64_t maxmemory_clients = 0;

  // -- Lazy freeing
  bool lazyfree_lazy_eviction = false;
  bool lazyfree_lazy_expire = false;
  bool lazyfree_lazy_server_del = false;
  bool lazyfree_lazy_user_del = false;
  bool lazyfree_lazy_user_flush = false;

  // -- Threads, kernel
  int io_threads = 1;
  bool io_threads_do_reads = false;
  std::string oom_score_adj = "no";  // no | yes | absolute ("relative" reads as "yes")
  std::array<int, 3> oom_score_adj_values = {0, 200, 800};  // master, replica, bgchild
  bool disable_thp = true;
  std::string server_cpulist;
  std::string bio_cpulist;
  std::string aof_rewrite_cpulist;
  std::string bgsave_cpulist;
  bool jemalloc_bg_thread = true;

  // -- Append only file
  bool appendonly = false;
  std::string appendfilename = "appendonly.aof";
  std::string appenddirname = "appendonlydir";
  std::string appendfsync = "everysec";
  AofFsync aof_fsync = AofFsync::kEverySec;  // mirror of appendfsync
  bool no_appendfsync_on_rewrite = false;
  int auto_aof_rewrite_percentage = 100;
  int64_t auto_aof_rewrite_min_size = 64 << 20;
  bool aof_load_truncated = true;
  bool aof_use_rdb_preamble = true;
  bool aof_timestamp_enabled = false;
  bool aof_rewrite_incremental_fsync = true;
  bool aof_disable_auto_gc = false;

  // -- Shutdown
  int shutdown_timeout = 10;
  std::string shutdown_on_sigint = "default";
  int shutdown_on_sigint_flags = 0;  // mirror: kShutdown* bits
  std::string shutdown_on_sigterm = "default";
  int shutdown_on_sigterm_flags = 0;

  // -- Scripting
  int64_t busy_reply_threshold = 5000;  // ms; alias lua-time-limit

  // -- Cluster (stored only)
  bool cluster_enabled = false;
  std::string cluster_config_file = "nodes.conf";
  int64_t cluster_node_timeout = 15000;
  int cluster_port = 0;
  int cluster_replica_validity_factor = 10;
  int cluster_migration_barrier = 1;
  bool cluster_allow_replica_migration = true;
  bool cluster_require_full_coverage = true;
  bool cluster_replica_no_failover = false;
  bool cluster_allow_reads_when_down = false;
  bool cluster_allow_pubsubshard_when_down = true;
  uint64_t cluster_link_sendbuf_limit = 0;
  std::string cluster_announce_hostname;
  std::string cluster_preferred_endpoint_type = "ip";
  std::string cluster_announce_ip;
  int cluster_announce_port = 0;
  int cluster_announce_tls_port = 0;
  int cluster_announce_bus_port = 0;

  // -- Monitoring
  int64_t slowlog_log_slower_than = 10000;  // microseconds; -1 disables, 0 logs everything
  uint64_t slowlog_max_len = 128;
  int64_t latency_monitor_threshold = 0;
  bool latency_tracking = true;
  std::vector<double> latency_tracking_info_percentiles = {50.0, 99.0, 99.9};
  std::string notify_keyspace_events;  // canonical form, as CONFIG GET prints it
  int notify_keyspace_flags = 0;       // mirror: kNotify* bits

  // -- Encodings
  uint64_t hash_max_listpack_entries = 512;
  uint64_t hash_max_listpack_value = 64;
  int list_max_listpack_size = -2;  // > 0: entries per node; -1..-5: 4kb..64kb per node
  int list_compress_depth = 0;
  uint64_t set_max_intset_entries = 512;
  uint64_t set_max_listpack_entries = 128;  // Redis 7.2 parameter (listpack sets)
  uint64_t set_max_listpack_value = 64;     // Redis 7.2 parameter
  uint64_t zset_max_listpack_entries = 128;
  uint64_t zset_max_listpack_value = 64;
  uint64_t hll_sparse_max_bytes = 3000;
  uint64_t stream_node_max_bytes = 4096;
  int64_t stream_node_max_entries = 100;

  // -- Advanced
  bool activerehashing = true;
  // client-output-buffer-limit, indexed by ClientClass.
  std::array<ClientBufferLimit, kClientClassCount> client_output_buffer_limits = {{
      {0, 0, 0},
      {256ull << 20, 64ull << 20, 60},
      {32ull << 20, 8ull << 20, 60},
  }};
  uint64_t client_query_buffer_limit = 1ull << 30;
  int64_t proto_max_bulk_len = 512ll << 20;
  int hz = 10;  // clamped to 1..500 on set, like Redis
  bool dynamic_hz = true;
  int lfu_log_factor = 10;
  int lfu_decay_time = 1;
  int active_expire_effort = 1;

  // -- Active defragmentation (Basalt has none: `activedefrag yes` is refused, as by a Redis
  // built without it)
  bool activedefrag = false;
  uint64_t active_defrag_ignore_bytes = 100 << 20;
  int active_defrag_threshold_lower = 10;
  int active_defrag_threshold_upper = 100;
  int active_defrag_cycle_min = 1;
  int active_defrag_cycle_max = 25;
  uint64_t active_defrag_max_scan_fields = 1000;
};

// ---- The registry -------------------------------------------------------------------------

class ConfigRegistry {
 public:
  // Reacts to new values. Returns false and sets *err (the reason after " - " in the
  // error reply) to refuse them.
  using ApplyHook = std::function<bool(ServerConfig& config, std::string* err)>;

  struct SetOptions {
    bool client_is_local = false;  // for `enable-protected-configs local`
    // A dataset is loading: `dir`, `appendonly` and `repl-diskless-load` are refused with
    // "LOADING Redis is loading the dataset in memory".
    bool loading = false;
  };

  ConfigRegistry();

  // Installs `hook` for the named parameters (names or aliases). Parameters sharing one
  // call share the hook, which then runs once per CONFIG SET however many of them change.
  // Returns false, installing nothing, if a name is unknown.
  bool SetApplyHook(std::initializer_list<std::string_view> names, ApplyHook hook);

  // Applies config-file directives in order, with redis.conf semantics: a directive
  // takes exactly one value unless the parameter takes several (`save 900 1`, `bind a b`,
  // a single quoted "a b" also works for those); the first `save` line replaces the
  // default points and later ones add to them; `user` lines are collected in acl_users;
  // deprecated names Redis ignores are ignored. Returns the first error as Redis words it
  // ("Bad directive or wrong number of arguments", "argument must be 'yes' or 'no'", ...).
  // Stops at the first error; `config` then holds the directives applied before it.
  std::optional<ConfigError> ApplyDirectives(const std::vector<ConfigDirective>& directives,
                                             ServerConfig& config) const;

  // CONFIG GET: (name, value) pairs for every parameter matching any of `patterns`
  // (case-insensitive globs; names and aliases both match; hidden parameters only by exact
  // name), each listed once. An exact name is returned as the caller spelled it.
  std::vector<std::pair<std::string, std::string>> Get(std::span<const std::string> patterns,
                                                       const ServerConfig& config) const;
  std::vector<std::pair<std::string, std::string>> Get(std::string_view pattern,
                                                       const ServerConfig& config) const;

  // CONFIG SET name value [name value ...]: all values are stored or none. Multi-value
  // parameters split the value on single spaces ("3600 1 300 100"). Returns nullopt on
  // success, or the error reply text without the leading '-', e.g.
  //   "ERR Unknown option or number of arguments for CONFIG SET - 'foo'"
  //   "ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set
  //    immutable config"
  std::optional<std::string> Set(std::span<const std::pair<std::string, std::string>> pairs,
                                 ServerConfig& config, const SetOptions& options) const;
  std::optional<std::string> Set(std::span<const std::pair<std::string, std::string>> pairs,
                                 ServerConfig& config) const {
    return Set(pairs, config, SetOptions{});
  }

  // Whether `name` (case-insensitive, alias or not) is a parameter.
  bool Exists(std::string_view name) const;
  // Whether its value must be redacted from SLOWLOG, MONITOR, ... (requirepass,
  // masterauth, masteruser).
  bool IsSensitive(std::string_view name) const;
  // Whether CONFIG SET refuses it ("can't set immutable config").
  bool IsImmutable(std::string_view name) const;
  // The parameter's own name for `name` or its alias ("slaveof" → "replicaof"), lower-case;
  // nullopt if unknown.
  std::optional<std::string> CanonicalName(std::string_view name) const;
  // Whether its value, as CONFIG GET prints it, is the one of ServerConfig{}.
  bool IsDefault(std::string_view name, const ServerConfig& config) const;

  // CONFIG REWRITE: the new text of a config file whose current text is `old_text`, for
  // `config`, as Redis 7.0 writes it (config_rewrite.h: lines kept, replaced in place,
  // appended after "# Generated by CONFIG REWRITE", or dropped when at their default).
  // Values are written in config-file form: canonical names, memory as "64mb", strings
  // quoted, one `save` / `client-output-buffer-limit` line per point / class. `dir` and the
  // save points are always written. `force_all` writes every parameter, default or not
  // (DEBUG CONFIG-REWRITE-FORCE-ALL).
  std::string Rewrite(std::string_view old_text, const ServerConfig& config,
                      bool force_all = false) const;

 private:
  std::vector<int> hook_of_param_;  // per parameter: index into hooks_, or -1
  std::vector<ApplyHook> hooks_;
};

// CONFIG REWRITE of the file at `path` (a missing file is created): reads it, Rewrite()s
// it and replaces it atomically. Returns strerror(errno) of the failing step, for
// "ERR Rewriting config file: <reason>".
std::optional<std::string> RewriteConfigFile(const std::string& path,
                                             const ConfigRegistry& registry,
                                             const ServerConfig& config, bool force_all = false);

// The startup path of redis-server's main(): reads the config file, stdin and options of
// `cmdline`, applies them to `config` with `registry`, then checks what Redis checks
// after the last line (the logfile can be opened for appending; no replicaof in cluster
// mode). Sets config.dir to the current directory first, so that it always holds an
// absolute path.
std::optional<ConfigError> LoadServerConfig(const CommandLine& cmdline,
                                            const ConfigRegistry& registry,
                                            std::istream& stdin_stream, ServerConfig& config);
// Same with std::cin and a registry whose `dir` hook is ChdirToConfigDir, so the process
// changes directory while reading the config, like redis-server.
std::optional<ConfigError> LoadServerConfig(const CommandLine& cmdline, ServerConfig& config);

// The checks Redis makes after applying a config file, as described above.
std::optional<ConfigError> ValidateLoadedConfig(const ServerConfig& config);

// An apply hook for `dir`: chdir(config.dir), then stores the resulting absolute path in
// config.dir. On failure *err is strerror(errno), as Redis reports it.
bool ChdirToConfigDir(ServerConfig& config, std::string* err);

}  // namespace basalt
