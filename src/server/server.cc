#include "server/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>
#include <random>
#include <utility>

#include "commands/registry.h"
#include "persistence/aof_writer.h"
#include "persistence/background_snapshot.h"
#include "persistence/child_process.h"
#include "persistence/snapshot.h"
#include "server/command_context.h"
#include "server/listener.h"
#include "server/log.h"
#include "server/proc_title.h"
#include "scripting/script_run.h"
#include "scripting/scripting.h"
#include "util/memory.h"

namespace basalt {
namespace {

std::string RandomHex(size_t len) {
  std::random_device rd;
  std::mt19937_64 gen(rd());
  static const char kHex[] = "0123456789abcdef";
  std::string out(len, '0');
  for (char& c : out) c = kHex[gen() & 15];
  return out;
}

std::string PeerName(int fd, ConnKind kind, bool local) {
  if (kind == ConnKind::kUnix) return "/unixsocket:0";
  sockaddr_storage sa{};
  socklen_t len = sizeof(sa);
  int rc = local ? getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len)
                 : getpeername(fd, reinterpret_cast<sockaddr*>(&sa), &len);
  if (rc != 0) return "?:0";
  char ip[INET6_ADDRSTRLEN] = "?";
  int port = 0;
  if (sa.ss_family == AF_INET) {
    auto* s = reinterpret_cast<sockaddr_in*>(&sa);
    inet_ntop(AF_INET, &s->sin_addr, ip, sizeof(ip));
    port = ntohs(s->sin_port);
  } else if (sa.ss_family == AF_INET6) {
    auto* s = reinterpret_cast<sockaddr_in6*>(&sa);
    inet_ntop(AF_INET6, &s->sin6_addr, ip, sizeof(ip));
    port = ntohs(s->sin6_port);
  }
  return std::string(ip) + ":" + std::to_string(port);
}

bool IsLoopback(const std::string& addr) {
  return addr.rfind("127.", 0) == 0 || addr.rfind("::1:", 0) == 0 || addr[0] == '/';
}

}  // namespace

uint64_t ServerStats::InstantaneousOps() const {
  uint64_t sum = 0;
  for (uint64_t s : ops_samples) sum += s;
  return sum / kSamples;
}

Server::Server(ServerConfig config) : config_(std::move(config)) {
  databases_.reserve(config_.databases);
  for (int i = 0; i < config_.databases; ++i) databases_.emplace_back(i, &keyspace_stats_);
  for (Database& db : databases_) {
    db.set_listener(this);
    db.SetExpandAllowed(&Evictor::KeyTableExpandAllowed, &evictor_);
  }
  RegisterAllCommands(commands_);
  start_time_ms_ = EventLoop::NowMs();
  now_ms_ = start_time_ms_;
  run_id_ = RandomHex(40);
  loop_.set_before_sleep([this] { BeforeSleep(); });
  InstallConfigHooks();
  aof_ = std::make_unique<Aof>(*this);
}

// What CONFIG SET must do beyond storing the value.
void Server::InstallConfigHooks() {
  config_registry_.SetApplyHook({"dir"}, ChdirToConfigDir);
  // Lowering maxmemory evicts at once (Redis's updateMaxmemory).
  config_registry_.SetApplyHook({"maxmemory"}, [this](ServerConfig& c, std::string*) {
    if (c.maxmemory != 0) evictor_.Kick();
    return true;
  });
  config_registry_.SetApplyHook({"metrics-port"}, [this](ServerConfig& c, std::string* err) {
    const int old_port = metrics_http_.port();
    if (c.metrics_port == old_port) return true;
    std::string error;
    if (metrics_http_.Listen(c.metrics_port, &error)) return true;
    *err = "Unable to listen on the metrics port: " + error;
    metrics_http_.Listen(old_port, &error);  // the old value is restored: serve it again
    return false;
  });
  latency_monitor_.set_threshold(config_.latency_monitor_threshold);
  config_registry_.SetApplyHook({"latency-monitor-threshold"}, [this](ServerConfig& c,
                                                                      std::string*) {
    latency_monitor_.set_threshold(c.latency_monitor_threshold);
    return true;
  });
  // Redis re-listens on the new port or addresses; if that fails, CONFIG SET fails and every
  // value (so the old port, listened on again) is restored.
  config_registry_.SetApplyHook({"port"}, [this](ServerConfig&, std::string* err) {
    if (ReopenTcpListeners()) return true;
    *err = "Unable to listen on this port. Check server logs.";
    return false;
  });
  config_registry_.SetApplyHook({"bind"}, [this](ServerConfig&, std::string* err) {
    if (ReopenTcpListeners()) return true;
    *err = "Failed to bind to specified addresses.";
    return false;
  });
  config_registry_.SetApplyHook({"loglevel", "logfile"}, [](ServerConfig& c, std::string*) {
    LogLevel level = LogLevel::kNotice;
    ParseLogLevel(c.loglevel, &level);
    SetLogTarget(level, c.logfile);
    return true;
  });
  // The registry has already refused invalid templates (at load time too); the error here
  // is a safety net should expansion still fail. Like Redis 7.0, a new template is shown
  // even under `set-proc-title no` (which only stops the title being set at startup).
  config_registry_.SetApplyHook(
      {"proc-title-template", "set-proc-title"}, [this](ServerConfig& c, std::string* err) {
        if (SetServerProcTitle(c.proc_title_template, ProcTitleVars{&c, config_file_, false})) {
          return true;
        }
        *err = std::string(kProcTitleTemplateError);
        return false;
      });
}

