// The server's side of scripting (scripting/scripting.h): owning the Lua engines, and
// serving other clients while a script runs long.
#include "scripting/scripting.h"
#include "server/server.h"

namespace basalt {

Scripting& Server::scripting() {
  if (!scripting_) scripting_ = std::make_unique<Scripting>(*this);
  return *scripting_;
}

void Server::ProcessEventsWhileBlocked() {
  // A few rounds, as Redis's processEventsWhileBlocked: reads (answered -BUSY by the
  // dispatcher, or served when allowed), then their replies written at once. Closed
  // clients are freed only after the script: one of them may be on the stack.
  for (int round = 0; round < 4; ++round) {
    int events = loop_.PollOnce(0);
    HandleClientWrites();
    if (events == 0) break;
  }
  // A SIGTERM/SIGINT meanwhile: the loading or the script sees the loop stopping.
  if (shutdown_signal_ != 0) RequestShutdown();
}

}  // namespace basalt
