// Server: owns the event loop, listeners, clients, databases and the command table, and
// runs the dispatcher: parse → look up → check → execute → bookkeeping.
//
// One thread runs everything here (see DESIGN.md): commands execute to completion one at a
// time, so they need no locks. Commands reach server state through CommandContext.
#pragma once

#include <signal.h>

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "db/access_clock.h"
#include "db/database.h"
#include "net/event_loop.h"
#include "persistence/persistence_state.h"
#include "server/blocking.h"
#include "server/watch.h"
#include "server/client.h"
#include "server/command_table.h"
#include "server/config.h"
#include "server/notify.h"
#include "server/propagation.h"
#include "server/pubsub.h"
#include "server/tracking.h"
#include "server/eviction.h"
#include "server/latency_monitor.h"
#include "server/lazyfree.h"
#include "server/metrics_http.h"
#include "server/migrate_connections.h"
#include "server/slowlog.h"

namespace basalt {

struct ServerStats {
  uint64_t total_connections_received = 0;
  uint64_t total_commands_processed = 0;
  uint64_t rejected_connections = 0;
  uint64_t total_net_input_bytes = 0;
  uint64_t total_net_output_bytes = 0;
  uint64_t total_error_replies = 0;
  uint64_t unexpected_error_replies = 0;
  uint64_t client_qbuf_limit_disconnections = 0;
  uint64_t client_outbuf_limit_disconnections = 0;
  // Instantaneous ops/sec, sampled by the cron like Redis's trackInstantaneousMetric.
  static constexpr int kSamples = 16;
  uint64_t ops_samples[kSamples] = {};
  int ops_sample_idx = 0;
  uint64_t last_sample_commands = 0;
  int64_t last_sample_ms = 0;
  uint64_t InstantaneousOps() const;
  // Network bytes/sec, sampled alongside (INFO instantaneous_input_kbps / output_kbps).
  uint64_t net_input_samples[kSamples] = {};
  uint64_t net_output_samples[kSamples] = {};
  uint64_t last_sample_net_input = 0;
  uint64_t last_sample_net_output = 0;
  static double InstantaneousKbps(const uint64_t (&samples)[kSamples]) {
    uint64_t sum = 0;
    for (uint64_t s : samples) sum += s;
    return static_cast<double>(sum) / kSamples / 1024;
  }

  // INFO errorstats: error replies by their code ("ERR", "WRONGTYPE"), in code order.
  std::map<std::string, uint64_t, std::less<>> error_counts;
  uint64_t peak_memory = 0;  // INFO used_memory_peak

  // Counts one error reply; `reply` is the RESP bytes from the '-' on (server_stats.cc).
  void CountErrorReply(std::string_view reply);
};

class Listener;
class CommandContext;
class Scripting;
class Aof;

class Server : public KeyspaceListener {
 public:
  explicit Server(ServerConfig config);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Applies the config's rename-command lines. Returns an error message, or "" on success.
  std::string ApplyCommandRenames();
  // Opens the listening sockets. Returns false (after logging why) if none could be opened.
  bool Listen();
  // CONFIG SET port / bind: listens on config().port and config().bind instead of the TCP
  // addresses open now, which are closed once the new ones are open (or first, when the
  // port stays the same, since they would hold it). A no-op if they did not change.
  // Returns false, listening on no TCP address, if the new ones cannot all be opened.
  bool ReopenTcpListeners();
  // Runs the event loop until SHUTDOWN or a signal.
  void Run();
  void RequestShutdown() { loop_.Stop(); }
  // Runs the event loop again after a shutdown that could not complete (a signal's save
  // failed): the server goes on serving, as Redis does.
  void ContinueAfterFailedShutdown() {
    shutdown_signal_ = 0;
    loop_.Resume();
    loop_.Run();
  }

