#include "persistence/rdb_value.h"

#include <cmath>
#include <cstring>
#include <memory>
#include <unordered_set>
#include <utility>
#include <vector>

#include "persistence/legacy_encodings.h"
#include "types/intset.h"
#include "types/listpack.h"
#include "types/quicklist.h"
#include "types/stream.h"
#include "types/string_map.h"
#include "util/strconv.h"

namespace basalt {
namespace {

// ---------------------------------------------------------------------------------------------
// Writing

// Redis's stream listpack entry flags.
constexpr int64_t kStreamItemDeleted = 1;
constexpr int64_t kStreamItemSameFields = 2;

void PutList(std::string* out, const Value& v, bool compress) {
  if (v.encoding() == Encoding::kListpack) {
    const Listpack& lp = v.listpack();
    if (lp.empty()) {
      RdbPutLength(out, 0);
      return;
    }
    RdbPutLength(out, 1);
    RdbPutLength(out, kQuicklistNodePacked);
    RdbPutString(out, lp.bytes(), compress);
    return;
  }
  const auto& ql = v.object<Quicklist>();
  RdbPutLength(out, ql.node_count());
  for (const Quicklist::Node* n = ql.head(); n != nullptr; n = n->next) {
    if (n->is_plain) {
      RdbPutLength(out, kQuicklistNodePlain);
      RdbPutString(out, n->plain, compress);
    } else {
      RdbPutLength(out, kQuicklistNodePacked);
      RdbPutString(out, n->lp.bytes(), compress);
    }
  }
}

void PutSet(std::string* out, const Value& v, bool compress) {
  if (v.encoding() == Encoding::kIntset) {
    RdbPutString(out, v.intset().bytes(), compress);
    return;
  }
  RdbPutLength(out, SetSize(v));
  ForEachSetMember(v, [&](std::string_view m) { RdbPutString(out, m, compress); });
}

void PutZSet(std::string* out, const Value& v, bool compress) {
  if (v.encoding() == Encoding::kListpack) {
    RdbPutString(out, v.listpack().bytes(), compress);
    return;
  }
  RdbPutLength(out, ZSetSize(v));
  ForEachZSetMember(v, [&](std::string_view member, double score) {
    RdbPutString(out, member, compress);
    RdbPutBinaryDouble(out, score);
    return true;
  });
}

void PutHash(std::string* out, const Value& v, const RdbSaveOptions& opts) {
  if (v.encoding() == Encoding::kListpack) {
    RdbPutString(out, v.listpack().bytes(), opts.compress);
    return;
  }
  const auto& map = v.object<StringMap>();
  // Fields whose TTL passed are gone for every reader; the others lose their TTL (RDB 10 has
  // no place for it).
  auto live = [&](const StringMapNode* n) {
    return !n->has_expire() || n->expire_ms() >= opts.now_ms;
  };
  size_t count = 0;
  if (map.volatile_count() == 0) {
    count = map.size();
  } else {
    map.ForEach([&](const StringMapNode* n) { count += live(n) ? 1 : 0; });
  }
  RdbPutLength(out, count);
  map.ForEach([&](const StringMapNode* n) {
    if (!live(n)) return;
    RdbPutString(out, n->field(), opts.compress);
    RdbPutString(out, n->value(), opts.compress);
  });
}

// Packs a stream's live entries into Redis's stream listpacks:
//   master entry: count, deleted, n master fields, field..., 0
//   entry: flags, ms - master.ms, seq - master.seq, [n, field, value, ...] or [value, ...]
//          (kStreamItemSameFields), lp-count
class StreamPacker {
 public:
  StreamPacker(std::string* out, const RdbSaveOptions& opts) : out_(out), opts_(opts) {}

