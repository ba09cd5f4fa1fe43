// One value's RDB serialization: the type id and body Redis 7.0 writes for each type and
// encoding, and the parser for every value type id Redis 7.0 (and 7.2) writes. Shared by the
// RDB file (rdb_writer / rdb_reader) and by DUMP / RESTORE (dump_payload.h).
//
// Written (RDB 10, loadable by redis-server 7.0):
//   string                          0  STRING (int-encoded / LZF as rdb_format.h)
//   list  listpack | quicklist      18 LIST_QUICKLIST_2 (one packed node per listpack node,
//                                      plain nodes as plain)
//   set   intset                    11 SET_INTSET (the blob)
//   set   listpack | hashtable      2  SET (Redis 7.0 has no listpack sets: members one by one)
//   zset  listpack                  17 ZSET_LISTPACK (the blob)
//   zset  skiplist                  5  ZSET_2 (member, binary score)
//   hash  listpack                  16 HASH_LISTPACK (the blob)
//   hash  hashtable                 4  HASH (field, value); fields with a TTL (Redis 7.4's
//                                      HEXPIRE) are written without it and already expired
//                                      ones are left out: RDB 10 cannot hold field TTLs
//   stream                          19 STREAM_LISTPACKS_2: the entries re-packed in Redis's
//                                      stream listpack layout, metadata, groups, PELs
// Read: all of the above plus 1 LIST, 3 ZSET, 9 HASH_ZIPMAP, 10 LIST_ZIPLIST, 12 ZSET_ZIPLIST,
// 13 HASH_ZIPLIST, 14 LIST_QUICKLIST, 15 STREAM_LISTPACKS, 20 SET_LISTPACK, 21
// STREAM_LISTPACKS_3. Module types (6, 7) are refused.
//
// Loaded values get the encoding the thresholds (RdbLoadLimits) call for, as Redis converts
// on load. Every length is checked against the data left, blobs are validated deeply
// (listpack/intset/ziplist structure, duplicates, stream consistency) before use: corrupt
// input gives an error, never a crash or a half-built value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "persistence/rdb_format.h"
#include "types/hash.h"
#include "types/list.h"
#include "types/set.h"
#include "types/value.h"
#include "types/zset.h"

namespace basalt {

struct RdbSaveOptions {
  bool compress = true;  // rdbcompression
  int64_t now_ms = 0;    // hash fields expired before this are left out
  // How stream entries are grouped into listpacks (stream-node-max-*).
  size_t stream_node_max_bytes = 4096;
  int64_t stream_node_max_entries = 100;
};

struct RdbLoadLimits {
  ListConfig list;
  SetLimits set;
  HashLimits hash;
  ZSetLimits zset;
  size_t stream_node_max_bytes = 4096;
  int64_t stream_node_max_entries = 100;
};

// The RDB type id Basalt writes for `v`.
uint8_t RdbTypeOf(const Value& v);

// Appends `v`'s serialized body (without the type id) to *out.
void RdbPutValue(std::string* out, const Value& v, const RdbSaveOptions& opts);

// Whether serializing `v` takes long (a millisecond or more) and copying it takes much less,
// so that a snapshot taken on the execution thread should copy it and serialize the copy on
// another thread (RdbSink::WriteEntryLater). That is the LZF-compressed blobs: a string of a
// megabyte or more, a list of many quicklist nodes, a big stream (measured on a 5M-element
// list: 35 ms to copy, about 250 ms to serialize). A big hash table or skiplist costs more
// to copy (an allocation per element) than to serialize, so it is serialized in place.
bool RdbSerializesSlowly(const Value& v, const RdbSaveOptions& opts);

struct RdbLoadedValue {
  std::optional<Value> value;
  // The value was a well-formed empty collection (Redis skips such keys when loading).
  bool empty = false;
};

// Reads a value of RDB type `type` at the input's position. On failure in.ok() is false and
// in.error() says why (value is nullopt).
RdbLoadedValue RdbReadValue(RdbInput& in, int type, const RdbLoadLimits& limits);

}  // namespace basalt