  // --- state for commands ---
  ServerConfig& config() { return config_; }
  const ConfigRegistry& config_registry() const { return config_registry_; }
  ConfigRegistry& config_registry() { return config_registry_; }
  EventLoop& loop() { return loop_; }
  CommandTable& commands() { return commands_; }
  Database& db(int index) { return databases_[index]; }
  int db_count() const { return static_cast<int>(databases_.size()); }
  KeyspaceStats& keyspace_stats() { return keyspace_stats_; }
  ServerStats& stats() { return stats_; }
  const std::map<uint64_t, Client*>& clients() const { return clients_; }
  Client* FindClient(uint64_t id);
  FastRng& rng() { return rng_; }
  // The cached "now" for the command being executed (one clock read per command).
  int64_t now_ms() const { return now_ms_; }
  int64_t start_time_ms() const { return start_time_ms_; }
  const std::string& run_id() const { return run_id_; }
  // The access clock a value gets when it is created (db/access_clock.h): Redis's LRU clock,
  // or under an LFU maxmemory-policy the LFU stamp with the initial counter.
  uint64_t lru_clock() const {
    return lfu_policy() ? LfuInitialStamp(now_ms_) : LruClockFromMs(now_ms_);
  }
  bool lfu_policy() const {
    return IsLfuPolicy(config_.eviction_policy);
  }
  // Redis's per-access update of a value's clock (lookups, TOUCH): the LRU clock, or the
  // decayed and logarithmically incremented LFU counter.
  void TouchValue(Value& v) {
    if (!lfu_policy()) return v.set_lru(LruClockFromMs(now_ms_));
    const double r = static_cast<double>(rng_.Next() >> 11) * 0x1.0p-53;
    v.set_lru(LfuTouch(v.lru(), now_ms_, config_.lfu_log_factor, config_.lfu_decay_time, r));
  }
  int tcp_port() const { return config_.port; }

  // Marks `client` for closing; it is freed between loop iterations.
  void CloseClientAsync(Client* client);

  // CLIENT PAUSE: until `until_ms`, commands (only writes when `writes_only`) of normal
  // clients wait unexecuted in their query buffers; UnpauseClients resumes them.
  void PauseClients(int64_t until_ms, bool writes_only);
  void UnpauseClients();
  bool clients_paused() const { return pause_until_ms_ != 0; }

  // MONITOR (monitor.cc): `client` receives every command executed from now on.
  void AddMonitor(Client* client);
  void RemoveMonitor(Client* client);
  // Sends the command `client` just executed to the monitors, as Redis formats it.
  void FeedMonitors(const Client& client, std::span<const std::string_view> argv);

  // CONFIG RESETSTAT (server_stats.cc): clears server, keyspace, command and error stats.
  void ResetStats();

  // The config file the server was started with (absolute), or empty.
  const std::string& config_file() const { return config_file_; }
  void set_config_file(std::string path) { config_file_ = std::move(path); }

  // DEBUG SET-ACTIVE-EXPIRE: when false the cron leaves expired keys to lazy expiry.
  bool active_expire_enabled = true;
  // DEBUG PAUSE-CRON: while true the cron does nothing (a test knob, as in Redis).
  bool cron_paused = false;
  // DEBUG SET-SKIP-CHECKSUM-VALIDATION: RESTORE skips the payload's CRC (fuzzing the decoders).
  bool skip_checksum_validation = false;

  // SIGTERM/SIGINT: the signal handler records the signal; the cron stops the event loop
  // (Redis's shutdown_asap), so that SHUTDOWN ABORT can still cancel it meanwhile.
  void NoteShutdownSignal(int sig) { shutdown_signal_ = sig; }
  int shutdown_signal() const { return shutdown_signal_; }
  // SHUTDOWN ABORT: forgets a pending signal; false if there was none.
  bool AbortSignalShutdown() {
    if (shutdown_signal_ == 0) return false;
    shutdown_signal_ = 0;
    return true;
  }

  // RDB snapshots: state for SAVE/BGSAVE/LASTSAVE/INFO (persistence/snapshot.h acts on it).
  PersistenceState& persistence() { return persistence_; }
  // The append-only file (persistence/aof_writer.h).
  Aof& aof() { return *aof_; }
  // While the dataset loads at startup: serves pending client events once (most commands get
  // -LOADING) and frees the clients that disconnected (server_loading.cc).
  void ProcessEventsWhileLoading();

  // --- Pub/Sub (pubsub.h; delivery in pubsub.cc) ---
  PubSubRegistry& pubsub() { return pubsub_; }
  // Sends `message` to the subscribers of `channel` (shard channels when `shard`; otherwise
  // also to matching patterns) and returns how many received it. Usable from anywhere in
  // the server (keyspace notifications): it only appends to reply buffers and queues writes.
  size_t Publish(std::string_view channel, std::string_view message, bool shard = false);

  // --- client-side caching (tracking.h) ---
  Tracking& tracking() { return tracking_; }

