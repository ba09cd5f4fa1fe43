// The keyspace-event table (see keyspace_events.h). One row per write command; commands
// without a row raise no event.
#include "commands/keyspace_events.h"

#include <unordered_map>

namespace basalt {
namespace {

constexpr EventKeys kFirst = EventKeys::kFirst;
constexpr EventKeys kLast = EventKeys::kLast;
constexpr EventKeys kHandler = EventKeys::kHandler;
constexpr KeyspaceEvent kNone{0, {}};

// clang-format off
constexpr CommandEvents kCommandEvents[] = {
    // strings: handlers add "expire" (SET EX, SETEX), raise MSET's per-key "set" in order
    // with the keys' "new", and GETEX's expire/persist/del.
    {"set", kEvSet, kFirst},
    {"setnx", kEvSet, kFirst},
    {"setex", kEvSet, kFirst},
    {"psetex", kEvSet, kFirst},
    {"getset", kEvSet, kFirst},
    {"getdel", kEvDel, kFirst},
    {"getex", kNone, kHandler},
    {"mset", kNone, kHandler},
    {"msetnx", kNone, kHandler},
    {"append", kEvAppend, kFirst},
    {"incr", kEvIncrBy, kFirst},
    {"decr", kEvIncrBy, kFirst},
    {"incrby", kEvIncrBy, kFirst},
    {"decrby", kEvIncrBy, kFirst},
    {"incrbyfloat", kEvIncrByFloat, kFirst},
    {"setrange", kEvSetRange, kFirst},
    // bitmaps: BITOP raises "del" instead when its result is empty.
    {"setbit", kEvSetBit, kFirst},
    {"bitfield", kEvSetBit, kFirst},
    {"bitop", kEvSet, kFirst},
    // generic: DEL/UNLINK name only the keys deleted; MOVE and COPY may write another
    // database; the EXPIRE family raises "del" instead when the time is in the past.
    {"del", kNone, kHandler},
    {"unlink", kNone, kHandler},
    {"rename", kEvRenameFrom, EventKeys::kPair, kEvRenameTo},
    {"renamenx", kEvRenameFrom, EventKeys::kPair, kEvRenameTo},
    {"move", kNone, kHandler},
    {"copy", kNone, kHandler},
    {"restore", kNone, kHandler},  // "restore", or "del" when an expired TTL replaced a key
    {"migrate", kNone, kHandler},  // "del" for each key moved (none with COPY)
    {"expire", kEvExpire, kFirst},
    {"pexpire", kEvExpire, kFirst},
    {"expireat", kEvExpire, kFirst},
    {"pexpireat", kEvExpire, kFirst},
    {"persist", kEvPersist, kFirst},
    {"sort", kEvSortStore, kLast},
    // lists: pops add "del" when they empty the list; the moves and the blocking pops name
    // their directions and the key served.
    {"lpush", kEvLPush, kFirst},
    {"lpushx", kEvLPush, kFirst},
    {"rpush", kEvRPush, kFirst},
    {"rpushx", kEvRPush, kFirst},
    {"lpop", kEvLPop, kFirst},
    {"rpop", kEvRPop, kFirst},
    {"lset", kEvLSet, kFirst},
    {"linsert", kEvLInsert, kFirst},
    {"lrem", kEvLRem, kFirst},
    {"ltrim", kEvLTrim, kFirst},
    {"lmove", kNone, kHandler},
    {"rpoplpush", kNone, kHandler},
    {"blmove", kNone, kHandler},
    {"brpoplpush", kNone, kHandler},
    {"lmpop", kNone, kHandler},
    {"blmpop", kNone, kHandler},
    {"blpop", kNone, kHandler},
    {"brpop", kNone, kHandler},
    // sets
    {"sadd", kEvSAdd, kFirst},
    {"srem", kEvSRem, kFirst},
    {"spop", kEvSPop, kFirst},
    {"smove", kNone, kHandler},
    {"sinterstore", kEvSInterStore, kFirst},
    {"sunionstore", kEvSUnionStore, kFirst},
    {"sdiffstore", kEvSDiffStore, kFirst},
    // hashes (field expiry as Redis 7.4: the handlers name "hexpire"/"hpersist"/"hexpired"
    // per outcome)
    {"hset", kEvHSet, kFirst},
    {"hsetnx", kEvHSet, kFirst},
    {"hmset", kEvHSet, kFirst},
    {"hdel", kEvHDel, kFirst},
    {"hincrby", kEvHIncrBy, kFirst},
    {"hincrbyfloat", kEvHIncrByFloat, kFirst},
    {"hexpire", kNone, kHandler},
    {"hpexpire", kNone, kHandler},
    {"hexpireat", kNone, kHandler},
    {"hpexpireat", kNone, kHandler},
    {"hpersist", kNone, kHandler},
    // sorted sets and geo: ZADD INCR raises "zincr" instead.
    {"zadd", kEvZAdd, kFirst},
    {"zincrby", kEvZIncr, kFirst},
    {"zrem", kEvZRem, kFirst},
    {"zremrangebyrank", kEvZRemRangeByRank, kFirst},
    {"zremrangebyscore", kEvZRemRangeByScore, kFirst},
    {"zremrangebylex", kEvZRemRangeByLex, kFirst},
    // The pops share their code with the multi-key ones, which name the key served.
    {"zpopmin", kNone, kHandler},
    {"zpopmax", kNone, kHandler},
    {"zmpop", kNone, kHandler},
    {"bzmpop", kNone, kHandler},
    {"bzpopmin", kNone, kHandler},
    {"bzpopmax", kNone, kHandler},
    {"zrangestore", kEvZRangeStore, kFirst},
    {"zunionstore", kEvZUnionStore, kFirst},
    {"zinterstore", kEvZInterStore, kFirst},
    {"zdiffstore", kEvZDiffStore, kFirst},
    {"geoadd", kEvZAdd, kFirst},
    {"geosearchstore", kEvGeoSearchStore, kFirst},
    // GEORADIUS's STORE key is not among its key specs (as in Redis): the handler names it.
    {"georadius", kNone, kHandler},
    {"georadiusbymember", kNone, kHandler},
    // streams: XADD adds "xtrim" when its trimming removed entries; XREADGROUP, XCLAIM and
    // XAUTOCLAIM raise "xgroup-createconsumer" for a consumer they create.
    {"xadd", kEvXAdd, kFirst},
    {"xdel", kEvXDel, kFirst},
    {"xtrim", kEvXTrim, kFirst},
    {"xsetid", kEvXSetId, kFirst},
    {"xgroup|create", kEvXGroupCreate, kFirst},
    {"xgroup|setid", kEvXGroupSetId, kFirst},
    {"xgroup|destroy", kEvXGroupDestroy, kFirst},
    {"xgroup|createconsumer", kEvXGroupCreateConsumer, kFirst},
    {"xgroup|delconsumer", kEvXGroupDelConsumer, kFirst},
    {"xreadgroup", kNone, kHandler},
    {"xclaim", kNone, kHandler},
    {"xautoclaim", kNone, kHandler},
};
// clang-format on

}  // namespace

std::span<const CommandEvents> AllCommandEvents() { return kCommandEvents; }

const CommandEvents* FindCommandEvents(std::string_view full_name) {
  static const auto* const index = [] {
    auto* m = new std::unordered_map<std::string_view, const CommandEvents*>();
    for (const CommandEvents& row : kCommandEvents) m->emplace(row.command, &row);
    return m;
  }();
  auto it = index->find(full_name);
  return it == index->end() ? nullptr : it->second;
}

}  // namespace basalt
