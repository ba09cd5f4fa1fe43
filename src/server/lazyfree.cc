#include "server/lazyfree.h"

#include <utility>

#include "db/database.h"
#include "types/quicklist.h"
#include "types/string_map.h"
#include "types/string_set.h"
#include "types/value.h"
#include "types/zset_index.h"

namespace basalt {

LazyFreer::~LazyFreer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

// Redis's lazyfreeGetFreeEffort compared with LAZYFREE_THRESHOLD: about how many
// allocations freeing `v` walks (elements of a hash table or skiplist, nodes of a quicklist).
bool LazyFreer::WorthFreeingLazily(const Value& v) {
  constexpr size_t kThreshold = 64;
  if (v.type() == ValueType::kString || v.has_inline_collection()) return false;
  switch (v.encoding()) {
    case Encoding::kQuicklist: return v.object<Quicklist>().node_count() > kThreshold;
    case Encoding::kSkiplist: return v.object<ZSetIndex>().size() > kThreshold;
    case Encoding::kHashtable:
      return v.type() == ValueType::kSet ? v.object<StringSet>().size() > kThreshold
                                         : v.object<StringMap>().size() > kThreshold;
    default: return true;  // a stream: its radix tree, entries and groups
  }
}

bool LazyFreer::MaybeFreeLater(Value& v) {
  if (!WorthFreeingLazily(v)) return false;
  // A shared_ptr lets the std::function (which must be copyable) own the moved-out value.
  auto doomed = std::make_shared<Value>(std::move(v));
  Enqueue([doomed]() mutable { doomed.reset(); }, 1);
  return true;
}

void LazyFreer::FreeDatabaseLater(std::unique_ptr<Database> db) {
  const uint64_t keys = db->size();
  std::shared_ptr<Database> doomed(std::move(db));
  Enqueue([doomed]() mutable { doomed.reset(); }, keys);
}

void LazyFreer::Enqueue(std::function<void()> job, uint64_t objects) {
  pending_.fetch_add(objects, std::memory_order_relaxed);
  {
    std::lock_guard<std::mutex> lock(mu_);
    jobs_.emplace_back(std::move(job), objects);
    if (!thread_.joinable()) thread_ = std::thread([this] { Run(); });
  }
  cv_.notify_one();
}

void LazyFreer::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    cv_.wait(lock, [this] { return stop_ || !jobs_.empty(); });
    if (jobs_.empty()) return;  // stopping, and nothing left
    auto [job, objects] = std::move(jobs_.front());
    jobs_.pop_front();
    busy_ = true;
    lock.unlock();
    job();
    job = nullptr;  // the last reference: frees the object here, not under the lock
    pending_.fetch_sub(objects, std::memory_order_relaxed);
    freed_.fetch_add(objects, std::memory_order_relaxed);
    lock.lock();
    busy_ = false;
    if (jobs_.empty()) idle_cv_.notify_all();
  }
}

void LazyFreer::Drain() {
  std::unique_lock<std::mutex> lock(mu_);
  idle_cv_.wait(lock, [this] { return jobs_.empty() && !busy_; });
}

}  // namespace basalt