  // --- maxmemory, SLOWLOG, LATENCY (eviction.h, slowlog.h, latency_monitor.h) ---
  Evictor& evictor() { return evictor_; }
  SlowLog& slowlog() { return slowlog_; }
  LatencyMonitor& latency_monitor() { return latency_monitor_; }
  LazyFreer& lazyfree() { return lazyfree_; }
  // MIGRATE's cached connections to target instances.
  MigrateConnections& migrate_connections() { return migrate_connections_; }
  // INFO used_memory_startup: used memory once the server was set up.
  uint64_t startup_memory() const { return startup_memory_; }

  // --- keyspace notifications (notify.h; notify.cc) ---
  // Redis's notifyKeyspaceEvent: publishes `event` on __keyspace@<db>__:<key> and `key` on
  // __keyevent@<db>__:<event> when notify-keyspace-events enables `type_class` (and K / E).
  void NotifyKeyspaceEvent(int type_class, std::string_view event, std::string_view key, int db);
  // Raises `event` (a literal: kept by reference) now, or holds it until the running
  // command ends (see notify.h). `precedes_default`: "new"/"expired", which come before the
  // command's own event. One flag test when the class is off.
  void RaiseKeyspaceEvent(KeyspaceEvent event, std::string_view key, int db,
                          bool precedes_default = false) {
    if ((config_.notify_keyspace_flags & event.type_class) == 0) return;
    QueueKeyspaceEvent(event, key, db, precedes_default);
  }
  // Installs the list a command's events are held in (nullptr: publish at once); returns the
  // previous one (EXEC runs commands inside a command).
  PendingKeyspaceEvents* ExchangePendingEvents(PendingKeyspaceEvents* events) {
    std::swap(events, pending_events_);
    return events;
  }
  // After a command ran: adds its default event from the table (when it reported changes)
  // and publishes the events it raised, in Redis's order.
  void FlushKeyspaceEvents(CommandContext& ctx);

  // --- client-output-buffer-limit (output_buffer_limits.cc) ---
  // Called after replies were appended to `c`: closes it asynchronously (and logs it) once
  // its pending output is over its class's hard limit, or has stayed over the soft limit
  // for longer than the soft seconds. Inline: for a client under every limit this is a few
  // compares.
  void CheckOutputBufferLimits(Client* c) {
    const ClientBufferLimit& limit = config_.client_output_buffer_limits[static_cast<int>(
        c->subscription_count() != 0 ? ClientClass::kPubsub : ClientClass::kNormal)];
    size_t used = c->pending_output();
    if ((limit.hard_limit_bytes != 0 && used >= limit.hard_limit_bytes) ||
        (limit.soft_limit_bytes != 0 && used >= limit.soft_limit_bytes) ||
        c->obuf_soft_limit_reached_ms != 0) {
      EnforceOutputBufferLimits(c);
    }
  }

  // --- propagation to AOF and replicas (propagation.h) ---
  Propagator& propagator() { return propagator_; }
  // Whether the running command's effects are recorded: a sink is attached and the
  // dataset is not being loaded (commands replayed from a file are not fed back).
  bool propagating() const { return propagator_.enabled() && !persistence_.loading; }
  // A key left without a command naming it (expiry, eviction): propagates DEL, or UNLINK
  // when `lazy`, as part of the running call, or as a batch of its own outside one.
  void PropagateDeletion(int db, std::string_view key, bool lazy);

  // --- called by Client ---
  void ProcessInput(Client* client);
  // The hashes of the first keys of a RequestBatch's requests, in request order.
  using BatchKeyHashes = std::array<uint64_t, RequestBatch::kMaxRequests>;
  // Before a batch of pipelined requests runs: hashes each one's first key (the argument
  // after the command name) into `hashes`, for its command to reuse, and prefetches the keys.
  void PrefetchBatchKeys(const Client& client, const RequestBatch& batch,
                         BatchKeyHashes* hashes) const;
  void QueueWrite(Client* client);

  // What ProcessInput already knows about a pipelined command it runs, and learns back.
  struct PipelinedCall {
    int64_t start_us = 0;               // the previous command's end: its start (0: unknown)
    std::optional<uint64_t> key_hash;   // KeyHash(argv[1]), from the batch prefetch
    int64_t end_us = 0;                 // out: when it ended (stays 0 if refused unrun)
  };
  // Runs one command for `client`; `argv` includes the command name. Returns true when the
  // command blocked the client (see blocking.h). `reprocessing`: the re-execution of a
  // blocked client's command after one of its keys became ready. `pipelined`: from
  // ProcessInput, to save a clock read and a key hash per command.
  bool Execute(Client* client, std::span<const std::string_view> argv, bool reprocessing = false,
               PipelinedCall* pipelined = nullptr);

