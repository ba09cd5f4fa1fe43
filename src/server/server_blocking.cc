// The server's side of blocking commands (see blocking.h): parking clients, serving them when
// their keys become ready, timeouts and CLIENT UNBLOCK.
#include <string>
#include <vector>

#include "server/server.h"

namespace basalt {

void Server::BlockClient(Client* client, BlockRequest request,
                         std::span<const std::string_view> argv) {
  auto state = std::make_unique<BlockedState>();
  state->db = client->db_index;
  if (request.argv.empty()) {
    state->argv.assign(argv.begin(), argv.end());
  } else {
    state->argv = std::move(request.argv);
  }
  const int64_t deadline = request.deadline_ms;
  state->request = std::move(request);
  client->blocked = std::move(state);
  blocking_.Add(client);
  ++blocked_clients_;
  if (deadline > 0) {
    const uint64_t id = client->id;
    client->blocked->timer =
        loop_.AddTimer(std::max<int64_t>(0, deadline - EventLoop::NowMs()), [this, id] {
          Client* c = FindClient(id);
          if (c != nullptr && c->blocked) {
            c->blocked->timer = 0;  // this timer is done; UnblockClient must not cancel it
            OnBlockTimeout(c);
          }
          return int64_t{-1};
        });
  }
}

void Server::UnblockClient(Client* client) {
  if (!client->blocked) return;
  blocking_.Remove(client);
  if (client->blocked->timer != 0) loop_.CancelTimer(client->blocked->timer);
  client->blocked.reset();
  --blocked_clients_;
  client->last_interaction_ms = now_ms_;
  if (!client->close_asap) {
    unblocked_clients_.push_back(client->id);
    QueueWrite(client);
  }
}

namespace {

void ReplyTimeout(Client* client, BlockTimeoutReply kind) {
  if (kind == BlockTimeoutReply::kNullBulk) {
    client->reply.Null();
  } else {
    client->reply.NullArray();
  }
}

}  // namespace

void Server::OnBlockTimeout(Client* client) {
  now_ms_ = EventLoop::NowMs();
  ReplyTimeout(client, client->blocked->request.timeout_reply);
  // A timed-out command still counts as one call, as in Redis.
  if (client->last_command != nullptr) ++client->last_command->stats.calls;
  UnblockClient(client);
}

bool Server::UnblockClientByRequest(Client* client, bool with_error) {
  if (!client->blocked) return false;
  if (with_error) {
    size_t start = client->reply_buf.size();
    client->reply.Error("UNBLOCKED client unblocked via CLIENT UNBLOCK");
    stats_.CountErrorReply(std::string_view(client->reply_buf).substr(start));
    if (client->last_command != nullptr) {
      ++client->last_command->stats.calls;
      ++client->last_command->stats.failed_calls;
    }
    UnblockClient(client);
  } else {
    OnBlockTimeout(client);
  }
  return true;
}

void Server::HandleReadyKeys() {
  if (handling_ready_keys_) return;  // a re-executed command signals: the loop below sees it
  handling_ready_keys_ = true;
  while (blocking_.has_ready_keys()) {
    for (const DbKey& ready : blocking_.TakeReadyKeys()) {
      for (Client* c : blocking_.Waiters(ready)) {
        if (!c->blocked || c->close_asap) continue;  // served through another key meanwhile
        // Wake a client only while the key holds what it waits for (a BLPOP is not woken by
        // a key that became a set; earlier waiters may have emptied it), except a client
        // that asked to hear about its key going away.
        DbEntry* e = databases_[ready.db].Lookup(ready.key, EventLoop::NowMs());
        if (e == nullptr || e->value.type() != c->blocked->request.type) {
          if (c->blocked->request.unblock_on_nokey) UnblockClientOnNoKey(c);
          continue;
        }
        // The command's arguments live in the blocked state, which unblocking frees.
        std::vector<std::string> argv_storage = c->blocked->argv;
        std::vector<std::string_view> argv(argv_storage.begin(), argv_storage.end());
        const int saved_db = c->db_index;
        c->db_index = c->blocked->db;
        const bool still_blocked = Execute(c, argv, /*reprocessing=*/true);
        c->db_index = saved_db;
        if (!still_blocked) UnblockClient(c);
      }
    }
  }
  handling_ready_keys_ = false;
}

void Server::UnblockClientOnNoKey(Client* client) {
  size_t start = client->reply_buf.size();
  client->reply.Error("UNBLOCKED the stream key no longer exists");
  stats_.CountErrorReply(std::string_view(client->reply_buf).substr(start));
  if (client->last_command != nullptr) {
    ++client->last_command->stats.calls;
    ++client->last_command->stats.failed_calls;
  }
  UnblockClient(client);
}

void Server::ProcessUnblockedClients() {
  std::vector<uint64_t> ids;
  ids.swap(unblocked_clients_);
  for (uint64_t id : ids) {
    Client* c = FindClient(id);
    if (c != nullptr && !c->close_asap && !c->blocked) ProcessInput(c);
  }
}

}  // namespace basalt
