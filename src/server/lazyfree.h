// LazyFreer: frees big values and whole emptied databases on a background thread, so that
// UNLINK, FLUSHALL/FLUSHDB ASYNC and the lazyfree-lazy-user-del / lazyfree-lazy-user-flush
// settings answer in constant time (Redis's lazyfree.c with its BIO thread).
//
// What goes to the thread: values whose freeing walks many allocations (every collection in a
// scalable encoding: hashtable, skiplist, quicklist, stream); strings and the single-block
// encodings (listpack, intset) are freed on the spot, where that is as cheap as queueing
// them. Queued objects are owned by the thread from then on and share nothing with the
// keyspace; the allocator is thread-safe.
//
// INFO lazyfree_pending_objects / lazyfreed_objects count keys (a flushed database counts
// all its keys), as Redis does. lazyfree-lazy-eviction and lazyfree-lazy-expire send evicted
// and expired values here too, and lazyfree-lazy-server-del the implicit deletes (an
// overwritten value, a RENAME destination: Server::OnValueDropping).
//
// Owned by Server; Enqueue* from the execution thread only. The thread starts with the first
// job and is joined (after finishing the queue) by the destructor.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace basalt {

class Database;
class Value;

class LazyFreer {
 public:
  LazyFreer() = default;
  ~LazyFreer();
  LazyFreer(const LazyFreer&) = delete;
  LazyFreer& operator=(const LazyFreer&) = delete;

  // Whether freeing `v` is worth a trip to the thread.
  static bool WorthFreeingLazily(const Value& v);
  // Takes `v` (leaving an empty string in its place) and frees it on the thread when that is
  // worth it; otherwise leaves it for the caller to free. Returns whether it was taken.
  bool MaybeFreeLater(Value& v);
  // Frees every key `db` holds on the thread.
  void FreeDatabaseLater(std::unique_ptr<Database> db);

  uint64_t pending() const { return pending_.load(std::memory_order_relaxed); }
  uint64_t freed() const { return freed_.load(std::memory_order_relaxed); }
  void ResetStats() { freed_.store(0, std::memory_order_relaxed); }
  // Waits until the queue is empty (tests, shutdown).
  void Drain();

 private:
  void Enqueue(std::function<void()> job, uint64_t objects);
  void Run();

  std::mutex mu_;
  std::condition_variable cv_;       // jobs queued, or stopping
  std::condition_variable idle_cv_;  // the queue emptied
  std::deque<std::pair<std::function<void()>, uint64_t>> jobs_;
  bool busy_ = false;
  bool stop_ = false;
  std::thread thread_;
  std::atomic<uint64_t> pending_{0};
  std::atomic<uint64_t> freed_{0};
};

}  // namespace basalt