  void Add(const StreamEntryView& e) {
    if (open_ && ((opts_.stream_node_max_entries > 0 &&
                   count_ >= static_cast<uint64_t>(opts_.stream_node_max_entries)) ||
                  (opts_.stream_node_max_bytes > 0 &&
                   lp_.bytes_len() >= opts_.stream_node_max_bytes))) {
      Seal();
    }
    if (!open_) Open(e);
    bool same = e.fields.size() == master_fields_.size();
    for (size_t i = 0; same && i < e.fields.size(); ++i) {
      same = e.fields[i].first == master_fields_[i];
    }
    lp_.Append(same ? kStreamItemSameFields : int64_t{0});
    lp_.Append(static_cast<int64_t>(e.id.ms - master_.ms));
    lp_.Append(static_cast<int64_t>(e.id.seq - master_.seq));
    if (same) {
      for (const auto& [f, val] : e.fields) lp_.Append(val);
      lp_.Append(static_cast<int64_t>(e.fields.size() + 3));
    } else {
      lp_.Append(static_cast<int64_t>(e.fields.size()));
      for (const auto& [f, val] : e.fields) {
        lp_.Append(f);
        lp_.Append(val);
      }
      lp_.Append(static_cast<int64_t>(2 * e.fields.size() + 4));
    }
    ++count_;
  }

  // Flushes the listpacks to `out` preceded by their number.
  void Finish() {
    if (open_) Seal();
    RdbPutLength(out_, sealed_.size());
    for (const auto& [key, blob] : sealed_) {
      RdbPutString(out_, key, false);
      RdbPutString(out_, blob, opts_.compress);
    }
  }

 private:
  void Open(const StreamEntryView& e) {
    open_ = true;
    master_ = e.id;
    count_ = 0;
    master_fields_.clear();
    lp_ = Listpack();
    lp_.Append(int64_t{0});  // count, fixed in Seal
    lp_.Append(int64_t{0});  // deleted
    lp_.Append(static_cast<int64_t>(e.fields.size()));
    for (const auto& [f, val] : e.fields) {
      master_fields_.emplace_back(f);
      lp_.Append(f);
    }
    lp_.Append(int64_t{0});  // master entry terminator
  }
  void Seal() {
    lp_.Replace(lp_.First(), static_cast<int64_t>(count_));
    std::string key;
    RdbPutStreamIdRaw(&key, master_.ms, master_.seq);
    sealed_.emplace_back(std::move(key), std::string(lp_.bytes()));
    open_ = false;
  }