  // --- scripting (scripting/scripting.h; server_scripting.cc) ---
  // Lua scripts and functions; created on first use.
  Scripting& scripting();
  // While a script runs the clock stays at its start, as inside EXEC.
  void FreezeClock(bool on) { exec_depth_ += on ? 1 : -1; }
  // Inside EXEC or a script: forking now would split the call's effects between the child's
  // snapshot and what is propagated after it (Redis's server.in_exec).
  bool in_exec() const { return exec_depth_ > 0; }
  // Serves other clients' pending events once, without sleeping (Redis's
  // processEventsWhileBlocked): a busy script calls it from its hook.
  void ProcessEventsWhileBlocked();
  bool has_monitors() const { return !monitors_.empty(); }

  // --- blocking (blocking.h; server_blocking.cc) ---
  // A write made `key` of database `db` possibly ready for clients blocked on it.
  void SignalKeyReady(int db, std::string_view key) { blocking_.SignalKeyReady(db, key); }
  // Every key of database `db` that clients wait on may be ready (SWAPDB).
  void SignalDatabaseReady(int db) { blocking_.SignalDatabaseReady(db); }
  // Serves clients blocked on keys signalled ready, until no key is ready.
  void HandleReadyKeys();
  // CLIENT UNBLOCK: ends `client`'s wait with its timeout reply, or with -UNBLOCKED when
  // `with_error`. Returns false if it was not blocked.
  bool UnblockClientByRequest(Client* client, bool with_error);
  size_t blocked_clients() const { return blocked_clients_; }

  // --- transactions (watch.h; server_multi.cc) ---
  // WATCH `key` in the client's current database.
  void Watch(Client* client, std::string_view key);
  void UnwatchAll(Client* client);
  // A write changed `key` of database `db`: clients watching it will fail their EXEC.
  void TouchWatchedKey(int db, std::string_view key);
  // Redis's signalModifiedKey: `writer` (nullptr: the server itself) changed `key` of
  // database `db`. Touches WATCHes, invalidates client-side caches, and tells blocked
  // clients (whose key may now be served, deleted or retyped). The dispatcher calls it for
  // a write command's written keys (CommandSpec::written_keys); commands whose changes it
  // cannot tell (kNone) call it through CommandContext::KeyModified.
  void SignalModifiedKey(Client* writer, int db, std::string_view key);
  // FLUSHDB/FLUSHALL (replaced_with < 0) and SWAPDB (before swapping `emptied` with
  // `replaced_with`): touches the watched keys of `emptied` whose state the operation
  // changes, as Redis's touchAllWatchedKeysInDb.
  void TouchWatchedKeysInDb(int emptied, int replaced_with = -1);
  // EXEC: runs the client's queued commands, or answers EXECABORT / a null array.
  void ExecTransaction(Client* client);
  // DISCARD (and EXEC's end, RESET, disconnect): leaves MULTI and unwatches everything.
  void DiscardTransaction(Client* client);
  size_t blocking_keys() const { return blocking_.blocked_keys(); }

  // Called by listeners for each accepted connection.
  void AcceptClient(int fd, ConnKind kind);

 private:
  // A protocol error in what `client` sent: replies Redis's "ERR Protocol error: ..." and
  // closes the connection once the reply is sent.
  void RejectMalformedRequest(Client* client);
  void InstallConfigHooks();
  // After a command ran: its commandstats, latency histogram, SLOWLOG, MONITOR and errorstats.
  void CountCall(Client& client, const CommandSpec& spec, std::span<const std::string_view> argv,
                 int64_t usec, size_t reply_start, bool reprocessing);
  // After a command ran: SLOWLOG and the latency monitor's "command" events (slowlog.cc).
  void RecordSlowCommand(const Client& client, const CommandSpec& spec,
                         std::span<const std::string_view> argv, int64_t usec);
  void EnforceOutputBufferLimits(Client* c);
  // RaiseKeyspaceEvent once the class is known to be enabled (notify.cc).
  void QueueKeyspaceEvent(KeyspaceEvent event, std::string_view key, int db,
                          bool precedes_default);
  // The cron's pass: soft limits expire while no reply is appended.
  void CheckAllOutputBufferLimits();
  int64_t Cron();
  void BeforeSleep();
  void FreeClosedClients();
  void HandleClientWrites();
  // With batched I/O (EventLoop::batch_io): sends every pending client's replies in one
  // submission; FlushReplies then finishes what a full socket buffer left.
  void SendRepliesBatched();
  void CheckClientTimeouts();
  bool ShouldPause(std::string_view command_name) const;
  void ResumePausedClients();
  void BlockClient(Client* client, BlockRequest request, std::span<const std::string_view> argv);
  // Takes `client` out of the queues and cancels its timer; its pending input runs in
  // BeforeSleep.
  void UnblockClient(Client* client);
  void OnBlockTimeout(Client* client);
  // Ends the wait of an unblock_on_nokey client whose key is gone, with Redis's error.
  void UnblockClientOnNoKey(Client* client);

