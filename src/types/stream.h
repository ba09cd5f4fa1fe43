// Stream: the value of a stream key (OBJECT ENCODING "stream"): entries ordered by StreamID,
// each a list of field/value pairs, in compact blocks, plus the stream's bookkeeping and its
// consumer groups.
//
// Layout:
//
//   blocks_: std::map<first ID of the block, StreamBlock>     O(log n) seek by ID
//
//   StreamBlock::data (one string; its first entry's ID is the map key, the "master" ID):
//   +---------------------------------------+---------+---------+-----+
//   | master fields: n, (len, bytes) * n     | entry 0 | entry 1 | ... |
//   +---------------------------------------+---------+---------+-----+
//   entry = flags (1 byte: kDeleted, kSameFields)
//           varint (ms - master.ms)
//           varint (seq - master.seq) when the ms are equal, else varint seq
//           kSameFields: n values, the fields being the master's;
//           otherwise:   varint count, then (len, bytes) field, value pairs
//   value = varint (len << 1), bytes          a string
//         | varint (zigzag(v) << 1 | 1)        an integer in canonical form, |v| < 2^62
//
// As in Redis, the field names of a block's first entry are stored once per block, and entries
// with the same fields store only their values; deleted entries (XDEL, exact trimming inside a
// block) stay as tombstones flagged kDeleted until their whole block is freed. A block takes
// new entries until it holds stream-node-max-entries entries (live or deleted) or its bytes
// would reach stream-node-max-bytes, Redis's rules. As Redis's listpacks do, values that are
// integers are stored as integers (a 6-digit counter takes 4 bytes, not 7). Memory per entry of
// 3 short fields with the same names as its block's first entry: 3 bytes of header + the
// values.
//
// The bookkeeping is Redis 7's: last_id (the last ID ever generated), entries_added (every
// entry ever added), max_deleted_id (the largest ID removed by XDEL), first_id (the first
// live entry's ID, 0-0 when empty). Consumer groups (StreamGroup) keep their last-delivered
// ID, their entries-read counter, a pending entries list (PEL) and consumers, each with its
// own PEL sharing the group's PendingEntry records.
//
// Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "types/collection_object.h"
#include "types/stream_id.h"

namespace basalt {

// Redis's SCG_INVALID_ENTRIES_READ: a group whose read counter is unknown.
inline constexpr int64_t kInvalidEntriesRead = -1;

// One entry while iterating: the views point into the stream and die at its next change.
// Values stored as integers are printed into `numbers`, which the view owns: copies and moves
// re-point such values at their own copy.
struct StreamEntryView {
  StreamEntryView() = default;
  StreamEntryView(const StreamEntryView& other) { *this = other; }
  StreamEntryView(StreamEntryView&& other) noexcept { *this = std::move(other); }
  StreamEntryView& operator=(const StreamEntryView& other);
  StreamEntryView& operator=(StreamEntryView&& other) noexcept;

  StreamID id;
  std::vector<std::pair<std::string_view, std::string_view>> fields;
  std::string numbers;  // reserved before filling: it never reallocates under its views
};

struct StreamConsumer;

// A delivered, not yet acknowledged entry (Redis's streamNACK).
struct PendingEntry {
  int64_t delivery_time = 0;  // unix ms of the last delivery
  uint64_t delivery_count = 1;
  StreamConsumer* consumer = nullptr;
};

struct StreamConsumer {
  std::string name;
  int64_t seen_time = 0;                   // unix ms of the last interaction
  std::map<StreamID, PendingEntry*> pel;   // shares the group's records
};

struct StreamGroup {
  StreamID last_id;                        // last delivered ID
  int64_t entries_read = 0;                // or kInvalidEntriesRead
  std::map<StreamID, PendingEntry> pel;
  std::map<std::string, std::unique_ptr<StreamConsumer>, std::less<>> consumers;

