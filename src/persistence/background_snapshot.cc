#include "persistence/background_snapshot.h"

#include <algorithm>
#include <cerrno>

#include "db/database.h"
#include "net/event_loop.h"
#include "server/server.h"

namespace basalt {
namespace {

// A slice serializes for about this long, so that commands waiting behind it wait little.
constexpr int64_t kSliceUs = 1000;
// Serialized bytes the file writer may hold before the walk waits for it (writes that reach
// an unsaved bucket still serialize it at once).
constexpr uint64_t kMaxBufferedBytes = 64 << 20;
// The clock is read once per this many buckets.
constexpr int kBucketsPerClockRead = 16;

}  // namespace

// The walk over one database's buckets, and the watcher that serializes a bucket before a
// command reaches it.
class BackgroundSnapshot::DbWalk final : public Database::KeyTable::Watcher {
 public:
  DbWalk(BackgroundSnapshot& owner, Database& db)
      : owner_(owner), db_(db), count_(db.BucketIdCount()), done_((count_ + 63) / 64, 0) {
    db_.SetResizeAllowed(false);
    db_.SetWatcher(this);
  }
  ~DbWalk() override { Detach(); }
  DbWalk(const DbWalk&) = delete;
  DbWalk& operator=(const DbWalk&) = delete;

  void BeforeBucketTouched(size_t id) override {
    if (!IsDone(id)) SaveBucket(id);
  }
  void BeforeLayoutChange() override {
    while (next_ < count_) SaveNext();
    Detach();
  }

  bool complete() const { return next_ >= count_; }
  // Serializes the next bucket not yet done; detaches after the last.
  void SaveNext() {
    while (next_ < count_ && IsDone(next_)) ++next_;
    if (next_ < count_) SaveBucket(next_++);
    if (next_ >= count_) Detach();
  }
  // Stops watching (everything is written, or the snapshot is abandoned).
  void Detach() {
    if (!attached_) return;
    attached_ = false;
    db_.SetWatcher(nullptr);
    db_.SetResizeAllowed(true);
    next_ = count_;
  }

 private:
  bool IsDone(size_t id) const { return (done_[id / 64] >> (id % 64)) & 1; }
  void SaveBucket(size_t id) {
    done_[id / 64] |= uint64_t{1} << (id % 64);
    db_.ForEachInBucket(id, [this](const DbEntry* e) { owner_.WriteKey(db_.id(), *e); });
  }

  BackgroundSnapshot& owner_;
  Database& db_;
  const size_t count_;
  std::vector<uint64_t> done_;
  size_t next_ = 0;
  bool attached_ = true;
};

BackgroundSnapshot::BackgroundSnapshot(Server& server, std::unique_ptr<FileWriterThread> file)
    : server_(server), file_(std::move(file)) {}

std::unique_ptr<BackgroundSnapshot> BackgroundSnapshot::Start(Server& server, DatasetForm form,
                                                              const std::string& temp_path,
                                                              const std::string& final_path,
                                                              bool incremental_fsync) {
  FileWriterThread::Trailer trailer = FileWriterThread::Trailer::kNone;
  if (form != DatasetForm::kAofBaseCommands) {
    trailer = server.config().rdbchecksum ? FileWriterThread::Trailer::kRdbChecksum
                                          : FileWriterThread::Trailer::kRdbZeros;
  }
  auto file = std::make_unique<FileWriterThread>(temp_path, incremental_fsync, trailer);
  if (file->state() == FileWriterThread::State::kFailed) {
    errno = file->error();
    return nullptr;
  }
  std::unique_ptr<BackgroundSnapshot> s(new BackgroundSnapshot(server, std::move(file)));
  s->final_path_ = final_path;
  s->start_us_ = EventLoop::NowUs();
  s->writer_ = MakeDatasetWriter(server, *s->file_, form);
  s->write_failed_ = !s->writer_->Begin();
  for (int i = 0; i < server.db_count(); ++i) {
    Database& db = server.db(i);
    if (db.size() == 0) continue;
    s->keys_total_ += db.size();
    s->walks_.push_back(std::make_unique<DbWalk>(*s, db));
  }
  return s;
}

BackgroundSnapshot::~BackgroundSnapshot() { Abort(); }

void BackgroundSnapshot::WriteKey(int db, const DbEntry& e) {
  if (!write_failed_ && !writer_->WriteKey(db, e)) write_failed_ = true;
  ++keys_done_;
}

int64_t BackgroundSnapshot::Step() {
  if (finished_ || aborted_) return -1;
  const int64_t start = EventLoop::NowUs();
  // rdb-key-save-delay (a testing knob: microseconds per key, which the fork child sleeps):
  // here a rate, so that the event loop never sleeps for it.
  const int64_t delay_us = server_.config().rdb_key_save_delay;
  uint64_t allowed = UINT64_MAX;
  if (delay_us > 0) allowed = static_cast<uint64_t>((start - start_us_) / delay_us) + 1;
  // The file writer is behind, or still serializing a big value the walk handed it (one at a
  // time: each is a copy held in memory until then).
  if (file_->queued_bytes() > kMaxBufferedBytes || file_->pending_entries() > 0) return 1;
  for (int n = 0; current_walk_ < walks_.size(); ++n) {
    DbWalk& walk = *walks_[current_walk_];
    if (walk.complete()) {
      walk.Detach();
      ++current_walk_;
      continue;
    }
    if (keys_done_ >= allowed) {
      const int64_t next_key_us = start_us_ + static_cast<int64_t>(keys_done_) * delay_us;
      return std::max<int64_t>(1, (next_key_us - start + 999) / 1000);
    }
    walk.SaveNext();
    if (n % kBucketsPerClockRead == kBucketsPerClockRead - 1 &&
        EventLoop::NowUs() - start >= kSliceUs) {
      return 0;
    }
  }
  Finish();
  return -1;
}

void BackgroundSnapshot::Finish() {
  finished_ = true;
  if (!write_failed_ && !writer_->Finish()) write_failed_ = true;
  file_->Close(final_path_);
}

BackgroundSnapshot::State BackgroundSnapshot::state() const {
  if (aborted_ || write_failed_) return State::kFailed;
  switch (file_->state()) {
    case FileWriterThread::State::kFailed: return State::kFailed;
    case FileWriterThread::State::kDone: return finished_ ? State::kSucceeded : State::kRunning;
    case FileWriterThread::State::kWriting: return State::kRunning;
  }
  return State::kRunning;
}

void BackgroundSnapshot::Abort() {
  if (aborted_) return;
  aborted_ = true;
  walks_.clear();  // detaches every watcher without serializing more
  if (file_->state() != FileWriterThread::State::kDone) file_->Cancel();
}

}  // namespace basalt
