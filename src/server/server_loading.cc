// The server's side of loading the dataset at startup (persistence/snapshot.h): clients that
// connect meanwhile are served between chunks of the file, as Redis's
// processEventsWhileBlocked during rdbLoad.
#include "server/server.h"

namespace basalt {

void Server::ProcessEventsWhileLoading() {
  ProcessEventsWhileBlocked();
  // Unlike during a script, no client is on the stack here: disconnected ones go now.
  FreeClosedClients();
}

}  // namespace basalt