  StreamConsumer* FindConsumer(std::string_view name);
  // Creates the consumer if missing; *created tells whether it did.
  StreamConsumer* GetOrCreateConsumer(std::string_view name, int64_t now_ms, bool* created);
  // Deletes a consumer and its pending entries from the group's PEL; returns how many
  // pending entries it had.
  size_t DeleteConsumer(std::string_view name);
};

// Trimming options (XADD/XTRIM).
struct StreamTrimArgs {
  enum class Strategy { kNone, kMaxLen, kMinId } strategy = Strategy::kNone;
  bool approx = false;
  uint64_t maxlen = 0;
  StreamID minid;
  int64_t limit = 0;  // 0: no limit (at most this many entries removed, whole blocks only)
};

class StreamBlock {
 public:
  std::string data;
  uint32_t entries_start = 0;  // offset of entry 0
  uint32_t live = 0;
  uint32_t deleted = 0;
  StreamID last;               // the last entry's ID (live or deleted)
};

class Stream : public CollectionObject {
 public:
  Stream() = default;

  std::unique_ptr<CollectionObject> Clone() const override;
  size_t AllocatedBytes() const override;

  uint64_t length() const { return length_; }
  const StreamID& last_id() const { return last_id_; }
  const StreamID& first_id() const { return first_id_; }
  const StreamID& max_deleted_id() const { return max_deleted_id_; }
  uint64_t entries_added() const { return entries_added_; }
  size_t block_count() const { return blocks_.size(); }

  // XSETID's setters (the caller checks Redis's preconditions).
  void set_last_id(StreamID id) { last_id_ = id; }
  void set_entries_added(uint64_t n) { entries_added_ = n; }
  void set_max_deleted_id(StreamID id) { max_deleted_id_ = id; }

  // The ID XADD would generate: `*` (explicit = nullptr) or `ms-*` / explicit. nullopt when
  // it would not be greater than last_id() (Redis's EDOM).
  std::optional<StreamID> NextId(int64_t now_ms, const ParsedStreamID* explicit_id) const;

  // Appends an entry. REQUIRES: id > last_id(), field_values has an even, nonzero size.
  void Append(StreamID id, std::span<const std::string_view> field_values,
              size_t node_max_bytes, int64_t node_max_entries);

  // Deletes one entry (a tombstone in its block); false if it does not exist. Does not touch
  // max_deleted_id (XDEL does).
  bool Delete(StreamID id);
  bool Contains(StreamID id) const;

  // Redis's streamTrim: returns the number of entries removed.
  int64_t Trim(const StreamTrimArgs& args);

  // Visits live entries with start <= id <= end, ascending (or descending when `rev`),
  // while `f` returns true.
  void Range(StreamID start, StreamID end, bool rev,
             const std::function<bool(const StreamEntryView&)>& f) const;
  // The first / last live entry, if any.
  bool First(StreamEntryView* out) const;
  bool Last(StreamEntryView* out) const;

  // Redis's streamRangeHasTombstones (start/end nullptr: unbounded).
  bool RangeHasTombstones(const StreamID* start, const StreamID* end) const;
  // Redis's streamEstimateDistanceFromFirstEverEntry (kInvalidEntriesRead if unknown).
  int64_t EstimateDistanceFromFirstEverEntry(StreamID id) const;
  // A group's lag as XINFO reports it; false when unknown (null).
  bool GroupLag(const StreamGroup& g, int64_t* lag) const;

  // Consumer groups, by name.
  std::map<std::string, std::unique_ptr<StreamGroup>, std::less<>>& groups() { return groups_; }
  const std::map<std::string, std::unique_ptr<StreamGroup>, std::less<>>& groups() const {
    return groups_;
  }
  StreamGroup* FindGroup(std::string_view name);
  // nullptr if a group with that name exists.
  StreamGroup* CreateGroup(std::string_view name, StreamID last_id, int64_t entries_read);

  // Recomputes first_id from the blocks (after removals).
  void UpdateFirstId();

  const std::map<StreamID, StreamBlock>& blocks() const { return blocks_; }

 private:
  std::map<StreamID, StreamBlock> blocks_;
  uint64_t length_ = 0;
  StreamID last_id_;
  StreamID first_id_;
  StreamID max_deleted_id_;
  uint64_t entries_added_ = 0;
  std::map<std::string, std::unique_ptr<StreamGroup>, std::less<>> groups_;
};

}  // namespace basalt