Server::~Server() {
  // A fork-less snapshot watches the databases: stop it while they exist.
  persistence_.in_process_child.reset();
  // Stop listening before dropping the connections: a client that sees its connection
  // close (SHUTDOWN's) must find the port closed too, as when Redis exits.
  listeners_.clear();
  for (auto& [id, client] : clients_) delete client;
  for (Client* c : closing_) {
    if (clients_.count(c->id) == 0) delete c;
  }
}

std::string Server::ApplyCommandRenames() {
  for (const auto& [from, to] : config_.renamed_commands) {
    if (!commands_.Rename(from, to)) return "No such command in rename-command";
  }
  return "";
}

void Server::Run() {
  // Redis creates its Lua VM at startup: make ours now too, so that it counts in
  // used_memory_startup instead of appearing as growth at the first INFO (which would eat
  // into any maxmemory set from an earlier reading).
  scripting();
  RefreshUsedMemory();
  startup_memory_ = CachedUsedMemory();
  loop_.AddTimer(1, [this] { return Cron(); });
  if (loop_.EnableBatchedIo()) {
    Log(LogLevel::kNotice, "Client reads and writes go through io_uring, batched per loop turn");
  }
  loop_.Run();
}

Client* Server::FindClient(uint64_t id) {
  auto it = clients_.find(id);
  return it == clients_.end() ? nullptr : it->second;
}

void Server::AcceptClient(int fd, ConnKind kind) {
  ++stats_.total_connections_received;
  if (clients_.size() >= static_cast<size_t>(config_.maxclients)) {
    static const char kMsg[] = "-ERR max number of clients reached\r\n";
    (void)!write(fd, kMsg, sizeof(kMsg) - 1);
    close(fd);
    ++stats_.rejected_connections;
    return;
  }
  auto* client = new Client(this, fd, next_client_id_++, kind);
  client->addr = PeerName(fd, kind, false);
  client->laddr = PeerName(fd, kind, true);
  if (kind == ConnKind::kTcp) {
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (config_.tcp_keepalive > 0) {
      setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
      int idle = config_.tcp_keepalive;
      int interval = idle / 3 > 0 ? idle / 3 : 1;
      int count = 3;
      setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle));
      setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof(interval));
      setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof(count));
    }
  }
  client->authenticated = config_.requirepass.empty();
  client->ctime_ms = client->last_interaction_ms = EventLoop::NowMs();
  clients_[client->id] = client;
  loop_.Add(fd, client);
  if (config_.protected_mode && config_.requirepass.empty() && kind == ConnKind::kTcp &&
      !IsLoopback(client->addr)) {
    client->reply.Error(
        "DENIED Redis is running in protected mode because protected mode is enabled and no "
        "password is set for the default user. In this mode connections are only accepted "
        "from the loopback interface. If you want to connect from external computers to "
        "Redis you may adopt one of the following solutions: 1) Just disable protected mode "
        "sending the command 'CONFIG SET protected-mode no' from the loopback interface by "
        "connecting to Redis from the same host the server is running, however MAKE SURE "
        "Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to "
        "make this change permanent. 2) Alternatively you can just disable the protected "
        "mode by editing the Redis configuration file, and setting the protected mode option "
        "to 'no', and then restarting the server. 3) If you started the server manually just "
        "for testing, restart it with the '--protected-mode no' option. 4) Set up an "
        "authentication password for the default user. NOTE: You only need to do one of the "
        "above things in order for the server to start accepting connections from the "
        "outside.");
    client->close_after_reply = true;
    QueueWrite(client);
  }
}

