#include "types/stream.h"

#include <malloc.h>

#include <algorithm>

#include "util/strconv.h"

namespace basalt {

namespace {

constexpr uint8_t kDeleted = 1;
constexpr uint8_t kSameFields = 2;

void PutVarint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

uint64_t GetVarint(const char* data, size_t* off) {
  uint64_t v = 0;
  int shift = 0;
  while (true) {
    uint8_t b = static_cast<uint8_t>(data[(*off)++]);
    v |= static_cast<uint64_t>(b & 0x7F) << shift;
    if ((b & 0x80) == 0) return v;
    shift += 7;
  }
}

void PutString(std::string& out, std::string_view s) {
  PutVarint(out, s.size());
  out.append(s);
}

std::string_view GetString(const std::string& data, size_t* off) {
  uint64_t len = GetVarint(data.data(), off);
  std::string_view s(data.data() + *off, len);
  *off += len;
  return s;
}

// Values: strings tagged with a 0 low bit, canonical integers (as Redis's string2ll accepts
// them, so they print back to the same bytes) with a 1.
constexpr int64_t kMaxInlineInt = int64_t{1} << 62;

void PutValue(std::string& out, std::string_view s) {
  if (!s.empty() && s.size() <= 20) {
    std::optional<int64_t> v = ParseInt64(s);
    if (v && *v < kMaxInlineInt && *v > -kMaxInlineInt) {
      uint64_t zigzag = (static_cast<uint64_t>(*v) << 1) ^ static_cast<uint64_t>(*v >> 63);
      PutVarint(out, (zigzag << 1) | 1);
      return;
    }
  }
  PutVarint(out, static_cast<uint64_t>(s.size()) << 1);
  out.append(s);
}

// Integers are printed at the end of `numbers`, which has room for them (see Next).
std::string_view GetValue(const std::string& data, size_t* off, std::string* numbers) {
  uint64_t tagged = GetVarint(data.data(), off);
  if ((tagged & 1) == 0) {
    std::string_view s(data.data() + *off, tagged >> 1);
    *off += tagged >> 1;
    return s;
  }
  uint64_t zigzag = tagged >> 1;
  int64_t v = static_cast<int64_t>(zigzag >> 1) ^ -static_cast<int64_t>(zigzag & 1);
  if (numbers == nullptr) return {};
  char buf[kInt64BufSize];
  size_t len = FormatInt64(v, buf);
  size_t start = numbers->size();
  numbers->append(buf, len);
  return std::string_view(numbers->data() + start, len);
}

// Reads a block entry by entry. Field views point into the block.
class BlockReader {
 public:
  BlockReader(const StreamID& master, const StreamBlock& block) : master_(master), b_(block) {
    size_t off = 0;
    uint64_t n = GetVarint(b_.data.data(), &off);
    master_fields_.reserve(n);
    for (uint64_t i = 0; i < n; ++i) master_fields_.push_back(GetString(b_.data, &off));
    off_ = b_.entries_start;
  }

  bool AtEnd() const { return off_ >= b_.data.size(); }
  size_t offset() const { return off_; }
  void Seek(size_t off) { off_ = off; }

  // Decodes the entry at the current offset and moves past it. Fields are decoded only when
  // `out` is non-null. Returns the entry's flags; *id_out gets its ID.
  uint8_t Next(StreamID* id_out, StreamEntryView* out) {
    const char* d = b_.data.data();
    uint8_t flags = static_cast<uint8_t>(d[off_++]);
    uint64_t ms_delta = GetVarint(d, &off_);
    uint64_t seq = GetVarint(d, &off_);
    StreamID id{master_.ms + ms_delta, ms_delta == 0 ? master_.seq + seq : seq};
    *id_out = id;
    std::string* numbers = nullptr;
    if (out != nullptr) {
      out->id = id;
      out->fields.clear();
      numbers = &out->numbers;
    }
    if (flags & kSameFields) {
      if (numbers != nullptr) ReserveNumbers(numbers, master_fields_.size());
      for (std::string_view f : master_fields_) {
        std::string_view v = GetValue(b_.data, &off_, numbers);
        if (out != nullptr) out->fields.emplace_back(f, v);
      }
    } else {
      uint64_t n = GetVarint(d, &off_);
      if (numbers != nullptr) ReserveNumbers(numbers, n);
      for (uint64_t i = 0; i < n; ++i) {
        std::string_view f = GetString(b_.data, &off_);
        std::string_view v = GetValue(b_.data, &off_, numbers);
        if (out != nullptr) out->fields.emplace_back(f, v);
      }
    }
    return flags;
  }