  std::string* out_;
  const RdbSaveOptions& opts_;
  bool open_ = false;
  StreamID master_;
  uint64_t count_ = 0;
  std::vector<std::string> master_fields_;
  Listpack lp_;
  std::vector<std::pair<std::string, std::string>> sealed_;
};

void PutStreamPel(std::string* out, const std::map<StreamID, PendingEntry>& pel) {
  RdbPutLength(out, pel.size());
  for (const auto& [id, nack] : pel) {
    RdbPutStreamIdRaw(out, id.ms, id.seq);
    RdbPutMillis(out, nack.delivery_time);
    RdbPutLength(out, nack.delivery_count);
  }
}

void PutStream(std::string* out, const Value& v, const RdbSaveOptions& opts) {
  const auto& s = v.object<Stream>();
  StreamPacker packer(out, opts);
  s.Range(StreamID::Min(), StreamID::Max(), false, [&](const StreamEntryView& e) {
    packer.Add(e);
    return true;
  });
  packer.Finish();
  RdbPutLength(out, s.length());
  RdbPutLength(out, s.last_id().ms);
  RdbPutLength(out, s.last_id().seq);
  RdbPutLength(out, s.first_id().ms);
  RdbPutLength(out, s.first_id().seq);
  RdbPutLength(out, s.max_deleted_id().ms);
  RdbPutLength(out, s.max_deleted_id().seq);
  RdbPutLength(out, s.entries_added());
  RdbPutLength(out, s.groups().size());
  for (const auto& [name, g] : s.groups()) {
    RdbPutString(out, name, false);
    RdbPutLength(out, g->last_id.ms);
    RdbPutLength(out, g->last_id.seq);
    RdbPutLength(out, static_cast<uint64_t>(g->entries_read));  // -1 as 2^64-1, as Redis
    PutStreamPel(out, g->pel);
    RdbPutLength(out, g->consumers.size());
    for (const auto& [cname, c] : g->consumers) {
      RdbPutString(out, cname, false);
      RdbPutMillis(out, c->seen_time);
      RdbPutLength(out, c->pel.size());
      for (const auto& [id, nack] : c->pel) RdbPutStreamIdRaw(out, id.ms, id.seq);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Reading

RdbLoadedValue Fail(RdbInput& in, std::string_view message) {
  in.Fail(message);
  return {};
}
RdbLoadedValue Ok(Value v) { return {std::move(v), false}; }
RdbLoadedValue Empty() { return {std::nullopt, true}; }

std::string EntryText(const ListpackEntry& e) { return e.ToString(); }

// Reads `n` strings.
bool ReadStrings(RdbInput& in, uint64_t n, std::vector<std::string>* out) {
  out->reserve(std::min<uint64_t>(n, 1 << 20));
  for (uint64_t i = 0; i < n; ++i) {
    auto s = in.ReadString();
    if (!s) return false;
    out->push_back(std::move(*s));
  }
  return true;
}

RdbLoadedValue BuildList(RdbInput& in, const std::vector<std::string>& elems,
                         const RdbLoadLimits& limits) {
  if (elems.empty()) return Empty();
  return Ok(MakeList(elems, limits.list));
}

RdbLoadedValue BuildSet(RdbInput& in, const std::vector<std::string>& members,
                        const RdbLoadLimits& limits) {
  if (members.empty()) return Empty();
  Value v = SetFromMembers(std::span<const std::string>(members), limits.set);
  if (SetSize(v) != members.size()) return Fail(in, "duplicate set members");
  return Ok(std::move(v));
}

// field, value, field, value, ...
RdbLoadedValue BuildHash(RdbInput& in, const std::vector<std::string>& kv,
                         const RdbLoadLimits& limits) {
  if (kv.size() % 2 != 0) return Fail(in, "odd number of hash elements");
  if (kv.empty()) return Empty();
  Value v = NewHash();
  if (kv.size() / 2 > limits.hash.max_listpack_entries) HashConvertToTable(v);
  for (size_t i = 0; i < kv.size(); i += 2) {
    if (!HashSet(v, kv[i], kv[i + 1], limits.hash)) return Fail(in, "duplicate hash fields");
  }
  return Ok(std::move(v));
}

RdbLoadedValue BuildZSet(RdbInput& in, std::vector<ZSetEntry> entries,
                         const RdbLoadLimits& limits) {
  if (entries.empty()) return Empty();
  std::unordered_set<std::string_view> seen;
  seen.reserve(entries.size());
  for (const ZSetEntry& e : entries) {
    if (std::isnan(e.score)) return Fail(in, "zset score is NaN");
    if (!seen.insert(e.member).second) return Fail(in, "duplicate zset members");
  }
  return Ok(ZSetFromEntries(std::move(entries), limits.zset));
}

// member, score, member, score, ... as text
RdbLoadedValue BuildZSetFromPairs(RdbInput& in, const std::vector<std::string>& kv,
                                  const RdbLoadLimits& limits) {
  if (kv.size() % 2 != 0) return Fail(in, "odd number of zset elements");
  std::vector<ZSetEntry> entries;
  entries.reserve(kv.size() / 2);
  for (size_t i = 0; i < kv.size(); i += 2) {
    auto score = ParseDouble(kv[i + 1]);
    if (!score) return Fail(in, "invalid zset score");
    entries.push_back({kv[i], *score});
  }
  return BuildZSet(in, std::move(entries), limits);
}

std::optional<std::vector<std::string>> ReadZiplist(RdbInput& in) {
  auto blob = in.ReadString();
  if (!blob) return std::nullopt;
  auto elems = DecodeZiplist(*blob);
  if (!elems) in.Fail("invalid ziplist");
  return elems;
}

// A listpack blob, validated deeply. *count receives its number of entries.
std::optional<Listpack> ReadListpack(RdbInput& in, size_t* count) {
  auto blob = in.ReadString();
  if (!blob) return std::nullopt;
  if (!Listpack::Validate(*blob, /*deep=*/true, count)) {
    in.Fail("invalid listpack");
    return std::nullopt;
  }
  return Listpack::FromBytes(*blob, /*deep=*/false);
}

// Checks a listpack of (key[, value]) records for duplicate keys and measures the longest
// element. `step` is 2 for maps, 1 for sets.
bool ListpackKeysDistinct(const Listpack& lp, size_t step, size_t* longest) {
  std::unordered_set<std::string> seen;
  size_t i = 0;
  *longest = 0;
  for (ListpackEntry e : lp.view()) {
    std::string s = EntryText(e);
    *longest = std::max(*longest, s.size());
    if (i++ % step == 0 && !seen.insert(std::move(s)).second) return false;
  }
  return true;
}

RdbLoadedValue ReadHashListpack(RdbInput& in, const RdbLoadLimits& limits) {
  size_t count = 0;
  auto lp = ReadListpack(in, &count);
  if (!lp) return {};
  if (count % 2 != 0) return Fail(in, "odd number of hash listpack entries");
  if (count == 0) return Empty();
  size_t longest = 0;
  if (!ListpackKeysDistinct(*lp, 2, &longest)) return Fail(in, "duplicate hash fields");
  Value v = Value::FromListpack(ValueType::kHash, std::move(*lp));
  if (count / 2 > limits.hash.max_listpack_entries || longest > limits.hash.max_listpack_value) {
    HashConvertToTable(v);
  }
  return Ok(std::move(v));
}

RdbLoadedValue ReadSetListpack(RdbInput& in, const RdbLoadLimits& limits) {
  size_t count = 0;
  auto lp = ReadListpack(in, &count);
  if (!lp) return {};
  if (count == 0) return Empty();
  size_t longest = 0;
  if (!ListpackKeysDistinct(*lp, 1, &longest)) return Fail(in, "duplicate set members");
  Value v = Value::FromListpack(ValueType::kSet, std::move(*lp));
  if (count > limits.set.max_listpack_entries || longest > limits.set.max_listpack_value) {
    SetConvert(v, Encoding::kHashtable);
  }
  return Ok(std::move(v));
}

RdbLoadedValue ReadZSetListpack(RdbInput& in, const RdbLoadLimits& limits) {
  size_t count = 0;
  auto lp = ReadListpack(in, &count);
  if (!lp) return {};
  if (count % 2 != 0) return Fail(in, "odd number of zset listpack entries");
  if (count == 0) return Empty();
  std::vector<ZSetEntry> entries;
  entries.reserve(count / 2);
  bool sorted = true;
  size_t longest = 0;
  const ListpackView view = lp->view();
  for (ListpackPos p = view.First(); p.valid();) {
    ListpackEntry m = view.Get(p);
    p = view.Next(p);
    ListpackEntry s = view.Get(p);
    p = view.Next(p);
    std::optional<double> score =
        s.is_int ? std::optional<double>(static_cast<double>(s.ival)) : ParseDouble(s.sval);
    if (!score || std::isnan(*score)) return Fail(in, "invalid zset score");
    ZSetEntry e{EntryText(m), *score};
    longest = std::max(longest, e.member.size());
    if (!entries.empty()) {
      const ZSetEntry& prev = entries.back();
      if (prev.score > e.score || (prev.score == e.score && prev.member >= e.member)) {
        sorted = false;
      }
    }
    entries.push_back(std::move(e));
  }
  if (!sorted || entries.size() > limits.zset.max_listpack_entries ||
      longest > limits.zset.max_listpack_value) {
    // Out of order (never written by Redis, but possible in a crafted payload) or too big:
    // rebuilt from the elements, which also checks duplicates.
    return BuildZSet(in, std::move(entries), limits);
  }
  return Ok(Value::FromListpack(ValueType::kZSet, std::move(*lp)));
}

RdbLoadedValue ReadIntset(RdbInput& in, const RdbLoadLimits& limits) {
  auto blob = in.ReadString();
  if (!blob) return {};
  if (blob->size() == IntSet::kHeaderSize) {
    uint32_t len = 0;
    std::memcpy(&len, blob->data() + 4, 4);
    if (len == 0) return Empty();  // Redis skips empty intsets as empty keys
  }
  auto set = IntSet::FromBytes(*blob, /*deep=*/true);
  if (!set) return Fail(in, "invalid intset");
  Value v = Value::FromIntSet(std::move(*set));
  if (SetSize(v) > limits.set.IntsetMax()) SetConvert(v, Encoding::kHashtable);
  return Ok(std::move(v));
}

RdbLoadedValue ReadQuicklist2(RdbInput& in, const RdbLoadLimits& limits) {
  auto nodes = in.ReadCount(2);
  if (!nodes) return {};
  auto ql = std::make_unique<Quicklist>(limits.list.max_listpack_size);
  for (uint64_t i = 0; i < *nodes; ++i) {
    auto container = in.ReadLength();
    if (!container) return {};
    if (*container == kQuicklistNodePlain) {
      auto s = in.ReadString();
      if (!s) return {};
      ql->PushTail(*s);
    } else if (*container == kQuicklistNodePacked) {
      size_t count = 0;
      auto lp = ReadListpack(in, &count);
      if (!lp) return {};
      if (count == 0) continue;  // Redis skips empty nodes too
      ql->AppendListpack(std::move(*lp));
    } else {
      return Fail(in, "unknown quicklist node container");
    }
  }
  if (ql->size() == 0) return Empty();
  if (ql->IsSinglePackedNode() &&
      !Quicklist::NodeExceedsLimit(limits.list.max_listpack_size, ql->head()->sz(),
                                   ql->head()->count)) {
    return Ok(Value::FromListpack(ValueType::kList, ql->TakeSingleListpack()));
  }
  return Ok(Value::FromObject(ValueType::kList, Encoding::kQuicklist, std::move(ql)));
}

RdbLoadedValue ReadQuicklist1(RdbInput& in, const RdbLoadLimits& limits) {
  auto nodes = in.ReadCount(2);
  if (!nodes) return {};
  std::vector<std::string> elems;
  for (uint64_t i = 0; i < *nodes; ++i) {
    auto part = ReadZiplist(in);
    if (!part) return {};
    for (auto& s : *part) elems.push_back(std::move(s));
  }
  return BuildList(in, elems, limits);
}

// ---- streams ----

std::optional<StreamID> ReadRawStreamId(RdbInput& in) {
  auto raw = in.ReadRaw(16);
  if (!raw) return std::nullopt;
  StreamID id;
  for (int i = 0; i < 8; ++i) id.ms = (id.ms << 8) | static_cast<uint8_t>((*raw)[i]);
  for (int i = 8; i < 16; ++i) id.seq = (id.seq << 8) | static_cast<uint8_t>((*raw)[i]);
  return id;
}

// Walks one of Redis's stream listpacks and appends its live entries to `s`.
bool LoadStreamListpack(RdbInput& in, StreamID master, const Listpack& lp, Stream& s,
                        const RdbLoadLimits& limits) {
  const ListpackView view = lp.view();
  ListpackPos p = view.First();
  auto next_int = [&](int64_t* v) {
    if (!p.valid()) return false;
    ListpackEntry e = view.Get(p);
    p = view.Next(p);
    if (!e.is_int) return false;
    *v = e.ival;
    return true;
  };
  auto next_str = [&](std::string* out) {
    if (!p.valid()) return false;
    *out = view.Get(p).ToString();
    p = view.Next(p);
    return true;
  };
  int64_t count, deleted, nmaster;
  if (!next_int(&count) || !next_int(&deleted) || !next_int(&nmaster) || count < 0 ||
      deleted < 0 || nmaster <= 0 || static_cast<uint64_t>(nmaster) > lp.bytes_len()) {
    return in.Fail("invalid stream listpack master entry");
  }
  std::vector<std::string> master_fields(static_cast<size_t>(nmaster));
  for (auto& f : master_fields) {
    if (!next_str(&f)) return in.Fail("invalid stream listpack master entry");
  }
  int64_t terminator;
  if (!next_int(&terminator) || terminator != 0) {
    return in.Fail("invalid stream listpack master entry");
  }
  int64_t live = 0, dead = 0;
  std::vector<std::string> fv;
  std::vector<std::string_view> views;
  while (p.valid()) {
    int64_t flags, ms_diff, seq_diff, lp_count;
    if (!next_int(&flags) || !next_int(&ms_diff) || !next_int(&seq_diff)) {
      return in.Fail("invalid stream entry");
    }
    const bool same = (flags & kStreamItemSameFields) != 0;
    int64_t nfields = nmaster;
    if (!same && (!next_int(&nfields) || nfields <= 0 ||
                  static_cast<uint64_t>(nfields) > lp.bytes_len())) {
      return in.Fail("invalid stream entry");
    }
    fv.clear();
    for (int64_t i = 0; i < nfields; ++i) {
      std::string field, value;
      if (same) {
        field = master_fields[static_cast<size_t>(i)];
      } else if (!next_str(&field)) {
        return in.Fail("invalid stream entry");
      }
      if (!next_str(&value)) return in.Fail("invalid stream entry");
      fv.push_back(std::move(field));
      fv.push_back(std::move(value));
    }
    const int64_t expected = same ? nfields + 3 : 2 * nfields + 4;
    if (!next_int(&lp_count) || lp_count != expected) return in.Fail("invalid stream entry");
    StreamID id{master.ms + static_cast<uint64_t>(ms_diff),
                master.seq + static_cast<uint64_t>(seq_diff)};
    if ((flags & kStreamItemDeleted) != 0) {
      ++dead;
      continue;
    }
    ++live;
    if (id <= s.last_id()) return in.Fail("stream entries out of order");
    views.assign(fv.begin(), fv.end());
    s.Append(id, views, limits.stream_node_max_bytes, limits.stream_node_max_entries);
  }
  if (live != count || dead != deleted) return in.Fail("stream listpack counts mismatch");
  return true;
}

RdbLoadedValue ReadStream(RdbInput& in, int type, const RdbLoadLimits& limits) {
  auto stream = std::make_unique<Stream>();
  Stream& s = *stream;
  auto nodes = in.ReadCount(2);
  if (!nodes) return {};
  for (uint64_t i = 0; i < *nodes; ++i) {
    auto key = in.ReadString();
    if (!key) return {};
    if (key->size() != 16) return Fail(in, "invalid stream node key");
    RdbInput key_in(*key);
    StreamID master = *ReadRawStreamId(key_in);
    size_t count = 0;
    auto lp = ReadListpack(in, &count);
    if (!lp) return {};
    if (count == 0) return Fail(in, "empty listpack inside stream");
    if (!LoadStreamListpack(in, master, *lp, s, limits)) return {};
  }
  auto length = in.ReadLength();
  auto last_ms = in.ReadLength();
  auto last_seq = in.ReadLength();
  if (!in.ok()) return {};
  StreamID last{*last_ms, *last_seq};
  StreamID max_deleted;
  uint64_t entries_added = *length;
  if (type >= kRdbTypeStreamListpacks2) {
    auto first_ms = in.ReadLength();
    auto first_seq = in.ReadLength();
    auto del_ms = in.ReadLength();
    auto del_seq = in.ReadLength();
    auto added = in.ReadLength();
    if (!in.ok()) return {};
    (void)first_ms;
    (void)first_seq;
    max_deleted = StreamID{*del_ms, *del_seq};
    entries_added = *added;
  }
  if (*length != s.length()) return Fail(in, "stream length mismatch");
  if (s.length() > 0 && last < s.last_id()) return Fail(in, "stream last ID below its entries");
  s.set_last_id(last);
  s.set_max_deleted_id(max_deleted);
  s.set_entries_added(entries_added);
  s.UpdateFirstId();

  auto groups = in.ReadCount(4);
  if (!groups) return {};
  for (uint64_t g = 0; g < *groups; ++g) {
    auto name = in.ReadString();
    auto gl_ms = in.ReadLength();
    auto gl_seq = in.ReadLength();
    if (!in.ok()) return {};
    StreamID group_last{*gl_ms, *gl_seq};
    int64_t entries_read;
    if (type >= kRdbTypeStreamListpacks2) {
      auto er = in.ReadLength();
      if (!er) return {};
      entries_read = static_cast<int64_t>(*er);
      if (entries_read < 0) entries_read = kInvalidEntriesRead;
    } else {
      entries_read = s.EstimateDistanceFromFirstEverEntry(group_last);
    }
    StreamGroup* group = s.CreateGroup(*name, group_last, entries_read);
    if (group == nullptr) return Fail(in, "duplicate stream consumer group");
    auto pel = in.ReadCount(17);
    if (!pel) return {};
    for (uint64_t i = 0; i < *pel; ++i) {
      auto id = ReadRawStreamId(in);
      auto time = in.ReadMillis();
      auto deliveries = in.ReadLength();
      if (!in.ok()) return {};
      PendingEntry nack;
      nack.delivery_time = *time;
      nack.delivery_count = *deliveries;
      if (!group->pel.emplace(*id, nack).second) return Fail(in, "duplicate stream PEL entry");
    }
    auto consumers = in.ReadCount(10);
    if (!consumers) return {};
    for (uint64_t c = 0; c < *consumers; ++c) {
      auto cname = in.ReadString();
      auto seen = in.ReadMillis();
      if (type >= kRdbTypeStreamListpacks3) in.ReadMillis();  // active-time (Redis 7.2)
      if (!in.ok()) return {};
      bool created = false;
      StreamConsumer* consumer = group->GetOrCreateConsumer(*cname, *seen, &created);
      if (!created) return Fail(in, "duplicate stream consumer");
      consumer->seen_time = *seen;
      auto cpel = in.ReadCount(16);
      if (!cpel) return {};
      for (uint64_t i = 0; i < *cpel; ++i) {
        auto id = ReadRawStreamId(in);
        if (!id) return {};
        auto it = group->pel.find(*id);
        if (it == group->pel.end() || it->second.consumer != nullptr) {
          return Fail(in, "stream consumer PEL entry not in its group's PEL");
        }
        it->second.consumer = consumer;
        consumer->pel.emplace(*id, &it->second);
      }
    }
    for (const auto& [id, nack] : group->pel) {
      if (nack.consumer == nullptr) return Fail(in, "stream PEL entry without a consumer");
    }
  }
  return Ok(Value::FromObject(ValueType::kStream, Encoding::kStream, std::move(stream)));
}

}  // namespace

uint8_t RdbTypeOf(const Value& v) {
  switch (v.type()) {
    case ValueType::kString:
      return kRdbTypeString;
    case ValueType::kList:
      return kRdbTypeListQuicklist2;
    case ValueType::kSet:
      return v.encoding() == Encoding::kIntset ? kRdbTypeSetIntset : kRdbTypeSet;
    case ValueType::kZSet:
      return v.encoding() == Encoding::kListpack ? kRdbTypeZSetListpack : kRdbTypeZSet2;
    case ValueType::kHash:
      return v.encoding() == Encoding::kListpack ? kRdbTypeHashListpack : kRdbTypeHash;
    case ValueType::kStream:
      return kRdbTypeStreamListpacks2;
  }
  return kRdbTypeString;
}

bool RdbSerializesSlowly(const Value& v, const RdbSaveOptions& opts) {
  if (!opts.compress) return false;  // then serializing is about as cheap as copying
  constexpr size_t kStringBytes = 1 << 20;
  constexpr size_t kQuicklistNodes = 64;  // nodes of up to 8 KB
  constexpr uint64_t kStreamEntries = 16384;
  if (v.type() == ValueType::kString) return v.StringLength() >= kStringBytes;
  if (v.has_inline_collection()) return false;
  switch (v.encoding()) {
    case Encoding::kQuicklist: return v.object<Quicklist>().node_count() > kQuicklistNodes;
    case Encoding::kStream: return v.object<Stream>().length() > kStreamEntries;
    default: return false;
  }
}

void RdbPutValue(std::string* out, const Value& v, const RdbSaveOptions& opts) {
  switch (v.type()) {
    case ValueType::kString:
      if (v.is_int()) {
        RdbPutIntString(out, v.int_value());
      } else {
        char scratch[kInt64StrLen];
        RdbPutString(out, v.StringView(scratch), opts.compress);
      }
      return;
    case ValueType::kList:
      return PutList(out, v, opts.compress);
    case ValueType::kSet:
      return PutSet(out, v, opts.compress);
    case ValueType::kZSet:
      return PutZSet(out, v, opts.compress);
    case ValueType::kHash:
      return PutHash(out, v, opts);
    case ValueType::kStream:
      return PutStream(out, v, opts);
  }
}

RdbLoadedValue RdbReadValue(RdbInput& in, int type, const RdbLoadLimits& limits) {
  switch (type) {
    case kRdbTypeString: {
      auto s = in.ReadString();
      if (!s) return {};
      return Ok(Value::String(*s));
    }
    case kRdbTypeList:
    case kRdbTypeSet:
    case kRdbTypeHash: {
      auto n = in.ReadCount(type == kRdbTypeHash ? 2 : 1);
      if (!n) return {};
      std::vector<std::string> elems;
      if (!ReadStrings(in, type == kRdbTypeHash ? *n * 2 : *n, &elems)) return {};
      if (type == kRdbTypeList) return BuildList(in, elems, limits);
      if (type == kRdbTypeSet) return BuildSet(in, elems, limits);
      return BuildHash(in, elems, limits);
    }
    case kRdbTypeZSet:
    case kRdbTypeZSet2: {
      auto n = in.ReadCount(2);
      if (!n) return {};
      std::vector<ZSetEntry> entries;
      entries.reserve(std::min<uint64_t>(*n, 1 << 20));
      for (uint64_t i = 0; i < *n; ++i) {
        auto member = in.ReadString();
        if (!member) return {};
        auto score = type == kRdbTypeZSet2 ? in.ReadBinaryDouble() : in.ReadTextDouble();
        if (!score) return {};
        entries.push_back({std::move(*member), *score});
      }
      return BuildZSet(in, std::move(entries), limits);
    }
    case kRdbTypeHashZipmap: {
      auto blob = in.ReadString();
      if (!blob) return {};
      auto kv = DecodeZipmap(*blob);
      if (!kv) return Fail(in, "invalid zipmap");
      return BuildHash(in, *kv, limits);
    }
    case kRdbTypeListZiplist: {
      auto elems = ReadZiplist(in);
      if (!elems) return {};
      return BuildList(in, *elems, limits);
    }
    case kRdbTypeSetIntset:
      return ReadIntset(in, limits);
    case kRdbTypeZSetZiplist: {
      auto kv = ReadZiplist(in);
      if (!kv) return {};
      return BuildZSetFromPairs(in, *kv, limits);
    }
    case kRdbTypeHashZiplist: {
      auto kv = ReadZiplist(in);
      if (!kv) return {};
      return BuildHash(in, *kv, limits);
    }
    case kRdbTypeListQuicklist:
      return ReadQuicklist1(in, limits);
    case kRdbTypeHashListpack:
      return ReadHashListpack(in, limits);
    case kRdbTypeZSetListpack:
      return ReadZSetListpack(in, limits);
    case kRdbTypeListQuicklist2:
      return ReadQuicklist2(in, limits);
    case kRdbTypeSetListpack:
      return ReadSetListpack(in, limits);
    case kRdbTypeStreamListpacks:
    case kRdbTypeStreamListpacks2:
    case kRdbTypeStreamListpacks3:
      return ReadStream(in, type, limits);
    case kRdbTypeModule:
    case kRdbTypeModule2:
      return Fail(in, "module values are not supported (Basalt has no modules)");
    default:
      return Fail(in, "unknown value type " + std::to_string(type));
  }
}

}  // namespace basalt
