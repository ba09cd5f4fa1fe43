// FileWriterThread: an RdbSink that writes to a file from a thread of its own, so that a
// snapshot taken on the execution thread (background_snapshot.h) never waits for the disk:
// Write copies the bytes into a queue and returns; the thread writes them out, with an
// fdatasync every 4 MB when incremental fsync is on (rdb-save-incremental-fsync,
// aof-rewrite-incremental-fsync: the final fsync then does not meet a huge backlog of dirty
// pages), and on Close fsyncs, closes and renames the file into place.
//
// For an RDB image (Trailer::kRdb*) the thread also takes whole entries (WriteEntryLater: a
// copy of a big value, which would stall the execution thread for as long as it takes to
// serialize) and serializes them in their place in the stream; it then computes the CRC-64
// over everything it writes and appends the trailer on Close.
//
// Write, Close, Cancel and the accessors are called from one thread (the execution thread);
// the queue and the outcome are shared with the writer thread under a mutex.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "persistence/rdb_value.h"
#include "persistence/rdb_writer.h"
#include "types/value.h"

namespace basalt {

class FileWriterThread final : public RdbSink {
 public:
  enum class State { kWriting, kDone, kFailed };
  // What follows the bytes: nothing (AOF commands), or an RDB trailer with the CRC-64 of the
  // file (rdbchecksum yes) or zeros (no).
  enum class Trailer { kNone, kRdbChecksum, kRdbZeros };

  // Creates (truncates) `path` and starts the thread. On failure state() is kFailed and
  // error() says why; nothing runs.
  FileWriterThread(std::string path, bool incremental_fsync, Trailer trailer = Trailer::kNone);
  // Cancel()s a file not done (still writing, or failed).
  ~FileWriterThread();
  FileWriterThread(const FileWriterThread&) = delete;
  FileWriterThread& operator=(const FileWriterThread&) = delete;

  // Queues a copy of `bytes`. False once the thread has failed.
  bool Write(std::string_view bytes) override;
  // With an RDB trailer: queues the entry, serialized by the thread. False without one.
  bool WriteEntryLater(std::string key, Value value, int64_t expire_ms, int64_t idle_seconds,
                       int freq, const RdbSaveOptions& opts) override;
  bool AppendsTrailer() const override { return trailer_ != Trailer::kNone; }
  // Entries queued by WriteEntryLater and not yet serialized.
  uint64_t pending_entries() const { return pending_entries_.load(std::memory_order_relaxed); }
  // No more writes: the thread writes what is queued, fsyncs and closes the file, then
  // renames it to `rename_to` unless that is empty; state() becomes kDone or kFailed.
  void Close(std::string rename_to);
  // Stops the thread without waiting for the queue, and removes the file.
  void Cancel();

  State state() const { return state_.load(std::memory_order_acquire); }
  // When kFailed: the errno and the step that failed ("write", "fsync", "rename", ...).
  int error() const { return error_; }
  const char* failed_op() const { return failed_op_; }
  // Bytes queued and not yet written: what the snapshot holds in memory beyond the dataset.
  uint64_t queued_bytes() const { return queued_bytes_.load(std::memory_order_relaxed); }
  const std::string& path() const { return path_; }

 private:
  // One item of the queue: bytes, or an entry to serialize.
  struct Item {
    std::string bytes;
    struct Entry {
      std::string key;
      Value value;
      int64_t expire_ms;
      int64_t idle_seconds;
      int freq;
      RdbSaveOptions opts;
    };
    std::unique_ptr<Entry> entry;
  };

  void Run();
  // Writes `bytes` whole (checksummed when there is an RDB trailer, synced every
  // kAutoSyncBytes when incremental); false after a failure.
  bool WriteOut(std::string_view bytes);
  // The write(2) loop alone.
  bool WriteAll(std::string_view bytes);
  // Records the failure of `op` (errno), once.
  void Fail(const char* op, int err);

  const std::string path_;
  const bool incremental_fsync_;
  const Trailer trailer_;
  uint64_t crc_ = 0;          // the thread's: CRC-64 of what it wrote
  uint64_t unsynced_ = 0;     // the thread's: bytes since the last fdatasync
  int fd_ = -1;
  std::thread thread_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Item> queue_;             // guarded by mu_
  bool closing_ = false;               // guarded by mu_
  bool cancelled_ = false;             // guarded by mu_
  std::string rename_to_;              // guarded by mu_; read by the thread after closing_

  std::atomic<State> state_{State::kWriting};
  std::atomic<uint64_t> queued_bytes_{0};
  std::atomic<uint64_t> pending_entries_{0};
  int error_ = 0;                      // written by the thread before state_ turns kFailed
  const char* failed_op_ = "";
};

}  // namespace basalt