void Server::CloseClientAsync(Client* client) {
  if (client->close_asap) return;
  client->close_asap = true;
  closing_.push_back(client);
}

void Server::FreeClosedClients() {
  for (Client* c : closing_) {
    loop_.Remove(c->fd);
    clients_.erase(c->id);
    if (c->monitor) RemoveMonitor(c);
    pubsub_.RemoveClient(c);
    tracking_.Disable(*c);
    UnblockClient(c);
    evictor_.ForgetClient(*c);
    delete c;
  }
  closing_.clear();
}

void Server::QueueWrite(Client* client) {
  if (client->close_asap) return;
  CheckOutputBufferLimits(client);
  if (client->pending_write || client->close_asap) return;
  client->pending_write = true;
  pending_writes_.push_back(client);
}

void Server::SendRepliesBatched() {
  BatchIo* batch = loop_.batch_io();
  // A lone write costs one system call either way: FlushReplies does it.
  if (batch == nullptr || pending_writes_.size() < 2) return;
  batched_senders_.clear();
  for (Client* c : pending_writes_) {
    if (c->close_asap || c->fd < 0 || !c->has_pending_replies()) continue;
    batch->QueueSend(c->fd, c->reply_buf.data() + c->reply_sent, c->pending_output());
    batched_senders_.push_back(c);
  }
  if (batched_senders_.empty()) return;
  const std::vector<ssize_t>& results = batch->Submit();
  for (size_t i = 0; i < batched_senders_.size(); ++i) {
    Client* c = batched_senders_[i];
    if (results[i] > 0) {
      c->CountSent(static_cast<size_t>(results[i]));
    } else if (results[i] != -EAGAIN && results[i] != -EINTR) {
      CloseClientAsync(c);
    }
  }
}

void Server::HandleClientWrites() {
  // The AOF goes to disk before any reply acknowledges what it holds (appendfsync always).
  aof_->FlushBeforeReplies();
  // What the batch could not send (a full socket buffer) goes through FlushReplies below.
  SendRepliesBatched();
  for (Client* c : pending_writes_) {
    c->pending_write = false;
    if (c->close_asap) continue;
    if (!c->FlushReplies()) {
      CloseClientAsync(c);
      continue;
    }
    evictor_.UpdateClientMemory(*c);  // its reply buffer grew, or was sent and shrank
    if (c->has_pending_replies()) {
      if (!c->want_write_event) {
        loop_.SetWantWrite(c->fd, c, true);
        c->want_write_event = true;
      }
    } else if (c->close_after_reply) {
      CloseClientAsync(c);
    }
  }
  pending_writes_.clear();
}

void Server::BeforeSleep() {
  if (pause_until_ms_ == 0 && !paused_clients_.empty()) ResumePausedClients();
  // Served blocked clients run what they pipelined behind their blocking command; that may
  // serve (and unblock) others, hence the loop.
  while (!unblocked_clients_.empty()) ProcessUnblockedClients();
  HandleClientWrites();
  evictor_.EvictClientsIfNeeded();
  FreeClosedClients();
  // A fork-less BGSAVE or AOF rewrite writes a slice per turn, after the clients' work.
  if (persistence_.in_process_child != nullptr) {
    const int64_t wait_ms = StepInProcessChild(*this);
    if (wait_ms >= 0) loop_.LimitNextWait(wait_ms);
  }
}

void Server::PrefetchBatchKeys(const Client& client, const RequestBatch& batch,
                               BatchKeyHashes* hashes) const {
  const Database& db = databases_[client.db_index];
  // Each step needs the previous one's line: the bucket slot gives the entry's address, the
  // entry the value's. Running each step over the whole batch first overlaps the misses.
  for (size_t i = 0; i < batch.count; ++i) {
    const std::span<const std::string_view> args = batch.request(i);
    (*hashes)[i] = Database::KeyHashOf(args.size() > 1 ? args[1] : std::string_view());
    db.PrefetchBucket((*hashes)[i]);
  }
  for (size_t i = 0; i < batch.count; ++i) db.PrefetchEntry((*hashes)[i]);
  for (size_t i = 0; i < batch.count; ++i) db.PrefetchValue((*hashes)[i]);
}

