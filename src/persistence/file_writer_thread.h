// FileWriterThread: an RdbSink that writes to a file from a thread of its own, so that a
// snapshot taken on the execution thread (background_snapshot.h) never waits for the disk:
// Write copies the bytes into a queue and returns; the thread writes them out, with an
// fdatasync every 4 MB when incremental fsync is on (rdb-save-incremental-fsync,
// aof-rewrite-incremental-fsync: the final fsync then does not meet a huge backlog of dirty
// pages), and on Close fsyncs, closes and renames the file into place.
//
// Write, Close, Cancel and the accessors are called from one thread (the execution thread);
// the queue and the outcome are shared with the writer thread under a mutex.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "persistence/rdb_writer.h"

namespace basalt {

class FileWriterThread final : public RdbSink {
 public:
  enum class State { kWriting, kDone, kFailed };

  // Creates (truncates) `path` and starts the thread. On failure state() is kFailed and
  // error() says why; nothing runs.
  FileWriterThread(std::string path, bool incremental_fsync);
  // Cancel()s a file not done (still writing, or failed).
  ~FileWriterThread();
  FileWriterThread(const FileWriterThread&) = delete;
  FileWriterThread& operator=(const FileWriterThread&) = delete;

  // Queues a copy of `bytes`. False once the thread has failed.
  bool Write(std::string_view bytes) override;
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
  void Run();
  // Records the failure of `op` (errno), once.
  void Fail(const char* op, int err);

  const std::string path_;
  const bool incremental_fsync_;
  int fd_ = -1;
  std::thread thread_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> queue_;      // guarded by mu_
  bool closing_ = false;               // guarded by mu_
  bool cancelled_ = false;             // guarded by mu_
  std::string rename_to_;              // guarded by mu_; read by the thread after closing_

  std::atomic<State> state_{State::kWriting};
  std::atomic<uint64_t> queued_bytes_{0};
  int error_ = 0;                      // written by the thread before state_ turns kFailed
  const char* failed_op_ = "";
};

}  // namespace basalt
