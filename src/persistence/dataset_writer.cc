#include "persistence/dataset_writer.h"

#include <unistd.h>

#include <ctime>
#include <string>
#include <string_view>

#include "db/access_clock.h"
#include "db/database.h"
#include "persistence/dump_payload.h"
#include "persistence/function_persistence.h"
#include "persistence/rdb_format.h"
#include "persistence/snapshot.h"
#include "server/propagation.h"
#include "server/server.h"
#include "types/hash.h"
#include "types/list.h"
#include "types/set.h"
#include "types/string_map.h"
#include "types/zset.h"
#include "util/memory.h"
#include "util/strconv.h"

namespace basalt {
namespace {

// RDB: aux fields, FUNCTION2 records, then SELECTDB (+ RESIZEDB) and the keys.
class RdbDatasetWriter final : public DatasetWriter {
 public:
  RdbDatasetWriter(Server& server, RdbSink& sink, bool aof_base)
      : server_(server),
        now_ms_(EventLoop::NowMs()),
        save_opts_(RdbSaveOptionsOf(server.config(), now_ms_)),
        w_(&sink, server.config().rdbchecksum, save_opts_),
        aof_base_(aof_base) {}

  bool Begin() override {
    const ServerConfig& c = server_.config();
    lru_ = IsLruPolicy(c.eviction_policy);
    lfu_ = IsLfuPolicy(c.eviction_policy);
    lfu_decay_time_ = c.lfu_decay_time;
    clock_ = static_cast<uint32_t>(server_.lru_clock());
    for (int i = 0; i < server_.db_count(); ++i) {
      sizes_.push_back({server_.db(i).size(), server_.db(i).expires_count()});
    }
    w_.WriteHeader();
    w_.WriteAux("redis-ver", kRdbRedisVer);
    w_.WriteAuxInt("redis-bits", sizeof(void*) * 8);
    w_.WriteAuxInt("ctime", now_ms_ / 1000);
    w_.WriteAuxInt("used-mem", static_cast<int64_t>(UsedMemory()));
    bool ok = w_.WriteAuxInt("aof-base", aof_base_ ? 1 : 0);
    for (const std::string& code : FunctionLibrariesToSave(server_)) ok = w_.WriteFunction(code);
    return ok;
  }

  bool WriteKey(int db, const DbEntry& e) override {
    if (db != current_db_) {
      current_db_ = db;
      // The size hint only once per database: it presizes the loader's table.
      const Sizes s = std::exchange(sizes_[db], Sizes{});
      if (!w_.WriteSelectDb(db, s.keys, s.expires)) return false;
    }
    const int64_t idle = lru_ ? static_cast<int64_t>(LruIdleSeconds(clock_, e.value.lru())) : -1;
    const int freq =
        lfu_ ? static_cast<int>(LfuDecrAndReturn(e.value.lru(), now_ms_, lfu_decay_time_)) : -1;
    // A big value goes to the sink's thread as a copy, when the sink has one.
    if (RdbSerializesSlowly(e.value, save_opts_)) {
      return w_.WriteEntryLater(e.key(), e.value, e.expire_ms(), idle, freq);
    }
    return w_.WriteEntry(e.key(), e.value, e.expire_ms(), idle, freq);
  }

  bool Finish() override { return w_.Finish(); }
  uint64_t bytes_written() const override { return w_.bytes_written(); }

 private:
  struct Sizes {
    uint64_t keys = 0;
    uint64_t expires = 0;
  };

  Server& server_;
  const int64_t now_ms_;
  const RdbSaveOptions save_opts_;
  RdbWriter w_;
  const bool aof_base_;
  bool lru_ = false;
  bool lfu_ = false;
  int lfu_decay_time_ = 0;
  uint32_t clock_ = 0;
  std::vector<Sizes> sizes_;
  int current_db_ = -1;
};

// AOF commands, as Redis's rewriteAppendOnlyFileRio writes them: FUNCTION LOAD per library,
// SELECT, then per key SET, or RPUSH / SADD / ZADD / HMSET with at most 64 elements each,
// then PEXPIREAT for a TTL (and HPEXPIREAT per field TTL, 7.4). A stream goes as one RESTORE
// of its DUMP payload with ABSTTL, which loads the same as Redis's XADD/XSETID/XGROUP/XCLAIM
// sequence. Keys already expired are left out.
class CommandDatasetWriter final : public DatasetWriter {
 public:
  CommandDatasetWriter(Server& server, RdbSink& sink)
      : server_(server), sink_(sink), opts_(RdbSaveOptionsOf(server.config(), EventLoop::NowMs())) {}

  bool Begin() override {
    // The time the snapshot was taken, for redis-check-aof --truncate-to-timestamp.
    if (server_.config().aof_timestamp_enabled) {
      out_ += "#TS:" + std::to_string(time(nullptr)) + "\r\n";
    }
    for (const std::string& code : FunctionLibrariesToSave(server_)) {
      const std::string_view argv[] = {"FUNCTION", "LOAD", code};
      AppendRespCommand(&out_, argv);
    }
    return Flush(false);
  }