void Server::RejectMalformedRequest(Client* client) {
  const size_t reply_start = client->reply_buf.size();
  client->reply.Error("ERR " + client->parser.error());
  stats_.CountErrorReply(std::string_view(client->reply_buf).substr(reply_start));
  Log(LogLevel::kVerbose, "Protocol error (%s) from client: id=%llu addr=%s",
      client->parser.error().c_str(), static_cast<unsigned long long>(client->id),
      client->addr.c_str());
  client->close_after_reply = true;
  client->parser.Reset();
}

void Server::ProcessInput(Client* client) {
  const bool outer_processing = std::exchange(client->processing_input, true);
  ParserLimits limits;
  limits.max_bulk_len = config_.proto_max_bulk_len;
  limits.authenticated = client->authenticated;
  // Whole requests parsed ahead, up to 16 at a time, with their first keys' hashes: the
  // keys are prefetched before the first of them runs, and each command hashes its key once.
  RequestBatch batch;
  BatchKeyHashes key_hashes;
  size_t next = 0;  // the batch's next request
  int64_t previous_end_us = 0;  // when the previous command of this batch ended
  while (!client->close_asap && !client->close_after_reply && !client->blocked &&
         !client->query.empty()) {
    if (next == batch.count && !client->parser.in_progress()) {
      RequestParser::ParseAhead(client->query.unread(), limits, &batch);
      next = 0;
      // A single request has no misses to overlap.
      if (batch.count > 1) PrefetchBatchKeys(*client, batch, &key_hashes);
    }
    std::span<const std::string_view> args;
    size_t consumed;
    // The previous command's end is this one's start: one clock read per command.
    PipelinedCall call{.start_us = previous_end_us};
    const bool from_batch = next < batch.count;  // else the parser has it
    if (from_batch) {
      args = batch.request(next);
      consumed = batch.bytes[next];
      if (batch.count > 1 && args.size() > 1) call.key_hash = key_hashes[next];
      ++next;
    } else {
      // What the batch could not take: partial, inline, long or malformed requests.
      const auto status = client->parser.Parse(client->query.unread(), limits);
      if (status == RequestParser::Status::kNeedMore) break;
      if (status == RequestParser::Status::kError) {
        RejectMalformedRequest(client);
        break;
      }
      consumed = client->parser.consumed();
      if (status == RequestParser::Status::kEmpty) {
        client->query.Consume(consumed);
        client->parser.Reset();
        continue;
      }
      args = client->parser.args();
    }
    if (pause_until_ms_ != 0 && ShouldPause(args[0])) {
      // Leave the command in the buffer; UnpauseClients parses it again.
      client->parser.Reset();
      paused_clients_.push_back(client->id);
      break;
    }
    // Blocking copies the arguments, so the command can leave the buffer either way.
    Execute(client, args, /*reprocessing=*/false, &call);
    previous_end_us = call.end_us;
    CheckOutputBufferLimits(client);
    // Not while a busy script serves others: its writes are not done yet (Redis's
    // isInsideYieldingLongCommand); the keys are served once it returns.
    if (blocking_.has_ready_keys() && !(scripting_ != nullptr && scripting_->busy())) {
      HandleReadyKeys();
      previous_end_us = 0;  // others' commands ran since: read the clock again
    }
    client->query.Consume(consumed);
    if (!from_batch) client->parser.Reset();
    // AUTH, HELLO, RESET or CONFIG SET changed the limits the rest of the batch was parsed
    // under.
    if (client->authenticated != limits.authenticated ||
        config_.proto_max_bulk_len != limits.max_bulk_len) {
      limits.authenticated = client->authenticated;
      limits.max_bulk_len = config_.proto_max_bulk_len;
      batch.count = next;
    }
  }
  client->processing_input = outer_processing;
  if (!client->close_asap &&
      client->query.size() > static_cast<size_t>(config_.client_query_buffer_limit)) {
    Log(LogLevel::kWarning, "Closing client that reached max query buffer length: id=%llu addr=%s",
        static_cast<unsigned long long>(client->id), client->addr.c_str());
    ++stats_.client_qbuf_limit_disconnections;
    CloseClientAsync(client);
    return;
  }
  if (client->query.empty()) client->query.ShrinkIfIdle(64 * 1024);
  evictor_.UpdateClientMemory(*client);  // its query buffer grew with what it sent
  client->last_interaction_ms = now_ms_;
  if (client->has_pending_replies()) QueueWrite(client);
}

