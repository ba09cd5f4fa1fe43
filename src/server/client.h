// Client: one connection: its socket, buffers, protocol version and session state.
//
// Reads land in `query`, the parser cuts commands out of it, the server runs them and the
// replies accumulate in `reply_buf`; the server writes them out before the loop sleeps.
// A client is never freed while the event loop may still deliver events for it: Close()
// only marks it, and the server frees marked clients between loop iterations.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "net/event_loop.h"
#include "net/io_buffer.h"
#include "protocol/reply_builder.h"
#include "protocol/request_parser.h"
#include "server/blocking.h"
#include "server/watch.h"
#include "server/pubsub.h"
#include "server/tracking.h"

namespace basalt {

class Server;
struct CommandSpec;

enum class ConnKind { kTcp, kUnix };

class Client : public FdHandler {
 public:
  Client(Server* server, int fd, uint64_t id, ConnKind kind);
  ~Client() override;
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  void OnReadable() override;
  void OnWritable() override;
  ReadTarget PrepareRead() override;
  void OnReadDone(ssize_t result) override;

  // Writes as much of reply_buf as the socket takes. Returns false if the connection broke.
  bool FlushReplies();
  bool has_pending_replies() const { return reply_sent < reply_buf.size(); }
  // `n` more bytes of reply_buf were sent (by FlushReplies, or by the server's batched send).
  void CountSent(size_t n);
  // Reply bytes not yet taken by the socket: what client-output-buffer-limit limits and
  // CLIENT LIST shows as omem.
  size_t pending_output() const { return reply_buf.size() - reply_sent; }

  // Pub/Sub subscriptions of any kind; non-zero means the client is in Pub/Sub mode (the
  // RESP2 command restriction, the pubsub output buffer class, CLIENT LIST's 'P' flag).
  size_t subscription_count() const { return subscriptions.total(); }

  // Push messages (Pub/Sub messages and (un)subscribe confirmations) reach the client even
  // under CLIENT REPLY OFF/SKIP, as Redis's CLIENT_PUSHING. AppendPush appends one;
  // MarkPushSince declares the bytes appended to reply_buf since `start` a push.
  void AppendPush(std::string_view bytes) {
    size_t start = reply_buf.size();
    reply_buf.append(bytes);
    if (reply_mode != ReplyMode::kOn) MarkPushSince(start);
  }
  void MarkPushSince(size_t start) {
    if (reply_mode != ReplyMode::kOn) kept_pushes_.emplace_back(start, reply_buf.size());
  }
  // CLIENT REPLY OFF/SKIP: drops what the command appended from `start` on, except pushes.
  void DropRepliesFrom(size_t start);
  // A unix socket or loopback connection: what `enable-debug-command local` and
  // `enable-protected-configs local` accept.
  bool is_local() const;

  uint64_t id;
  int fd;
  ConnKind kind;
  Server* server;

  IoBuffer query;
  RequestParser parser;
  std::string reply_buf;
  size_t reply_sent = 0;
  ReplyBuilder reply;

  int db_index = 0;
  bool authenticated = false;
  bool close_asap = false;          // drop now, without sending pending replies
  bool close_after_reply = false;   // QUIT, protocol errors: send replies, then drop
  // Server::ProcessInput is running this client's commands. A command that serves others
  // while it runs (DEBUG LOADAOF, a busy script) polls the loop; reading this client then
  // would move the buffer its arguments point into and run its next commands inside it.
  bool processing_input = false;
  bool pending_write = false;       // queued in Server::pending_writes_
  bool want_write_event = false;    // EPOLLOUT registered
  bool monitor = false;
  bool no_evict = false;
  bool no_touch = false;
  // The client an AOF is replayed on at startup (Redis's CLIENT_ID_AOF): its commands run
  // while the dataset loads.
  bool aof_loading = false;
  // Set between MULTI and EXEC/DISCARD (see watch.h).
  std::unique_ptr<MultiState> multi;
  // WATCHed keys, and whether one of them was modified since (Redis's CLIENT_DIRTY_CAS).
  std::vector<WatchedKey> watched;
  bool dirty_cas = false;
  // Set while the client waits in a blocking command (see blocking.h).
  std::unique_ptr<BlockedState> blocked;
  // Blocking commands must not block (inside MULTI/EXEC or a script): they answer as on
  // timeout instead.
  bool deny_blocking = false;
  // The client Lua scripts run their commands on (Redis's CLIENT_SCRIPT): commands whose
  // output order would otherwise depend on a table's layout sort it, so that a script's
  // effects replay identically.
  bool is_script = false;
  // The script client's commands are not propagated (redis.set_repl(redis.REPL_NONE)).
  bool no_propagation = false;
  // Set by a command whose error reply was already counted in the error stats (a script
  // relaying redis.call's error): the dispatcher counts the call as failed, but not the
  // error again.
  bool reply_error_counted = false;
  enum class ReplyMode { kOn, kOff, kSkipNext, kSkip } reply_mode = ReplyMode::kOn;

  ClientSubscriptions subscriptions;  // maintained by Server's PubSubRegistry
  ClientTrackingState tracking;       // CLIENT TRACKING; maintained by Server's Tracking
  // When the pending output first went over the soft output buffer limit (ms; 0: it is
  // under it).
  int64_t obuf_soft_limit_reached_ms = 0;

  std::string name;
  std::string lib_name;
  std::string lib_ver;
  std::string addr;   // "ip:port" of the peer, or "/path:0" for unix sockets
  std::string laddr;  // our side
  int64_t ctime_ms = 0;
  int64_t last_interaction_ms = 0;
  const CommandSpec* last_command = nullptr;
  // The arguments of the command running now, valid while it runs (CLIENT LIST argv-mem; a
  // blocked client's waiting command is counted from `blocked`).
  std::span<const std::string_view> running_argv;
  // What this client added to Evictor's running total of client memory when last measured
  // (maxmemory-clients).
  uint64_t counted_memory = 0;
  uint64_t commands_processed = 0;
  uint64_t net_input_bytes = 0;
  uint64_t net_output_bytes = 0;

 private:
  // How much the next read asks for.
  size_t NextReadSize() const;
  // Takes a read's result (bytes, 0 at EOF, or -errno) into the query buffer; false when
  // there is nothing to process (and the connection is closed if it broke).
  bool TakeRead(ssize_t result);

  // Between PrepareRead and OnReadDone: the query buffer's free space is the kernel's.
  bool read_in_flight_ = false;
  // [begin, end) offsets in reply_buf of pushes appended while replies were off.
  std::vector<std::pair<size_t, size_t>> kept_pushes_;
};

}  // namespace basalt
