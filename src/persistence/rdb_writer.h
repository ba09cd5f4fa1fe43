// RdbWriter: serializes a whole RDB file (version 10, as Redis 7.0 writes it) into a sink:
//
//   "REDIS0010"  AUX*  FUNCTION2*  (SELECTDB RESIZEDB (EXPIRETIME_MS? IDLE|FREQ? type key
//   value)*)*  EOF  CRC-64 (8 bytes LE over everything before; zero when checksums are off)
//
// Bytes are gathered in a buffer (flushed to the sink every 64 KB and at the end) and
// checksummed as they are flushed. Any sink failure sticks: later calls return false.
// Not thread-safe; used by one saving process (or the forked child) at a time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "persistence/rdb_value.h"

namespace basalt {

// Redis's REDIS_AUTOSYNC_BYTES: with incremental fsync (rdb-save-incremental-fsync,
// aof-rewrite-incremental-fsync) a file being written is synced every this many bytes, so that
// the final fsync does not meet a huge backlog of dirty pages.
inline constexpr uint64_t kAutoSyncBytes = 4 << 20;

// Where RDB bytes go.
class RdbSink {
 public:
  virtual ~RdbSink() = default;
  virtual bool Write(std::string_view bytes) = 0;
  // A sink with a thread of its own may take a key whose value is slow to serialize (a big
  // collection) and serialize it there, in stream order (RdbWriter::AppendEntry). Then it
  // also computes the checksum and appends the trailer itself (AppendsTrailer). False: the
  // caller writes the entry as usual.
  virtual bool WriteEntryLater(std::string key, Value value, int64_t expire_ms,
                               int64_t idle_seconds, int freq, const RdbSaveOptions& opts) {
    return false;
  }
  // Whether the sink computes the CRC-64 and writes the 8-byte trailer after EOF.
  virtual bool AppendsTrailer() const { return false; }
};

// Appends to a std::string (tests, DEBUG RELOAD's in-memory round trip).
class StringSink final : public RdbSink {
 public:
  bool Write(std::string_view bytes) override {
    data.append(bytes);
    return true;
  }
  std::string data;
};

// Writes to a file descriptor, retrying short writes and EINTR. Does not own the fd.
class FdSink final : public RdbSink {
 public:
  explicit FdSink(int fd) : fd_(fd) {}
  bool Write(std::string_view bytes) override;
  int error() const { return errno_; }

 private:
  int fd_;
  int errno_ = 0;
};

class RdbWriter {
 public:
  // `checksum` (rdbchecksum) is computed here unless the sink appends the trailer itself.
  RdbWriter(RdbSink* sink, bool checksum, RdbSaveOptions opts)
      : sink_(sink), checksum_(checksum && !sink->AppendsTrailer()), opts_(opts) {}

  bool WriteHeader();
  bool WriteAux(std::string_view name, std::string_view value);
  bool WriteAuxInt(std::string_view name, int64_t value);
  // One FUNCTION2 record: a library's code.
  bool WriteFunction(std::string_view code);
  // SELECTDB and the RESIZEDB hint.
  bool WriteSelectDb(int db, uint64_t keys, uint64_t expires);
  // One key: `expire_ms` kNoExpire (-1) for none; `idle_seconds` >= 0 writes IDLE, `freq`
  // >= 0 writes FREQ (at most one of them, as Redis).
  bool WriteEntry(std::string_view key, const Value& value, int64_t expire_ms,
                  int64_t idle_seconds, int freq);
  // The same entry, handed to the sink to serialize later (RdbSink::WriteEntryLater) when it
  // can; written at once otherwise.
  bool WriteEntryLater(std::string_view key, const Value& value, int64_t expire_ms,
                       int64_t idle_seconds, int freq);
  // The bytes of one entry (WriteEntry's), appended to *out. Thread-safe.
  static void AppendEntry(std::string* out, std::string_view key, const Value& value,
                          int64_t expire_ms, int64_t idle_seconds, int freq,
                          const RdbSaveOptions& opts);
  // EOF and the checksum, then flushes.
  bool Finish();

  uint64_t bytes_written() const { return flushed_ + buf_.size(); }

 private:
  bool MaybeFlush();
  bool Flush();

  RdbSink* sink_;
  bool checksum_;
  RdbSaveOptions opts_;
  std::string buf_;
  uint64_t crc_ = 0;
  uint64_t flushed_ = 0;
  bool failed_ = false;
};

}  // namespace basalt
