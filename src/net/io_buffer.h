// IoBuffer: a growable byte buffer for socket reads, without std::string's zero-filling.
//
//   [ consumed | unread data | free space ]
//   0          start_        end_         capacity_
//
// Reads append at end_; the parser consumes from start_. Compact() moves the unread bytes
// to the front once the consumed prefix is worth reclaiming.
#pragma once

#include <cstdlib>
#include <cstring>
#include <new>
#include <string_view>

namespace basalt {

class IoBuffer {
 public:
  IoBuffer() = default;
  ~IoBuffer() { std::free(data_); }
  IoBuffer(const IoBuffer&) = delete;
  IoBuffer& operator=(const IoBuffer&) = delete;

  std::string_view unread() const { return std::string_view(data_ + start_, end_ - start_); }
  size_t size() const { return end_ - start_; }
  size_t capacity() const { return capacity_; }
  bool empty() const { return start_ == end_; }

  void Consume(size_t n) {
    start_ += n;
    if (start_ == end_) start_ = end_ = 0;
  }

  // Makes room for at least `n` more bytes after end_ and returns where to write them.
  char* PrepareWrite(size_t n) {
    if (capacity_ - end_ < n) {
      Compact();
      if (capacity_ - end_ < n) {
        size_t want = end_ + n;
        size_t cap = capacity_ ? capacity_ : 1024;
        while (cap < want) cap *= 2;
        char* grown = static_cast<char*>(std::realloc(data_, cap));
        if (grown == nullptr) throw std::bad_alloc();
        data_ = grown;
        capacity_ = cap;
      }
    }
    return data_ + end_;
  }
  void CommitWrite(size_t n) { end_ += n; }
  size_t writable() const { return capacity_ - end_; }

  void Compact() {
    if (start_ == 0) return;
    std::memmove(data_, data_ + start_, end_ - start_);
    end_ -= start_;
    start_ = 0;
  }

  // Returns memory to the allocator when a big request has been served and the buffer is
  // empty, so one large command does not pin megabytes per idle client.
  void ShrinkIfIdle(size_t keep) {
    if (empty() && capacity_ > keep) {
      std::free(data_);
      data_ = nullptr;
      capacity_ = start_ = end_ = 0;
    }
  }

 private:
  char* data_ = nullptr;
  size_t capacity_ = 0;
  size_t start_ = 0;
  size_t end_ = 0;
};

}  // namespace basalt