  void ProcessUnblockedClients();
  // KeyspaceListener: an expiring key is a modified key to WATCH.
  void OnKeyExpiring(Database& db, std::string_view key) override;
  // KeyspaceListener: "new" (notify.cc).
  void OnKeyAdded(Database& db, std::string_view key) override;
  // KeyspaceListener: "hexpired" (and "del" when emptied; WATCH sees it as an expiry).
  void OnHashFieldsExpired(Database& db, std::string_view key, bool emptied) override;
  // KeyspaceListener: lazyfree-lazy-server-del, and an overwritten key keeps its LFU counter.
  void OnValueDropping(Database& db, Value& old_value, Value* replacement) override;
  bool ExpiryAllowed() const override { return !persistence_.loading; }
  // WATCH's side of a key leaving by expiry.
  void TouchExpiringKey(Database& db, std::string_view key);
  // True if a key `client` watched while it existed has logically expired since.
  bool WatchedKeyExpired(Client* client);

  ServerConfig config_;
  ConfigRegistry config_registry_;
  EventLoop loop_;
  CommandTable commands_;
  std::vector<std::unique_ptr<Listener>> listeners_;
  // Opens a TCP listener per address of `bind` on `port` (none when port is 0), as Redis's
  // listenToPort: optional ("-addr") ones may fail. On failure logs why and opens none.
  bool OpenTcpListeners(int port, const std::vector<std::string>& bind,
                        std::vector<std::unique_ptr<Listener>>* out);
  // The port and addresses the TCP listeners were opened for (port -1: none open).
  int tcp_listen_port_ = -1;
  std::vector<std::string> tcp_listen_bind_;
  // Closed listeners kept alive until the loop finished the events it already fetched.
  std::vector<std::unique_ptr<Listener>> retired_listeners_;
  std::map<uint64_t, Client*> clients_;
  std::vector<Client*> pending_writes_;
  std::vector<Client*> closing_;
  uint64_t next_client_id_ = 1;

  KeyspaceStats keyspace_stats_;
  std::vector<Database> databases_;
  ServerStats stats_;
  FastRng rng_;
  int64_t now_ms_ = 0;
  int64_t start_time_ms_ = 0;
  std::string run_id_;
  std::string config_file_;
  int cron_db_cursor_ = 0;
  std::vector<Client*> monitors_;

  int64_t pause_until_ms_ = 0;
  bool pause_writes_only_ = false;
  EventLoop::TimerId pause_timer_ = 0;
  std::vector<uint64_t> paused_clients_;  // ids: a paused client may be freed meanwhile

  PubSubRegistry pubsub_;
  Tracking tracking_{*this};
  BlockingRegistry blocking_;
  size_t blocked_clients_ = 0;
  std::vector<uint64_t> unblocked_clients_;  // ids whose pipelined input waits to run
  bool handling_ready_keys_ = false;

  PendingKeyspaceEvents* pending_events_ = nullptr;  // the running command's, if any

  WatchRegistry watches_;
  PersistenceState persistence_;
  volatile sig_atomic_t shutdown_signal_ = 0;
  std::unique_ptr<Aof> aof_;
  Evictor evictor_{*this};
  SlowLog slowlog_;
  LatencyMonitor latency_monitor_;
  LazyFreer lazyfree_;
  MetricsHttp metrics_http_{*this};
  MigrateConnections migrate_connections_;
  uint64_t startup_memory_ = 0;
  int exec_depth_ = 0;  // > 0 while EXEC runs queued commands: the clock stays frozen
  // Commands running (nested inside EXEC and scripts): the propagated batch is flushed
  // when the outermost one ends.
  int call_depth_ = 0;
  std::vector<Client*> batched_senders_;  // SendRepliesBatched's, kept for its capacity
  Propagator propagator_;
  std::unique_ptr<Scripting> scripting_;
};

}  // namespace basalt
