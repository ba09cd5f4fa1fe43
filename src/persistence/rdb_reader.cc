#include "persistence/rdb_reader.h"

#include <cstdio>

#include "persistence/crc64.h"

namespace basalt {
namespace {

RdbLoadResult Failed(const RdbInput& in, RdbLoadStats stats) {
  RdbLoadResult r;
  r.error = in.error();
  r.offset = in.error_offset();
  r.stats = stats;
  return r;
}

}  // namespace

RdbLoadResult LoadRdb(std::string_view image, const RdbLoadOptions& opts, RdbLoadTarget& target) {
  RdbInput in(image);
  RdbLoadStats stats;
  auto header = in.ReadRaw(9);
  if (!header) return Failed(in, stats);
  if (header->substr(0, 5) != kRdbMagic) {
    RdbInput at(image);
    at.Fail("wrong signature (not an RDB file)");
    return Failed(at, stats);
  }
  int version = 0;
  for (char c : header->substr(5)) {
    if (c < '0' || c > '9') {
      version = -1;
      break;
    }
    version = version * 10 + (c - '0');
  }
  stats.version = version;
  if (version < 1 || version > kRdbMaxVersion) {
    RdbInput at(image);
    at.Fail("can't handle RDB format version " + std::string(header->substr(5)));
    return Failed(at, stats);
  }

  uint64_t db = 0;
  int64_t expire_ms = -1, idle = -1;
  int freq = -1;
  std::string error;
  while (true) {
    const size_t record_start = in.pos();
    auto type = in.ReadByte();
    if (!type) return Failed(in, stats);
    switch (*type) {
      case kRdbOpExpireTime: {
        auto s = in.ReadSeconds();
        if (!s) return Failed(in, stats);
        expire_ms = *s * 1000;
        continue;
      }
      case kRdbOpExpireTimeMs: {
        auto ms = in.ReadMillis();
        if (!ms) return Failed(in, stats);
        expire_ms = *ms;
        continue;
      }
      case kRdbOpFreq: {
        auto f = in.ReadByte();
        if (!f) return Failed(in, stats);
        freq = *f;
        continue;
      }
      case kRdbOpIdle: {
        auto i = in.ReadLength();
        if (!i) return Failed(in, stats);
        idle = static_cast<int64_t>(*i & 0x7fffffffffffffffULL);
        continue;
      }
      case kRdbOpSelectDb: {
        auto id = in.ReadLength();
        if (!id) return Failed(in, stats);
        if (!target.HasDb(*id)) {
          in.Fail("the file uses database " + std::to_string(*id) +
                  ", beyond the configured number of databases");
          return Failed(in, stats);
        }
        db = *id;
        continue;
      }
      case kRdbOpResizeDb: {
        auto keys = in.ReadLength();
        auto expires = in.ReadLength();
        if (!in.ok()) return Failed(in, stats);
        target.OnResizeDb(db, *keys, *expires);
        continue;
      }
      case kRdbOpAux: {
        auto name = in.ReadString();
        auto value = in.ReadString();
        if (!in.ok()) return Failed(in, stats);
        target.OnAux(*name, *value);
        continue;
      }
      case kRdbOpModuleAux:
        in.Fail("the file holds module data (MODULE_AUX), and Basalt has no modules");
        return Failed(in, stats);
      case kRdbOpFunctionPreGa:
      case kRdbOpFunction2: {
        std::optional<std::string> code = RdbReadFunctionCode(in, *type, &error);
        if (!code) {
          in.Fail(error);
          return Failed(in, stats);
        }
        if (!target.OnFunction(*code, &error)) {
          in.Fail("failed loading library: " + error);
          return Failed(in, stats);
        }
        continue;
      }
      case kRdbOpEof:
        break;
      default: {
        if (!IsRdbValueType(*type)) {
          in.Fail("unknown RDB opcode or value type " + std::to_string(*type));
          return Failed(in, stats);
        }
        auto key = in.ReadString();
        if (!key) return Failed(in, stats);
        RdbLoadedValue v = RdbReadValue(in, *type, opts.limits);
        if (!in.ok()) return Failed(in, stats);
        if (v.empty) {
          ++stats.empty_keys_skipped;
        } else if (opts.drop_expired && expire_ms != -1 && expire_ms < opts.now_ms) {
          ++stats.keys_expired;
        } else {
          if (!target.OnKey(db, std::move(*key), std::move(*v.value), expire_ms, idle, freq,
                            &error)) {
            RdbInput at(image.substr(0, record_start));
            at.ReadRaw(record_start);
            at.Fail(error);
            return Failed(at, stats);
          }
          ++stats.keys_loaded;
        }
        expire_ms = -1;
        idle = -1;
        freq = -1;
        if (!target.OnProgress(in.pos())) {
          in.Fail("loading interrupted");
          return Failed(in, stats);
        }
        continue;
      }
    }
    break;  // EOF
  }

  if (version >= 5) {
    const size_t body = in.pos();
    auto trailer = in.ReadRaw(8);
    if (!trailer) return Failed(in, stats);
    uint64_t stored = 0;
    for (int i = 0; i < 8; ++i) stored |= uint64_t{static_cast<uint8_t>((*trailer)[i])} << (8 * i);
    if (opts.verify_checksum && stored != 0) {
      const uint64_t expected = Crc64Of(0, image.substr(0, body));
      if (stored != expected) {
        RdbInput at(image);
        at.ReadRaw(body);
        char msg[128];
        std::snprintf(msg, sizeof(msg), "RDB CRC error: expected %016llx, got %016llx",
                      static_cast<unsigned long long>(expected),
                      static_cast<unsigned long long>(stored));
        at.Fail(msg);
        return Failed(at, stats);
      }
    }
  }
  RdbLoadResult r;
  r.ok = true;
  r.offset = in.pos();
  r.stats = stats;
  return r;
}

}  // namespace basalt