namespace {

// "unknown command 'foo', with args beginning with: 'a' 'b' " as Redis 7 formats it.
std::string UnknownCommandError(std::span<const std::string_view> argv) {
  std::string args;
  for (size_t i = 1; i < argv.size() && args.size() < 128; ++i) {
    size_t room = 128 - args.size();
    args += "'" + std::string(argv[i].substr(0, room)) + "' ";
  }
  return "ERR unknown command '" + std::string(argv[0].substr(0, 128)) +
         "', with args beginning with: " + args;
}

// The commands a client in MULTI runs at once instead of queueing (Redis's list).
bool IsTransactionControl(const CommandSpec& spec) {
  const std::string& name = spec.parent ? spec.parent->name : spec.name;
  return name == "exec" || name == "discard" || name == "multi" || name == "watch" ||
         name == "quit" || name == "reset";
}

// The commands a RESP2 client may run while subscribed (Redis's list).
bool AllowedWhileSubscribed(const CommandSpec& spec) {
  const std::string& name = spec.name;
  return name == "ping" || name == "subscribe" || name == "ssubscribe" || name == "unsubscribe" ||
         name == "sunsubscribe" || name == "psubscribe" || name == "punsubscribe" ||
         name == "quit" || name == "reset";
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

// Inlined: it runs after every command.
[[gnu::always_inline]] inline void Server::CountCall(Client& client, const CommandSpec& spec,
                       std::span<const std::string_view> argv, int64_t usec, size_t reply_start,
                       bool reprocessing) {
  ++spec.stats.calls;
  spec.stats.usec += usec;
  // Most commands are neither slow enough for SLOWLOG nor is the latency monitor on.
  if ((config_.slowlog_log_slower_than >= 0 && usec >= config_.slowlog_log_slower_than) ||
      latency_monitor_.threshold() > 0) {
    RecordSlowCommand(client, spec, argv, usec);
  }
  // Whole microseconds scaled to ns, as Redis records them (a 1 µs SET reads p50=1.003).
  if (config_.latency_tracking) spec.stats.latency.Record(usec * 1000);
  ++stats_.total_commands_processed;
  ++client.commands_processed;
  if (!reprocessing && !monitors_.empty() && !spec.has(kCmdAdmin | kCmdSkipMonitor)) {
    FeedMonitors(client, argv);
  }
  const bool error_counted = std::exchange(client.reply_error_counted, false);
  if (client.reply_buf.size() > reply_start && client.reply_buf[reply_start] == '-') {
    ++spec.stats.failed_calls;
    if (!error_counted) {
      stats_.CountErrorReply(std::string_view(client.reply_buf).substr(reply_start));
    }
  }
}

bool Server::Execute(Client* client, std::span<const std::string_view> argv, bool reprocessing,
                     PipelinedCall* pipelined) {
  ReplyBuilder& reply = client->reply;
  size_t reply_start = client->reply_buf.size();
  const CommandSpec* spec = commands_.Find(argv[0]);
  if (spec == nullptr) {
    reply.Error(UnknownCommandError(argv));
    stats_.CountErrorReply(std::string_view(client->reply_buf).substr(reply_start));
    if (client->multi) client->multi->aborted = true;
    return false;
  }
  if (!spec->subcommands.empty() && argv.size() >= 2) {
    const CommandSpec* sub = CommandTable::FindSubcommand(*spec, argv[1]);
    if (sub == nullptr) {
      reply.Error("ERR unknown subcommand '" + std::string(argv[1].substr(0, 128)) + "'. Try " +
                  Upper(spec->name) + " HELP.");
      stats_.CountErrorReply(std::string_view(client->reply_buf).substr(reply_start));
      if (client->multi) client->multi->aborted = true;
      return false;
    }
    spec = sub;
  }
  // A command refused before it runs: counted as rejected, never as a call.
  auto reject = [&](std::string_view message) {
    if (spec->parent == nullptr && spec->name == "exec") {
      // A refused EXEC discards the transaction (Redis's execCommandAbort).
      DiscardTransaction(client);
      reply.Error("EXECABORT Transaction discarded because of: " + std::string(message));
    } else {
      reply.Error(message);
    }
    ++spec->stats.rejected_calls;
    stats_.CountErrorReply(std::string_view(client->reply_buf).substr(reply_start));
    // A command refused inside MULTI dooms the transaction (EXECABORT).
    if (client->multi) client->multi->aborted = true;
    return false;
  };
  int argc = static_cast<int>(argv.size());
  if ((spec->arity > 0 && spec->arity != argc) || argc < -spec->arity) {
    return reject("ERR wrong number of arguments for '" + spec->full_name + "' command");
  }
  if (!client->authenticated && !spec->has(kCmdNoAuth)) {
    return reject("NOAUTH Authentication required.");
  }
  if (spec->has(kCmdProtected)) {
    // DEBUG and MODULE run only as `enable-debug-command` / `enable-module-command` allow.
    const CommandSpec& top = spec->parent ? *spec->parent : *spec;
    bool is_debug = top.name == "debug";
    const std::string& setting =
        is_debug ? config_.enable_debug_command : config_.enable_module_command;
    if (setting != "yes" && !(setting == "local" && client->is_local())) {
      std::string name = is_debug ? "DEBUG" : "MODULE";
      std::string option = is_debug ? "enable-debug-command" : "enable-module-command";
      return reject("ERR " + name + " command not allowed. If the " + option +
                    " option is set to \"local\", you can run it from a local connection, "
                    "otherwise you need to set this option in the configuration file, and then "
                    "restart the server.");
    }
  }

  // One wall-clock read gives both the command's cached "now" and its start time (Redis
  // times commands with ustime() too); a clock stepped backwards counts as 0 us.
  // A RESP2 connection that subscribed speaks the Pub/Sub protocol only.
  if (client->reply.resp() == 2 && client->subscription_count() != 0 &&
      !AllowedWhileSubscribed(*spec)) {
    return reject("ERR Can't execute '" + spec->full_name +
                  "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed "
                  "in this context");
  }
  // maxmemory-clients: clients whose buffers grew too big go before any key does (Redis's
  // evictClients in processCommand); a command whose own client went is not run.
  if (config_.maxmemory_clients != 0 && client->fd >= 0 && exec_depth_ == 0) {
    evictor_.UpdateClientMemory(*client);
    evictor_.EvictClientsIfNeeded();
    if (client->close_asap) return false;
  }
  // maxmemory (eviction.h): evict per policy; refuse what could grow memory if that failed.
  // Not for the commands a script runs (the script client has no socket): Redis judges
  // those by the state before the script (Evictor::pre_command_oom).
  if (config_.maxmemory != 0 && exec_depth_ == 0 && !reprocessing && client->fd >= 0 &&
      !evictor_.AdmitCommand(*client, *spec)) {
    return reject(kErrOom);
  }
  // Before the busy check, as Redis: a script replayed from the AOF keeps clients on
  // -LOADING. The AOF client and the scripts it runs are the loading itself.
  if (persistence_.loading && !spec->has(kCmdLoading) && !client->aof_loading &&
      !client->is_script) {
    return reject("LOADING Redis is loading the dataset in memory");
  }
  // A script runs past busy-reply-threshold: only allow-busy commands are served.
  if (scripting_ != nullptr && scripting_->busy() && !spec->has(kCmdAllowBusy) &&
      client != scripting_->script_client()) {
    return reject(scripting_->BusyError());
  }
  // After a failed BGSAVE (stop-writes-on-bgsave-error): -MISCONF for writes, as Redis.
  if (!persistence_.last_bgsave_ok) {
    if (auto misconf = DiskErrorRejection(*this, *spec)) return reject(*misconf);
  }
  if (client->multi) {
    if (spec->has(kCmdNoMulti)) return reject("ERR Command not allowed inside a transaction");
    if (!IsTransactionControl(*spec)) {
      client->multi->commands.emplace_back(argv.begin(), argv.end());
      reply.SimpleString("QUEUED");
      return false;
    }
  }

  const int64_t start_us =
      pipelined != nullptr && pipelined->start_us != 0 ? pipelined->start_us : EventLoop::NowUs();
  // Inside EXEC the clock stays where the transaction started, so that no key expires
  // half-way through it.
  if (exec_depth_ == 0) now_ms_ = start_us / 1000;
  client->last_command = spec;
  CommandContext ctx(*this, *client, *spec, argv);
  const int db_index = client->db_index;
  // CLIENT LIST argv-mem counts the running command's arguments, summed only when asked
  // (EXEC's queued commands run nested, hence the restore).
  const auto outer_argv = std::exchange(client->running_argv, argv);
  // The first key is hashed once for all of the command's lookups (Database::HintKey).
  Database& hinted_db = databases_[db_index];
  if (argc > 1) hinted_db.HintKey(argv[1], pipelined ? pipelined->key_hash : std::nullopt);
  ++call_depth_;
  spec->handler(ctx);
  --call_depth_;
  hinted_db.ClearKeyHint();
  client->running_argv = outer_argv;
  const int64_t end_us = EventLoop::NowUs();
  const int64_t usec = std::max<int64_t>(0, end_us - start_us);
  if (pipelined != nullptr) pipelined->end_us = end_us;
  keyspace_stats_.dirty += ctx.dirty;
  if ((ctx.dirty > 0 || ctx.propagation_forced) && !ctx.propagation_replaced &&
      !client->no_propagation && propagating()) {
    propagator_.Add(db_index, argv);
  }
  if (call_depth_ == 0) propagator_.Flush();
  // Only WATCH, tracking and blocked clients care which keys changed: without them, a write
  // does not pay for computing its key positions (a vector per command).
  const bool key_listeners = !watches_.empty() || tracking_.active() || blocked_clients_ > 0;
  if (ctx.dirty > 0 && key_listeners && spec->written_keys != WrittenKeys::kNone) {
    for (int pos : CommandTable::WrittenKeyPositions(*spec, argv)) {
      SignalModifiedKey(client, client->db_index, argv[pos]);
    }
  }
  if (tracking_.active()) {
    if (client->is_script && spec->has(kCmdReadOnly) && scripting_->running() != nullptr) {
      // As Redis 7.0: a read inside a script counts as a read by the caller's command, so
      // the keys its EVAL/FCALL declares are tracked (the keys the script reads are not).
      const ScriptRun& run = *scripting_->running();
      const std::vector<std::string_view> caller_argv(run.caller_argv.begin(),
                                                      run.caller_argv.end());
      tracking_.RememberKeys(*run.caller, *run.caller->last_command, caller_argv);
    }
    tracking_.AfterCommand(*client, *spec, argv, exec_depth_ > 0);
  }
  if (config_.notify_keyspace_flags != 0 || !ctx.events.empty()) FlushKeyspaceEvents(ctx);
  if (ctx.block) {
    // Not served yet: the call is counted when the client is served or times out. A
    // re-executed command that still waits keeps its place and deadline.
    if (!reprocessing) {
      if (!monitors_.empty()) FeedMonitors(*client, argv);
      BlockClient(client, std::move(*ctx.block), argv);
    }
    return true;
  }

  // A replayed AOF is not counted anywhere (Redis 7.0's loader runs the command procs
  // directly, outside call()): commandstats, SLOWLOG, MONITOR and errorstats see only clients.
  if (!client->aof_loading) CountCall(*client, *spec, argv, usec, reply_start, reprocessing);

  // CLIENT REPLY OFF/SKIP: the reply was built (handlers don't special-case it), now drop it.
  if (client->reply_mode != Client::ReplyMode::kOn) {
    if (client->reply_mode == Client::ReplyMode::kSkip) {
      client->DropRepliesFrom(reply_start);
      client->reply_mode = Client::ReplyMode::kOn;
    } else if (client->reply_mode == Client::ReplyMode::kOff) {
      client->DropRepliesFrom(reply_start);
    } else if (client->reply_mode == Client::ReplyMode::kSkipNext) {
      client->reply_mode = Client::ReplyMode::kSkip;  // the CLIENT REPLY SKIP reply itself
    }
  }
  return false;
}

void Server::PropagateDeletion(int db, std::string_view key, bool lazy) {
  if (!propagating()) return;
  const std::string_view argv[] = {lazy ? "UNLINK" : "DEL", key};
  propagator_.Add(db, argv);
  // Outside a command (active expiry, eviction before a command runs) it goes out alone.
  if (call_depth_ == 0) propagator_.Flush();
}

bool Server::ShouldPause(std::string_view command_name) const {
  if (!pause_writes_only_) return true;
  const CommandSpec* spec = commands_.Find(command_name);
  return spec != nullptr && (spec->has(kCmdWrite) || spec->has(kCmdMayReplicate));
}

void Server::PauseClients(int64_t until_ms, bool writes_only) {
  // A second pause extends, never shortens, the first; ALL wins over WRITE.
  if (pause_until_ms_ == 0 || !writes_only) pause_writes_only_ = writes_only;
  if (until_ms <= pause_until_ms_) return;
  pause_until_ms_ = until_ms;
  if (pause_timer_ != 0) loop_.CancelTimer(pause_timer_);
  pause_timer_ = loop_.AddTimer(until_ms - EventLoop::NowMs(), [this] {
    pause_timer_ = 0;
    UnpauseClients();
    return int64_t{-1};
  });
}

void Server::UnpauseClients() {
  if (pause_timer_ != 0) loop_.CancelTimer(pause_timer_);
  pause_timer_ = 0;
  pause_until_ms_ = 0;
  // The paused clients resume in BeforeSleep, not here: this may run inside a command.
}

void Server::ResumePausedClients() {
  std::vector<uint64_t> ids;
  ids.swap(paused_clients_);
  for (uint64_t id : ids) {
    Client* c = FindClient(id);
    if (c != nullptr && !c->close_asap) ProcessInput(c);
  }
}

void Server::CheckClientTimeouts() {
  if (config_.timeout <= 0) return;
  int64_t limit_ms = static_cast<int64_t>(config_.timeout) * 1000;
  for (auto& [id, c] : clients_) {
    if (c->monitor) continue;  // monitors only listen, as Redis's replicas
    if (c->blocked) continue;  // a blocked client waits for its own deadline
    if (now_ms_ - c->last_interaction_ms > limit_ms) {
      Log(LogLevel::kVerbose, "Closing idle client");
      CloseClientAsync(c);
    }
  }
}

// Expired hash fields removed per database per cron tick at most (Redis 7.4's active expiry
// of hash fields has a similar per-cycle quota); what is left waits for the next tick, and
// commands never see expired fields meanwhile (lazy expiry on lookup).
constexpr size_t kHashFieldsPerCronSlice = 1000;

int64_t Server::Cron() {
  now_ms_ = EventLoop::NowMs();
  int hz = config_.hz > 0 ? config_.hz : 10;
  if (cron_paused) return 1000 / hz;
  if (shutdown_signal_ != 0) {
    RequestShutdown();
    return 1000 / hz;
  }
  // Instantaneous ops/sec, sampled every 100 ms as Redis does.
  if (now_ms_ - stats_.last_sample_ms >= 100) {
    int64_t dt = now_ms_ - stats_.last_sample_ms;
    uint64_t ops = stats_.total_commands_processed - stats_.last_sample_commands;
    stats_.ops_samples[stats_.ops_sample_idx] = dt > 0 ? ops * 1000 / dt : 0;
    const uint64_t in = stats_.total_net_input_bytes - stats_.last_sample_net_input;
    const uint64_t out = stats_.total_net_output_bytes - stats_.last_sample_net_output;
    stats_.net_input_samples[stats_.ops_sample_idx] = dt > 0 ? in * 1000 / dt : 0;
    stats_.net_output_samples[stats_.ops_sample_idx] = dt > 0 ? out * 1000 / dt : 0;
    stats_.last_sample_net_input = stats_.total_net_input_bytes;
    stats_.last_sample_net_output = stats_.total_net_output_bytes;
    stats_.ops_sample_idx = (stats_.ops_sample_idx + 1) % ServerStats::kSamples;
    stats_.last_sample_ms = now_ms_;
    stats_.last_sample_commands = stats_.total_commands_processed;
  }
  // Active expiry: a quarter of each cron period at most, as Redis's slow cycle.
  int64_t budget_us = 1000000 / hz / 4;
  int64_t per_db = budget_us / (db_count() > 0 ? db_count() : 1);
  for (int i = 0; i < db_count(); ++i) {
    Database& d = databases_[(cron_db_cursor_ + i) % db_count()];
    if (active_expire_enabled) {
      const int64_t expire_start_us = EventLoop::NowUs();
      d.ActiveExpireCycle(now_ms_, per_db < 100 ? 100 : per_db);
      latency_monitor_.AddSampleIfNeeded("expire-cycle",
                                         (EventLoop::NowUs() - expire_start_us) / 1000);
    }
    // Hash fields with TTLs (HEXPIRE): a bounded slice per database and cron tick.
    if (active_expire_enabled) d.ActiveExpireHashFields(now_ms_, kHashFieldsPerCronSlice);
    d.Maintain();
  }
  cron_db_cursor_ = (cron_db_cursor_ + 1) % (db_count() > 0 ? db_count() : 1);
  RefreshUsedMemory();
  stats_.peak_memory = std::max(stats_.peak_memory, CachedUsedMemory());
  CheckClientTimeouts();
  CheckAllOutputBufferLimits();
  aof_->Cron();            // scheduled and automatic AOF rewrites, retried AOF writes
  PersistenceCron(*this);  // reap a BGSAVE child, apply the `save` rules
  migrate_connections_.CloseIdle(now_ms_);
  return 1000 / hz;
}

}  // namespace basalt
