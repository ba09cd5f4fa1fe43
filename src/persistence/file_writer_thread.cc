#include "persistence/file_writer_thread.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <utility>

#include "persistence/crc64.h"

namespace basalt {

FileWriterThread::FileWriterThread(std::string path, bool incremental_fsync, Trailer trailer)
    : path_(std::move(path)), incremental_fsync_(incremental_fsync), trailer_(trailer) {
  fd_ = open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    Fail("open", errno);
    return;
  }
  thread_ = std::thread([this] { Run(); });
}

FileWriterThread::~FileWriterThread() {
  if (state() == State::kDone) {
    if (thread_.joinable()) thread_.join();
  } else {
    Cancel();  // also after a failure: the thread may be waiting for more, and the file goes
  }
}

bool FileWriterThread::Write(std::string_view bytes) {
  if (state() == State::kFailed) return false;
  if (bytes.empty()) return true;
  queued_bytes_.fetch_add(bytes.size(), std::memory_order_relaxed);
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(Item{std::string(bytes), nullptr});
  }
  cv_.notify_one();
  return true;
}

bool FileWriterThread::WriteEntryLater(std::string key, Value value, int64_t expire_ms,
                                       int64_t idle_seconds, int freq,
                                       const RdbSaveOptions& opts) {
  if (trailer_ == Trailer::kNone || state() == State::kFailed) return false;
  auto entry = std::make_unique<Item::Entry>(
      Item::Entry{std::move(key), std::move(value), expire_ms, idle_seconds, freq, opts});
  pending_entries_.fetch_add(1, std::memory_order_relaxed);
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(Item{std::string(), std::move(entry)});
  }
  cv_.notify_one();
  return true;
}

void FileWriterThread::Close(std::string rename_to) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    closing_ = true;
    rename_to_ = std::move(rename_to);
  }
  cv_.notify_one();
}

void FileWriterThread::Cancel() {
  if (!thread_.joinable()) return;  // the file was never created
  {
    std::lock_guard<std::mutex> lock(mu_);
    cancelled_ = true;
    queue_.clear();
  }
  cv_.notify_one();
  thread_.join();
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
  unlink(path_.c_str());
  queued_bytes_.store(0, std::memory_order_relaxed);
  pending_entries_.store(0, std::memory_order_relaxed);
}

void FileWriterThread::Fail(const char* op, int err) {
  if (state() == State::kFailed) return;
  error_ = err;
  failed_op_ = op;
  state_.store(State::kFailed, std::memory_order_release);
}

bool FileWriterThread::WriteAll(std::string_view bytes) {
  while (!bytes.empty() && state() != State::kFailed) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno != EINTR) Fail("write", errno);
      continue;
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return state() != State::kFailed;
}

bool FileWriterThread::WriteOut(std::string_view bytes) {
  if (trailer_ == Trailer::kRdbChecksum) crc_ = Crc64Of(crc_, bytes);
  if (!WriteAll(bytes)) return false;
  unsynced_ += bytes.size();
  if (incremental_fsync_ && unsynced_ >= kAutoSyncBytes) {
    if (fdatasync(fd_) != 0) Fail("fsync", errno);
    unsynced_ = 0;
  }
  return state() != State::kFailed;
}

void FileWriterThread::Run() {
  std::string rename_to;
  while (true) {
    Item item;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return cancelled_ || closing_ || !queue_.empty(); });
      if (cancelled_) return;
      if (queue_.empty()) {  // closing, and everything is written
        rename_to = rename_to_;
        break;
      }
      item = std::move(queue_.front());
      queue_.pop_front();
    }
    // After a failure keep draining (and dropping) until told to close or cancel.
    if (item.entry != nullptr) {
      const Item::Entry& e = *item.entry;
      std::string bytes;
      RdbWriter::AppendEntry(&bytes, e.key, e.value, e.expire_ms, e.idle_seconds, e.freq,
                             e.opts);
      if (state() != State::kFailed) WriteOut(bytes);
      item.entry.reset();  // the copy of the value is freed here, off the execution thread
      pending_entries_.fetch_sub(1, std::memory_order_relaxed);
    } else {
      if (state() != State::kFailed) WriteOut(item.bytes);
      queued_bytes_.fetch_sub(item.bytes.size(), std::memory_order_relaxed);
    }
  }
  if (state() == State::kFailed) return;
  if (trailer_ != Trailer::kNone) {
    // The trailer itself is not part of the checksum.
    const uint64_t crc = trailer_ == Trailer::kRdbChecksum ? crc_ : 0;
    char bytes[8];
    for (int i = 0; i < 8; ++i) bytes[i] = static_cast<char>((crc >> (8 * i)) & 0xff);
    if (!WriteAll(std::string_view(bytes, sizeof(bytes)))) return;
  }
  if (fsync(fd_) != 0) return Fail("fsync", errno);
  const int fd = std::exchange(fd_, -1);
  if (close(fd) != 0) return Fail("fclose", errno);
  {
    // Cancelled during the fsync: the file must not replace the one in place.
    std::lock_guard<std::mutex> lock(mu_);
    if (cancelled_) return;
  }
  if (!rename_to.empty() && rename(path_.c_str(), rename_to.c_str()) != 0) {
    return Fail("rename", errno);
  }
  state_.store(State::kDone, std::memory_order_release);
}

}  // namespace basalt
