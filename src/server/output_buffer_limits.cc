// client-output-buffer-limit: a client whose replies pile up faster than it reads them
// (typically a Pub/Sub subscriber that stopped reading) is disconnected instead of growing
// the server's memory without bound. As Redis's checkClientOutputBufferLimits:
//   - the limits of the client's class apply: pubsub while it has any subscription,
//     normal otherwise (replicas have their own class once replication exists);
//   - over the hard limit: closed at once; over the soft limit: closed once it has been
//     over it continuously for more than the soft seconds (falling back under the soft
//     limit restarts the clock);
//   - checked whenever replies are appended (Server::CheckOutputBufferLimits, inline) and
//     by the cron, so that a soft limit also expires while nothing is being appended;
//   - the client is closed asynchronously, without sending what is pending, and the close
//     is logged with the client's CLIENT LIST line and counted in INFO stats.
#include "commands/client.h"
#include "server/log.h"
#include "server/server.h"

namespace basalt {

void Server::EnforceOutputBufferLimits(Client* c) {
  if (c->close_asap) return;
  const ClientBufferLimit& limit = config_.client_output_buffer_limits[static_cast<int>(
      c->subscription_count() != 0 ? ClientClass::kPubsub : ClientClass::kNormal)];
  size_t used = c->pending_output();
  bool hard = limit.hard_limit_bytes != 0 && used >= limit.hard_limit_bytes;
  bool soft = limit.soft_limit_bytes != 0 && used >= limit.soft_limit_bytes;
  if (soft) {
    if (c->obuf_soft_limit_reached_ms == 0) {
      c->obuf_soft_limit_reached_ms = now_ms_ > 0 ? now_ms_ : 1;
      soft = false;  // the clock starts now
    } else {
      soft = now_ms_ - c->obuf_soft_limit_reached_ms > limit.soft_limit_seconds * 1000;
    }
  } else {
    c->obuf_soft_limit_reached_ms = 0;
  }
  if (!hard && !soft) return;
  std::string info = DescribeClient(*this, *c, now_ms_);
  CloseClientAsync(c);
  ++stats_.client_outbuf_limit_disconnections;
  Log(LogLevel::kWarning,
      "Client %s scheduled to be closed ASAP for overcoming of output buffer limits.",
      info.c_str());
}

void Server::CheckAllOutputBufferLimits() {
  for (auto& [id, c] : clients_) {
    if (!c->close_asap) CheckOutputBufferLimits(c);
  }
}

}  // namespace basalt