  bool WriteKey(int db, const DbEntry& e) override {
    if (e.IsExpired(opts_.now_ms)) return true;
    if (db != current_db_) {
      current_db_ = db;
      const std::string id = std::to_string(db);
      const std::string_view select[] = {"SELECT", id};
      AppendRespCommand(&out_, select);
    }
    const std::string_view key = e.key();
    const Value& v = e.value;
    switch (v.type()) {
      case ValueType::kString: {
        char scratch[kInt64StrLen];
        const std::string_view argv[] = {"SET", key, v.StringView(scratch)};
        AppendRespCommand(&out_, argv);
        break;
      }
      case ValueType::kList:
        ForEachListElement(v, [&](const ListpackEntry& el) {
          AddItem("RPUSH", key, el.is_int ? std::to_string(el.ival) : std::string(el.sval));
        });
        break;
      case ValueType::kSet:
        ForEachSetMember(v, [&](std::string_view m) { AddItem("SADD", key, std::string(m)); });
        break;
      case ValueType::kZSet:
        ForEachZSetMember(v, [&](std::string_view m, double score) {
          AddItem("ZADD", key, FormatDouble(score), std::string(m));
          return true;
        });
        break;
      case ValueType::kHash:
        ForEachHashField(v, [&](std::string_view f, std::string_view val) {
          AddItem("HMSET", key, std::string(f), std::string(val));
        });
        break;
      case ValueType::kStream: {
        const std::string payload = CreateDumpPayload(v, opts_);
        const std::string ttl = e.has_expire() ? std::to_string(e.expire_ms()) : "0";
        const std::string_view argv[] = {"RESTORE", key, ttl, payload, "ABSTTL"};
        AppendRespCommand(&out_, argv);
        return Flush(false);
      }
    }
    EmitItems();
    if (v.type() == ValueType::kHash && v.encoding() == Encoding::kHashtable) {
      WriteFieldTtls(key, v.object<StringMap>());
    }
    if (e.has_expire()) {
      const std::string when = std::to_string(e.expire_ms());
      const std::string_view argv[] = {"PEXPIREAT", key, when};
      AppendRespCommand(&out_, argv);
    }
    return Flush(false);
  }

  bool Finish() override { return Flush(true); }
  uint64_t bytes_written() const override { return flushed_ + out_.size(); }

 private:
  // Redis's AOF_REWRITE_ITEMS_PER_CMD: elements (or pairs) per RPUSH/SADD/ZADD/HMSET.
  static constexpr size_t kItemsPerCommand = 64;

  // Gathers one element (or a field/value or score/member pair) of `command` for `key`,
  // emitting the command once it holds kItemsPerCommand of them.
  void AddItem(std::string_view command, std::string_view key, std::string a,
               std::string b = {}) {
    if (items_.empty()) {
      items_.emplace_back(command);
      items_.emplace_back(key);
    }
    const bool pair = command == "ZADD" || command == "HMSET";
    items_.push_back(std::move(a));
    if (pair) items_.push_back(std::move(b));
    if ((items_.size() - 2) / (pair ? 2 : 1) == kItemsPerCommand) EmitItems();
  }
  void EmitItems() {
    if (items_.empty()) return;
    AppendRespCommand(&out_, items_);
    items_.clear();
  }
  // HPEXPIREAT per field with a TTL (Redis 7.4's hash field expiry).
  void WriteFieldTtls(std::string_view key, const StringMap& map) {
    map.ForEach([&](const StringMapNode* n) {
      if (!n->has_expire()) return;
      const std::string when = std::to_string(n->expire_ms());
      const std::string_view argv[] = {"HPEXPIREAT", key, when, "FIELDS", "1", n->field()};
      AppendRespCommand(&out_, argv);
    });
  }

  bool Flush(bool force) {
    if (failed_) return false;
    if (out_.size() < (1 << 16) && !force) return true;
    failed_ = !sink_.Write(out_);
    flushed_ += out_.size();
    out_.clear();
    return !failed_;
  }

  Server& server_;
  RdbSink& sink_;
  const RdbSaveOptions opts_;
  std::string out_;
  std::vector<std::string> items_;  // the RPUSH/SADD/ZADD/HMSET being gathered
  uint64_t flushed_ = 0;
  bool failed_ = false;
  int current_db_ = -1;
};

}  // namespace

std::unique_ptr<DatasetWriter> MakeDatasetWriter(Server& server, RdbSink& sink,
                                                 DatasetForm form) {
  switch (form) {
    case DatasetForm::kRdb:
      return std::make_unique<RdbDatasetWriter>(server, sink, /*aof_base=*/false);
    case DatasetForm::kAofBaseRdb:
      return std::make_unique<RdbDatasetWriter>(server, sink, /*aof_base=*/true);
    case DatasetForm::kAofBaseCommands:
      return std::make_unique<CommandDatasetWriter>(server, sink);
  }
  return nullptr;
}

bool WriteWholeDataset(Server& server, DatasetWriter& writer,
                       const std::function<void(uint64_t keys_done)>& progress) {
  const int delay_us = server.config().rdb_key_save_delay;
  bool ok = writer.Begin();
  uint64_t keys_done = 0;
  for (int i = 0; i < server.db_count() && ok; ++i) {
    server.db(i).ForEach([&](DbEntry* e) {
      if (!ok) return;
      ok = writer.WriteKey(i, *e);
      if (delay_us > 0) usleep(static_cast<useconds_t>(delay_us));
      if (progress) progress(++keys_done);
    });
  }
  return ok && writer.Finish();
}

}  // namespace basalt
