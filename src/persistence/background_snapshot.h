// BackgroundSnapshot: BGSAVE and BGREWRITEAOF without fork. It writes a point-in-time image of
// the dataset from the execution thread, a slice per event-loop turn, while commands keep
// running, and costs memory only for what it has serialized and not yet written out: a fork
// under a write load can double the process's memory through copy-on-write.
//
// How the image stays point-in-time (the idea of Dragonfly's snapshots, on our chained table):
// each database's key table is watched (HashTable's Watcher). The snapshot walks the bucket
// ids in order and serializes each bucket whole, marking it done in a bitmap. Every lookup,
// insert or erase of a key first reaches its bucket through the watcher, which serializes that
// bucket ahead of the walk if it is not done yet. So a bucket is always written as it was when
// the snapshot started: a key changed or deleted since was written before the change, and a key
// added since lands in a bucket already done (it was serialized on the insert) and is not
// written. Resizing is forbidden meanwhile so that bucket ids keep their meaning; if the table
// must change its layout anyway (an overload that forces a resize, FLUSHDB, SWAPDB), the
// watcher first serializes all of that database's remaining buckets.
//
// Keys thus reach the file out of database order; DatasetWriter selects the database as it
// changes. The bytes go to a FileWriterThread, which writes, fsyncs and renames the file off
// the execution thread. A value slow to serialize and quick to copy (RdbSerializesSlowly: big
// LZF-compressed lists, streams and strings) is copied instead, and the copy serialized by
// that thread in its place in the stream, so the event loop does not stall on LZF.
//
// Execution thread only (the file writer's own thread aside).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "persistence/dataset_writer.h"
#include "persistence/file_writer_thread.h"

namespace basalt {

class Server;

class BackgroundSnapshot {
 public:
  enum class State { kRunning, kSucceeded, kFailed };

  // Starts the image of the dataset as it is now, in `form`, written to `temp_path` and, when
  // complete, renamed to `final_path` (unless empty). Writes the header at once. Returns
  // nullptr, with errno set, if the file cannot be created.
  static std::unique_ptr<BackgroundSnapshot> Start(Server& server, DatasetForm form,
                                                   const std::string& temp_path,
                                                   const std::string& final_path,
                                                   bool incremental_fsync);
  // Abort()s an unfinished snapshot.
  ~BackgroundSnapshot();
  BackgroundSnapshot(const BackgroundSnapshot&) = delete;
  BackgroundSnapshot& operator=(const BackgroundSnapshot&) = delete;

  // One slice of work for the event loop: serializes buckets for up to about a millisecond.
  // Returns the milliseconds until the next slice can do anything: 0 for at once (more to
  // do), more while throttled (rdb-key-save-delay, or the file writer behind), -1 when all
  // keys are written and only the file writer is left.
  int64_t Step();
  // Polls the file writer. kFailed: the write failed (Abort() cleans up).
  State state() const;
  // Stops: releases the databases and removes the temp file.
  void Abort();

  uint64_t keys_done() const { return keys_done_; }
  uint64_t keys_total() const { return keys_total_; }
  // When Start began (EventLoop::NowUs).
  int64_t start_us() const { return start_us_; }
  // Bytes serialized and not yet written to the file (INFO's copy-on-write fields).
  uint64_t buffered_bytes() const { return file_->queued_bytes(); }
  const FileWriterThread& file() const { return *file_; }

 private:
  class DbWalk;

  BackgroundSnapshot(Server& server, std::unique_ptr<FileWriterThread> file);
  // Writes one key (from a DbWalk).
  void WriteKey(int db, const DbEntry& e);
  // All keys are written: the trailer, then the file writer closes the file.
  void Finish();

  Server& server_;
  std::unique_ptr<FileWriterThread> file_;
  std::unique_ptr<DatasetWriter> writer_;
  std::vector<std::unique_ptr<DbWalk>> walks_;
  size_t current_walk_ = 0;
  std::string final_path_;
  bool finished_ = false;  // every key written and the file closing
  bool aborted_ = false;
  bool write_failed_ = false;
  uint64_t keys_done_ = 0;
  uint64_t keys_total_ = 0;
  int64_t start_us_ = 0;
};

}  // namespace basalt