 private:
  // Room for `n` printed integers, so that appending them never moves earlier ones.
  static void ReserveNumbers(std::string* numbers, size_t n) {
    numbers->clear();
    numbers->reserve(n * kInt64BufSize);
  }

  StreamID master_;
  const StreamBlock& b_;
  std::vector<std::string_view> master_fields_;
  size_t off_ = 0;
};

// Finds the entry `id` in `block`; returns its offset or npos.
size_t FindInBlock(const StreamID& master, const StreamBlock& block, StreamID id) {
  BlockReader r(master, block);
  while (!r.AtEnd()) {
    size_t off = r.offset();
    StreamID cur;
    uint8_t flags = r.Next(&cur, nullptr);
    if (cur == id) return (flags & kDeleted) ? std::string::npos : off;
    if (cur > id) break;
  }
  return std::string::npos;
}

}  // namespace

// ---- entry views ----------------------------------------------------------------------------

StreamEntryView& StreamEntryView::operator=(const StreamEntryView& other) {
  if (this == &other) return *this;
  id = other.id;
  fields = other.fields;
  numbers.clear();
  numbers.reserve(other.numbers.capacity());
  numbers.append(other.numbers);
  // Values printed into other.numbers now point at the same offsets of ours.
  const char* begin = other.numbers.data();
  const char* end = begin + other.numbers.size();
  for (auto& [field, value] : fields) {
    if (value.data() >= begin && value.data() < end) {
      value = std::string_view(numbers.data() + (value.data() - begin), value.size());
    }
  }
  return *this;
}

StreamEntryView& StreamEntryView::operator=(StreamEntryView&& other) noexcept {
  // Moving a short std::string copies its bytes (small-string optimization), which would
  // leave the views behind; a copy re-points them.
  *this = static_cast<const StreamEntryView&>(other);
  return *this;
}

// ---- consumer groups ------------------------------------------------------------------------

StreamConsumer* StreamGroup::FindConsumer(std::string_view name) {
  auto it = consumers.find(name);
  return it == consumers.end() ? nullptr : it->second.get();
}

StreamConsumer* StreamGroup::GetOrCreateConsumer(std::string_view name, int64_t now_ms,
                                                 bool* created) {
  auto it = consumers.find(name);
  if (it != consumers.end()) {
    *created = false;
    return it->second.get();
  }
  auto c = std::make_unique<StreamConsumer>();
  c->name = std::string(name);
  c->seen_time = now_ms;
  StreamConsumer* raw = c.get();
  consumers.emplace(std::string(name), std::move(c));
  *created = true;
  return raw;
}

size_t StreamGroup::DeleteConsumer(std::string_view name) {
  auto it = consumers.find(name);
  if (it == consumers.end()) return 0;
  size_t pending = it->second->pel.size();
  for (const auto& [id, nack] : it->second->pel) pel.erase(id);
  consumers.erase(it);
  return pending;
}

StreamGroup* Stream::FindGroup(std::string_view name) {
  auto it = groups_.find(name);
  return it == groups_.end() ? nullptr : it->second.get();
}

StreamGroup* Stream::CreateGroup(std::string_view name, StreamID last_id, int64_t entries_read) {
  if (groups_.find(name) != groups_.end()) return nullptr;
  auto g = std::make_unique<StreamGroup>();
  g->last_id = last_id;
  g->entries_read = entries_read;
  StreamGroup* raw = g.get();
  groups_.emplace(std::string(name), std::move(g));
  return raw;
}

// ---- object ---------------------------------------------------------------------------------

std::unique_ptr<CollectionObject> Stream::Clone() const {
  auto s = std::make_unique<Stream>();
  s->blocks_ = blocks_;
  s->length_ = length_;
  s->last_id_ = last_id_;
  s->first_id_ = first_id_;
  s->max_deleted_id_ = max_deleted_id_;
  s->entries_added_ = entries_added_;
  for (const auto& [name, g] : groups_) {
    auto ng = std::make_unique<StreamGroup>();
    ng->last_id = g->last_id;
    ng->entries_read = g->entries_read;
    ng->pel = g->pel;
    for (const auto& [cname, c] : g->consumers) {
      auto nc = std::make_unique<StreamConsumer>();
      nc->name = c->name;
      nc->seen_time = c->seen_time;
      for (const auto& [id, nack] : c->pel) {
        PendingEntry& pe = ng->pel.at(id);
        pe.consumer = nc.get();
        nc->pel.emplace(id, &pe);
      }
      ng->consumers.emplace(cname, std::move(nc));
    }
    s->groups_.emplace(name, std::move(ng));
  }
  return s;
}

size_t Stream::AllocatedBytes() const {
  // std::map nodes: three pointers and a color word ahead of the value.
  constexpr size_t kMapNode = 32;
  size_t n = sizeof(Stream);
  for (const auto& [id, b] : blocks_) {
    n += kMapNode + sizeof(std::pair<const StreamID, StreamBlock>);
    // A heap buffer (past the string's inline 15 bytes), as the allocator rounded it.
    if (b.data.capacity() > 15) n += malloc_usable_size(const_cast<char*>(b.data.data()));
  }
  for (const auto& [name, g] : groups_) {
    n += kMapNode + sizeof(std::pair<const std::string, std::unique_ptr<StreamGroup>>) +
         sizeof(StreamGroup) + name.capacity();
    n += g->pel.size() * (kMapNode + sizeof(std::pair<const StreamID, PendingEntry>));
    for (const auto& [cname, c] : g->consumers) {
      n += kMapNode + sizeof(std::pair<const std::string, std::unique_ptr<StreamConsumer>>) +
           sizeof(StreamConsumer) + 2 * cname.capacity();
      n += c->pel.size() * (kMapNode + sizeof(std::pair<const StreamID, PendingEntry*>));
    }
  }
  return n;
}

// ---- entries --------------------------------------------------------------------------------

std::optional<StreamID> Stream::NextId(int64_t now_ms, const ParsedStreamID* explicit_id) const {
  StreamID id;
  if (explicit_id != nullptr) {
    if (explicit_id->seq_given) {
      id = explicit_id->id;
    } else if (last_id_.ms == explicit_id->id.ms) {
      if (last_id_.seq == UINT64_MAX) return std::nullopt;
      id = last_id_;
      ++id.seq;
    } else {
      id = explicit_id->id;
    }
  } else {
    uint64_t ms = static_cast<uint64_t>(now_ms);
    if (ms > last_id_.ms) {
      id = {ms, 0};
    } else {
      id = last_id_;
      if (!id.Increment()) return std::nullopt;
    }
  }
  if (id <= last_id_) return std::nullopt;
  return id;
}

void Stream::Append(StreamID id, std::span<const std::string_view> fv, size_t node_max_bytes,
                    int64_t node_max_entries) {
  size_t numfields = fv.size() / 2;
  size_t payload = 0;
  for (std::string_view s : fv) payload += s.size();

  StreamBlock* block = nullptr;
  StreamID master;
  if (!blocks_.empty()) {
    auto& [m, b] = *blocks_.rbegin();
    bool full = false;
    if (node_max_bytes != 0 && b.data.size() + payload >= node_max_bytes) full = true;
    if (node_max_entries != 0 &&
        static_cast<int64_t>(b.live + b.deleted) >= node_max_entries) {
      full = true;
    }
    if (full) {
      b.data.shrink_to_fit();  // sealed: give back the growth slack
    } else {
      block = &b;
      master = m;
    }
  }
  if (block == nullptr) {
    master = id;
    block = &blocks_[id];
    PutVarint(block->data, numfields);
    for (size_t i = 0; i < numfields; ++i) PutString(block->data, fv[2 * i]);
    block->entries_start = static_cast<uint32_t>(block->data.size());
  }

  // Same fields as the master entry?
  bool same = false;
  {
    size_t off = 0;
    uint64_t n = GetVarint(block->data.data(), &off);
    if (n == numfields) {
      same = true;
      for (size_t i = 0; i < numfields && same; ++i) {
        same = GetString(block->data, &off) == fv[2 * i];
      }
    }
  }
  std::string& d = block->data;
  d.push_back(static_cast<char>(same ? kSameFields : 0));
  uint64_t ms_delta = id.ms - master.ms;
  PutVarint(d, ms_delta);
  PutVarint(d, ms_delta == 0 ? id.seq - master.seq : id.seq);
  if (same) {
    for (size_t i = 0; i < numfields; ++i) PutValue(d, fv[2 * i + 1]);
  } else {
    PutVarint(d, numfields);
    for (size_t i = 0; i < numfields; ++i) {
      PutString(d, fv[2 * i]);
      PutValue(d, fv[2 * i + 1]);
    }
  }
  ++block->live;
  block->last = id;
  ++length_;
  ++entries_added_;
  last_id_ = id;
  if (length_ == 1) first_id_ = id;
}

bool Stream::Contains(StreamID id) const {
  auto it = blocks_.upper_bound(id);
  if (it == blocks_.begin()) return false;
  --it;
  return FindInBlock(it->first, it->second, id) != std::string::npos;
}

bool Stream::Delete(StreamID id) {
  auto it = blocks_.upper_bound(id);
  if (it == blocks_.begin()) return false;
  --it;
  size_t off = FindInBlock(it->first, it->second, id);
  if (off == std::string::npos) return false;
  StreamBlock& b = it->second;
  b.data[off] = static_cast<char>(b.data[off] | kDeleted);
  --b.live;
  ++b.deleted;
  --length_;
  if (b.live == 0) blocks_.erase(it);
  return true;
}

int64_t Stream::Trim(const StreamTrimArgs& args) {
  using S = StreamTrimArgs::Strategy;
  if (args.strategy == S::kNone) return 0;
  int64_t deleted = 0;
  auto it = blocks_.begin();
  while (it != blocks_.end()) {
    if (args.strategy == S::kMaxLen && length_ <= args.maxlen) break;
    StreamBlock& b = it->second;
    int64_t entries = b.live;
    if (args.limit != 0 && deleted + entries > args.limit) break;
    bool remove_node = args.strategy == S::kMaxLen ? length_ - entries >= args.maxlen
                                                   : b.last < args.minid;
    if (remove_node) {
      length_ -= entries;
      deleted += entries;
      it = blocks_.erase(it);
      continue;
    }
    if (args.approx) break;
    // Tombstone entries inside this block.
    BlockReader r(it->first, b);
    while (!r.AtEnd()) {
      if (args.strategy == S::kMaxLen && length_ <= args.maxlen) break;
      size_t off = r.offset();
      StreamID id;
      uint8_t flags = r.Next(&id, nullptr);
      if (flags & kDeleted) continue;
      if (args.strategy == S::kMinId && id >= args.minid) break;
      b.data[off] = static_cast<char>(flags | kDeleted);
      --b.live;
      ++b.deleted;
      --length_;
      ++deleted;
    }
    if (b.live == 0) blocks_.erase(it);
    break;
  }
  UpdateFirstId();
  return deleted;
}

void Stream::UpdateFirstId() {
  StreamEntryView e;
  if (length_ == 0 || !First(&e)) {
    first_id_ = StreamID{};
  } else {
    first_id_ = e.id;
  }
}

void Stream::Range(StreamID start, StreamID end, bool rev,
                   const std::function<bool(const StreamEntryView&)>& f) const {
  if (start > end || blocks_.empty()) return;
  StreamEntryView e;
  StreamID id;
  if (!rev) {
    auto it = blocks_.upper_bound(start);
    if (it != blocks_.begin()) --it;
    for (; it != blocks_.end() && it->first <= end; ++it) {
      if (it->second.last < start) continue;
      BlockReader r(it->first, it->second);
      while (!r.AtEnd()) {
        size_t off = r.offset();
        uint8_t flags = r.Next(&id, nullptr);
        if ((flags & kDeleted) || id < start) continue;
        if (id > end) return;
        r.Seek(off);
        r.Next(&id, &e);
        if (!f(e)) return;
      }
    }
    return;
  }
  auto it = blocks_.upper_bound(end);
  std::vector<size_t> offsets;
  while (it != blocks_.begin()) {
    --it;
    if (it->second.last < start) return;
    BlockReader r(it->first, it->second);
    offsets.clear();
    while (!r.AtEnd()) {
      offsets.push_back(r.offset());
      r.Next(&id, nullptr);
    }
    for (size_t i = offsets.size(); i-- > 0;) {
      r.Seek(offsets[i]);
      uint8_t flags = r.Next(&id, nullptr);
      if ((flags & kDeleted) || id > end) continue;
      if (id < start) return;
      r.Seek(offsets[i]);
      r.Next(&id, &e);
      if (!f(e)) return;
    }
  }
}

bool Stream::First(StreamEntryView* out) const {
  bool found = false;
  Range(StreamID::Min(), StreamID::Max(), false, [&](const StreamEntryView& e) {
    *out = e;
    found = true;
    return false;
  });
  return found;
}

bool Stream::Last(StreamEntryView* out) const {
  bool found = false;
  Range(StreamID::Min(), StreamID::Max(), true, [&](const StreamEntryView& e) {
    *out = e;
    found = true;
    return false;
  });
  return found;
}

// ---- Redis 7's counters -----------------------------------------------------------------------

bool Stream::RangeHasTombstones(const StreamID* start, const StreamID* end) const {
  if (length_ == 0 || max_deleted_id_.IsZero()) return false;
  if (first_id_ > max_deleted_id_) return false;
  StreamID s = start != nullptr ? *start : StreamID::Min();
  StreamID e = end != nullptr ? *end : StreamID::Max();
  return s <= max_deleted_id_ && max_deleted_id_ <= e;
}

int64_t Stream::EstimateDistanceFromFirstEverEntry(StreamID id) const {
  if (entries_added_ == 0) return 0;
  if (length_ == 0 && id <= last_id_) return static_cast<int64_t>(entries_added_);
  if (id == last_id_) return static_cast<int64_t>(entries_added_);
  if (id > last_id_) return kInvalidEntriesRead;
  if (max_deleted_id_.IsZero() || max_deleted_id_ < first_id_) {
    if (id < first_id_) return static_cast<int64_t>(entries_added_ - length_);
    if (id == first_id_) return static_cast<int64_t>(entries_added_ - length_ + 1);
  }
  return kInvalidEntriesRead;
}

bool Stream::GroupLag(const StreamGroup& g, int64_t* lag) const {
  if (entries_added_ == 0) {
    *lag = 0;
    return true;
  }
  if (g.entries_read != kInvalidEntriesRead && !RangeHasTombstones(&g.last_id, nullptr)) {
    *lag = static_cast<int64_t>(entries_added_) - g.entries_read;
    return true;
  }
  int64_t read = EstimateDistanceFromFirstEverEntry(g.last_id);
  if (read == kInvalidEntriesRead) return false;
  *lag = static_cast<int64_t>(entries_added_) - read;
  return true;
}

}  // namespace basalt
