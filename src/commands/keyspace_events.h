// The keyspace-event table: which notify-keyspace-events event (name and class) each write
// command raises, on which of its keys, kept beside the command table instead of as strings
// scattered in handlers. Names, classes and order are Redis 7.0's (hash-field expiry: 7.4).
//
// How a command's events are made:
//   - the dispatcher (Server::FlushKeyspaceEvents, server/notify.cc) looks the command up
//     here after it ran, and when it reported changes (dirty > 0) raises the row's default
//     event on the row's keys (EventKeys);
//   - the database raises "new" when a key is created and "expired" when one expires;
//   - handlers raise only what depends on the outcome or on options, through the named
//     constants below: ctx.Notify(kEvDel, key) when a pop emptied a collection,
//     ctx.Notify(kEvExpire, key) for SET EX, ctx.NotifyInstead(kEvDel, dst) when a *STORE
//     deleted its destination instead of writing it; and every event of the commands whose
//     row says EventKeys::kHandler (DEL's deleted keys, LMOVE's directions, MOVE's two
//     databases, the key a blocking pop was served from).
// Order, as Redis: "new"/"expired" first, then the default event(s), then the extras.
#pragma once

#include <span>
#include <string_view>

#include "server/config.h"
#include "server/notify.h"

namespace basalt {

// ---- Event names -------------------------------------------------------------------------
// generic
inline constexpr KeyspaceEvent kEvDel{kNotifyGeneric, "del"};
inline constexpr KeyspaceEvent kEvExpire{kNotifyGeneric, "expire"};
inline constexpr KeyspaceEvent kEvPersist{kNotifyGeneric, "persist"};
inline constexpr KeyspaceEvent kEvRenameFrom{kNotifyGeneric, "rename_from"};
inline constexpr KeyspaceEvent kEvRenameTo{kNotifyGeneric, "rename_to"};
inline constexpr KeyspaceEvent kEvMoveFrom{kNotifyGeneric, "move_from"};
inline constexpr KeyspaceEvent kEvMoveTo{kNotifyGeneric, "move_to"};
inline constexpr KeyspaceEvent kEvCopyTo{kNotifyGeneric, "copy_to"};
inline constexpr KeyspaceEvent kEvSortStore{kNotifyList, "sortstore"};
inline constexpr KeyspaceEvent kEvNew{kNotifyNew, "new"};
inline constexpr KeyspaceEvent kEvExpired{kNotifyExpired, "expired"};
inline constexpr KeyspaceEvent kEvEvicted{kNotifyEvicted, "evicted"};
// strings and bitmaps
inline constexpr KeyspaceEvent kEvSet{kNotifyString, "set"};
inline constexpr KeyspaceEvent kEvAppend{kNotifyString, "append"};
inline constexpr KeyspaceEvent kEvIncrBy{kNotifyString, "incrby"};
inline constexpr KeyspaceEvent kEvIncrByFloat{kNotifyString, "incrbyfloat"};
inline constexpr KeyspaceEvent kEvSetRange{kNotifyString, "setrange"};
inline constexpr KeyspaceEvent kEvSetBit{kNotifyString, "setbit"};
// lists
inline constexpr KeyspaceEvent kEvLPush{kNotifyList, "lpush"};
inline constexpr KeyspaceEvent kEvRPush{kNotifyList, "rpush"};
inline constexpr KeyspaceEvent kEvLPop{kNotifyList, "lpop"};
inline constexpr KeyspaceEvent kEvRPop{kNotifyList, "rpop"};
inline constexpr KeyspaceEvent kEvLSet{kNotifyList, "lset"};
inline constexpr KeyspaceEvent kEvLInsert{kNotifyList, "linsert"};
inline constexpr KeyspaceEvent kEvLRem{kNotifyList, "lrem"};
inline constexpr KeyspaceEvent kEvLTrim{kNotifyList, "ltrim"};
// sets
inline constexpr KeyspaceEvent kEvSAdd{kNotifySet, "sadd"};
inline constexpr KeyspaceEvent kEvSRem{kNotifySet, "srem"};
inline constexpr KeyspaceEvent kEvSPop{kNotifySet, "spop"};
inline constexpr KeyspaceEvent kEvSInterStore{kNotifySet, "sinterstore"};
inline constexpr KeyspaceEvent kEvSUnionStore{kNotifySet, "sunionstore"};
inline constexpr KeyspaceEvent kEvSDiffStore{kNotifySet, "sdiffstore"};
// hashes
inline constexpr KeyspaceEvent kEvHSet{kNotifyHash, "hset"};
inline constexpr KeyspaceEvent kEvHDel{kNotifyHash, "hdel"};
inline constexpr KeyspaceEvent kEvHIncrBy{kNotifyHash, "hincrby"};
inline constexpr KeyspaceEvent kEvHIncrByFloat{kNotifyHash, "hincrbyfloat"};
inline constexpr KeyspaceEvent kEvHExpire{kNotifyHash, "hexpire"};
inline constexpr KeyspaceEvent kEvHPersist{kNotifyHash, "hpersist"};
inline constexpr KeyspaceEvent kEvHExpired{kNotifyHash, "hexpired"};
// sorted sets and geo
inline constexpr KeyspaceEvent kEvZAdd{kNotifyZset, "zadd"};
inline constexpr KeyspaceEvent kEvZIncr{kNotifyZset, "zincr"};
inline constexpr KeyspaceEvent kEvZRem{kNotifyZset, "zrem"};
inline constexpr KeyspaceEvent kEvZRemRangeByRank{kNotifyZset, "zremrangebyrank"};
inline constexpr KeyspaceEvent kEvZRemRangeByScore{kNotifyZset, "zremrangebyscore"};
inline constexpr KeyspaceEvent kEvZRemRangeByLex{kNotifyZset, "zremrangebylex"};
inline constexpr KeyspaceEvent kEvZPopMin{kNotifyZset, "zpopmin"};
inline constexpr KeyspaceEvent kEvZPopMax{kNotifyZset, "zpopmax"};
inline constexpr KeyspaceEvent kEvZRangeStore{kNotifyZset, "zrangestore"};
inline constexpr KeyspaceEvent kEvZUnionStore{kNotifyZset, "zunionstore"};
inline constexpr KeyspaceEvent kEvZInterStore{kNotifyZset, "zinterstore"};
inline constexpr KeyspaceEvent kEvZDiffStore{kNotifyZset, "zdiffstore"};
inline constexpr KeyspaceEvent kEvGeoSearchStore{kNotifyZset, "geosearchstore"};
inline constexpr KeyspaceEvent kEvGeoRadiusStore{kNotifyZset, "georadiusstore"};

// streams
inline constexpr KeyspaceEvent kEvXAdd{kNotifyStream, "xadd"};
inline constexpr KeyspaceEvent kEvXDel{kNotifyStream, "xdel"};
inline constexpr KeyspaceEvent kEvXTrim{kNotifyStream, "xtrim"};
inline constexpr KeyspaceEvent kEvXSetId{kNotifyStream, "xsetid"};
inline constexpr KeyspaceEvent kEvXGroupCreate{kNotifyStream, "xgroup-create"};
inline constexpr KeyspaceEvent kEvXGroupSetId{kNotifyStream, "xgroup-setid"};
inline constexpr KeyspaceEvent kEvXGroupDestroy{kNotifyStream, "xgroup-destroy"};
inline constexpr KeyspaceEvent kEvXGroupCreateConsumer{kNotifyStream, "xgroup-createconsumer"};
inline constexpr KeyspaceEvent kEvXGroupDelConsumer{kNotifyStream, "xgroup-delconsumer"};

// ---- The table ---------------------------------------------------------------------------

// Which keys a row's default event is raised on (key positions as COMMAND GETKEYS).
enum class EventKeys : uint8_t {
  kFirst,    // the first key (single-key commands; the destination of BITOP, *STORE)
  kLast,     // the last key (SORT ... STORE, GEORADIUS ... STORE)
  kPair,     // `event` on the first key, `second` on the second (RENAME)
  kHandler,  // no default: the handler raises every event (named constants above)
};

struct CommandEvents {
  std::string_view command;  // CommandSpec::full_name
  KeyspaceEvent event;       // unused for kHandler
  EventKeys keys;
  KeyspaceEvent second{0, {}};  // kPair only
};

// The row of the command named `full_name`, or nullptr for a command that raises nothing
// (reads, FLUSHDB, SWAPDB, server commands). O(1).
const CommandEvents* FindCommandEvents(std::string_view full_name);
// Every row, in table order (for tests and COMMAND-style listings).
std::span<const CommandEvents> AllCommandEvents();

}  // namespace basalt
