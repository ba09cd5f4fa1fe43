// RdbReader: parses a whole RDB file image (versions 1 to 11) and hands its contents to an
// RdbLoadTarget: aux fields, function libraries, and keys with their database, expiry and
// LRU/LFU hints.
//
// The reader checks everything before trusting it: the magic and version, every opcode and
// length (against the bytes left), every value (rdb_value.h), and the CRC-64 trailer (when
// the file carries one and verification is on; a zero trailer means "saved without a
// checksum", as Redis treats it). The first problem stops the parse with a message and the
// byte offset where it was found. The target should stage what it receives and commit only
// when Load() succeeds, so that a bad file never leaves a half-loaded dataset.
//
// Keys whose expiry time has passed are not handed over (counted in keys_expired), and empty
// collections are skipped (empty_keys_skipped), as Redis 7.0 does when loading as a master.
// Module data (MODULE_AUX, module values) and the pre-GA FUNCTION format are refused.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "persistence/rdb_value.h"

namespace basalt {

class RdbLoadTarget {
 public:
  virtual ~RdbLoadTarget() = default;
  // Whether database `db` exists here (false stops the load).
  virtual bool HasDb(uint64_t db) = 0;
  virtual void OnAux(std::string_view name, std::string_view value) {}
  virtual void OnResizeDb(uint64_t db, uint64_t keys, uint64_t expires) {}
  // A function library's code. Returns false (with *error set) to stop the load.
  virtual bool OnFunction(std::string_view code, std::string* error) = 0;
  // A key. `idle_seconds` / `freq` are -1 when the file had no IDLE / FREQ for it. Returns
  // false (with *error set) to stop the load, e.g. on a duplicated key.
  virtual bool OnKey(uint64_t db, std::string key, Value value, int64_t expire_ms,
                     int64_t idle_seconds, int freq, std::string* error) = 0;
  // Called after each key with the bytes parsed so far (loading progress). Returning false
  // stops the load (a shutdown was requested meanwhile).
  virtual bool OnProgress(size_t offset) { return true; }
};

struct RdbLoadStats {
  int version = 0;
  uint64_t keys_loaded = 0;
  uint64_t keys_expired = 0;
  uint64_t empty_keys_skipped = 0;
};

struct RdbLoadResult {
  bool ok = false;
  std::string error;  // what went wrong
  size_t offset = 0;  // where (byte offset in the file); on success, where the RDB ended
  RdbLoadStats stats;
};

struct RdbLoadOptions {
  RdbLoadLimits limits;
  bool verify_checksum = true;  // rdbchecksum
  int64_t now_ms = 0;           // keys expired before this are dropped
  bool drop_expired = true;
};

RdbLoadResult LoadRdb(std::string_view image, const RdbLoadOptions& opts, RdbLoadTarget& target);

}  // namespace basalt
