// Keyspace notifications: the events a command produces, held in order until the command
// ends, then published on `__keyspace@<db>__:<key>` and `__keyevent@<db>__:<event>` as
// Redis's notifyKeyspaceEvent does (see Server::NotifyKeyspaceEvent in notify.cc).
//
// Why events wait: the dispatcher emits a command's default event (from the table in
// commands/keyspace_events.h) after the handler returned, yet Redis orders it after the
// "new" and "expired" events the command caused and before the handler's outcome-dependent
// extras ("del" of an emptied list, "expire" of SET EX). The pending list keeps the events
// raised while the command ran; PendingKeyspaceEvents::Flush puts the default ones at their
// place and publishes everything.
//
// Nothing is queued (and no string is copied) unless notify-keyspace-events enables the
// event's class: with notifications off each hook is one flag test. Execution thread only.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace basalt {

// One event name and its notify-keyspace-events class (kNotify* in server/config.h).
struct KeyspaceEvent {
  int type_class;
  std::string_view name;  // a literal from commands/keyspace_events.h: never owned
};

struct PendingKeyspaceEvent {
  KeyspaceEvent event;
  std::string key;
  int db;
  bool precedes_default;  // "new" and "expired": the command's own event comes after them
};

// The events raised while one command runs (Server::BeginCommandEvents installs the list).
using PendingKeyspaceEvents = std::vector<PendingKeyspaceEvent>;

}  // namespace basalt
