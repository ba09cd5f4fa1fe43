#include "persistence/file_writer_thread.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <utility>

namespace basalt {
FileWriterThread::FileWriterThread(std::string path, bool incremental_fsync)
    : path_(std::move(path)), incremental_fsync_(incremental_fsync) {
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
    queue_.emplace_back(bytes);
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
}

void FileWriterThread::Fail(const char* op, int err) {
  if (state() == State::kFailed) return;
  error_ = err;
  failed_op_ = op;
  state_.store(State::kFailed, std::memory_order_release);
}

void FileWriterThread::Run() {
  uint64_t unsynced = 0;
  std::string rename_to;
  while (true) {
    std::string chunk;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return cancelled_ || closing_ || !queue_.empty(); });
      if (cancelled_) return;
      if (queue_.empty()) {  // closing, and everything is written
        rename_to = rename_to_;
        break;
      }
      chunk = std::move(queue_.front());
      queue_.pop_front();
    }
    std::string_view rest = chunk;
    while (!rest.empty() && state() != State::kFailed) {
      const ssize_t n = ::write(fd_, rest.data(), rest.size());
      if (n < 0) {
        if (errno != EINTR) Fail("write", errno);
        continue;
      }
      rest.remove_prefix(static_cast<size_t>(n));
    }
    queued_bytes_.fetch_sub(chunk.size(), std::memory_order_relaxed);
    unsynced += chunk.size();
    if (incremental_fsync_ && unsynced >= kAutoSyncBytes && state() != State::kFailed) {
      if (fdatasync(fd_) != 0) Fail("fsync", errno);
      unsynced = 0;
    }
    // After a failure keep draining (and dropping) until told to close or cancel.
  }
  if (state() == State::kFailed) return;
  if (fsync(fd_) != 0) return Fail("fsync", errno);
  const int fd = std::exchange(fd_, -1);
  if (close(fd) != 0) return Fail("fclose", errno);
  if (!rename_to.empty() && rename(path_.c_str(), rename_to.c_str()) != 0) {
    return Fail("rename", errno);
  }
  state_.store(State::kDone, std::memory_order_release);
}

}  // namespace basalt
