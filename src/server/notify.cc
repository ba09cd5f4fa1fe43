// Keyspace notifications (notify.h): publishing an event, holding a command's events in
// order, and raising the command's default event from the table (commands/keyspace_events.h).
#include "server/notify.h"

#include <algorithm>

#include "commands/keyspace_events.h"
#include "server/command_context.h"
#include "server/server.h"
#include "util/strconv.h"

namespace basalt {

void Server::NotifyKeyspaceEvent(int type_class, std::string_view event, std::string_view key,
                                 int db) {
  const int flags = config_.notify_keyspace_flags;
  if ((flags & type_class) == 0) return;
  // Nobody listens: Publish would find no receiver for either channel.
  if (pubsub_.channel_count() == 0 && pubsub_.pattern_count() == 0) return;
  char db_digits[kInt64BufSize];
  const std::string_view db_str(db_digits, FormatInt64(db, db_digits));
  std::string channel;
  if ((flags & kNotifyKeyspace) != 0) {
    channel.reserve(16 + db_str.size() + key.size());
    channel.append("__keyspace@").append(db_str).append("__:").append(key);
    Publish(channel, event);
  }
  if ((flags & kNotifyKeyevent) != 0) {
    channel.clear();
    channel.append("__keyevent@").append(db_str).append("__:").append(event);
    Publish(channel, key);
  }
}

void Server::QueueKeyspaceEvent(KeyspaceEvent event, std::string_view key, int db,
                                bool precedes_default) {
  if (pending_events_ == nullptr) {
    return NotifyKeyspaceEvent(event.type_class, event.name, key, db);
  }
  pending_events_->push_back(PendingKeyspaceEvent{event, std::string(key), db, precedes_default});
}

void Server::OnKeyAdded(Database& db, std::string_view key) {
  RaiseKeyspaceEvent(kEvNew, key, db.id(), /*precedes_default=*/true);
}

void Server::FlushKeyspaceEvents(CommandContext& ctx) {
  if (config_.notify_keyspace_flags == 0 && ctx.events.empty()) return;
  PendingKeyspaceEvents& events = ctx.events;
  const CommandEvents* row = nullptr;
  if (ctx.dirty > 0 && !ctx.default_event_replaced) row = FindCommandEvents(ctx.spec.full_name);
  if (row != nullptr && row->keys != EventKeys::kHandler) {
    std::vector<int> positions = CommandTable::KeyPositions(ctx.spec, ctx.argv);
    if (!positions.empty()) {
      // After the last "new"/"expired" the command caused, before its extras.
      auto last_pre = std::find_if(events.rbegin(), events.rend(), [](const auto& e) {
        return e.precedes_default;
      });
      auto at = last_pre.base();
      const int db = ctx.client.db_index;
      switch (row->keys) {
        case EventKeys::kFirst:
          events.insert(at, {row->event, std::string(ctx.argv[positions.front()]), db, false});
          break;
        case EventKeys::kLast:
          events.insert(at, {row->event, std::string(ctx.argv[positions.back()]), db, false});
          break;
        case EventKeys::kPair: {
          if (positions.size() < 2) break;
          size_t i = static_cast<size_t>(at - events.begin());
          events.insert(at, {row->event, std::string(ctx.argv[positions[0]]), db, false});
          events.insert(events.begin() + static_cast<std::ptrdiff_t>(i + 1),
                        {row->second, std::string(ctx.argv[positions[1]]), db, false});
          break;
        }
        case EventKeys::kHandler: break;
      }
    }
  }
  for (const PendingKeyspaceEvent& e : events) {
    NotifyKeyspaceEvent(e.event.type_class, e.event.name, e.key, e.db);
  }
  events.clear();
}

}  // namespace basalt
